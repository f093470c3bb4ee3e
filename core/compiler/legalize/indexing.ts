/**
 * Legalization of the indexing ops: `take` (tensor indices along an axis or on a 1-D input; a PrimValue index
 * drops the axis; modes fast/clip/wrap/nan), `strided_slice` (axes/begin/end/strides as tuples of PrimValues,
 * negative and symbolic bounds, negative strides) and `gather_elements` (TVM's `gather` kernel).
 *
 * Preconditions: the result struct info is inferred (strided_slice's inference decides the slice lengths; the
 * kernel only needs each axis' canonical begin, computed with the same rules). Indices are cast to int64.
 * Left to others: bounds checking of gathered indices in "fast" mode (TOPI does none either).
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, floatImm } from '../../ir/tir/nodes.js';
import { attr, attrI, attrS } from '../../ir/op/common.js';
import { canProve, simplify } from '../../ir/arith/index.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import { compute, load } from './te.js';
import { castTo, i64, ifThenElse } from './linalg.js';

const proven = (c: PrimExpr): boolean => canProve(c) === 'true';

function normAxis(axis: number, ndim: number): number {
  return axis < 0 ? axis + ndim : axis;
}

/** An index into a dim of extent `d` under a take mode (negative indices count from the end except in "fast"). */
function modeIndex(i: PrimExpr, d: PrimExpr, mode: string): PrimExpr {
  switch (mode) {
    case 'clip':
      return binary('min', binary('max', i, i64(0)), binary('sub', d, i64(1)));
    case 'wrap':
      return binary('floormod', i, d);
    default:
      return i;
  }
}

function legalizeTake(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const mode = attrS(ctx.call, 'mode') ?? 'fast';
  const axisAttr = attr(ctx.call, 'axis');
  const axis = axisAttr === null || axisAttr === undefined ? 0 : normAxis(attrI(ctx.call, 'axis') ?? 0, x.shape.length);
  const dtype = x.dtype;
  const d = x.shape[axis]!;
  const si = ctx.argSInfo(1);
  const scalar = ctx.primArg(1) ?? (si.kind === 'si.Prim' && si.value ? ctx.prim(si.value) : undefined);
  const indices = scalar ? undefined : ctx.input(1, 'B');
  const ni = indices ? indices.shape.length : 0;
  const out = compute(ctx.outShape(), (...o: TirVar[]) => {
    const raw = castTo('int64', indices ? load(indices, o.slice(axis, axis + ni)) : scalar!);
    const at = modeIndex(raw, d, mode);
    const ix = [...o.slice(0, axis), at, ...o.slice(axis + ni)];
    const v = load(x, ix);
    if (mode !== 'nan') return v;
    return ifThenElse(binary('and', binary('le', i64(0), raw), binary('lt', raw, d)), v, floatImm(NaN, dtype));
  }, 'T_take', { dtype });
  return { name: 'take', inputs: indices ? [x, indices] : [x], outputs: [out] };
}

/** The values of a tuple-of-PrimValue argument (a Tuple expression, a tuple-typed var or a shape), kernel-local. */
function primTuple(ctx: LegalizeCtx, i: number): PrimExpr[] | undefined {
  if (i >= ctx.argCount) return undefined;
  const a = ctx.call.args[i]!;
  if (a.kind === 'relax.Tuple') {
    const out: PrimExpr[] = [];
    for (const f of a.fields) {
      if (f.kind !== 'relax.PrimValue') return undefined;
      out.push(ctx.prim(f.value));
    }
    return out;
  }
  const si = ctx.argSInfo(i);
  if (si.kind === 'si.Shape') return si.values?.map((v) => ctx.prim(v));
  if (si.kind !== 'si.Tuple') return undefined;
  const out: PrimExpr[] = [];
  for (const f of si.fields) {
    if (f.kind !== 'si.Prim' || !f.value) return undefined;
    out.push(ctx.prim(f.value));
  }
  return out;
}

const BIG = 2 ** 31 - 1;

/** Canonical begin for a slice of `extent`: in [0, extent] for a positive stride, [-1, extent - 1] for a negative one. */
function canonicalBegin(b: PrimExpr, extent: PrimExpr, stride: number): PrimExpr {
  const lo = stride > 0 ? i64(0) : i64(-1);
  const hi = stride > 0 ? extent : simplify(binary('sub', extent, i64(1)));
  if (b.kind === 'tir.IntImm') {
    if (b.value >= BIG) return hi;
    if (b.value <= -BIG) return lo;
    const v = b.value < 0 ? simplify(binary('add', extent, b)) : b;
    const clampLo = b.value < 0 && !proven(binary('ge', v, lo)) ? simplify(binary('max', v, lo)) : v;
    return proven(binary('le', clampLo, hi)) ? clampLo : simplify(binary('min', clampLo, hi));
  }
  // Symbolic begin: inference only gives a known shape when it is provably >= 0.
  const v = castTo('int64', b);
  return proven(binary('le', v, hi)) ? v : simplify(binary('min', v, hi));
}

function legalizeStridedSlice(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const [axesE, beginE] = [primTuple(ctx, 1), primTuple(ctx, 2)];
  const stridesE = ctx.argCount > 4 ? primTuple(ctx, 4) : undefined;
  if (!axesE || !beginE) return ctx.fail('strided_slice needs axes and begin given as tuples of PrimValues');
  if (ctx.argCount > 4 && !stridesE) return ctx.fail('strided_slice needs strides given as a tuple of PrimValues');
  const nd = x.shape.length;
  const begins = new Map<number, { begin: PrimExpr; stride: number }>();
  for (let k = 0; k < axesE.length; k++) {
    const a = axesE[k]!;
    const s = stridesE?.[k];
    if (a.kind !== 'tir.IntImm' || (s && s.kind !== 'tir.IntImm')) return ctx.fail('strided_slice needs constant axes and strides');
    const stride = s && s.kind === 'tir.IntImm' ? s.value : 1;
    const axis = normAxis(a.value, nd);
    begins.set(axis, { begin: canonicalBegin(beginE[k]!, x.shape[axis]!, stride), stride });
  }
  const out = compute(ctx.outShape(), (...o: TirVar[]) => load(x, o.map((v, i) => {
    const b = begins.get(i);
    return b ? simplify(binary('add', b.begin, binary('mul', v, i64(b.stride)))) : v;
  })), 'T_strided_slice_with_axes', { dtype: x.dtype });
  return { name: 'strided_slice', inputs: [x], outputs: [out] };
}

/** gather_elements: out[i] = data[i with axis replaced by indices[i]] (negative indices count from the end). */
function legalizeGatherElements(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const indices = ctx.input(1, 'B');
  const axis = normAxis(attrI(ctx.call, 'axis') ?? 0, x.shape.length);
  const d = x.shape[axis]!;
  const out = compute(ctx.outShape(), (...o: TirVar[]) => {
    const raw = castTo('int64', load(indices, o));
    const at: PrimExpr = { kind: 'tir.Select', cond: binary('lt', raw, i64(0)), t: binary('add', raw, d), f: raw, dtype: 'int64' };
    return load(x, o.map((v, i) => (i === axis ? at : v)));
  }, 'T_gather', { dtype: x.dtype });
  return { name: 'gather', inputs: [x, indices], outputs: [out] };
}

registerLegalize('relax.take', legalizeTake);
registerLegalize('relax.strided_slice', legalizeStridedSlice);
registerLegalize('relax.gather_elements', legalizeGatherElements);
