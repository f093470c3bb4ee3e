/**
 * Legalization of the creation ops (`python/tvm/relax/op/create.py`), as TVM's legalizer does them with TOPI:
 *   zeros/zeros_like -> "zeros", ones/ones_like -> "ones", full/full_like -> "full" (TOPI `full`, block "T_full"):
 *     no input tensor for the shape (a `*_like` input only gives its shape), the fill value baked in when it is a
 *     scalar constant, else read from its 0-d tensor;
 *   arange -> "arange" (block "T_arange"): `cast(dtype, start + step * i)`, computed in float64 for float results;
 *   tril/triu -> "tril"/"triu" (TOPI `trilu`, block "trilu"): keep x[..., i, j] where j - i <= k (tril) or
 *     j - i >= k (triu), zero elsewhere;
 *   eye/eye_like -> "eye": 1 where j - i == k.
 * Symbolic values (an `arange` bound, a `k`) stay symbolic; the driver passes them as scalar parameters.
 * Preconditions: struct info inferred (the output shape and dtype are the call's).
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, intImm, isFloatDtype, primDtype } from '../../ir/tir/nodes.js';
import { castTo, lit, scalarConst } from './datatype.js';
import { broadcastLoad } from './common.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { TeTensor } from './te.js';
import { compute, load } from './te.js';
import { sel } from './unary.js';

/** A kernel with no tensor input that fills the output with `value`. */
function fill(ctx: LegalizeCtx, name: string, value: number): LegalizedKernel {
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), () => lit(value, dtype), 'T_full', { dtype });
  return { name, inputs: [], outputs: [out] };
}

/** full / full_like: the fill value (argument `i`) baked when it is a scalar constant, else a 0-d input. */
function full(ctx: LegalizeCtx, fillIndex: number): LegalizedKernel {
  const v = scalarConst(ctx.call.args[fillIndex]);
  if (v !== undefined) return fill(ctx, 'full', typeof v === 'boolean' ? Number(v) : v);
  const dtype = ctx.outDtype();
  const f = ctx.input(fillIndex, 'A');
  const inputs: TeTensor[] = [f];
  const out = compute(ctx.outShape(), () => castTo(load(f, f.shape.map(() => intImm(0))), dtype), 'T_full', { dtype });
  return { name: 'full', inputs, outputs: [out] };
}

registerLegalize('relax.zeros', (ctx) => fill(ctx, 'zeros', 0));
registerLegalize('relax.zeros_like', (ctx) => fill(ctx, 'zeros', 0));
registerLegalize('relax.ones', (ctx) => fill(ctx, 'ones', 1));
registerLegalize('relax.ones_like', (ctx) => fill(ctx, 'ones', 1));
registerLegalize('relax.full', (ctx) => full(ctx, 1));
registerLegalize('relax.full_like', (ctx) => full(ctx, 1));

registerLegalize('relax.arange', (ctx) => {
  const [start, , step] = [ctx.primArg(0), ctx.primArg(1), ctx.primArg(2)];
  if (!start || !step) return ctx.fail('its start and step are not PrimValues');
  const dtype = ctx.outDtype();
  const work = isFloatDtype(dtype) || isFloatDtype(primDtype(start)) || isFloatDtype(primDtype(step)) ? 'float64' : 'int64';
  const out = compute(
    ctx.outShape(),
    (i) => castTo(binary('add', castTo(start, work), binary('mul', castTo(step, work), castTo(i, work))), dtype),
    'T_arange',
    { dtype },
  );
  return { name: 'arange', inputs: [], outputs: [out] };
});

/** tril (upper = false) / triu (upper = true) over the last two dims; k is the diagonal offset. */
function trilu(ctx: LegalizeCtx, upper: boolean): LegalizedKernel | undefined {
  const k = ctx.argCount > 1 ? ctx.primArg(1) : intImm(0);
  if (!k) return ctx.fail('its diagonal offset k is not a PrimValue');
  const x = ctx.input(0, 'A');
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...idx: TirVar[]) => {
    const row = idx[idx.length - 2]!;
    const col = idx[idx.length - 1]!;
    const shifted = binary('add', row, castTo(k, 'int64'));
    const keep = upper ? binary('le', shifted, col) : binary('ge', shifted, col);
    return sel(keep, broadcastLoad(x, idx), lit(0, dtype));
  }, 'trilu', { dtype });
  return { name: upper ? 'triu' : 'tril', inputs: [x], outputs: [out] };
}

registerLegalize('relax.tril', (ctx) => trilu(ctx, false));
registerLegalize('relax.triu', (ctx) => trilu(ctx, true));

/** eye(n, m, k) / eye_like(x, k): ones on the k-th diagonal. */
function eye(ctx: LegalizeCtx, kIndex: number): LegalizedKernel | undefined {
  const k: PrimExpr | undefined = ctx.argCount > kIndex ? ctx.primArg(kIndex) : intImm(0);
  if (!k) return ctx.fail('its diagonal offset k is not a PrimValue');
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (i, j) => sel(binary('eq', binary('add', i!, castTo(k, 'int64')), j!), lit(1, dtype), lit(0, dtype)), 'T_eye', { dtype });
  return { name: 'eye', inputs: [], outputs: [out] };
}

registerLegalize('relax.eye', (ctx) => eye(ctx, 2));
registerLegalize('relax.eye_like', (ctx) => eye(ctx, 1));
