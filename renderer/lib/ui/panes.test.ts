// Pane-size clamps and storage, and the readable fit (whole graph when readable, else its start at min zoom).
import { describe, expect, it } from 'vitest';
import { clampInspector, clampSide, DEFAULT_PANES, defaultSide, loadPanes, MIN_SIDE, PANES_KEY, readableFit, savePanes } from './panes.js';

describe('pane sizes', () => {
  it('keep the canvas its share of the width and the panes a minimum', () => {
    expect(clampSide(10, 1600)).toBe(MIN_SIDE);
    expect(clampSide(2000, 1600)).toBe(880);
    expect(clampSide(500, 1600)).toBe(500);
    expect(defaultSide(1400)).toBe(420);
    expect(clampInspector(5, 800)).toBe(80);
    expect(clampInspector(900, 800)).toBe(640);
  });

  it('round-trip through storage and survive corrupt or failing storage', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    savePanes(storage, { ...DEFAULT_PANES, side: 512, inspectorOpen: false });
    expect(loadPanes(storage)).toEqual({ ...DEFAULT_PANES, side: 512, inspectorOpen: false });
    data.set(PANES_KEY, '{"side": "wide", "inspector": -3');
    expect(loadPanes(storage)).toEqual(DEFAULT_PANES);
    data.set(PANES_KEY, '{"side": "wide"}');
    expect(loadPanes(storage)).toEqual(DEFAULT_PANES);
    expect(loadPanes(null)).toEqual(DEFAULT_PANES);
    expect(() => savePanes({ setItem: () => { throw new Error('quota'); } }, DEFAULT_PANES)).not.toThrow();
  });
});

describe('readableFit', () => {
  const view = { width: 1000, height: 800 };

  it('centres a graph that fits at a readable zoom, without blowing small graphs up', () => {
    const v = readableFit({ x: 0, y: 0, width: 400, height: 200 }, view, { padding: 0.1, maxZoom: 1 });
    expect(v.zoom).toBe(1);
    expect(v).toMatchObject({ x: 300, y: 300 });
    const big = readableFit({ x: 100, y: 0, width: 1200, height: 300 }, view, { padding: 0.1, minZoom: 0.5 });
    expect(big.zoom).toBeCloseTo(800 / 1200);
    expect(big.x + 100 * big.zoom + 1200 * big.zoom / 2).toBeCloseTo(500);
  });

  it('shows the start of a graph too wide to read whole, at the minimum zoom', () => {
    const v = readableFit({ x: -50, y: 0, width: 5000, height: 300 }, view, { padding: 0.1, minZoom: 0.6 });
    expect(v.zoom).toBe(0.6);
    expect(v.x).toBeCloseTo(100 + 50 * 0.6); // left edge at the padding
    expect(v.y).toBeCloseTo((800 - 300 * 0.6) / 2); // fits in height: centred
    const tall = readableFit({ x: 0, y: 0, width: 5000, height: 5000 }, view, { padding: 0.1, minZoom: 0.6 });
    expect(tall.y).toBeCloseTo(80);
  });
});
