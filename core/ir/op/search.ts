/**
 * Search and select (`python/tvm/relax/op/search.py`): `where` broadcasts its three operands (the condition must be
 * bool, the branches share a dtype), `argmax/argmin` reduce to int64 indices, `bucketize` keeps the input shape.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { a, attr, attrB, attrI, commonDtype, defineOps, t, tensorArg, UNKNOWN_TENSOR, withDtype } from './common.js';
import { broadcastTensors } from './binary.js';
import type { InferCtx } from './registry.js';
import { reduceDims } from './statistical.js';

function whereRule(call: Call, ctx: InferCtx): StructInfo {
  const c = tensorArg(call, 0, ctx, 'condition');
  const x = tensorArg(call, 1, ctx, 'first branch');
  const y = tensorArg(call, 2, ctx, 'second branch');
  if (!c || !x || !y) return UNKNOWN_TENSOR;
  if (c.dtype && c.dtype !== 'bool') {
    ctx.error('I402', `where requires the condition to have dtype bool. However, the given condition has dtype ${c.dtype}.`);
  }
  return broadcastTensors(call, ctx, [c, x, y], commonDtype(call, ctx, x.dtype, y.dtype));
}

function argRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const axisAttr = attr(call, 'axis');
  const axes = axisAttr === null || axisAttr === undefined ? undefined : [attrI(call, 'axis') ?? 0];
  return reduceDims(call, ctx, x, axes, attrB(call, 'keepdims') ?? false, 'int64');
}

function bucketizeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return x ? withDtype(x, attrB(call, 'out_int32') ? 'int32' : 'int64') : UNKNOWN_TENSOR;
}

defineOps('search', [
  { name: 'relax.where', params: [t('condition'), t('x1'), t('x2')], infer: whereRule, shortlist: true, doc: 'x1 where condition else x2, with broadcasting.' },
  { name: 'relax.argmax', params: [t('x'), a('axis', 'int_or_none', null), a('keepdims', 'bool', false)], infer: argRule, shortlist: true, doc: 'Index of the maximum along axis (int64).' },
  { name: 'relax.argmin', params: [t('x'), a('axis', 'int_or_none', null), a('keepdims', 'bool', false)], infer: argRule, shortlist: true, doc: 'Index of the minimum along axis (int64).' },
  {
    name: 'relax.bucketize', params: [t('input_tensor'), t('boundaries'), a('out_int32', 'bool', false), a('right', 'bool', false)],
    infer: bucketizeRule, doc: 'Bucket index of each element among sorted boundaries.',
  },
]);
