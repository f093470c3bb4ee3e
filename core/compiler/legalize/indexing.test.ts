import { describe, it } from 'vitest';
import type { ParamSpec, RefTensor } from './op-testing.js';
import { at, build, expectOp, f32 } from './op-testing.js';

const idx = (name: string, shape: (number | string)[], lo: number, hi: number, dtype = 'int64'): ParamSpec => ({ name, shape, dtype, gen: [lo, hi] });

/** NumPy take along `axis` (indices already in range after `fix`). */
function refTake(x: RefTensor, ind: RefTensor, axis: number, fix: (i: number, d: number) => number = (i) => i): RefTensor {
  const shape = [...x.shape.slice(0, axis), ...ind.shape, ...x.shape.slice(axis + 1)];
  const k = ind.shape.length;
  return build(shape, x.dtype, (ix) => {
    const i = fix(at(ind, ix.slice(axis, axis + k)), x.shape[axis]!);
    return at(x, [...ix.slice(0, axis), i, ...ix.slice(axis + k)]);
  });
}

/** Python slicing x[b:e:s] along each listed axis. */
function refSlice(x: RefTensor, axes: number[], begin: number[], end: number[], strides: number[]): RefTensor {
  const picks = x.shape.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((a, k) => {
    const d = x.shape[a]!;
    const s = strides[k]!;
    const norm = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const [b, e] = s > 0 ? [norm(begin[k]!, 0, d), norm(end[k]!, 0, d)] : [norm(begin[k]!, -1, d - 1), norm(end[k]!, -1, d - 1)];
    const out: number[] = [];
    for (let i = b; s > 0 ? i < e : i > e; i += s) out.push(i);
    picks[a] = out;
  });
  return build(picks.map((p) => p.length), x.dtype, (ix) => at(x, ix.map((v, i) => picks[i]![v]!)));
}

const pv = (vs: (number | string)[]): string => `(${vs.map((v) => `R.prim_value(${v})`).join(', ')},)`;

describe('indexing legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  describe('take', () => {
    it('along an axis with int64 and int32 index tensors', async () => {
      await expectOp({ call: 'R.take(x, i, axis=1)', params: [f32('x', ['n', 5]), idx('i', [2, 3], 0, 5)], ref: ([x, i]) => refTake(x!, i!, 1), kernel: 'take' });
      await expectOp({ call: 'R.take(x, i, axis=0)', params: [f32('x', [7, 3]), idx('i', ['n'], 0, 7, 'int32')], ref: ([x, i]) => refTake(x!, i!, 0) });
    });
    it('without an axis on a 1-D input (embedding-style lookup)', () =>
      expectOp({ call: 'R.take(x, i)', params: [f32('x', [9]), idx('i', ['n', 2], 0, 9)], ref: ([x, i]) => refTake(x!, i!, 0) }));
    it('clip and wrap modes', async () => {
      await expectOp({ call: 'R.take(x, i, axis=1, mode="clip")', params: [f32('x', ['n', 4]), idx('i', [5], -3, 8)], ref: ([x, i]) => refTake(x!, i!, 1, (v, d) => Math.min(Math.max(v, 0), d - 1)) });
      await expectOp({ call: 'R.take(x, i, axis=1, mode="wrap")', params: [f32('x', ['n', 4]), idx('i', [5], -9, 9)], ref: ([x, i]) => refTake(x!, i!, 1, (v, d) => ((v % d) + d) % d) });
    });
    it('a PrimValue index drops the axis', () =>
      expectOp({ call: 'R.take(x, R.prim_value(2), axis=1)', params: [f32('x', ['n', 4, 3])], ref: ([x]) => build([x!.shape[0]!, 3], 'float32', ([a, b]) => at(x!, [a!, 2, b!])) }));
  });

  describe('strided_slice', () => {
    const cases: [string, number[], number[], number[], number[] | undefined][] = [
      ['basic', [1], [1], [3], undefined],
      ['negative begin, end past the extent', [0, 1], [-2, 1], [100, -1], undefined],
      ['strides', [0, 1], [0, 1], [9, 6], [2, 3]],
      ['negative stride', [1], [-1], [-100], [-2]],
      ['negative axis and stride to the start', [-1], [4], [0], [-1]],
    ];
    for (const [name, axes, begin, end, strides] of cases) {
      it(name, () =>
        expectOp({
          call: `R.strided_slice(x, ${pv(axes)}, ${pv(begin)}, ${pv(end)}${strides ? `, ${pv(strides)}` : ''})`,
          params: [f32('x', ['n', 6])], kernel: 'strided_slice',
          ref: ([x]) => refSlice(x!, axes.map((a) => (a < 0 ? a + 2 : a)), begin, end, strides ?? axes.map(() => 1)),
        }));
    }
    it('symbolic bounds: end = n, begin = n', async () => {
      await expectOp({
        call: `R.strided_slice(x, ${pv([1])}, ${pv([1])}, ${pv(['n'])})`, params: [f32('x', [3, 'n'])], sizes: [1, 3, 17],
        ref: ([x]) => refSlice(x!, [1], [1], [x!.shape[1]!], [1]),
      });
      await expectOp({
        call: `R.strided_slice(x, ${pv([1])}, ${pv(['n'])}, ${pv([8])})`, params: [f32('x', ['n', 8])], sizes: [1, 3, 7],
        ref: ([x]) => refSlice(x!, [1], [x!.shape[0]!], [8], [1]),
      });
    });
  });

  it('gather_elements along each axis (negative indices count from the end)', async () => {
    const refGather = (x: RefTensor, i: RefTensor, axis: number): RefTensor =>
      build(i.shape, x.dtype, (ix) => {
        const v = at(i, ix);
        return at(x, ix.map((q, k) => (k === axis ? (v < 0 ? v + x.shape[axis]! : v) : q)));
      });
    await expectOp({ call: 'R.gather_elements(x, i, axis=1)', params: [f32('x', ['n', 3]), idx('i', ['n', 5], -3, 3)], ref: ([x, i]) => refGather(x!, i!, 1), kernel: 'gather' });
    await expectOp({ call: 'R.gather_elements(x, i, axis=0)', params: [f32('x', [4, 'n']), idx('i', [2, 'n'], 0, 4, 'int32')], ref: ([x, i]) => refGather(x!, i!, 0) });
  });
});
