// The profile table model: columns, stable sorting, filtering by name/node/backend, row -> nodes, top kernels, Chrome trace.
import { describe, expect, it } from 'vitest';
import { ProfileReport } from '../../../core/vm/profiler.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import { functionResolver } from './attribution.js';
import { cells, chromeTraceJson, COLUMNS, filterRows, rowNodes, sortRows, topKernels } from './table.js';

function row(name: string, durationUs: number, nodes: string[], backend = 'webgl2', count = 1): ProfileRow {
  return { name, durationUs, percent: durationUs / 2, device: 'webgl2:0', count, argShapes: 'float32[2, 3]', backend, nodes };
}

const ROWS = [row('fused_a_b_c', 30, ['a', 'b', 'c']), row('lv10_add', 5, ['lv10'], 'js'), row('lv2_mul', 5, ['lv2']), row('vm.builtin.reshape', 1, ['d'], 'host', 2)];

describe('columns', () => {
  it("has TVM's columns, then Nodes and Backend", () => {
    expect(COLUMNS.map((c) => c.title)).toEqual(['Name', 'Duration (us)', 'Percent', 'Device', 'Count', 'Argument Shapes', 'Nodes', 'Backend']);
    expect(cells(ROWS[0]!)).toEqual({ name: 'fused_a_b_c', durationUs: '30.00', percent: '15.00', device: 'webgl2:0', count: '1', argShapes: 'float32[2, 3]', nodes: 'a, b, c', backend: 'webgl2' });
  });
});

describe('sortRows', () => {
  it('sorts numbers numerically and is stable for equal keys in both directions', () => {
    expect(sortRows(ROWS, 'durationUs', 'asc').map((r) => r.name)).toEqual(['vm.builtin.reshape', 'lv10_add', 'lv2_mul', 'fused_a_b_c']);
    expect(sortRows(ROWS, 'durationUs', 'desc').map((r) => r.name)).toEqual(['fused_a_b_c', 'lv10_add', 'lv2_mul', 'vm.builtin.reshape']);
  });
  it('sorts text with numbers in order and does not change its input', () => {
    const copy = [...ROWS];
    expect(sortRows(ROWS, 'name').map((r) => r.name)).toEqual(['fused_a_b_c', 'lv2_mul', 'lv10_add', 'vm.builtin.reshape']);
    expect(sortRows(ROWS, 'backend').map((r) => r.backend)).toEqual(['host', 'js', 'webgl2', 'webgl2']);
    expect(sortRows(ROWS, 'backend').slice(2).map((r) => r.name)).toEqual(['fused_a_b_c', 'lv2_mul']); // stable
    expect(ROWS).toEqual(copy);
  });
  it('sorts an empty table', () => {
    expect(sortRows([], 'count')).toEqual([]);
  });
});

describe('filterRows', () => {
  it('matches names, nodes and backends, case-insensitively, all words', () => {
    expect(filterRows(ROWS, 'FUSED').map((r) => r.name)).toEqual(['fused_a_b_c']);
    expect(filterRows(ROWS, 'lv2').map((r) => r.name)).toEqual(['lv2_mul']);
    expect(filterRows(ROWS, 'c').map((r) => r.name)).toContain('fused_a_b_c');
    expect(filterRows(ROWS, 'js').map((r) => r.name)).toEqual(['lv10_add']);
    expect(filterRows(ROWS, 'host d').map((r) => r.name)).toEqual(['vm.builtin.reshape']);
    expect(filterRows(ROWS, 'host zzz')).toEqual([]);
  });
  it('keeps every row for an empty filter', () => {
    expect(filterRows(ROWS, '  ')).toHaveLength(4);
  });
});

describe('rowNodes', () => {
  it('gives the node ids to select for a row, skipping names with no node', () => {
    expect(rowNodes(ROWS[0]!, functionResolver('main'))).toEqual(['main/a', 'main/b', 'main/c']);
    expect(rowNodes(row('k', 1, ['x', 'y', 'x']), (n) => (n === 'x' ? 'main/x' : undefined))).toEqual(['main/x']);
  });
});

describe('topKernels', () => {
  it('gives the slowest kernels with their share and one bar for the rest', () => {
    const bars = topKernels(ROWS, 2);
    expect(bars.map((b) => [b.name, b.valueUs, b.label])).toEqual([['fused_a_b_c', 30, '30.0 us'], ['lv10_add', 5, '5.00 us'], ['other (2)', 6, '6.00 us']]);
    expect(bars[0]!.share).toBeCloseTo(30 / 41);
    expect(bars.reduce((a, b) => a + b.share, 0)).toBeCloseTo(1);
  });
  it('handles an empty profile and zero times', () => {
    expect(topKernels([])).toEqual([]);
    expect(topKernels([row('z', 0, [])])[0]!.share).toBe(0);
  });
});

describe('chromeTraceJson', () => {
  it('builds complete events from rows, end to end', () => {
    const j = JSON.parse(chromeTraceJson(ROWS.slice(0, 2))) as { traceEvents: { name: string; ph: string; ts: number; dur: number; args: { nodes: string[] } }[] };
    expect(j.traceEvents.map((e) => [e.name, e.ph, e.ts, e.dur])).toEqual([['fused_a_b_c', 'X', 0, 30], ['lv10_add', 'X', 30, 5]]);
    expect(j.traceEvents[0]!.args.nodes).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(chromeTraceJson([]))).toEqual({ traceEvents: [], displayTimeUnit: 'ms' });
  });
  it("uses the profiler report's own trace when there is one", () => {
    const calls = [{ name: 'k', kind: 'kernel' as const, startUs: 100, durationUs: 4, argShapes: '', nodes: ['a'], backend: 'js', run: 0 }];
    const report = new ProfileReport(calls, 10, 1, 'cpu0');
    expect(JSON.parse(chromeTraceJson(report))).toEqual(report.chromeTrace());
    expect((JSON.parse(chromeTraceJson(report)) as { traceEvents: { ph: string }[] }).traceEvents[0]!.ph).toBe('X');
  });
});
