/**
 * What the inspector shows for a node: its var, op and full struct info; for an op call, one typed field per
 * attribute (current value as text, the field kind, the choices); for a param, its struct info as editable text
 * (`(n, 784), float32`); for call_tir, the called PrimFunc as TVMScript. `fieldText` turns what a field holds
 * into the text `setAttr` reads (strings are quoted so any value survives).
 */
import type { AttrValue } from '../../../core/ir/attrs.js';
import { isPrimAttr } from '../../../core/ir/attrs.js';
import type { GraphDocument, RelaxGraph } from '../../../core/ir/graph/model.js';
import { irModule } from '../../../core/ir/module.js';
import type { AttrType } from '../../../core/ir/op/registry.js';
import { lookupOp } from '../../../core/ir/op/registry.js';
import { printModule, printPrimExpr, printStructInfo } from '../../../core/ir/printer/index.js';
import type { StructInfo } from '../../../core/ir/relax/nodes.js';
import { tensorDims } from '../../../core/ir/relax/nodes.js';
import { DTYPES } from '../../../core/ir/graph/edit-values.js';
import { nodeVar } from './view.js';

export type FieldKind = 'text' | 'bool' | 'choice';

export interface AttrField {
  readonly name: string;
  readonly type: AttrType;
  readonly kind: FieldKind;
  readonly value: string;
  readonly choices?: readonly string[];
}

export interface Inspection {
  readonly id: string;
  readonly var: string;
  readonly op: string;
  readonly kind: 'param' | 'binding' | 'output';
  readonly sinfo: string;
  /** Params: `(n, 784), float32`. */
  readonly paramSInfo?: string;
  readonly fields: readonly AttrField[];
  /** call_tir*: the PrimFunc as TVMScript. */
  readonly primFunc?: string;
}

/** An attribute value as field text. */
export function attrText(v: AttrValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(attrText).join(', ')}]`;
  if (isPrimAttr(v)) return printPrimExpr(v, { context: 'relax' });
  const o = v as { kind: string; text?: string };
  return o.kind === 'attr.Opaque' ? (o.text ?? '') : '{...}';
}

/** The text `setAttr` reads for what a field holds. */
export function fieldText(f: Pick<AttrField, 'type' | 'kind'>, raw: string): string {
  if (f.kind === 'bool') return raw === 'true' || raw === 'True' ? 'True' : 'False';
  const isStr = f.type === 'str' || f.type === 'dtype' || f.type === 'str_or_none';
  if (isStr && !(f.type === 'str_or_none' && raw.trim() === 'None') && !/^["']/.test(raw.trim())) return JSON.stringify(raw.trim());
  return raw;
}

/** `R.Tensor((n, 784), "float32")` -> `(n, 784), float32`; other struct infos as TVMScript. */
export function paramSInfoText(si: StructInfo): string {
  const dims = tensorDims(si);
  if (si.kind !== 'si.Tensor' || !dims) return printStructInfo(si);
  const d = dims.map((x) => printPrimExpr(x, { context: 'relax' }));
  return `(${d.join(', ')}${d.length === 1 ? ',' : ''}), ${si.dtype}`;
}

function fieldOf(name: string, type: AttrType, value: AttrValue, choices?: readonly string[]): AttrField {
  if (type === 'bool') return { name, type, kind: 'bool', value: attrText(value) };
  if (type === 'dtype') return { name, type, kind: 'choice', value: attrText(value), choices: ['void', ...DTYPES] };
  if (choices) return { name, type, kind: 'choice', value: attrText(value), choices };
  return { name, type, kind: 'text', value: attrText(value) };
}

/** The inspection of node `id` in function `fn`, or undefined when there is no such node. */
export function inspectNode(doc: GraphDocument, g: RelaxGraph, id: string): Inspection | undefined {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) return undefined;
  const base = { id, var: nodeVar(n), op: n.op, kind: n.kind, fields: [] as AttrField[] };
  if (n.kind === 'param') return { ...base, sinfo: printStructInfo(n.var.sinfo), paramSInfo: paramSInfoText(n.var.sinfo) };
  if (n.kind === 'output') return { ...base, sinfo: '' };
  const value = n.binding.value;
  const fields: AttrField[] = [];
  if (value.kind === 'relax.Call' && value.op.kind === 'relax.Op') {
    const def = lookupOp(value.op.name);
    const attrs = new Map(value.attrs?.entries ?? []);
    for (const p of def?.params ?? []) {
      if (p.kind === 'attr') fields.push(fieldOf(p.name, p.attrType ?? 'any', attrs.get(p.name) ?? p.default ?? null, p.choices));
    }
  }
  const prim = n.callee ? doc.functions.find((f) => f.name === n.callee && f.kind === 'prim') : undefined;
  const primFunc = prim?.kind === 'prim' ? printModule(irModule('Module', new Map([[prim.name, prim.func]]))) : undefined;
  return { ...base, sinfo: printStructInfo(n.binding.v.sinfo), fields, ...(primFunc ? { primFunc } : {}) };
}
