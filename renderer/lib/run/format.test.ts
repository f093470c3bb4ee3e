/** The run panel's wording of values, shapes and progress. */
import { describe, expect, it } from 'vitest';
import { formatPreview, formatShape, formatValue, progressFraction, progressLabel } from './format.js';

describe('values', () => {
  it('prints floats with four significant digits, exponents at the extremes, and numpy words for NaN/Inf', () => {
    expect([0.123456, 2.718281828, -3, 0, 1.5e8, -0.0000123, 1e-4].map((v) => formatValue(v))).toEqual(['0.1235', '2.718', '-3', '0', '1.5e+8', '-1.23e-5', '0.0001']);
    expect([NaN, Infinity, -Infinity].map((v) => formatValue(v))).toEqual(['nan', 'inf', '-inf']);
    expect(formatValue(7, 'int64')).toBe('7');
    expect(formatValue(2.6, 'int32')).toBe('3');
  });

  it('shows the preview with an ellipsis when the tensor has more values', () => {
    expect(formatPreview([1, 0.5], [2], 'float32')).toBe('[1, 0.5]');
    expect(formatPreview([1, 2], [2, 3], 'int64')).toBe('[1, 2, …]');
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expect(formatShape([])).toBe('[] (scalar)');
  });
});

describe('progress', () => {
  it('names the phase and pass, and fills a quarter of the bar per phase', () => {
    expect(progressLabel({ phase: 'build', pass: 'LegalizeOps', done: 3, total: 20 })).toBe('Building: LegalizeOps (3/20)');
    expect(progressLabel({ phase: 'run', done: 2, total: 6 })).toBe('Running (2/6)');
    expect(progressFraction({ phase: 'parse', done: 0, total: 1 })).toBe(0);
    expect(progressFraction({ phase: 'build', done: 10, total: 20 })).toBe(0.375);
    expect(progressFraction({ phase: 'compile-kernels', done: 0, total: 0 })).toBe(0.75);
    expect(progressFraction({ phase: 'run', done: 6, total: 6 })).toBe(1);
  });
});
