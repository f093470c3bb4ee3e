/**
 * Legalization of the broadcasting binary ops (`python/tvm/relax/op/binary.py`) and of `R.where`, as TOPI's
 * broadcast kernels: one block `T_<op>` over the call's (broadcast) output shape, the PrimFunc named after the op
 * (`add`, `floor_divide`, `greater_equal`, ...). A scalar (0-d) constant operand is baked into the kernel as a
 * literal, as TVM's legalizer does with `R.const` scalars (bool scalars excepted, see `operand`); every other
 * operand is a kernel input read under NumPy broadcasting.
 *
 * Semantics (TOPI's): `divide` on integers truncates (TIR `div`), `floor_divide`/`floor_mod` floor (`floordiv`,
 * `floormod` on integers; `floor(a / b)` and `a - floor(a / b) * b` on floats), `mod` truncates (C's `%`/fmod);
 * `power` is `T.pow`; `log_add_exp` is the stable `max + log(exp(a - max) + exp(b - max))`; logical ops treat
 * non-zero as true; shifts and bitwise ops are the C operators. Preconditions: struct info inferred (operands share
 * a dtype).
 */
import type { BinaryOp, PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, isFloatDtype, primDtype } from '../../ir/tir/nodes.js';
import { broadcastLoad } from './common.js';
import { castTo, intrin, lit, scalarConst } from './datatype.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { TeTensor } from './te.js';
import { compute } from './te.js';
import { sel, truthy } from './unary.js';

type BinaryFn = (a: PrimExpr, b: PrimExpr, outDtype: string) => PrimExpr;

/** An operand of an element-wise kernel: a baked scalar literal, or a kernel input loaded with broadcasting. */
export interface Operand {
  readonly input?: TeTensor;
  at(idx: readonly PrimExpr[]): PrimExpr;
}

/**
 * Argument `i` as an operand: a scalar constant becomes a literal of its dtype, anything else `ctx.input(i, name)`.
 */
export function operand(ctx: LegalizeCtx, i: number, name: string): Operand {
  const arg = ctx.call.args[i];
  const v = scalarConst(arg);
  // Bool scalars stay inputs: the JS backend compares loaded bools (0/1) and bool literals (true/false) unequal.
  if (v !== undefined && arg?.kind === 'relax.Constant' && arg.dtype !== 'bool') {
    const value = lit(v, arg.dtype);
    return { at: () => value };
  }
  const t = ctx.input(i, name);
  return { input: t, at: (idx) => broadcastLoad(t, idx) };
}

/** `out[i] = fn(operands at i)` over the call's output shape; block `T_<name>`. */
export function elementwise(ctx: LegalizeCtx, name: string, ops: readonly Operand[], fn: (xs: PrimExpr[], dtype: string) => PrimExpr): LegalizedKernel {
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...i: TirVar[]) => fn(ops.map((o) => o.at(i)), dtype), `T_${name}`, { dtype });
  return { name, inputs: ops.flatMap((o) => (o.input ? [o.input] : [])), outputs: [out] };
}

function register(op: string, fn: BinaryFn): void {
  registerLegalize(`relax.${op}`, (ctx) =>
    elementwise(ctx, op, [operand(ctx, 0, 'A'), operand(ctx, 1, 'B')], ([a, b], dt) => fn(a!, b!, dt)));
}

const isFloatExpr = (x: PrimExpr): boolean => isFloatDtype(primDtype(x));
const plain = (op: BinaryOp): BinaryFn => (a, b) => binary(op, a, b);

register('add', plain('add'));
register('subtract', plain('sub'));
register('multiply', plain('mul'));
register('divide', plain('div'));
register('mod', plain('mod'));
register('maximum', plain('max'));
register('minimum', plain('min'));
register('floor_divide', (a, b) => (isFloatExpr(a) ? intrin('floor', [binary('div', a, b)], primDtype(a)) : binary('floordiv', a, b)));
register('floor_mod', (a, b) =>
  isFloatExpr(a) ? binary('sub', a, binary('mul', intrin('floor', [binary('div', a, b)], primDtype(a)), b)) : binary('floormod', a, b));
register('power', (a, b) => intrin('pow', [a, b], primDtype(a)));
register('atan2', (a, b) => intrin('atan2', [a, b], primDtype(a)));
register('log_add_exp', (a, b) => {
  const dt = primDtype(a);
  const m = binary('max', a, b);
  const e = (x: PrimExpr): PrimExpr => intrin('exp', [binary('sub', x, m)], dt);
  return binary('add', m, intrin('log', [binary('add', e(a), e(b))], dt));
});

register('equal', plain('eq'));
register('not_equal', plain('ne'));
register('greater', plain('gt'));
register('greater_equal', plain('ge'));
register('less', plain('lt'));
register('less_equal', plain('le'));

register('logical_and', (a, b, dt) => castTo(binary('and', truthy(a), truthy(b)), dt));
register('logical_or', (a, b, dt) => castTo(binary('or', truthy(a), truthy(b)), dt));
register('logical_xor', (a, b, dt) => castTo(binary('ne', truthy(a), truthy(b)), dt));

/** Bitwise ops on bools are the logical ones (C's `&` on 0/1). */
const bitwise = (call: string, logic: BinaryOp): BinaryFn => (a, b, dt) =>
  dt === 'bool' ? binary(logic, a, b) : intrin(call, [a, b], dt);
register('bitwise_and', bitwise('bitwise_and', 'and'));
register('bitwise_or', bitwise('bitwise_or', 'or'));
register('bitwise_xor', bitwise('bitwise_xor', 'ne'));
register('left_shift', (a, b, dt) => intrin('shift_left', [a, b], dt));
register('right_shift', (a, b, dt) => intrin('shift_right', [a, b], dt));

/** where(c, x1, x2): a select under three-way broadcasting; the condition is tested for non-zero. */
registerLegalize('relax.where', (ctx) =>
  elementwise(ctx, 'where', [operand(ctx, 0, 'A'), operand(ctx, 1, 'B'), operand(ctx, 2, 'C')], ([c, x, y], dt) =>
    sel(truthy(c!), castTo(x!, dt), castTo(y!, dt))));

/** ewise_fma(x1, x2, x3) = x1 * x2 + x3 (same shapes). TVM has no legalization for it; this makes it runnable. */
registerLegalize('relax.ewise_fma', (ctx) =>
  elementwise(ctx, 'ewise_fma', [operand(ctx, 0, 'A'), operand(ctx, 1, 'B'), operand(ctx, 2, 'C')], ([a, b, c]) =>
    binary('add', binary('mul', a!, b!), c!)));
