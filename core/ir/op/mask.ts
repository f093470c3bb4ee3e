/**
 * Masking (`python/tvm/relax/op/mask.py`): `masked_fill(x, mask, value)` is TVM's Python composition
 * `where(mask, full_like(x, value), x)`; its struct info is that of the broadcast.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { defineOps, t, tensorArg, UNKNOWN_TENSOR } from './common.js';
import { broadcastTensors } from './binary.js';
import type { InferCtx } from './registry.js';

function maskedFillRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  const m = tensorArg(call, 1, ctx, 'mask');
  if (!x || !m) return UNKNOWN_TENSOR;
  return broadcastTensors(call, ctx, [m, x], x.dtype);
}

defineOps('mask', [
  { name: 'relax.masked_fill', params: [t('x'), t('mask'), t('value')], infer: maskedFillRule, doc: 'Replaces elements where mask is true by value.' },
]);
