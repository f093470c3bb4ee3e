/**
 * `R.masked_fill(x, mask, value)` (TVM's Python composition `where(mask, full_like(x, value), x)`) as one kernel
 * "masked_fill": out[i] = mask[i] ? value : x[i], mask and value broadcast to x's shape (value is usually 0-d).
 * Preconditions: struct info inferred (the output has x's shape and dtype).
 */
import type { TirVar } from '../../ir/tir/nodes.js';
import { broadcastLoad } from './common.js';
import { castTo } from './datatype.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import { compute } from './te.js';

function legalizeMaskedFill(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const mask = ctx.input(1, 'B');
  const value = ctx.input(2, 'C');
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...i: TirVar[]) => ({
    kind: 'tir.Select',
    cond: castTo(broadcastLoad(mask, i), 'bool'),
    t: castTo(broadcastLoad(value, i), dtype),
    f: castTo(broadcastLoad(x, i), dtype),
    dtype,
  }), 'T_where', { dtype });
  return { name: 'masked_fill', inputs: [x, mask, value], outputs: [out] };
}

registerLegalize('relax.masked_fill', legalizeMaskedFill);
