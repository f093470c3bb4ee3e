import { describe, expect, it } from 'vitest';
import type { ParamSpec, RefTensor } from './op-testing.js';
import { expectOp, kernelsOf, legalizeText, moduleText, ref, refMap } from './op-testing.js';

const x = (shape: (number | string)[] = ['n', 3], dtype = 'float32'): ParamSpec[] => [{ name: 'x', shape, dtype }];

/** A filled tensor shaped like the first input (after `dims` maps its shape). */
const filled = (dtype: string, v: number, dims: (s: readonly number[]) => number[] = (s) => [...s]) =>
  ([a]: readonly RefTensor[]): RefTensor => {
    const shape = dims(a!.shape);
    return ref(shape, dtype, new Array<number>(shape.reduce((p, d) => p * d, 1)).fill(v));
  };

/** numpy.tril / numpy.triu over the last two axes. */
function trilu(a: RefTensor, k: number, upper: boolean): RefTensor {
  const rows = a.shape[a.shape.length - 2]!;
  const cols = a.shape[a.shape.length - 1]!;
  return ref(a.shape, a.dtype, a.data.map((v, f) => {
    const j = f % cols;
    const i = Math.floor(f / cols) % rows;
    return (upper ? j - i >= k : j - i <= k) ? v : 0;
  }));
}

describe('creation legalization (n = 1, 3, 17)', () => {
  it('zeros / ones / full over a symbolic shape', async () => {
    await expectOp({ call: 'R.zeros(R.shape([n, 3]), dtype="float32")', params: x(), ref: filled('float32', 0), kernel: 'zeros' });
    await expectOp({ call: 'R.ones(R.shape([n, 3]), dtype="int32")', params: x(), ref: filled('int32', 1), kernel: 'ones' });
    await expectOp({ call: 'R.full(R.shape([2, n]), R.const(1.5, "float32"), dtype="float32")', params: x(), ref: filled('float32', 1.5, (s) => [2, s[0]!]), kernel: 'full' });
    await expectOp({ call: 'R.full(R.shape([n]), R.const(7, "int32"), dtype="int64")', params: x(), ref: filled('int64', 7, (s) => [s[0]!]) });
  });

  it('full with a non-constant fill value reads it from a 0-d input', () =>
    expectOp({
      call: 'R.full(R.shape([n, 2]), v, dtype="float32")', params: [...x(), { name: 'v', shape: [], dtype: 'float32' }],
      ref: ([a, v]) => ref([a!.shape[0]!, 2], 'float32', new Array<number>(a!.shape[0]! * 2).fill(v!.data[0]!)),
    }));

  it('zeros_like / ones_like / full_like do not read their input', async () => {
    await expectOp({ call: 'R.zeros_like(x)', params: x(), ref: filled('float32', 0), kernel: 'zeros' });
    await expectOp({ call: 'R.ones_like(x, dtype="int32")', params: x(), ref: filled('int32', 1), kernel: 'ones' });
    await expectOp({ call: 'R.full_like(x, R.const(3.25, "float32"))', params: x(), ref: filled('float32', 3.25), kernel: 'full' });
    const mod = legalizeText(moduleText('R.zeros_like(x)', x()));
    expect(kernelsOf(mod).get('zeros')!.params).toHaveLength(1);
  });

  it('arange with constant and symbolic bounds, int and float', async () => {
    const range = (start: number, end: number, step: number, dtype: string): RefTensor => {
      const len = Math.max(0, Math.ceil((end - start) / step));
      return ref([len], dtype, Array.from({ length: len }, (_, i) => start + step * i));
    };
    await expectOp({ call: 'R.arange(0, n, 2)', params: x(), ref: ([a]) => range(0, a!.shape[0]!, 2, 'int64'), kernel: 'arange' });
    await expectOp({ call: 'R.arange(n)', params: x(), ref: ([a]) => range(0, a!.shape[0]!, 1, 'int64') });
    await expectOp({ call: 'R.arange(1, 10, 3, dtype="int32")', params: x(), ref: () => range(1, 10, 3, 'int32') });
    await expectOp({ call: 'R.arange(0.5, 4.0, 0.5)', params: x(), ref: () => range(0.5, 4, 0.5, 'float32') });
    await expectOp({ call: 'R.arange(0, 5, 1, dtype="float32")', params: x(), ref: () => range(0, 5, 1, 'float32') });
  });

  it('tril / triu with k = 0, positive and negative, batched', async () => {
    for (const k of [0, 1, -1, 2]) {
      await expectOp({ call: `R.tril(x, ${k})`, params: x(['n', 4]), ref: ([a]) => trilu(a!, k, false), kernel: 'tril' });
      await expectOp({ call: `R.triu(x, ${k})`, params: x([2, 'n', 'n']), ref: ([a]) => trilu(a!, k, true), kernel: 'triu' });
    }
    await expectOp({ call: 'R.triu(x)', params: x(['n', 5], 'int32'), ref: ([a]) => trilu(a!, 0, true) });
  });

  it('eye / eye_like put ones on the k-th diagonal', async () => {
    const diag = (a: RefTensor, k: number): RefTensor => refMap(a.dtype, [trilu(trilu(a, k, true), k, false)], (v) => v);
    await expectOp({ call: 'R.eye_like(x, 1)', params: x(['n', 4]), ref: ([a]) => diag(filled('float32', 1)([a!]), 1), kernel: 'eye' });
    await expectOp({ call: 'R.eye(n, 4, -1, dtype="int32")', params: x(), ref: ([a]) => diag(filled('int32', 1, (s) => [s[0]!, 4])([a!]), -1) });
  });
});
