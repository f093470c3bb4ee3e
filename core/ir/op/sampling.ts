/**
 * Sampling (`python/tvm/relax/op/sampling.py`): `multinomial_from_uniform(prob, uniform_sample, sample_indices)`
 * draws one index per sample: (n, 1) of `dtype`.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import { a, attrDtype, defineOps, dimsOf, i64, t, tensorArg, tensorOut } from './common.js';
import type { InferCtx } from './registry.js';

function multinomialRule(call: Call, ctx: InferCtx): StructInfo {
  const idx = tensorArg(call, 2, ctx, 'sample_indices');
  const dtype = attrDtype(call, 'dtype') || 'int64';
  const d = idx ? dimsOf(idx) : undefined;
  return d && d.length >= 1 ? tensorOut([d[0]!, i64(1)], dtype) : SI.tensorNdim(dtype, 2);
}

defineOps('sampling', [
  {
    name: 'relax.multinomial_from_uniform', params: [t('prob'), t('uniform_sample'), t('sample_indices'), a('dtype', 'dtype', 'int64')],
    infer: multinomialRule, doc: 'Samples indices from probabilities with given uniform draws.',
  },
]);
