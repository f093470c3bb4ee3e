/**
 * Ternary elementwise ops (`python/tvm/relax/op/ternary.py`): `ewise_fma(x1, x2, x3)` = x1 * x2 + x3, which TVM
 * requires to have identical shapes (no broadcasting); a proven mismatch is I413.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { commonDtype, defineOps, dimsOf, opLabel, provenNe, showDims, t, tensorArg, tensorOut, UNKNOWN_TENSOR } from './common.js';
import type { InferCtx } from './registry.js';

function inferFma(call: Call, ctx: InferCtx): StructInfo {
  const xs = [0, 1, 2].map((i) => tensorArg(call, i, ctx));
  if (xs.some((x) => !x)) return UNKNOWN_TENSOR;
  const [x, y, z] = xs as [NonNullable<(typeof xs)[0]>, NonNullable<(typeof xs)[0]>, NonNullable<(typeof xs)[0]>];
  const dtype = commonDtype(call, ctx, commonDtype(call, ctx, x.dtype, y.dtype), z.dtype);
  const [dx, dy, dz] = [dimsOf(x), dimsOf(y), dimsOf(z)];
  if (dx && dy && dz) {
    const mismatch = [dy, dz].some((d) => d.length !== dx.length || d.some((v, i) => provenNe(v, dx[i]!)));
    if (mismatch) {
      ctx.error('I413', `${opLabel(call)} requires the three inputs to have the same shape. However, the shapes are ${showDims(dx)}, ${showDims(dy)} and ${showDims(dz)}.`);
      return tensorOut(undefined, dtype, -1);
    }
  }
  return tensorOut(dx, dtype, x.ndim);
}

defineOps('ternary', [
  { name: 'relax.ewise_fma', params: [t('x1'), t('x2'), t('x3')], infer: inferFma, doc: 'Elementwise x1 * x2 + x3.' },
]);
