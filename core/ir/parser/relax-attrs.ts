/**
 * Attribute values from Python literals: op keyword attributes (`axis=[1]`, `data_layout="NCHW"`),
 * `R.func_attr({...})`, `I.module_attrs({...})`. Ints are int64 IntImms and floats float64 FloatImms (the
 * `A.int`/`A.float` defaults of attrs.ts, which op defaults use too); typed literals (`T.int32(1)`) and symbolic
 * vars are PrimExprs; anything else is kept as opaque source text so it prints back unchanged.
 */
import type { PyExpr } from './pyast.js';
import type { AttrValue } from '../attrs.js';
import type { FnBuilder } from './relax-context.js';
import { attrDict } from '../attrs.js';
import { floatImm, intImm } from '../tir/nodes.js';
import { buildPrim, isBadLiteral, isDtypeName } from './relax-prim.js';

/** Converts a Python expression to an attribute value; never fails (opaque text as the last resort). */
export function toAttr(e: PyExpr, fb: FnBuilder): AttrValue {
  switch (e.kind) {
    case 'Constant':
      if (isBadLiteral(e)) fb.failSilently(); // malformed literal, already reported
      return constAttr(e.value, e.valueKind, e, fb);
    case 'UnaryOp': {
      const v = e.op === '-' ? toAttr(e.operand, fb) : null;
      if (v && typeof v === 'object' && !Array.isArray(v) && 'kind' in v && (v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm')) {
        return { ...v, value: -v.value };
      }
      return opaque(e, fb);
    }
    case 'List':
    case 'Tuple':
      return e.elts.map((x) => toAttr(x, fb));
    case 'Dict':
      return dictAttr(e, fb);
    case 'Call':
      return callAttr(e, fb);
    case 'Name':
      if (e.id === 'True' || e.id === 'False') return e.id === 'True';
      if (fb.sym.lookup(e.id) || fb.mod.typeVarNames.has(e.id)) return buildPrim(e, fb, 'refer', false);
      return opaque(e, fb);
    case 'BinOp':
      return fb.sym.lookup(firstName(e) ?? '') ? buildPrim(e, fb, 'refer', false) : opaque(e, fb);
    case 'ErrorExpr':
      fb.failSilently(); // the syntax error is already reported; the statement is skipped
      return opaque(e, fb);
    default:
      return opaque(e, fb);
  }
}

function firstName(e: PyExpr): string | undefined {
  if (e.kind === 'Name') return e.id;
  if (e.kind === 'BinOp') return firstName(e.left) ?? firstName(e.right);
  return undefined;
}

function constAttr(value: unknown, vk: string, e: PyExpr, fb: FnBuilder): AttrValue {
  switch (vk) {
    case 'int':
      return intImm(Number(value), 'int64', e.span);
    case 'float':
      return floatImm(Number(value), 'float64', e.span);
    case 'bool':
      return value as boolean;
    case 'str':
      return value as string;
    case 'None':
      return null;
    default:
      return opaque(e, fb);
  }
}

/** A dict literal; string keys as written, other keys by their source text. */
export function dictAttr(e: PyExpr & { kind: 'Dict' }, fb: FnBuilder): AttrValue {
  const entries: [string, AttrValue][] = [];
  e.keys.forEach((k, i) => {
    if (!k) return;
    const key = k.kind === 'Constant' && k.valueKind === 'str' ? (k.value as string) : fb.src(k.span);
    entries.push([key, toAttr(e.values[i]!, fb)]);
  });
  return attrDict(entries);
}

function callAttr(e: PyExpr & { kind: 'Call' }, fb: FnBuilder): AttrValue {
  const p = fb.mod.aliases.qualName(e.func);
  const name = p ? p.join('.') : '';
  const a0 = e.args[0];
  if ((name === 'R.dtype' || name === 'R.str') && a0?.kind === 'Constant' && a0.valueKind === 'str') return a0.value as string;
  if (p && p.length === 2 && p[0] === 'T') {
    if (isDtypeName(p[1]!) || ['max', 'min', 'floordiv', 'floormod'].includes(p[1]!)) return buildPrim(e, fb, 'refer', false);
  }
  return opaque(e, fb);
}

function opaque(e: PyExpr, fb: FnBuilder): AttrValue {
  return { kind: 'attr.Opaque', text: fb.src(e.span) };
}
