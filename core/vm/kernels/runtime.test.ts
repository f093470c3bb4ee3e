import { describe, expect, it } from 'vitest';
import { erf, f16round, roundEven } from './runtime.js';

describe('kernel runtime', () => {
  it('computes erf to 1e-12 against known values', () => {
    const ref: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [3.5, 0.9999992569016276], [-0.7, -0.6778011938374184], [0, 0]];
    for (const [x, y] of ref) expect(Math.abs(erf(x) - y)).toBeLessThan(1e-12);
    expect(erf(-30)).toBe(-1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });

  it('rounds half to even like NumPy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundEven)).toEqual([0, 2, 2, -0, -2, 2, -3]);
  });

  it('rounds to the float16 grid', () => {
    expect(f16round(1 + 2 ** -11)).toBe(1);
    expect(f16round(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(f16round(70000)).toBe(Infinity);
    expect(f16round(2 ** -25)).toBe(0);
    expect(f16round(3 * 2 ** -25)).toBe(2 ** -23);
  });
});
