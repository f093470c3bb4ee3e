import { describe, expect, it } from 'vitest';
import type { ParamSpec, RefTensor } from './op-testing.js';
import { at, build, expectOp, f32, kernelsOf, legalizeText, moduleText, ref } from './op-testing.js';
import { attrGet } from '../../ir/attrs.js';

const reshaped = (x: RefTensor, shape: number[]): RefTensor => ({ ...x, shape });

/** Checks that a one-op module's kernel carries the reshape tag for RewriteDataflowReshape. */
function expectReshapeTag(call: string, params: readonly ParamSpec[], kernel: string): void {
  const k = kernelsOf(legalizeText(moduleText(call, params))).get(kernel);
  expect(k, `kernel ${kernel}`).toBeDefined();
  expect(attrGet(k!.attrs, 'relax_studio.reshape')).toBe(true);
}

// ---------------------------------------------------------------- tests

describe('manipulate legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  describe('reshape family (copy kernels tagged for RewriteDataflowReshape)', () => {
    it('reshape with a symbolic target and with -1', async () => {
      await expectOp({ call: 'R.reshape(x, R.shape([n * 2, 6]))', params: [f32('x', ['n', 4, 3])], ref: ([x]) => reshaped(x!, [x!.shape[0]! * 2, 6]), kernel: 'reshape' });
      await expectOp({ call: 'R.reshape(x, R.shape([3, -1]))', params: [f32('x', [2, 'n', 3])], ref: ([x]) => reshaped(x!, [3, 2 * x!.shape[1]!]) });
      await expectOp({ call: 'R.reshape(x, R.shape([n, 2, 2]))', params: [f32('x', ['n', 4])], ref: ([x]) => reshaped(x!, [x!.shape[0]!, 2, 2]) });
      expectReshapeTag('R.reshape(x, R.shape([n * 2, 6]))', [f32('x', ['n', 4, 3])], 'reshape');
    });
    it('flatten', async () => {
      await expectOp({ call: 'R.flatten(x)', params: [f32('x', ['n', 2, 3])], ref: ([x]) => reshaped(x!, [x!.data.length]), kernel: 'reshape' });
      expectReshapeTag('R.flatten(x)', [f32('x', ['n', 2, 3])], 'reshape');
    });
    it('expand_dims (several and negative axes)', async () => {
      await expectOp({ call: 'R.expand_dims(x, axis=[0, -1])', params: [f32('x', ['n', 3])], ref: ([x]) => reshaped(x!, [1, x!.shape[0]!, 3, 1]), kernel: 'expand_dims' });
      expectReshapeTag('R.expand_dims(x, axis=[1])', [f32('x', ['n', 3])], 'expand_dims');
    });
    it('squeeze (given axes and all unit dims)', async () => {
      await expectOp({ call: 'R.squeeze(x, axis=[1])', params: [f32('x', ['n', 1, 3, 1])], ref: ([x]) => reshaped(x!, [x!.shape[0]!, 3, 1]), kernel: 'squeeze' });
      await expectOp({ call: 'R.squeeze(x)', params: [f32('x', [1, 4, 1, 3])], ref: ([x]) => reshaped(x!, [4, 3]), sizes: [1] });
      expectReshapeTag('R.squeeze(x, axis=[1])', [f32('x', ['n', 1, 3])], 'squeeze');
    });
  });

  it('permute_dims (given axes and reversed)', async () => {
    await expectOp({
      call: 'R.permute_dims(x, axes=[1, 2, 0])', params: [f32('x', ['n', 2, 3])], kernel: 'transpose',
      ref: ([x]) => build([2, 3, x!.shape[0]!], 'float32', ([a, b, c]) => at(x!, [c!, a!, b!])),
    });
    await expectOp({ call: 'R.permute_dims(x)', params: [f32('x', ['n', 4])], ref: ([x]) => build([4, x!.shape[0]!], 'float32', ([a, b]) => at(x!, [b!, a!])) });
  });

  it('concat along a symbolic axis, a middle axis, and flattened (axis=None)', async () => {
    await expectOp({
      call: 'R.concat((a, b, c), axis=0)', params: [f32('a', ['n', 2]), f32('b', [3, 2]), f32('c', ['n', 2])], kernel: 'concatenate',
      ref: ([a, b, c]) => ref([a!.shape[0]! * 2 + 3, 2], 'float32', [...a!.data, ...b!.data, ...c!.data]),
    });
    await expectOp({
      call: 'R.concat((a, b), axis=-1)', params: [f32('a', ['n', 2]), f32('b', ['n', 3])],
      ref: ([a, b]) => build([a!.shape[0]!, 5], 'float32', ([i, j]) => (j! < 2 ? at(a!, [i!, j!]) : at(b!, [i!, j! - 2]))),
    });
    await expectOp({ call: 'R.concat((a, b), axis=None)', params: [f32('a', ['n', 2]), f32('b', [3, 1])], ref: ([a, b]) => ref([a!.data.length + 3], 'float32', [...a!.data, ...b!.data]) });
  });

  it('split into sections (uneven) and at indices: one kernel, one output per piece', async () => {
    const slice = (x: RefTensor, axis: number, lo: number, hi: number): RefTensor => {
      const shape = x.shape.map((d, i) => (i === axis ? hi - lo : d));
      return build(shape, 'float32', (ix) => at(x, ix.map((v, i) => (i === axis ? v + lo : v))));
    };
    await expectOp({ call: 'R.split(x, indices_or_sections=3, axis=1)', params: [f32('x', ['n', 7])], ref: ([x]) => [slice(x!, 1, 0, 3), slice(x!, 1, 3, 6), slice(x!, 1, 6, 7)], kernel: 'split', seed: 7 });
    await expectOp({ call: 'R.split(x, indices_or_sections=[1, 4], axis=0)', params: [f32('x', [6, 'n'])], ref: ([x]) => [slice(x!, 0, 0, 1), slice(x!, 0, 1, 4), slice(x!, 0, 4, 6)], kernel: 'split', seed: 7 });
  });

  it('stack along the first and last axes', async () => {
    await expectOp({ call: 'R.stack((a, b), axis=0)', params: [f32('a', ['n', 2]), f32('b', ['n', 2])], ref: ([a, b]) => ref([2, a!.shape[0]!, 2], 'float32', [...a!.data, ...b!.data]), kernel: 'stack' });
    await expectOp({
      call: 'R.stack((a, b, c), axis=-1)', params: [f32('a', ['n']), f32('b', ['n']), f32('c', ['n'])],
      ref: (xs) => build([xs[0]!.shape[0]!, 3], 'float32', ([i, k]) => xs[k!]!.data[i!]!),
    });
  });

  it('broadcast_to', () =>
    expectOp({
      call: 'R.broadcast_to(x, R.shape([2, 4, 3]))', params: [f32('x', [1, 3])], kernel: 'broadcast_to',
      ref: ([x]) => build([2, 4, 3], 'float32', ([, , k]) => x!.data[k!]!), sizes: [1],
    }));

  it('broadcast_to with a symbolic target', () =>
    expectOp({ call: 'R.broadcast_to(x, R.shape([n, 3]))', params: [f32('x', ['n', 1])], ref: ([x]) => build([x!.shape[0]!, 3], 'float32', ([i]) => x!.data[i!]!) }));

  it('tile (repeats longer than the rank) and repeat (with and without axis)', async () => {
    await expectOp({
      call: 'R.tile(x, repeats=[2, 1, 3])', params: [f32('x', ['n', 2])], kernel: 'tile',
      ref: ([x]) => build([2, x!.shape[0]!, 6], 'float32', ([, i, j]) => at(x!, [i!, j! % 2])),
    });
    await expectOp({
      call: 'R.repeat(x, repeats=2, axis=1)', params: [f32('x', ['n', 3])], kernel: 'repeat',
      ref: ([x]) => build([x!.shape[0]!, 6], 'float32', ([i, j]) => at(x!, [i!, Math.floor(j! / 2)])),
    });
    await expectOp({ call: 'R.repeat(x, repeats=3)', params: [f32('x', ['n', 2])], ref: ([x]) => ref([x!.data.length * 3], 'float32', x!.data.flatMap((v) => [v, v, v])) });
  });
});

describe('flip / one_hot', () => {
  it('flip reverses one axis (symbolic or static)', async () => {
    await expectOp({ call: 'R.flip(x, axis=0)', params: [f32('x', ['n', 3])], ref: ([x]) => build(x!.shape, 'float32', ([i, j]) => at(x!, [x!.shape[0]! - 1 - i!, j!])), kernel: 'flip' });
    await expectOp({ call: 'R.flip(x, axis=-1)', params: [f32('x', [2, 'n'])], ref: ([x]) => build(x!.shape, 'float32', ([i, j]) => at(x!, [i!, x!.shape[1]! - 1 - j!])) });
  });

  it('one_hot puts on_value where the index matches, on a new axis', async () => {
    const idx: ParamSpec = { name: 'x', shape: ['n'], dtype: 'int32', gen: [-1, 5] };
    await expectOp({
      call: 'R.one_hot(x, R.prim_value(T.float32(1.0)), R.prim_value(T.float32(0.0)), depth=4)', params: [idx], kernel: 'one_hot',
      ref: ([x]) => build([x!.data.length, 4], 'float32', ([i, j]) => (at(x!, [i!]) === j ? 1 : 0)),
    });
    await expectOp({
      call: 'R.one_hot(x, R.prim_value(T.int32(7)), R.prim_value(T.int32(-1)), depth=3, axis=0)', params: [idx],
      ref: ([x]) => build([3, x!.data.length], 'int32', ([j, i]) => (at(x!, [i!]) === j ? 7 : -1)),
    });
  });
});
