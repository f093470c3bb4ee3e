/**
 * A deliberately weak struct-info compatibility test for the verifier: it answers "are these two provably
 * incompatible?" and reports where, so that WF08/WF15/WF16 fire only on definite mismatches (different kinds,
 * different known ndim or dtype, different tuple arity, different constant dims). Anything partly unknown is
 * compatible. The full subtyping lattice (`isBaseOf`, `unifySInfo`) belongs to `../relax/sinfo.ts`.
 */
import type { StructInfo } from '../relax/nodes.js';
import { tensorDims } from '../relax/nodes.js';

/** What the two sides are called in messages: `['the annotation', 'the value']`. */
export type Sides = readonly [string, string];

/**
 * Why two struct infos cannot describe the same value, or null when they may. The reason names the two sides
 * (`the dtypes differ: "int32" in the annotation, "float32" in the value`) for "However, ..." texts.
 */
export function sinfoMismatch(a: StructInfo, b: StructInfo, sides: Sides = ['one', 'the other']): string | null {
  if (a.kind === 'si.Object' || b.kind === 'si.Object') return null;
  if (a.kind !== b.kind) return `${sides[0]} is ${kindName(a)} and ${sides[1]} is ${kindName(b)}`;
  switch (a.kind) {
    case 'si.Tensor':
      return tensorMismatch(a, b as typeof a, sides);
    case 'si.Shape':
      return ndimMismatch(a.ndim, (b as typeof a).ndim, 'shape', sides);
    case 'si.Prim':
      return dtypeMismatch(a.dtype, (b as typeof a).dtype, sides);
    case 'si.Tuple':
      return tupleMismatch(a.fields, (b as typeof a).fields, sides);
    default:
      return null;
  }
}

function tensorMismatch(a: StructInfo & { kind: 'si.Tensor' }, b: StructInfo & { kind: 'si.Tensor' }, sides: Sides): string | null {
  const nd = ndimMismatch(a.ndim, b.ndim, 'tensor', sides);
  if (nd) return nd;
  const dt = dtypeMismatch(a.dtype, b.dtype, sides);
  if (dt) return dt;
  const da = tensorDims(a);
  const db = tensorDims(b);
  if (!da || !db || da.length !== db.length) return null;
  for (let i = 0; i < da.length; i++) {
    const x = da[i]!;
    const y = db[i]!;
    if (x.kind === 'tir.IntImm' && y.kind === 'tir.IntImm' && x.value !== y.value) {
      return `dimension ${i} is ${x.value} in ${sides[0]} and ${y.value} in ${sides[1]}`;
    }
  }
  return null;
}

function ndimMismatch(a: number, b: number, what: string, sides: Sides): string | null {
  return a >= 0 && b >= 0 && a !== b ? `the ${what} rank is ${a} in ${sides[0]} and ${b} in ${sides[1]}` : null;
}

function dtypeMismatch(a: string, b: string, sides: Sides): string | null {
  return a !== '' && b !== '' && a !== b ? `the dtype is "${a}" in ${sides[0]} and "${b}" in ${sides[1]}` : null;
}

function tupleMismatch(a: readonly StructInfo[], b: readonly StructInfo[], sides: Sides): string | null {
  if (a.length !== b.length) return `the tuple has ${a.length} field(s) in ${sides[0]} and ${b.length} in ${sides[1]}`;
  for (let i = 0; i < a.length; i++) {
    const m = sinfoMismatch(a[i]!, b[i]!, sides);
    if (m) return `field ${i}: ${m}`;
  }
  return null;
}

/** A short human name for a struct-info kind ("a tensor", "a tuple", ...). */
export function kindName(s: StructInfo): string {
  switch (s.kind) {
    case 'si.Object':
      return 'R.Any';
    case 'si.Prim':
      return `a prim value (${s.dtype})`;
    case 'si.Shape':
      return 'a shape';
    case 'si.Tensor':
      return 'a tensor';
    case 'si.Tuple':
      return `a tuple of ${s.fields.length}`;
    case 'si.Func':
      return 'a function';
  }
}
