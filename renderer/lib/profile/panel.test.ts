// The profile panel's data: header clicks, filtered and sorted rows, rows of selected nodes, the summary line with
// its fallbacks, bar tooltips, and the exported trace and its file name.
import { describe, expect, it } from 'vitest';
import MLP from '../../../assets/examples/mlp.tvmscript?raw';
import { parse } from '../../../core/ir/parser/index.js';
import { moduleToGraph } from '../../../core/ir/graph/index.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import type { ProfileSummary } from '../compute/protocol.js';
import { functionResolver, graphResolver } from './attribution.js';
import { buildOverlay } from './overlay.js';
import { asIs, barTooltip, legendTicks, DEFAULT_SORT, nextSort, rowSelected, summarize, tableRows, traceFileName, traceJson } from './panel.js';
import { heatScale } from './scale.js';
import { topKernels } from './table.js';

function row(name: string, durationUs: number, nodes: string[], backend = 'webgl2', count = 1): ProfileRow {
  return { name, durationUs, percent: 0, device: 'webgl2:0', count, argShapes: '', backend, nodes };
}

const ROWS = [
  row('matmul', 8, ['lv3'], 'webgl2', 2),
  row('fused_matmul_add_relu', 30, ['lv0', 'lv1', 'lv2']),
  row('add', 2, ['lv4']),
  row('softmax', 4, ['gv'], 'js'),
  row('vm.builtin.alloc_storage', 0.5, [], 'host'),
];

function summary(rows: readonly ProfileRow[], repeat = 10): ProfileSummary {
  return { rows, totalUs: 1234, repeat, device: 'webgl2', trace: undefined };
}

describe('table sort and filter', () => {
  it('starts with the slowest row first', () => {
    expect(tableRows(ROWS, '', DEFAULT_SORT).map((r) => r.name)).toEqual(['fused_matmul_add_relu', 'matmul', 'softmax', 'add', 'vm.builtin.alloc_storage']);
  });

  it('flips the direction on the same header; a new column starts high for numbers and at A for text', () => {
    expect(nextSort(DEFAULT_SORT, 'durationUs')).toEqual({ key: 'durationUs', dir: 'asc' });
    expect(nextSort({ key: 'durationUs', dir: 'asc' }, 'durationUs')).toEqual({ key: 'durationUs', dir: 'desc' });
    expect(nextSort(DEFAULT_SORT, 'count')).toEqual({ key: 'count', dir: 'desc' });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(tableRows(ROWS, '', nextSort(DEFAULT_SORT, 'name')).map((r) => r.name)[0]).toBe('add');
  });

  it('filters by name, node or backend, then sorts', () => {
    expect(tableRows(ROWS, 'matmul', DEFAULT_SORT).map((r) => r.name)).toEqual(['fused_matmul_add_relu', 'matmul']);
    expect(tableRows(ROWS, 'lv1', DEFAULT_SORT).map((r) => r.name)).toEqual(['fused_matmul_add_relu']);
    expect(tableRows(ROWS, 'JS', DEFAULT_SORT).map((r) => r.name)).toEqual(['softmax']);
    expect(tableRows(ROWS, 'nothing-like-this', DEFAULT_SORT)).toEqual([]);
  });
});

describe('rows of selected nodes', () => {
  it('matches the selection through the resolver (graph ids) or as is (bare names)', () => {
    const doc = moduleToGraph(parse(MLP).module!);
    const resolve = graphResolver(doc, 'main');
    const fused = ROWS[1]!;
    expect(rowSelected(fused, resolve, new Set(['main/lv1']))).toBe(true);
    expect(rowSelected(fused, resolve, new Set(['main/lv3']))).toBe(false);
    expect(rowSelected(fused, asIs, new Set(['lv2']))).toBe(true);
    expect(rowSelected(fused, functionResolver('main'), new Set())).toBe(false);
    expect(rowSelected(ROWS[4]!, resolve, new Set(['main/lv0']))).toBe(false); // a row with no nodes
  });
});

describe('summarize', () => {
  it('says the time per run, how it was measured, where, and how many kernels (host rows are not kernels)', () => {
    expect(summarize(summary(ROWS), []).line).toBe('1.23 ms per run (median of 10) on webgl2, 4 kernels');
    expect(summarize(summary(ROWS.slice(0, 1), 1), []).line).toBe('1.23 ms per run (1 timed run) on webgl2, 1 kernel');
  });

  it('lists compiled fallbacks and per-call ones found on the graph, each kernel once', () => {
    const kernels = [
      { name: 'softmax', backend: 'js', fallbackReason: 'needs a reduction webgl2 cannot run', nodes: ['gv'] },
      { name: 'matmul', backend: 'webgl2', nodes: ['lv3'] },
    ];
    const rows = [...ROWS, row('argmax', 1, ['lv4'], 'webgl2+js')];
    const overlay = buildOverlay(rows, moduleToGraph(parse(MLP).module!), { func: 'main', kernels, expectedBackend: 'webgl2' });
    expect(summarize(summary(rows), kernels, overlay).fallbacks).toEqual([
      'softmax: needs a reduction webgl2 cannot run',
      'argmax ran on js, not webgl2',
    ]);
    expect(summarize(summary(rows), [], undefined).fallbacks).toEqual([]);
  });
});

describe('chart and trace', () => {
  it('tooltips give the time and the share of the total', () => {
    const bars = topKernels(ROWS, 2);
    expect(bars.map(barTooltip)).toEqual(['30.0 us (67.4% of the total)', '8.00 us (18.0% of the total)', '6.50 us (14.6% of the total)']);
  });

  it("exports the profiler's trace when the run kept it, else one event per row", () => {
    const kept = { traceEvents: [{ name: 'k', ph: 'X', ts: 0, dur: 1 }], displayTimeUnit: 'ms' };
    expect(JSON.parse(traceJson({ rows: ROWS, trace: kept }))).toEqual(kept);
    const fromRows = JSON.parse(traceJson({ rows: ROWS })) as { traceEvents: { name: string; ts: number }[] };
    expect(fromRows.traceEvents.map((e) => e.name)).toEqual(ROWS.map((r) => r.name));
    expect(fromRows.traceEvents[1]!.ts).toBe(8);
  });

  it('names the trace file after the function and the local time', () => {
    expect(traceFileName('main', new Date(2025, 0, 2, 3, 4, 5))).toBe('trace-main-20250102-030405.json');
    expect(traceFileName('a/b c', new Date(2025, 11, 31, 23, 59, 9))).toBe('trace-a_b_c-20251231-235909.json');
    expect(traceFileName('', new Date(2025, 0, 1))).toBe('trace-run-20250101-000000.json');
  });
});

describe('legendTicks', () => {
  it('drops ticks too close to the one before and keeps both ends', () => {
    const log = heatScale([3, 8, 2100], 'log');
    expect(log.ticks.map((t) => t.label)).toEqual(['3.00 us', '10.0 us', '100 us', '1.00 ms', '2.10 ms']);
    expect(legendTicks(log.ticks).map((t) => t.label)).toEqual(['3.00 us', '10.0 us', '100 us', '2.10 ms']);
    const lin = heatScale([2100]);
    expect(legendTicks(lin.ticks)).toEqual(lin.ticks);
  });

  it('keeps a lone tick and the first of two close ones', () => {
    const one = [{ us: 0, label: '0 us', t: 0 }];
    expect(legendTicks(one)).toEqual(one);
    const two = [{ us: 1, label: 'a', t: 0 }, { us: 2, label: 'b', t: 0.05 }];
    expect(legendTicks(two).map((t) => t.label)).toEqual(['a']);
  });
});
