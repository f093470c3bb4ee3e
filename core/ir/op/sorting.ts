/**
 * Sorting (`python/tvm/relax/op/sorting.py`): `sort` keeps the input, `argsort` gives indices of `dtype`, `topk`
 * returns (values, indices), one of them, per `ret_type`, with the axis length replaced by k.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import { a, attrDtype, attrI, attrS, defineOps, dimsOf, I, i64, normAxis, t, tensorArg, tensorOut, UNKNOWN_TENSOR, withDtype } from './common.js';
import type { InferCtx } from './registry.js';

function sortRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  normAxis(call, ctx, attrI(call, 'axis') ?? -1, x.ndim);
  return withDtype(x, x.dtype);
}

function argsortRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  normAxis(call, ctx, attrI(call, 'axis') ?? -1, x.ndim);
  return withDtype(x, attrDtype(call, 'dtype') || 'int32');
}

function topkRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const k = attrI(call, 'k') ?? 1;
  const axis = normAxis(call, ctx, attrI(call, 'axis') ?? -1, x.ndim);
  const dx = dimsOf(x);
  const dims = dx && axis !== undefined && k >= 1 ? dx.map((d, i) => (i === axis ? i64(k) : d)) : undefined;
  const values = tensorOut(dims, x.dtype, x.ndim, x.vdevice);
  const indices = tensorOut(dims, attrDtype(call, 'dtype') || 'int32', x.ndim, x.vdevice);
  const ret = attrS(call, 'ret_type') ?? 'both';
  return ret === 'values' ? values : ret === 'indices' ? indices : SI.tuple([values, indices]);
}

defineOps('sort', [
  { name: 'relax.sort', params: [t('x'), a('axis', 'axis', I(-1)), a('descending', 'bool', false)], infer: sortRule, doc: 'Sorts along an axis.' },
  { name: 'relax.argsort', params: [t('data'), a('axis', 'axis', I(-1)), a('descending', 'bool', false), a('dtype', 'dtype', 'int32')], infer: argsortRule, doc: 'Indices that sort along an axis.' },
  {
    name: 'relax.topk',
    params: [t('data'), a('k', 'int', I(1)), a('axis', 'axis', I(-1)), a('ret_type', 'str', 'both', ['both', 'values', 'indices']), a('largest', 'bool', true), a('dtype', 'dtype', 'int32')],
    infer: topkRule, returnsTuple: true, doc: 'The k largest (or smallest) elements and their indices.',
  },
]);
