/**
 * Set ops (`python/tvm/relax/op/set.py`), run as packed functions with data-dependent output sizes: `unique` gives
 * a 1-D tensor of unknown length (or a tuple with the requested extras), `nonzero` a (ndim, ?) int64 tensor. Their
 * exact shapes are known only at run time, so programs follow them with `R.match_cast`.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import { defineOps, e, primArg, t, tensorArg, UNKNOWN_TENSOR } from './common.js';
import { boolImm } from '../tir/nodes.js';
import type { InferCtx } from './registry.js';

function uniqueRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const flag = (i: number): boolean => {
    const v = primArg(call, i, ctx);
    return !!v && v.kind === 'tir.IntImm' && v.value !== 0;
  };
  const axis = primArg(call, 5, ctx);
  const outNdim = axis ? x.ndim : 1;
  const extras = [2, 3, 4].filter(flag).map(() => SI.tensorNdim('int64', 1));
  const values = SI.tensorNdim(x.dtype, outNdim, x.vdevice);
  return extras.length ? SI.tuple([values, ...extras]) : values;
}

function nonzeroRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return SI.tensorNdim('int64', 2, x?.vdevice);
}

defineOps('set', [
  {
    name: 'relax.unique',
    params: [t('x'), e('sorted', 'prim', true, boolImm(true)), e('return_index', 'prim', true, boolImm(false)), e('return_inverse', 'prim', true, boolImm(false)),
      e('return_counts', 'prim', true, boolImm(false)), e('axis', 'prim', true)],
    infer: uniqueRule, doc: 'Unique elements (run-time sized).',
  },
  { name: 'relax.nonzero', params: [t('x')], infer: nonzeroRule, doc: 'Indices of non-zero elements (run-time sized).' },
]);
