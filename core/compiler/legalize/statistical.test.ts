import { describe, expect, it } from 'vitest';
import type { Gen, ParamSpec, RefTensor } from './op-testing.js';
import { argOf, expectOp, legalizeText, mean, moduleText, refReduce, sumExact, variance } from './op-testing.js';
import { printModule } from '../../ir/printer/index.js';
import { legalizedOps } from './registry.js';
import './all.js';

const x = (shape: (number | string)[], dtype = 'float32', gen?: Gen): ParamSpec[] => [{ name: 'x', shape, dtype, ...(gen ? { gen } : {}) }];

const prod = (v: number[]): number => v.reduce((a, b) => a * b, 1);
const REDUCE: Record<string, (v: number[]) => number> = {
  sum: sumExact,
  prod,
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  mean,
  variance,
  std: (v) => Math.sqrt(variance(v)),
};

/** [axis attribute text, axes for the reference, keepdims]. */
const PLANS: [string, number[] | null, boolean][] = [
  ['', null, false],
  [', axis=[1]', [1], false],
  [', axis=[1], keepdims=True', [1], true],
  [', axis=[0, 2]', [0, 2], false],
  [', axis=[-1], keepdims=True', [-1], true],
  [', axis=None, keepdims=True', null, true],
];

describe('reduction legalization (n = 1, 3, 17)', () => {
  for (const [op, fn] of Object.entries(REDUCE)) {
    it(`${op} over axis lists, None and keepdims (float32)`, async () => {
      const gen: Gen = op === 'prod' ? [0.7, 1.3] : [-2, 2];
      for (const [attrs, axes, keep] of PLANS) {
        await expectOp({
          call: `R.${op}(x${attrs})`, params: x(['n', 3, 'm'], 'float32', gen), ref: ([a]) => refReduce(a!, axes, keep, 'float32', fn), kernel: op,
          sizes: [1, 3, 17],
        });
      }
    });
  }

  it('sum / max / min / prod on integers', async () => {
    for (const op of ['sum', 'max', 'min', 'prod']) {
      await expectOp({ call: `R.${op}(x, axis=[0])`, params: x(['n', 4], 'int32', [-4, 5]), ref: ([a]) => refReduce(a!, [0], false, 'int32', REDUCE[op]!), sizes: [1, 3, 7] });
      await expectOp({ call: `R.${op}(x)`, params: x(['n'], 'int64', [-4, 5]), ref: ([a]) => refReduce(a!, null, false, 'int64', REDUCE[op]!), sizes: [1, 3, 9] });
    }
  });

  it('max / min rows of infinities keep them', async () => {
    const inf: Gen = (r) => (r() < 0.5 ? -Infinity : Infinity);
    await expectOp({ call: 'R.max(x, axis=[1])', params: x(['n', 2], 'float32', inf), ref: ([a]) => refReduce(a!, [1], false, 'float32', REDUCE.max!), sizes: [8] });
  });
});

describe('reduction kernel form', () => {
  it('sum is one A_red block with a T.init; mean adds a T_divide block by the element count', () => {
    const sum = printModule(legalizeText(moduleText('R.sum(x, axis=[1])', x(['n', 'm']))));
    expect(sum).toContain('with T.sblock("A_red"):');
    expect(sum).toContain('T.axis.remap("SR", [ax0, k0])');
    expect(sum).toContain('with T.init():');
    const m = printModule(legalizeText(moduleText('R.mean(x, axis=[1])', x(['n', 'm']))));
    expect(m).toMatch(/T_divide\[v_ax0_1\] = A_red\[v_ax0_1\] \/ T\.Cast\("float32", m\)/);
  });
});

describe('argmax / argmin legalization', () => {
  const ties: Gen = (r) => Math.floor(r() * 3); // many ties: the first occurrence must win
  for (const op of ['argmax', 'argmin'] as const) {
    const better = op === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
    it(`${op}: axis, keepdims, None (flat index), ties, float32 and int32`, async () => {
      const cases: [string, number[] | null, boolean][] = [['', null, false], [', axis=1', [1], false], [', axis=0, keepdims=True', [0], true], [', axis=-1', [-1], false], [', keepdims=True', null, true]];
      for (const [attrs, axes, keep] of cases) {
        for (const [dtype, gen] of [['float32', undefined], ['float32', ties], ['int32', ties]] as const) {
          await expectOp({
            call: `R.${op}(x${attrs})`, params: x(['n', 4, 'm'], dtype, gen), kernel: op,
            ref: ([a]: readonly RefTensor[]) => refReduce(a!, axes, keep, 'int64', argOf(better)),
          });
        }
      }
    });
    it(`${op}: rows that are all -inf or +inf give index 0`, () =>
      expectOp({
        call: `R.${op}(x, axis=1)`, params: x(['n', 3], 'float32', () => (op === 'argmax' ? -Infinity : Infinity)),
        ref: ([a]) => refReduce(a!, [1], false, 'int64', argOf(better)),
      }));
  }
});

describe('coverage', () => {
  const MINE = [
    'zeros', 'ones', 'full', 'zeros_like', 'ones_like', 'full_like', 'arange', 'tril', 'triu', 'eye', 'eye_like',
    'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'negative', 'sigmoid', 'tanh', 'erf', 'sin', 'cos', 'tan', 'sinh', 'cosh',
    'asin', 'acos', 'atan', 'asinh', 'acosh', 'atanh', 'floor', 'ceil', 'round', 'trunc', 'sign', 'square', 'clip',
    'isnan', 'isinf', 'isfinite', 'logical_not', 'bitwise_not',
    'add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'floor_divide', 'floor_mod', 'mod',
    'atan2', 'log_add_exp', 'equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal',
    'logical_and', 'logical_or', 'logical_xor', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift',
    'where', 'ewise_fma', 'astype', 'wrap_param', 'sum', 'mean', 'max', 'min', 'prod', 'variance', 'std', 'argmax', 'argmin',
  ];
  it('every element-wise, creation, dtype, reduction and search op of the shortlist has a legalizer', () => {
    const have = new Set(legalizedOps());
    expect(MINE.filter((op) => !have.has(`relax.${op}`))).toEqual([]);
  });
});
