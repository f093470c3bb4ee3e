/**
 * Helpers shared by the legalizers: NumPy broadcasting loads, and templates for element-wise unary and binary ops.
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { intImm } from '../../ir/tir/nodes.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import type { TeTensor } from './te.js';
import { compute, load } from './te.js';

/**
 * Loads `t` at the output position `idx` under NumPy broadcasting: t's dims align to the right of the output's;
 * a dim of extent 1 reads index 0.
 */
export function broadcastLoad(t: TeTensor, idx: readonly PrimExpr[]): PrimExpr {
  const off = idx.length - t.shape.length;
  const ix = t.shape.map((d, i) => (d.kind === 'tir.IntImm' && d.value === 1 ? intImm(0) : idx[off + i]!));
  return load(t, ix);
}

/** `out[i] = fn(x[i])` over the call's output shape. */
export function unaryKernel(ctx: LegalizeCtx, name: string, fn: (x: PrimExpr, dtype: string) => PrimExpr): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...i: TirVar[]) => fn(broadcastLoad(x, i), dtype), `compute`, { dtype });
  return { name, inputs: [x], outputs: [out] };
}

/** `out[i] = fn(a[i], b[i])` with broadcasting over the call's output shape. */
export function binaryKernel(
  ctx: LegalizeCtx,
  name: string,
  fn: (a: PrimExpr, b: PrimExpr, dtype: string) => PrimExpr,
  outName = `T_${name}`,
): LegalizedKernel {
  const a = ctx.input(0, 'A');
  const b = ctx.input(1, 'B');
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...i: TirVar[]) => fn(broadcastLoad(a, i), broadcastLoad(b, i), dtype), outName, { dtype });
  return { name, inputs: [a, b], outputs: [out] };
}
