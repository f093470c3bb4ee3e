/**
 * Legalization of the dtype ops (`R.astype`, `R.wrap_param`) as TOPI's `cast`: one element-wise `T.Cast` kernel
 * named "cast" (block "compute"). Also the small dtype helpers the other element-wise legalizers share: typed
 * literals (`lit`), casts that fold on constants (`castTo`), intrinsic calls (`intrin`) and scalar-constant baking
 * (`scalarConst`), so that TVM's "a scalar constant operand becomes a literal in the kernel" rule lives in one place.
 *
 * Preconditions: struct info inferred (the output dtype is the call's). Float-to-int casts truncate, as C does.
 */
import type { Expr } from '../../ir/relax/nodes.js';
import type { PrimExpr } from '../../ir/tir/nodes.js';
import { boolImm, floatImm, intImm, isFloatDtype, primDtype } from '../../ir/tir/nodes.js';
import { unaryKernel } from './common.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';

/** A literal of `dtype`: `T.float32(v)`, `T.int64(v)`, `T.bool(v)`; ints truncate toward zero. */
export function lit(v: number | boolean, dtype: string): PrimExpr {
  const n = typeof v === 'boolean' ? Number(v) : v;
  if (dtype === 'bool') return boolImm(n !== 0);
  if (isFloatDtype(dtype)) return floatImm(n, dtype);
  return intImm(Math.trunc(n), dtype);
}

/** `e` as `dtype`: unchanged when it already is, a literal when it is a constant, else a `T.Cast`. */
export function castTo(e: PrimExpr, dtype: string): PrimExpr {
  if (primDtype(e) === dtype) return e;
  if (e.kind === 'tir.IntImm' || e.kind === 'tir.FloatImm') return lit(e.value, dtype);
  return { kind: 'tir.Cast', dtype, value: e };
}

/** An intrinsic call `T.<op>(args...)` of result type `dtype`. */
export function intrin(op: string, args: readonly PrimExpr[], dtype: string): PrimExpr {
  return { kind: 'tir.Call', op, args, dtype };
}

/** The value of a scalar (0-d) constant argument with its data in the text, else undefined. */
export function scalarConst(arg: Expr | undefined): number | boolean | undefined {
  if (arg?.kind !== 'relax.Constant' || !arg.data || arg.data.length !== 1) return undefined;
  if (arg.shape && arg.shape.length !== 0) return undefined;
  return arg.data[0];
}

function castKernel(ctx: LegalizeCtx): LegalizedKernel {
  return unaryKernel(ctx, 'cast', (x, dtype) => castTo(x, dtype));
}

registerLegalize('relax.astype', castKernel);
registerLegalize('relax.wrap_param', castKernel);
