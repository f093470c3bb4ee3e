import { describe, expect, it } from 'vitest';
import type { Gen, ParamSpec, RefTensor } from './op-testing.js';
import { erf, expectOp, legalizeText, moduleText, refMap, roundEven } from './op-testing.js';
import { printModule } from '../../ir/printer/index.js';

const x = (dtype = 'float32', gen?: Gen): ParamSpec[] => [{ name: 'x', shape: ['n', 3], dtype, ...(gen ? { gen } : {}) }];
const map = (dtype: string, fn: (v: number) => number) => ([a]: readonly RefTensor[]): RefTensor => refMap(dtype, [a!], fn);

/** Float ops: name -> [reference, input range]. */
const FLOAT: Record<string, [(v: number) => number, Gen?]> = {
  exp: [Math.exp],
  log: [Math.log, [0.01, 10]],
  sqrt: [Math.sqrt, [0, 10]],
  rsqrt: [(v) => 1 / Math.sqrt(v), [0.01, 10]],
  sigmoid: [(v) => 1 / (1 + Math.exp(-v)), [-8, 8]],
  tanh: [Math.tanh],
  erf: [erf, [-3, 3]],
  sin: [Math.sin, [-6, 6]],
  cos: [Math.cos, [-6, 6]],
  tan: [Math.tan, [-1.2, 1.2]],
  sinh: [Math.sinh],
  cosh: [Math.cosh],
  asin: [Math.asin, [-1, 1]],
  acos: [Math.acos, [-1, 1]],
  atan: [Math.atan, [-5, 5]],
  asinh: [Math.asinh],
  acosh: [Math.acosh, [1, 10]],
  atanh: [Math.atanh, [-0.99, 0.99]],
};

/** Ops defined on every dtype: name -> reference. */
const ANY: Record<string, (v: number) => number> = {
  abs: Math.abs,
  negative: (v) => -v,
  square: (v) => v * v,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  round: roundEven,
  sign: (v) => (v < 0 ? -1 : v > 0 ? 1 : 0),
};

const halves: Gen = (r) => Math.round((r() * 10 - 5) * 2) / 2; // exact .5 values: round half to even

describe('unary legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  for (const [op, [fn, gen]] of Object.entries(FLOAT)) {
    it(`${op} (float32)`, () => expectOp({ call: `R.${op}(x)`, params: x('float32', gen), ref: map('float32', fn), kernel: op === 'erf' ? 'erf' : `tir_${op}` }));
  }
  it('exp and sqrt in float64', async () => {
    await expectOp({ call: 'R.exp(x)', params: x('float64'), ref: map('float64', Math.exp) });
    await expectOp({ call: 'R.sqrt(x)', params: x('float64', [0, 4]), ref: map('float64', Math.sqrt) });
  });
  for (const [op, fn] of Object.entries(ANY)) {
    it(`${op} (float32, int32, int64)`, async () => {
      await expectOp({ call: `R.${op}(x)`, params: x('float32', op === 'round' ? halves : undefined), ref: map('float32', fn), kernel: `tir_${op}` });
      await expectOp({ call: `R.${op}(x)`, params: x('int32'), ref: map('int32', fn) });
      await expectOp({ call: `R.${op}(x)`, params: x('int64'), ref: map('int64', fn) });
    });
  }
  it('round is half to even', () => expectOp({ call: 'R.round(x)', params: x('float32', halves), ref: map('float32', roundEven) }));

  it('clip with constant and symbolic-free bounds, float and int', async () => {
    await expectOp({ call: 'R.clip(x, -1, 1)', params: x(), ref: map('float32', (v) => Math.min(Math.max(v, -1), 1)), kernel: 'clip' });
    await expectOp({ call: 'R.clip(x, 0, 6)', params: x('int32'), ref: map('int32', (v) => Math.min(Math.max(v, 0), 6)) });
    await expectOp({ call: 'R.clip(x, -0.5, 0.25)', params: x(), ref: map('float32', (v) => Math.min(Math.max(v, Math.fround(-0.5)), 0.25)) });
  });

  it('isnan / isinf / isfinite on floats with specials, and on ints', async () => {
    const specials: Gen = (r) => [NaN, Infinity, -Infinity, 0, 1.5, -2][Math.floor(r() * 6)]!;
    await expectOp({ call: 'R.isnan(x)', params: x('float32', specials), ref: map('bool', (v) => +Number.isNaN(v)), kernel: 'isnan' });
    await expectOp({ call: 'R.isinf(x)', params: x('float32', specials), ref: map('bool', (v) => +(Math.abs(v) === Infinity)) });
    await expectOp({ call: 'R.isfinite(x)', params: x('float32', specials), ref: map('bool', (v) => +Number.isFinite(v)) });
    await expectOp({ call: 'R.isfinite(x)', params: x('int32'), ref: map('bool', () => 1) });
  });

  it('logical_not and bitwise_not', async () => {
    await expectOp({ call: 'R.logical_not(x)', params: x('bool'), ref: map('bool', (v) => +!v) });
    await expectOp({ call: 'R.bitwise_not(x)', params: x('int32'), ref: map('int32', (v) => ~v) });
    await expectOp({ call: 'R.bitwise_not(x)', params: x('bool'), ref: map('bool', (v) => +!v) });
  });

  it('works on 1-d and 3-d symbolic shapes', async () => {
    await expectOp({ call: 'R.exp(x)', params: [{ name: 'x', shape: ['n'], dtype: 'float32' }], ref: map('float32', Math.exp) });
    await expectOp({ call: 'R.tanh(x)', params: [{ name: 'x', shape: [2, 'n', 'm'], dtype: 'float32' }], ref: map('float32', Math.tanh) });
  });

  it('prints TVM\'s form: a tir_-prefixed PrimFunc with one "compute" block over symbolic dims', () => {
    const text = printModule(legalizeText(moduleText('R.exp(x)', x())));
    expect(text).toContain('R.call_tir(cls.tir_exp, (x,), out_ty=R.Tensor((n, 3), dtype="float32"))');
    expect(text).toContain('def tir_exp(');
    expect(text).toContain('with T.sblock("compute"):');
    expect(text).toMatch(/compute\[v_ax0, v_ax1\] = T\.exp\(A\[v_ax0, v_ax1\]\)/);
    const clip = printModule(legalizeText(moduleText('R.clip(x, 0, 6)', x())));
    expect(clip).toContain('T.max(T.min(A[v_ax0, v_ax1], T.float32(6.0)), T.float32(0.0))');
  });
});
