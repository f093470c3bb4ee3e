// Time labels and the heat scale: readable units, linear and log modes (zeros included), legend ticks, viridis colours.
import { describe, expect, it } from 'vitest';
import { formatRatio, formatUs } from './format.js';
import { heatScale, linearTicks, logTicks, paletteAt, textOn, VIRIDIS } from './scale.js';

describe('formatUs', () => {
  it('picks us, ms or s with three significant digits', () => {
    expect(formatUs(0)).toBe('0 us');
    expect(formatUs(0.1234)).toBe('0.123 us');
    expect(formatUs(12.34)).toBe('12.3 us');
    expect(formatUs(999)).toBe('999 us');
    expect(formatUs(4560)).toBe('4.56 ms');
    expect(formatUs(1_200_000)).toBe('1.20 s');
  });
  it('shows a missing time as "-"', () => {
    expect(formatUs(NaN)).toBe('-');
    expect(formatUs(-1)).toBe('-');
    expect(formatUs(Infinity)).toBe('-');
  });
  it('formats ratios', () => {
    expect(formatRatio(1.5)).toBe('1.50x');
    expect(formatRatio(Infinity)).toBe('inf');
  });
});

describe('palette', () => {
  it('runs from viridis dark purple to yellow, clamped', () => {
    expect(paletteAt(0)).toBe('#440154');
    expect(paletteAt(1)).toBe('#fde725');
    expect(paletteAt(-3)).toBe('#440154');
    expect(paletteAt(NaN)).toBe('#440154');
    expect(paletteAt(0.5)).toBe(VIRIDIS[5]);
    expect(paletteAt(0.25)).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('gets lighter monotonically (readable in greyscale)', () => {
    const lum = (hex: string) => {
      const n = parseInt(hex.slice(1), 16);
      return 0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
    };
    const ls = Array.from({ length: 21 }, (_, i) => lum(paletteAt(i / 20)));
    for (let i = 1; i < ls.length; i++) expect(ls[i]).toBeGreaterThan(ls[i - 1]!);
  });
  it('puts white text on dark and black text on light colours', () => {
    expect(textOn(paletteAt(0))).toBe('#ffffff');
    expect(textOn(paletteAt(1))).toBe('#000000');
  });
});

describe('heatScale', () => {
  it('linear: 0 to max, nice ticks with labels', () => {
    const s = heatScale([10, 50, 200], 'linear');
    expect([s.min, s.max]).toEqual([0, 200]);
    expect(s.norm(50)).toBe(0.25);
    expect(s.colour(200)).toBe('#fde725');
    expect(s.ticks.map((t) => t.label)).toEqual(['0 us', '50.0 us', '100 us', '150 us', '200 us']);
    expect(s.ticks.map((t) => t.t)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('log: domain from the smallest positive time; zeros map to the bottom colour', () => {
    const s = heatScale([0, 1, 10, 1000], 'log');
    expect([s.min, s.max]).toEqual([1, 1000]);
    expect(s.norm(0)).toBe(0);
    expect(s.norm(1)).toBe(0);
    expect(s.norm(10)).toBeCloseTo(1 / 3);
    expect(s.norm(1000)).toBe(1);
    expect(s.colour(0)).toBe('#440154');
    expect(s.ticks.map((t) => t.label)).toEqual(['1.00 us', '10.0 us', '100 us', '1.00 ms']);
  });
  it('handles all-zero and empty times in both modes', () => {
    for (const mode of ['linear', 'log'] as const) {
      for (const times of [[], [0, 0]]) {
        const s = heatScale(times, mode);
        expect(s.norm(0)).toBe(0);
        expect(s.colour(0)).toBe('#440154');
        expect(s.ticks).toEqual([{ us: 0, label: '0 us', t: 0 }]);
      }
    }
  });
  it('log with a single positive time puts it at the top', () => {
    const s = heatScale([0, 5], 'log');
    expect(s.norm(5)).toBe(1);
    expect(s.norm(0)).toBe(0);
    expect(s.ticks.map((t) => t.us)).toEqual([5]);
  });
  it('ignores negative and non-finite times', () => {
    expect(heatScale([-5, NaN, Infinity, 4]).max).toBe(4);
  });
});

describe('ticks', () => {
  it('linear ticks end at max when max is not a step', () => {
    expect(linearTicks(1)).toEqual([0, 0.5, 1]); // steps are 1, 2 or 5 times a power of ten
    expect(linearTicks(7)).toEqual([0, 2, 4, 6, 7]);
    expect(linearTicks(0)).toEqual([0]);
  });
  it('log ticks are the ends and the powers of ten between them', () => {
    expect(logTicks(3, 20_000)).toEqual([3, 10, 100, 1000, 10_000, 20_000]);
    expect(logTicks(3, 12_000)).toEqual([3, 10, 100, 1000, 12_000]); // 10000 is too close to the end to label
    expect(logTicks(0, 10)).toEqual([10]);
  });
});
