/**
 * Legalization of argmax/argmin (`python/tvm/relax/op/search.py`), PrimFuncs "argmax"/"argmin" with int64 indices.
 * TOPI writes them as one tuple reduction (index, value) combined with selects; our TE builder has single-output
 * reducers, so the kernel has two reduce blocks with the same result:
 *   "A_red_temp": the extreme value along the reduced axes, starting from the first element (so -inf/+inf rows work);
 *   "A_red":      the smallest (flat, row-major over the reduced axes) index whose element equals that value.
 * First occurrence wins on ties, as in NumPy. `axis` None reduces over every element (a flat index); `keepdims`
 * keeps the reduced axis as 1. A NaN element gives an unspecified index (TVM's comparison-based result differs too).
 * Preconditions: struct info inferred.
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, intImm } from '../../ir/tir/nodes.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { Reduce, ReduceAxis } from './te.js';
import { compute, load } from './te.js';
import { sel } from './unary.js';
import { castTo } from './datatype.js';
import { inputIndex, reduceAxesOf, reducedShape, reducePlan } from './statistical.js';

/** The row-major flat index of reduce vars over their extents. */
function flatIndex(axes: readonly ReduceAxis[]): PrimExpr {
  let acc: PrimExpr | undefined;
  for (const a of axes) acc = acc ? binary('add', binary('mul', acc, a.extent), a.v) : a.v;
  return acc ?? intImm(0);
}

/** The number of positions the reduce vars cover. */
function count(axes: readonly ReduceAxis[]): PrimExpr {
  return axes.reduce<PrimExpr>((acc, a) => (acc.kind === 'tir.IntImm' && acc.value === 1 ? a.extent : binary('mul', acc, a.extent)), intImm(1));
}

function argReduce(ctx: LegalizeCtx, op: 'argmax' | 'argmin'): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const plan = reducePlan(ctx, x.shape.length);
  if (!plan) return ctx.fail(`its axis is not a valid axis for an input of rank ${x.shape.length}`);
  const vAxes = reduceAxesOf(x, plan);
  const best = compute(reducedShape(x, plan), (...i: TirVar[]): Reduce => ({
    kind: 'te.Reduce',
    combiner: op === 'argmax' ? 'max' : 'min',
    value: load(x, inputIndex(x, plan, i, vAxes.map((a) => a.v))),
    axes: vAxes,
    init: load(x, inputIndex(x, plan, i, vAxes.map((a) => a.min))),
  }), 'A_red_temp', { dtype: x.dtype });
  const iAxes = reduceAxesOf(x, plan);
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...i: TirVar[]): Reduce => {
    const hit = binary('eq', load(x, inputIndex(x, plan, i, iAxes.map((a) => a.v))), load(best, i));
    // The element count is past every index; a match always exists (the value stage started from an element).
    const none = castTo(count(iAxes), dtype);
    return { kind: 'te.Reduce', combiner: 'min', value: sel(hit, castTo(flatIndex(iAxes), dtype), none), axes: iAxes, init: none };
  }, 'A_red', { dtype });
  return { name: op, inputs: [x], outputs: [out] };
}

registerLegalize('relax.argmax', (ctx) => argReduce(ctx, 'argmax'));
registerLegalize('relax.argmin', (ctx) => argReduce(ctx, 'argmin'));
