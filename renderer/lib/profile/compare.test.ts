// The run comparison's data: run labels, the default pair (previous against latest), and compareRuns as rows with
// node names, times, ratios, changes, regrouping notes, one-run-only nodes and totals.
import { describe, expect, it } from 'vitest';
import type { RunProfileRow, RunRecord } from '../persist/schema.js';
import { comparePair, compareView, nodeNames, runLabel } from './compare.js';

function row(name: string, durationUs: number, nodes: string[]): RunProfileRow {
  return { name, durationUs, percent: 0, device: 'cpu', count: 1, argShapes: '', backend: 'webasm', nodes };
}

function run(id: number, time: number, profile: RunProfileRow[], device = 'wasm'): RunRecord {
  const settings = { func: 'main', sym: {}, inputs: [], device, repeat: 1 };
  return { id, schema: 3, projectId: 1, time, settings, device, outputs: [], profile, kernels: [], totalUs: profile.reduce((a, r) => a + r.durationUs, 0) };
}

const A = run(1, new Date(2025, 0, 2, 3, 4, 5).getTime(), [row('fused', 30, ['lv0', 'lv1']), row('matmul', 10, ['lv3']), row('add', 4, ['lv4']), row('old', 2, ['lv9'])]);
const B = run(2, new Date(2025, 0, 2, 3, 5, 0).getTime(), [row('k0', 5, ['lv0']), row('k1', 5, ['lv1']), row('matmul', 20, ['lv3']), row('add', 4.1, ['lv4']), row('new', 1, ['lv8'])], 'webgl2');

describe('runLabel and comparePair', () => {
  it('labels a run by local time, device and total', () => {
    expect(runLabel(A)).toBe('2025-01-02 03:04:05 · wasm · 46.0 us');
  });

  it('compares the previous run with the latest unless the user picked, and ignores ids no longer kept', () => {
    const newestFirst = [B, A];
    expect(comparePair(newestFirst)).toEqual({ a: A, b: B });
    expect(comparePair(newestFirst, 2, 1)).toEqual({ a: B, b: A });
    expect(comparePair(newestFirst, 99, 1)).toEqual({ a: A, b: A });
    expect(comparePair([A])).toEqual({ a: A, b: A });
    expect(comparePair([])).toEqual({ a: undefined, b: undefined });
  });
});

describe('compareView', () => {
  it('gives per-node times, ratio and change, largest change first, and notes different fusion', () => {
    const v = compareView(A, B);
    expect(v.rows).toEqual([
      { nodes: ['main/lv0', 'main/lv1'], vars: ['lv0', 'lv1'], label: 'lv0, lv1', a: '30.0 us', b: '10.0 us', ratio: '3.00x', change: 'faster', note: 'fused differently in the two runs; compared as one set' },
      { nodes: ['main/lv3'], vars: ['lv3'], label: 'lv3', a: '10.0 us', b: '20.0 us', ratio: '0.50x', change: 'slower' },
      { nodes: ['main/lv4'], vars: ['lv4'], label: 'lv4', a: '4.00 us', b: '4.10 us', ratio: '0.98x', change: 'same' },
    ]);
  });

  it('lists nodes timed in one run only and totals both runs', () => {
    const v = compareView(A, B);
    expect(v.onlyA).toEqual([{ nodes: ['main/lv9'], vars: ['lv9'], label: 'lv9', time: '2.00 us' }]);
    expect(v.onlyB).toEqual([{ nodes: ['main/lv8'], vars: ['lv8'], label: 'lv8', time: '1.00 us' }]);
    expect(v.total).toEqual({ a: '46.0 us', b: '35.1 us', ratio: '1.31x', change: 'faster' });
    expect(compareView(A, A).total).toMatchObject({ ratio: '1.00x', change: 'same' });
    expect(compareView(B, A).total.change).toBe('slower');
  });

  it('names nodes without their function', () => {
    expect(nodeNames(['main/lv0', 'sub/x/lv1', 'gv'])).toBe('lv0, lv1, gv');
  });
});
