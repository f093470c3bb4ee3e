/**
 * Reductions and scans (`python/tvm/relax/op/statistical.py`): `sum/mean/max/min/prod/variance/std/median` over
 * `axis` (None: all) with `keepdims`; `cumsum/cumprod` keep the shape (flattened when axis is None). Argmax and
 * argmin reuse `reduceDims` from search.ts.
 */
import type { Call, StructInfo, TensorSInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import {
  a, attr, attrB, attrDtype, attrI, attrIs, defineOps, dimsOf, i64, normalizer, normAxes, normAxis, product, t, tensorArg,
  tensorOut, toList, UNKNOWN_TENSOR, withDtype,
} from './common.js';
import type { InferCtx } from './registry.js';

/** The result of reducing `x` over `axes` (undefined: all), with `keepdims`. */
export function reduceDims(call: Call, ctx: InferCtx, x: TensorSInfo, axesIn: number[] | undefined, keepdims: boolean, dtype: string): TensorSInfo {
  if (x.ndim < 0) {
    if (!axesIn && !keepdims) return SI.tensor([], dtype);
    return SI.tensorNdim(dtype, -1, x.vdevice);
  }
  const axes = axesIn ? normAxes(call, ctx, axesIn, x.ndim) : [...Array(x.ndim).keys()];
  if (!axes) return SI.tensorNdim(dtype, -1, x.vdevice);
  const ndim = keepdims ? x.ndim : x.ndim - axes.length;
  const dx = dimsOf(x);
  if (!dx) return SI.tensorNdim(dtype, ndim, x.vdevice);
  const out: PrimExpr[] = [];
  dx.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(i64(1));
  });
  return tensorOut(out, dtype, ndim, x.vdevice);
}

function reduceRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const axisAttr = attr(call, 'axis');
  const axes = axisAttr === null || axisAttr === undefined ? undefined : (attrIs(call, 'axis') ?? []);
  return reduceDims(call, ctx, x, axes, attrB(call, 'keepdims') ?? false, x.dtype);
}

function scanRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const dtype = attrDtype(call, 'dtype') || x.dtype;
  const axisAttr = attr(call, 'axis');
  if (axisAttr === null || axisAttr === undefined) {
    const dx = dimsOf(x);
    return tensorOut(dx && [product(dx)], dtype, 1, x.vdevice);
  }
  normAxis(call, ctx, attrI(call, 'axis') ?? 0, x.ndim);
  return withDtype(x, dtype);
}

const REDUCE = ['sum', 'mean', 'max', 'min', 'prod', 'variance', 'std', 'median'];
const axisList = normalizer({ axis: toList });

defineOps('reduce', [
  ...REDUCE.map((n) => ({
    name: `relax.${n}`, params: [t('x'), a('axis', 'opt_axes', null), a('keepdims', 'bool', false)], normalizeAttrs: axisList,
    infer: reduceRule, shortlist: n !== 'median', doc: `Reduces by ${n} over axis (all axes when None).`,
  })),
  ...['cumsum', 'cumprod'].map((n) => ({
    name: `relax.${n}`, params: [t('data'), a('axis', 'int_or_none', null), a('dtype', 'dtype', 'void'), a('exclusive', 'bool', false)],
    infer: scanRule, doc: `Running ${n === 'cumsum' ? 'sum' : 'product'} along axis (flattened when None).`,
  })),
]);
