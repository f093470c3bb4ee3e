import { describe, expect, it } from 'vitest';
import { parse } from '../ir/parser/index.js';
import type { RelaxFunction } from '../ir/relax/nodes.js';
import { InputError, makeInputs, makeTensor, seededRandom } from './inputs.js';
import type { ParamSpec } from './inputs.js';
import { Tensor } from './tensor.js';
import { ShapeTuple } from './value.js';

function params(sig: string): ParamSpec[] {
  const text = `@I.ir_module\nclass M:\n    @R.function\n    def main(${sig}):\n        return x\n`;
  const f = parse(text).module!.functions.get('main') as RelaxFunction;
  return f.params.map((p) => ({ name: p.name, sinfo: p.sinfo }));
}

describe('makeInputs', () => {
  it('makes seeded random tensors shaped by struct info with --sym values, reproducibly', () => {
    const ps = params('x: R.Tensor(("n", 4), "float32"), w: R.Tensor((4, "n * 2"), "int32")');
    const a = makeInputs(ps, { sym: { n: 3 }, seed: 5 }) as Tensor[];
    const b = makeInputs(ps, { sym: { n: 3 }, seed: 5 }) as Tensor[];
    expect(a.map((t) => t.describe())).toEqual(['float32[3, 4]', 'int32[4, 6]']);
    expect(Array.from(a[0]!.data)).toEqual(Array.from(b[0]!.data));
    expect(Array.from(a[0]!.data).every((v) => v >= -1 && v < 1)).toBe(true);
    expect(Array.from(a[1]!.data).every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
    const c = makeInputs(ps, { sym: { n: 3 }, seed: 6 }) as Tensor[];
    expect(Array.from(c[0]!.data)).not.toEqual(Array.from(a[0]!.data));
  });

  it('binds symbolic dims from given tensors before making the others', () => {
    const ps = params('x: R.Tensor(("n", 2), "float32"), y: R.Tensor(("n",), "float32")');
    const x = Tensor.from([5, 2], 'float32', new Array(10).fill(1));
    const [gx, y] = makeInputs(ps, { given: { x, y: 'zeros' } }) as Tensor[];
    expect(gx).toBe(x);
    expect(y!.describe()).toBe('float32[5]');
    expect(Array.from(y!.data)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from((makeInputs(ps, { given: { x, y: 'ones' } })[1] as Tensor).data)).toEqual([1, 1, 1, 1, 1]);
  });

  it('checks given tensors: rank, static dims, dtype, and symbolic dims bound elsewhere', () => {
    const ps = params('x: R.Tensor(("n", 2), "float32"), y: R.Tensor(("n",), "float32")');
    const x = new Tensor([3, 2], 'float32');
    expect(() => makeInputs(ps, { given: { x: new Tensor([3, 5], 'float32') } })).toThrow(
      'input `x` must be R.Tensor((n, 2), dtype="float32") (dim 1 must be 2). However, it is float32[3, 5].',
    );
    expect(() => makeInputs(ps, { given: { x: new Tensor([3, 2], 'float16') } })).toThrow('(dtype float32, not float16)');
    expect(() => makeInputs(ps, { given: { x, y: new Tensor([4], 'float32') } })).toThrow(
      'input `y` must be R.Tensor((n,), dtype="float32") (dim 0 is n = 3, bound by input `x`). However, it is float32[4].',
    );
    expect(() => makeInputs(ps, { given: { x }, sym: { n: 7 } })).toThrow('bound by --sym');
    expect(() => makeInputs(ps, { given: { z: x } })).toThrow(InputError);
  });

  it('names the symbolic dim a made input needs, and refuses unknown shapes', () => {
    expect(() => makeInputs(params('x: R.Tensor(("n", "m"), "float32")'), { sym: { n: 2 } })).toThrow(/needs a value for the symbolic dim m/);
    expect(() => makeInputs(params('x: R.Tensor(dtype="float32", ndim=2)'))).toThrow(/whose shape is not known/);
  });

  it('makes shapes, scalars and tuples', () => {
    const ps = params('x: R.Tuple(R.Tensor((2,), "float32"), R.Shape(["n", 3])), s: R.Prim(value="n")');
    const [t, s] = makeInputs(ps, { sym: { n: 4 } });
    expect((t as [Tensor, ShapeTuple])[0].describe()).toBe('float32[2]');
    expect((t as [Tensor, ShapeTuple])[1]).toEqual(new ShapeTuple([4, 3]));
    expect(s).toBe(4);
  });
});

describe('makeTensor and seededRandom', () => {
  it('fills zeros, ones and bools', () => {
    expect(Array.from(makeTensor('ones', [2, 2], 'int64').data)).toEqual([1, 1, 1, 1]);
    expect(Array.from(makeTensor('zeros', [3], 'float32').data)).toEqual([0, 0, 0]);
    expect(Array.from(makeTensor('random', [64], 'bool').data).every((v) => v === 0 || v === 1)).toBe(true);
    expect(() => makeTensor('ones', [1], 'complex64')).toThrow(/dtype "complex64"/);
  });

  it('is uniform-ish in [0, 1) and deterministic', () => {
    const r = seededRandom(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / 1000 - 0.5)).toBeLessThan(0.05);
    expect(seededRandom(1)()).toBe(xs[0]);
  });
});
