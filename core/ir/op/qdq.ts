/**
 * Quantization (`python/tvm/relax/op/qdq.py`): `quantize`/`dequantize` keep the shape and change the dtype to
 * `out_dtype`; scale and zero point are per-tensor or per-axis.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { a, attrDtype, attrI, defineOps, I, normAxis, t, tensorArg, UNKNOWN_TENSOR, withDtype } from './common.js';
import type { InferCtx } from './registry.js';

function qdqRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  normAxis(call, ctx, attrI(call, 'axis') ?? -1, x.ndim);
  return withDtype(x, attrDtype(call, 'out_dtype'));
}

defineOps('quantize', [
  { name: 'relax.quantize', params: [t('data'), t('scale'), t('zero_point'), a('axis', 'axis', I(-1)), a('out_dtype', 'dtype', 'int8')], infer: qdqRule, doc: 'Quantizes to out_dtype.' },
  { name: 'relax.dequantize', params: [t('data'), t('scale'), t('zero_point'), a('axis', 'axis', I(-1)), a('out_dtype', 'dtype', 'float32')], infer: qdqRule, doc: 'Dequantizes to out_dtype.' },
]);
