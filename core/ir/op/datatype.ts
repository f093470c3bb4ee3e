/**
 * Data type ops (`python/tvm/relax/op/datatype.py`): `astype` keeps the shape and changes the dtype; `wrap_param`
 * (a mixed-precision marker) does the same.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { a, attrDtype, defineOps, t, tensorArg, UNKNOWN_TENSOR, withDtype } from './common.js';
import type { InferCtx } from './registry.js';

function inferCast(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return x ? withDtype(x, attrDtype(call, 'dtype')) : UNKNOWN_TENSOR;
}

defineOps('dtype', [
  { name: 'relax.astype', params: [t('x'), a('dtype', 'dtype')], infer: inferCast, shortlist: true, doc: 'Casts every element to dtype.' },
  { name: 'relax.wrap_param', params: [t('data'), a('dtype', 'dtype', 'float32')], infer: inferCast, doc: 'Marks a parameter cast for mixed precision.' },
]);
