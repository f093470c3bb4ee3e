/**
 * A deliberately weak struct-info compatibility test for the verifier: it answers "are these two provably
 * incompatible?" and reports where, so that WF08/WF15/WF16 fire only on definite mismatches (different kinds,
 * different known ndim or dtype, different tuple arity, different constant dims). Anything partly unknown is
 * compatible. The full subtyping lattice (`isBaseOf`, `unifySInfo`) belongs to `../relax/sinfo.ts`.
 */
import type { StructInfo } from '../relax/nodes.js';
import { tensorDims } from '../relax/nodes.js';

/** Why two struct infos cannot describe the same value, or null when they may. Used in "However, ..." texts. */
export function sinfoMismatch(a: StructInfo, b: StructInfo): string | null {
  if (a.kind === 'si.Object' || b.kind === 'si.Object') return null;
  if (a.kind !== b.kind) return `one is ${kindName(a)} and the other ${kindName(b)}`;
  switch (a.kind) {
    case 'si.Tensor':
      return tensorMismatch(a, b as typeof a);
    case 'si.Shape':
      return ndimMismatch(a.ndim, (b as typeof a).ndim, 'shape');
    case 'si.Prim':
      return dtypeMismatch(a.dtype, (b as typeof a).dtype);
    case 'si.Tuple':
      return tupleMismatch(a.fields, (b as typeof a).fields);
    default:
      return null;
  }
}

function tensorMismatch(a: StructInfo & { kind: 'si.Tensor' }, b: StructInfo & { kind: 'si.Tensor' }): string | null {
  const nd = ndimMismatch(a.ndim, b.ndim, 'tensor');
  if (nd) return nd;
  const dt = dtypeMismatch(a.dtype, b.dtype);
  if (dt) return dt;
  const da = tensorDims(a);
  const db = tensorDims(b);
  if (!da || !db || da.length !== db.length) return null;
  for (let i = 0; i < da.length; i++) {
    const x = da[i]!;
    const y = db[i]!;
    if (x.kind === 'tir.IntImm' && y.kind === 'tir.IntImm' && x.value !== y.value) {
      return `dimension ${i} is ${x.value} in one and ${y.value} in the other`;
    }
  }
  return null;
}

function ndimMismatch(a: number, b: number, what: string): string | null {
  return a >= 0 && b >= 0 && a !== b ? `the ${what} ranks differ (${a} vs ${b})` : null;
}

function dtypeMismatch(a: string, b: string): string | null {
  return a !== '' && b !== '' && a !== b ? `the dtypes differ ("${a}" vs "${b}")` : null;
}

function tupleMismatch(a: readonly StructInfo[], b: readonly StructInfo[]): string | null {
  if (a.length !== b.length) return `the tuples have ${a.length} and ${b.length} fields`;
  for (let i = 0; i < a.length; i++) {
    const m = sinfoMismatch(a[i]!, b[i]!);
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
