/**
 * The `relax.run.*` packed functions that LegalizeOps emits for ops with TVM's `FCallPacked` attribute:
 *   relax.run.print(format, *values)                -> `R.print(*values, format=...)`
 *   relax.run.assert_op(condition, format, *values) -> `R.assert_op(condition, values, format=...)`
 *   relax.run.shape_to_tensor(shape)               -> `R.shape_to_tensor(shape)`: a 1-D int64 tensor
 *   relax.run.unique(x, sorted, return_index, return_inverse, return_counts, axis)
 *                                                  -> the unique values of x (flattened; axis must be None or 0 of
 *                                                     a 1-D x), sorted, or in first-occurrence order: TVM's runtime
 *                                                     returns the values only, whatever the return_* flags
 *   relax.run.nonzero(x)                           -> int64 (ndim, count) indices of the non-zero elements (NumPy's)
 * Printing goes through the VM's `print` hook (VMOptions.print); with no hook the text is dropped (core has no
 * console). A failing assertion throws an `AssertionFailure`, which the VM reports as a VMRuntimeError naming the
 * function and the node, with the formatted message ("Assertion Failed" when it is empty, as TVM does).
 * Registered on import by vm.ts.
 */
import { registerBuiltin, kindOf } from './builtins.js';
import { pyFormat } from './format.js';
import { Tensor } from './tensor.js';
import { ShapeTuple } from './value.js';
import type { Value } from './value.js';

/** A false `R.assert_op` condition; its message is the formatted text. */
export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailure';
  }
}

function formatArg(v: Value | undefined, fn: string): string {
  if (typeof v === 'string') return v;
  throw new Error(`${fn} expects the format string first, but got ${kindOf(v ?? null)}`);
}

/** The truth of an assert condition: a scalar (or one-element) tensor, or a prim value. */
function conditionValue(c: Value | undefined): boolean {
  if (c instanceof Tensor) {
    if (c.size !== 1) throw new Error(`relax.run.assert_op expects a scalar condition, but got a tensor ${c.describe()}`);
    return c.data[0] !== 0;
  }
  if (typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint') return Boolean(c);
  throw new Error(`relax.run.assert_op expects a boolean tensor condition, but got ${kindOf(c ?? null)}`);
}

registerBuiltin('relax.run.print', (ctx, [fmt, ...values]) => {
  ctx.print(pyFormat(formatArg(fmt, 'relax.run.print'), values));
  return null;
});

registerBuiltin('relax.run.assert_op', (_ctx, [cond, fmt, ...values]) => {
  const format = formatArg(fmt, 'relax.run.assert_op');
  if (conditionValue(cond)) return null;
  const msg = pyFormat(format, values);
  throw new AssertionFailure(msg === '' ? 'Assertion Failed' : msg);
});

registerBuiltin('relax.run.shape_to_tensor', (_ctx, [s]) => {
  if (!(s instanceof ShapeTuple)) throw new Error(`relax.run.shape_to_tensor expects a shape, but got ${kindOf(s ?? null)}`);
  return Tensor.from([s.dims.length], 'int64', s.dims);
});

/** A boolean flag argument (a prim value, a 0-d tensor, or absent: `fallback`). */
function flagArg(v: Value | undefined, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (v instanceof Tensor) return v.data[0] !== 0;
  return Boolean(v);
}

registerBuiltin('relax.run.unique', (_ctx, [x, sorted, , , , axis]) => {
  if (!(x instanceof Tensor)) throw new Error(`relax.run.unique expects a tensor, but got ${kindOf(x ?? null)}`);
  if (axis !== undefined && axis !== null && !(x.ndim === 1 && Number(axis) === 0))
    throw new Error(`relax.run.unique supports axis=None (or 0 of a 1-D tensor), but got axis=${String(axis)} for ${x.describe()}`);
  const seen = new Set<number>();
  const first: number[] = [];
  for (const v of x.data) {
    if (seen.has(v)) continue;
    seen.add(v);
    first.push(v);
  }
  if (flagArg(sorted, true)) first.sort((a, b) => a - b);
  return Tensor.from([first.length], x.dtype, first);
});

registerBuiltin('relax.run.nonzero', (_ctx, [x]) => {
  if (!(x instanceof Tensor)) throw new Error(`relax.run.nonzero expects a tensor, but got ${kindOf(x ?? null)}`);
  const hits: number[] = [];
  x.data.forEach((v, i) => v !== 0 && hits.push(i));
  const rank = Math.max(1, x.ndim);
  const out = new Array<number>(rank * hits.length);
  hits.forEach((flat, j) => {
    let f = flat;
    for (let d = x.ndim - 1; d >= 0; d--) {
      out[d * hits.length + j] = f % x.shape[d]!;
      f = Math.floor(f / x.shape[d]!);
    }
    if (x.ndim === 0) out[j] = 0;
  });
  return Tensor.from([rank, hits.length], 'int64', out);
});
