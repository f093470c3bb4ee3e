/**
 * Attribute values: what a call's keyword attributes (`axis=[1]`, `data_layout="NCHW"`), `R.func_attr({...})`,
 * `T.func_attr({...})`, block annotations and module attrs hold. Numbers are kept as TIR immediates so that
 * `1` and `1.0` and `T.int64(1)` stay distinct; symbolic values are PrimExprs.
 */
import type { PrimExpr } from './tir/nodes.js';
import { intImm, floatImm } from './tir/nodes.js';

export interface AttrDictNode {
  readonly kind: 'attr.Dict';
  /** Insertion-ordered entries. Keys are strings (`"global_symbol"`). */
  readonly entries: readonly (readonly [string, AttrValue])[];
}

/** An opaque Python-level value the parser kept as its source text (e.g. a lambda); printed back verbatim. */
export interface AttrOpaque {
  readonly kind: 'attr.Opaque';
  readonly text: string;
}

export type AttrValue = null | boolean | string | PrimExpr | readonly AttrValue[] | AttrDictNode | AttrOpaque;

/** An ordered dictionary of attributes, the form every attrs field uses. */
export type AttrDict = AttrDictNode;

export function attrDict(entries: readonly (readonly [string, AttrValue])[]): AttrDict {
  return { kind: 'attr.Dict', entries };
}

export const EMPTY_ATTRS: AttrDict = attrDict([]);

export function attrGet(d: AttrDict | undefined | null, key: string): AttrValue | undefined {
  if (!d) return undefined;
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}

export function attrSet(d: AttrDict, key: string, value: AttrValue): AttrDict {
  const entries = d.entries.filter(([k]) => k !== key);
  const idx = d.entries.findIndex(([k]) => k === key);
  if (idx < 0) return attrDict([...d.entries, [key, value]]);
  const next = [...d.entries];
  next[idx] = [key, value];
  return entries.length === d.entries.length ? d : attrDict(next);
}

export function isPrimAttr(v: AttrValue | undefined): v is PrimExpr {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'kind' in v && (v as { kind: string }).kind.startsWith('tir.');
}

/** The integer value of an attribute when it is a constant integer, else undefined. */
export function attrInt(v: AttrValue | undefined): number | undefined {
  if (isPrimAttr(v) && v.kind === 'tir.IntImm') return v.value;
  return undefined;
}

/** The numeric value of an attribute when it is a constant int or float, else undefined. */
export function attrNumber(v: AttrValue | undefined): number | undefined {
  if (isPrimAttr(v) && (v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm')) return v.value;
  return undefined;
}

export function attrIntList(v: AttrValue | undefined): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const x of v as readonly AttrValue[]) {
    const n = attrInt(x);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/** Convenience constructors for op implementations. */
export const A = {
  int: (v: number, dtype = 'int64'): PrimExpr => intImm(v, dtype),
  float: (v: number, dtype = 'float64'): PrimExpr => floatImm(v, dtype),
  ints: (vs: readonly number[], dtype = 'int64'): AttrValue[] => vs.map((v) => intImm(v, dtype)),
};
