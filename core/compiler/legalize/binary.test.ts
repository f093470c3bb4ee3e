import { describe, expect, it } from 'vitest';
import type { Gen, ParamSpec, RefTensor } from './op-testing.js';
import { expectOp, kernelsOf, legalizeText, moduleText, refMap, store } from './op-testing.js';

const p = (name: string, shape: (number | string)[], dtype = 'float32', gen?: Gen): ParamSpec => ({ name, shape, dtype, ...(gen ? { gen } : {}) });
const map2 = (dtype: string, fn: (a: number, b: number) => number) => ([a, b]: readonly RefTensor[]): RefTensor => refMap(dtype, [a!, b!], fn);

/** Shape pairs that exercise broadcasting against a symbolic dim. */
const SHAPES: [(number | string)[], (number | string)[]][] = [
  [['n', 3], ['n', 3]],
  [['n', 3], [3]],
  [['n', 1], [1, 4]],
  [[2, 'n', 3], ['n', 1]],
];

const nonZero: Gen = (r) => (r() < 0.5 ? -1 : 1) * (0.5 + r() * 3);
const nonZeroInt: Gen = (r) => (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 7));

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

/** Arithmetic: name -> [float reference, int reference (TVM's: divide truncates), second operand's range]. */
const ARITH: Record<string, [(a: number, b: number) => number, (a: number, b: number) => number, Gen?, Gen?]> = {
  add: [(a, b) => a + b, (a, b) => a + b],
  subtract: [(a, b) => a - b, (a, b) => a - b],
  multiply: [(a, b) => a * b, (a, b) => a * b],
  divide: [(a, b) => a / b, (a, b) => Math.trunc(a / b), nonZero, nonZeroInt],
  floor_divide: [(a, b) => Math.floor(Math.fround(a / b)), floorDiv, nonZero, nonZeroInt],
  floor_mod: [(a, b) => a - Math.floor(Math.fround(a / b)) * b, floorMod, nonZero, nonZeroInt],
  mod: [(a, b) => a % b, (a, b) => a % b, nonZero, nonZeroInt],
  maximum: [Math.max, Math.max],
  minimum: [Math.min, Math.min],
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  not_equal: (a, b) => a !== b,
  greater: (a, b) => a > b,
  greater_equal: (a, b) => a >= b,
  less: (a, b) => a < b,
  less_equal: (a, b) => a <= b,
};

describe('binary legalization (NumPy broadcasting, n = 1, 3, 17)', () => {
  for (const [op, [ff, fi, gf, gi]] of Object.entries(ARITH)) {
    it(`${op}: float32 over broadcast shapes, int32 and int64`, async () => {
      for (const [sa, sb] of SHAPES) {
        await expectOp({ call: `R.${op}(x, y)`, params: [p('x', sa), p('y', sb, 'float32', gf)], ref: map2('float32', ff), kernel: op });
      }
      await expectOp({ call: `R.${op}(x, y)`, params: [p('x', ['n', 3], 'int32'), p('y', [3], 'int32', gi)], ref: map2('int32', fi) });
      await expectOp({ call: `R.${op}(x, y)`, params: [p('x', ['n', 3], 'int64'), p('y', ['n', 1], 'int64', gi)], ref: map2('int64', fi) });
    });
  }

  it('power, atan2, log_add_exp (float32)', async () => {
    await expectOp({ call: 'R.power(x, y)', params: [p('x', ['n', 3], 'float32', [0.1, 3]), p('y', [3], 'float32', [-2, 2])], ref: map2('float32', Math.pow), kernel: 'power' });
    await expectOp({ call: 'R.atan2(x, y)', params: [p('x', ['n', 3]), p('y', ['n', 3])], ref: map2('float32', Math.atan2) });
    await expectOp({
      call: 'R.log_add_exp(x, y)', params: [p('x', ['n', 3], 'float32', [-30, 30]), p('y', [1, 3], 'float32', [-30, 30])],
      ref: map2('float32', (a, b) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)))),
    });
  });

  for (const [op, fn] of Object.entries(COMPARE)) {
    it(`${op}: bool result, float32 and int32 (with ties)`, async () => {
      const small: Gen = [-2, 3];
      await expectOp({ call: `R.${op}(x, y)`, params: [p('x', ['n', 3], 'int32', small), p('y', [3], 'int32', small)], ref: map2('bool', (a, b) => +fn(a, b)), kernel: op });
      const halves: Gen = (r) => Math.floor(r() * 4) / 2;
      await expectOp({ call: `R.${op}(x, y)`, params: [p('x', ['n', 1], 'float32', halves), p('y', [1, 4], 'float32', halves)], ref: map2('bool', (a, b) => +fn(a, b)) });
    });
  }

  it('logical and bitwise ops, shifts', async () => {
    const b = (name: string, shape: (number | string)[]): ParamSpec => p(name, shape, 'bool');
    await expectOp({ call: 'R.logical_and(x, y)', params: [b('x', ['n', 3]), b('y', [3])], ref: map2('bool', (u, v) => +(!!u && !!v)) });
    await expectOp({ call: 'R.logical_or(x, y)', params: [b('x', ['n', 3]), b('y', [3])], ref: map2('bool', (u, v) => +(!!u || !!v)) });
    await expectOp({ call: 'R.logical_xor(x, y)', params: [b('x', ['n', 3]), b('y', ['n', 3])], ref: map2('bool', (u, v) => +(!!u !== !!v)) });
    const i = (name: string, shape: (number | string)[], gen?: Gen): ParamSpec => p(name, shape, 'int32', gen);
    await expectOp({ call: 'R.bitwise_and(x, y)', params: [i('x', ['n', 3]), i('y', [3])], ref: map2('int32', (u, v) => u & v) });
    await expectOp({ call: 'R.bitwise_or(x, y)', params: [i('x', ['n', 3]), i('y', [3])], ref: map2('int32', (u, v) => u | v) });
    await expectOp({ call: 'R.bitwise_xor(x, y)', params: [i('x', ['n', 3]), i('y', [3])], ref: map2('int32', (u, v) => u ^ v) });
    await expectOp({ call: 'R.left_shift(x, y)', params: [i('x', ['n', 3]), i('y', [3], [0, 5])], ref: map2('int32', (u, v) => u << v) });
    await expectOp({ call: 'R.right_shift(x, y)', params: [i('x', ['n', 3]), i('y', [3], [0, 5])], ref: map2('int32', (u, v) => u >> v) });
  });

  it('int32 arithmetic wraps around as the dtype does', () =>
    expectOp({
      call: 'R.multiply(x, y)', params: [p('x', ['n'], 'int32', [-2e9, 2e9]), p('y', ['n'], 'int32', [-2e9, 2e9])],
      ref: map2('int32', (a, b) => Number((BigInt(a) * BigInt(b)) & 0xffffffffn) | 0),
    }));

  it('bakes a scalar constant operand into the kernel as a literal', async () => {
    const mod = legalizeText(moduleText('R.add(x, R.const(2.5, "float32"))', [p('x', ['n', 3])]));
    const add = kernelsOf(mod).get('add')!;
    expect(add.params).toHaveLength(2);
    await expectOp({ call: 'R.add(x, R.const(2.5, "float32"))', params: [p('x', ['n', 3])], ref: ([a]) => refMap('float32', [a!], (v) => v + 2.5) });
    await expectOp({ call: 'R.equal(c, R.const(True, "bool"))', params: [p('c', ['n', 3], 'bool')], ref: ([a]) => refMap('bool', [a!], (v) => +(v === 1)) });
    await expectOp({ call: 'R.subtract(R.const(1, "int32"), x)', params: [p('x', ['n', 3], 'int32')], ref: ([a]) => refMap('int32', [a!], (v) => 1 - v) });
  });

  it('where broadcasts condition and both branches', async () => {
    await expectOp({
      call: 'R.where(c, x, y)', params: [p('c', ['n', 3], 'bool'), p('x', ['n', 3]), p('y', [3])],
      ref: ([c, x, y]) => refMap('float32', [c!, x!, y!], (cv, a, b) => (cv ? a : b)), kernel: 'where',
    });
    await expectOp({
      call: 'R.where(c, x, y)', params: [p('c', ['n', 1], 'bool'), p('x', [1, 4], 'int64'), p('y', ['n', 4], 'int64')],
      ref: ([c, x, y]) => refMap('int64', [c!, x!, y!], (cv, a, b) => (cv ? a : b)),
    });
    await expectOp({
      call: 'R.where(c, x, R.const(0.0, "float32"))', params: [p('c', ['n', 3], 'bool'), p('x', ['n', 3])],
      ref: ([c, x]) => refMap('float32', [c!, x!], (cv, a) => (cv ? a : 0)),
    });
  });

  it('ewise_fma is x1 * x2 + x3', () =>
    expectOp({
      call: 'R.ewise_fma(x, y, z)', params: [p('x', ['n', 3]), p('y', ['n', 3]), p('z', ['n', 3])],
      ref: ([a, b, c]) => refMap('float32', [a!, b!, c!], (u, v, w) => u * v + w), kernel: 'ewise_fma',
    }));

  it('astype casts as C does (truncation, wrap-around, bool as != 0)', async () => {
    const casts: [string, string, Gen][] = [
      ['float32', 'int32', [-100, 100]], ['float32', 'int64', [-100, 100]], ['float32', 'float64', [-2, 2]],
      ['int32', 'float32', [-1000, 1000]], ['int64', 'int8', [-1000, 1000]], ['int32', 'uint8', [-1000, 1000]],
      ['float32', 'bool', (r) => Math.floor(r() * 3) - 1], ['bool', 'float32', [0, 2]], ['int32', 'bool', [-2, 3]],
    ];
    for (const [from, to, gen] of casts) {
      await expectOp({ call: `R.astype(x, "${to}")`, params: [p('x', ['n', 3], from, gen)], ref: ([a]) => refMap(to, [a!], (v) => store(v, to)), kernel: 'cast' });
    }
  });
});
