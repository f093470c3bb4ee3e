// The dot grid's layer offset: the viewport offset modulo the step, whole pixels, never outside [0, step).
import { describe, expect, it } from 'vitest';
import { gridOffset } from './grid.js';

describe('gridOffset', () => {
  it('is the offset modulo the step for positive and negative offsets', () => {
    expect(gridOffset(45, 20)).toBe(5);
    expect(gridOffset(-45, 20)).toBe(15);
    expect(gridOffset(-20, 20)).toBe(0);
    expect(gridOffset(0, 12)).toBe(0);
  });

  it('puts the dots where the lattice puts them, to within half a pixel, as the view pans', () => {
    // A dot of the graph's lattice is at screen x = offset + k * step; the layer starts at -step and is moved by
    // gridOffset, so its dots are at -step + gridOffset + j * step.
    for (const step of [6, 12.5, 20, 33.7]) {
      for (let offset = -500; offset <= 500; offset += 7.3) {
        const layerDot = -step + gridOffset(offset, step);
        const k = (layerDot - offset) / step;
        expect(Math.abs(k - Math.round(k)) * step).toBeLessThanOrEqual(0.5 + 1e-9);
      }
    }
  });

  it('rounds up to the step to 0, not to a step-wide move', () => {
    expect(gridOffset(19.8, 20)).toBe(0);
    expect(gridOffset(-0.2, 20)).toBe(0);
  });

  it('is 0 for a degenerate step or offset', () => {
    expect(gridOffset(10, 0)).toBe(0);
    expect(gridOffset(Number.NaN, 20)).toBe(0);
  });
});
