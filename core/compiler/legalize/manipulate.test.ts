import { describe, expect, it } from 'vitest';
import type { OpCase, ParamSpec, RefTensor } from './op-testing.js';
import { checkOp, compare, kernelsOf, legalizeText, moduleText, randomRef, ref, rng, roundTripProblem } from './op-testing.js';
import { PENDING_PASSES } from '../pipeline.js';
import { build as buildModule } from '../build.js';
import { parse } from '../../ir/parser/index.js';
import type { RelaxFunction } from '../../ir/relax/nodes.js';
import { tensorDims } from '../../ir/relax/nodes.js';
import type { PrimFunc } from '../../ir/tir/nodes.js';
import { attrGet } from '../../ir/attrs.js';
import { evaluate } from '../../ir/arith/testing.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import { VirtualMachine } from '../../vm/vm.js';

// ---------------------------------------------------------------- reference helpers (plain loops)

function at(t: RefTensor, ix: readonly number[]): number {
  let f = 0;
  t.shape.forEach((d, i) => (f = f * d + ix[i]!));
  return t.data[f]!;
}
function build(shape: readonly number[], dtype: string, fn: (ix: number[]) => number): RefTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let f = 0; f < n; f++) {
    const ix: number[] = [];
    let r = f;
    for (let i = shape.length - 1; i >= 0; i--) {
      ix[i] = r % shape[i]!;
      r = Math.floor(r / shape[i]!);
    }
    data.push(fn(ix));
  }
  return ref(shape, dtype, data);
}
const reshaped = (x: RefTensor, shape: number[]): RefTensor => ({ ...x, shape });

const f32 = (name: string, shape: (number | string)[]): ParamSpec => ({ name, shape, dtype: 'float32' });

async function both(c: OpCase): Promise<void> {
  expect(await checkOp(c)).toEqual([]);
}

/** Checks that a one-op module's kernel carries the reshape tag for RewriteDataflowReshape. */
function expectReshapeTag(call: string, params: readonly ParamSpec[], kernel: string): void {
  const k = kernelsOf(legalizeText(moduleText(call, params))).get(kernel);
  expect(k, `kernel ${kernel}`).toBeDefined();
  expect(attrGet(k!.attrs, 'relax_studio.reshape')).toBe(true);
}

/** Tuple results: run the one kernel with an output per field, then build + VirtualMachine; compare every field. */
async function checkTuple(call: string, params: readonly ParamSpec[], want: (xs: readonly RefTensor[]) => RefTensor[], kernel: string): Promise<void> {
  const text = moduleText(call, params);
  const mod = legalizeText(text);
  expect(roundTripProblem(mod)).toBeUndefined();
  const c = (mod.functions.get('main') as RelaxFunction).body.blocks[0]!.bindings[0]!.value;
  if (c.kind !== 'relax.Call' || c.args[0]?.kind !== 'relax.GlobalVar') throw new Error('expected a call_tir');
  expect(c.args[0].name).toBe(kernel);
  const compiled = new JsKernelBackend().compile(kernel, mod.functions.get(kernel) as PrimFunc);
  const r = rng(7);
  for (const n of [1, 3, 17]) {
    const refs = params.map((p) => randomRef(r, p.shape.map((d) => (typeof d === 'string' ? n : d)), p.dtype, p.gen));
    const inputs = refs.map((t) => Tensor.from(t.shape, t.dtype, t.data));
    const sym = new Map<string, number>([['n', n]]);
    const outs = c.sinfoArgs.map((si) => new Tensor(tensorDims(si)!.map((d) => evaluate(d, sym)), si.kind === 'si.Tensor' ? si.dtype : ''));
    compiled.run([...inputs, ...outs]);
    const expected = want(refs);
    outs.forEach((o, i) => expect(compare(o, expected[i]!), `${call} field ${i} at n=${n}`).toBeUndefined());
    const staticText = moduleText(call, params.map((p) => ({ ...p, shape: p.shape.map((d) => (typeof d === 'string' ? n : d)) })));
    const { exec } = buildModule(parse(PENDING_PASSES.has('VMShapeLower') ? staticText : text).module!);
    const got = await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', inputs);
    if (!Array.isArray(got)) throw new Error('expected a tuple from the VM');
    (got as Tensor[]).forEach((o, i) => expect(compare(o, expected[i]!), `${call} (vm) field ${i} at n=${n}`).toBeUndefined());
  }
}

// ---------------------------------------------------------------- tests

describe('manipulate legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  describe('reshape family (copy kernels tagged for RewriteDataflowReshape)', () => {
    it('reshape with a symbolic target and with -1', async () => {
      await both({ call: 'R.reshape(x, R.shape([n * 2, 6]))', params: [f32('x', ['n', 4, 3])], ref: ([x]) => reshaped(x!, [x!.shape[0]! * 2, 6]), kernel: 'reshape' });
      await both({ call: 'R.reshape(x, R.shape([3, -1]))', params: [f32('x', [2, 'n', 3])], ref: ([x]) => reshaped(x!, [3, 2 * x!.shape[1]!]) });
      await both({ call: 'R.reshape(x, R.shape([n, 2, 2]))', params: [f32('x', ['n', 4])], ref: ([x]) => reshaped(x!, [x!.shape[0]!, 2, 2]) });
      expectReshapeTag('R.reshape(x, R.shape([n * 2, 6]))', [f32('x', ['n', 4, 3])], 'reshape');
    });
    it('flatten', async () => {
      await both({ call: 'R.flatten(x)', params: [f32('x', ['n', 2, 3])], ref: ([x]) => reshaped(x!, [x!.data.length]), kernel: 'reshape' });
      expectReshapeTag('R.flatten(x)', [f32('x', ['n', 2, 3])], 'reshape');
    });
    it('expand_dims (several and negative axes)', async () => {
      await both({ call: 'R.expand_dims(x, axis=[0, -1])', params: [f32('x', ['n', 3])], ref: ([x]) => reshaped(x!, [1, x!.shape[0]!, 3, 1]), kernel: 'expand_dims' });
      expectReshapeTag('R.expand_dims(x, axis=[1])', [f32('x', ['n', 3])], 'expand_dims');
    });
    it('squeeze (given axes and all unit dims)', async () => {
      await both({ call: 'R.squeeze(x, axis=[1])', params: [f32('x', ['n', 1, 3, 1])], ref: ([x]) => reshaped(x!, [x!.shape[0]!, 3, 1]), kernel: 'squeeze' });
      await both({ call: 'R.squeeze(x)', params: [f32('x', [1, 4, 1, 3])], ref: ([x]) => reshaped(x!, [4, 3]), sizes: [1] });
      expectReshapeTag('R.squeeze(x, axis=[1])', [f32('x', ['n', 1, 3])], 'squeeze');
    });
  });

  it('permute_dims (given axes and reversed)', async () => {
    await both({
      call: 'R.permute_dims(x, axes=[1, 2, 0])', params: [f32('x', ['n', 2, 3])], kernel: 'transpose',
      ref: ([x]) => build([2, 3, x!.shape[0]!], 'float32', ([a, b, c]) => at(x!, [c!, a!, b!])),
    });
    await both({ call: 'R.permute_dims(x)', params: [f32('x', ['n', 4])], ref: ([x]) => build([4, x!.shape[0]!], 'float32', ([a, b]) => at(x!, [b!, a!])) });
  });

  it('concat along a symbolic axis, a middle axis, and flattened (axis=None)', async () => {
    await both({
      call: 'R.concat((a, b, c), axis=0)', params: [f32('a', ['n', 2]), f32('b', [3, 2]), f32('c', ['n', 2])], kernel: 'concatenate',
      ref: ([a, b, c]) => ref([a!.shape[0]! * 2 + 3, 2], 'float32', [...a!.data, ...b!.data, ...c!.data]),
    });
    await both({
      call: 'R.concat((a, b), axis=-1)', params: [f32('a', ['n', 2]), f32('b', ['n', 3])],
      ref: ([a, b]) => build([a!.shape[0]!, 5], 'float32', ([i, j]) => (j! < 2 ? at(a!, [i!, j!]) : at(b!, [i!, j! - 2]))),
    });
    await both({ call: 'R.concat((a, b), axis=None)', params: [f32('a', ['n', 2]), f32('b', [3, 1])], ref: ([a, b]) => ref([a!.data.length + 3], 'float32', [...a!.data, ...b!.data]) });
  });

  it('split into sections (uneven) and at indices: one kernel, one output per piece', async () => {
    const slice = (x: RefTensor, axis: number, lo: number, hi: number): RefTensor => {
      const shape = x.shape.map((d, i) => (i === axis ? hi - lo : d));
      return build(shape, 'float32', (ix) => at(x, ix.map((v, i) => (i === axis ? v + lo : v))));
    };
    await checkTuple('R.split(x, indices_or_sections=3, axis=1)', [f32('x', ['n', 7])], ([x]) => [slice(x!, 1, 0, 3), slice(x!, 1, 3, 6), slice(x!, 1, 6, 7)], 'split');
    await checkTuple('R.split(x, indices_or_sections=[1, 4], axis=0)', [f32('x', [6, 'n'])], ([x]) => [slice(x!, 0, 0, 1), slice(x!, 0, 1, 4), slice(x!, 0, 4, 6)], 'split');
  });

  it('stack along the first and last axes', async () => {
    await both({ call: 'R.stack((a, b), axis=0)', params: [f32('a', ['n', 2]), f32('b', ['n', 2])], ref: ([a, b]) => ref([2, a!.shape[0]!, 2], 'float32', [...a!.data, ...b!.data]), kernel: 'stack' });
    await both({
      call: 'R.stack((a, b, c), axis=-1)', params: [f32('a', ['n']), f32('b', ['n']), f32('c', ['n'])],
      ref: (xs) => build([xs[0]!.shape[0]!, 3], 'float32', ([i, k]) => xs[k!]!.data[i!]!),
    });
  });

  it('broadcast_to', () =>
    both({
      call: 'R.broadcast_to(x, R.shape([2, 4, 3]))', params: [f32('x', [1, 3])], kernel: 'broadcast_to',
      ref: ([x]) => build([2, 4, 3], 'float32', ([, , k]) => x!.data[k!]!), sizes: [1],
    }));

  it('broadcast_to with a symbolic target', () =>
    both({ call: 'R.broadcast_to(x, R.shape([n, 3]))', params: [f32('x', ['n', 1])], ref: ([x]) => build([x!.shape[0]!, 3], 'float32', ([i]) => x!.data[i!]!) }));

  it('tile (repeats longer than the rank) and repeat (with and without axis)', async () => {
    await both({
      call: 'R.tile(x, repeats=[2, 1, 3])', params: [f32('x', ['n', 2])], kernel: 'tile',
      ref: ([x]) => build([2, x!.shape[0]!, 6], 'float32', ([, i, j]) => at(x!, [i!, j! % 2])),
    });
    await both({
      call: 'R.repeat(x, repeats=2, axis=1)', params: [f32('x', ['n', 3])], kernel: 'repeat',
      ref: ([x]) => build([x!.shape[0]!, 6], 'float32', ([i, j]) => at(x!, [i!, Math.floor(j! / 2)])),
    });
    await both({ call: 'R.repeat(x, repeats=3)', params: [f32('x', ['n', 2])], ref: ([x]) => ref([x!.data.length * 3], 'float32', x!.data.flatMap((v) => [v, v, v])) });
  });
});

describe('flip / one_hot', () => {
  it('flip reverses one axis (symbolic or static)', async () => {
    await both({ call: 'R.flip(x, axis=0)', params: [f32('x', ['n', 3])], ref: ([x]) => build(x!.shape, 'float32', ([i, j]) => at(x!, [x!.shape[0]! - 1 - i!, j!])), kernel: 'flip' });
    await both({ call: 'R.flip(x, axis=-1)', params: [f32('x', [2, 'n'])], ref: ([x]) => build(x!.shape, 'float32', ([i, j]) => at(x!, [i!, x!.shape[1]! - 1 - j!])) });
  });

  it('one_hot puts on_value where the index matches, on a new axis', async () => {
    const idx: ParamSpec = { name: 'x', shape: ['n'], dtype: 'int32', gen: [-1, 5] };
    await both({
      call: 'R.one_hot(x, R.prim_value(T.float32(1.0)), R.prim_value(T.float32(0.0)), depth=4)', params: [idx], kernel: 'one_hot',
      ref: ([x]) => build([x!.data.length, 4], 'float32', ([i, j]) => (at(x!, [i!]) === j ? 1 : 0)),
    });
    await both({
      call: 'R.one_hot(x, R.prim_value(T.int32(7)), R.prim_value(T.int32(-1)), depth=3, axis=0)', params: [idx],
      ref: ([x]) => build([3, x!.data.length], 'int32', ([j, i]) => (at(x!, [i!]) === j ? 7 : -1)),
    });
  });
});
