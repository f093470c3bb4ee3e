/**
 * Legalization of the element-wise unary ops (`python/tvm/relax/op/unary.py`) as TOPI's kernels: one block
 * "compute" over the input's shape. PrimFunc names follow TVM's legalization, which prefixes the math functions
 * with `tir_` so that they cannot clash with libc names (`tir_exp`, `tir_sqrt`, ...); `clip`, `erf` and the
 * `is*` checks keep their own names.
 *
 * Semantics (TOPI's): `negative` is `x * -1`; `round` is half to even (`T.round`); `floor/ceil/round/trunc` are the
 * identity on integers; `abs` is `T.fabs` on floats and a select on integers; `sign` is a select chain; `clip` is
 * `T.max(T.min(x, max), min)` with the bounds cast to x's dtype; `erf` on float16 computes in float32;
 * `logical_not`/`bitwise_not` on bool are `not`. Preconditions: struct info inferred (the inference has already
 * rejected non-float inputs of the float-only ops).
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, isFloatDtype, primDtype } from '../../ir/tir/nodes.js';
import { broadcastLoad, unaryKernel } from './common.js';
import { castTo, intrin, lit } from './datatype.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import { compute } from './te.js';

type UnaryFn = (x: PrimExpr, outDtype: string) => PrimExpr;

/** Registers `relax.<op>` as an element-wise kernel named `name`. */
function unary(op: string, name: string, fn: UnaryFn): void {
  registerLegalize(`relax.${op}`, (ctx) => unaryKernel(ctx, name, fn));
}

const isFloatExpr = (x: PrimExpr): boolean => isFloatDtype(primDtype(x));

/** Float math intrinsics that map one-to-one onto `T.<name>`. */
const MATH = [
  'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'exp', 'log', 'rsqrt', 'sigmoid', 'sin', 'sinh',
  'sqrt', 'tan', 'tanh',
];
for (const op of MATH) unary(op, `tir_${op}`, (x, dt) => intrin(op, [x], dt));

/** Rounding: the intrinsic on floats, the identity on integers and bools. */
for (const op of ['floor', 'ceil', 'round', 'trunc']) {
  unary(op, `tir_${op}`, (x, dt) => (isFloatExpr(x) ? intrin(op, [x], dt) : x));
}

unary('abs', 'tir_abs', (x, dt) => {
  if (isFloatExpr(x)) return intrin('fabs', [x], dt);
  if (dt === 'bool' || dt.startsWith('uint')) return x;
  return sel(binary('ge', x, lit(0, dt)), x, binary('mul', x, lit(-1, dt)));
});
unary('negative', 'tir_negative', (x, dt) => binary('mul', x, lit(-1, dt)));
unary('square', 'tir_square', (x) => binary('mul', x, x));
unary('sign', 'tir_sign', (x, dt) =>
  sel(binary('lt', x, lit(0, dt)), lit(-1, dt), sel(binary('gt', x, lit(0, dt)), lit(1, dt), lit(0, dt))));
unary('logical_not', 'tir_logical_not', (x, dt) => castTo({ kind: 'tir.Not', a: truthy(x), dtype: 'bool' }, dt));
unary('bitwise_not', 'tir_bitwise_not', (x, dt) =>
  dt === 'bool' ? { kind: 'tir.Not', a: x, dtype: 'bool' } : intrin('bitwise_not', [x], dt));

/** isnan/isinf/isfinite: intrinsics on floats; on integers every value is finite. */
unary('isnan', 'isnan', (x) => (isFloatExpr(x) ? intrin('isnan', [x], 'bool') : lit(false, 'bool')));
unary('isinf', 'isinf', (x) => (isFloatExpr(x) ? intrin('isinf', [x], 'bool') : lit(false, 'bool')));
unary('isfinite', 'isfinite', (x) => (isFloatExpr(x) ? intrin('isfinite', [x], 'bool') : lit(true, 'bool')));

registerLegalize('relax.erf', (ctx) =>
  unaryKernel(ctx, 'erf', (x, dt) => (dt === 'float16' ? castTo(intrin('erf', [castTo(x, 'float32')], 'float32'), dt) : intrin('erf', [x], dt))));

registerLegalize('relax.clip', clip);

/** `T.max(T.min(x, hi), lo)`, the bounds being the call's PrimValue arguments. */
function clip(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const lo = ctx.primArg(1);
  const hi = ctx.primArg(2);
  if (!lo || !hi) return ctx.fail('its bounds are not PrimValues (`R.clip(x, 0, 6)`)');
  const x = ctx.input(0, 'A');
  const dtype = ctx.outDtype();
  const out = compute(
    ctx.outShape(),
    (...i: TirVar[]) => binary('max', binary('min', broadcastLoad(x, i), castTo(hi, dtype)), castTo(lo, dtype)),
    'compute',
    { dtype },
  );
  return { name: 'clip', inputs: [x], outputs: [out] };
}

/** A select node. */
export function sel(cond: PrimExpr, t: PrimExpr, f: PrimExpr): PrimExpr {
  return { kind: 'tir.Select', cond, t, f, dtype: primDtype(t) };
}

/** `x != 0` as a bool (the identity on bools). */
export function truthy(x: PrimExpr): PrimExpr {
  const dt = primDtype(x);
  return dt === 'bool' ? x : binary('ne', x, lit(0, dt));
}
