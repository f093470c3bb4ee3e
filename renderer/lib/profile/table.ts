/**
 * The profile table model: TVM's columns (Name, Duration (us), Percent, Device, Count, Argument Shapes) plus the
 * source Nodes and the Backend; stable sorting by any column, text filtering, row -> nodes to select, the top
 * kernels for the bar chart, and the Chrome trace export. Plain data in, plain data out: the component renders it.
 */
import type { ProfileRow } from '../../../core/vm/profiler.js';
import type { Resolver } from './attribution.js';
import { formatUs } from './format.js';

/** A column of the table, in display order. */
export type ColumnKey = 'name' | 'durationUs' | 'percent' | 'device' | 'count' | 'argShapes' | 'nodes' | 'backend';

export interface Column {
  readonly key: ColumnKey;
  readonly title: string;
  readonly numeric: boolean;
}

/** TVM's columns, then Nodes and Backend. */
export const COLUMNS: readonly Column[] = [
  { key: 'name', title: 'Name', numeric: false },
  { key: 'durationUs', title: 'Duration (us)', numeric: true },
  { key: 'percent', title: 'Percent', numeric: true },
  { key: 'device', title: 'Device', numeric: false },
  { key: 'count', title: 'Count', numeric: true },
  { key: 'argShapes', title: 'Argument Shapes', numeric: false },
  { key: 'nodes', title: 'Nodes', numeric: false },
  { key: 'backend', title: 'Backend', numeric: false },
];

export type SortDir = 'asc' | 'desc';

/** The table's cell texts for a row, by column. */
export function cells(row: ProfileRow): Record<ColumnKey, string> {
  return {
    name: row.name,
    durationUs: row.durationUs.toFixed(2),
    percent: row.percent.toFixed(2),
    device: row.device,
    count: String(row.count),
    argShapes: row.argShapes,
    nodes: row.nodes.join(', '),
    backend: row.backend,
  };
}

/**
 * Rows sorted by `key` (numbers numerically, text by locale-independent comparison with numbers in names in
 * order: `lv2` before `lv10`). Stable: equal rows keep their order, in both directions.
 */
export function sortRows<R extends ProfileRow>(rows: readonly R[], key: ColumnKey, dir: SortDir = 'asc'): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => sign * compareBy(a.row, b.row, key) || a.i - b.i)
    .map((x) => x.row);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareBy(a: ProfileRow, b: ProfileRow, key: ColumnKey): number {
  if (key === 'durationUs' || key === 'percent' || key === 'count') return a[key] - b[key];
  return collator.compare(cells(a)[key], cells(b)[key]);
}

/**
 * Rows whose name, nodes or backend contain every word of `text` (case-insensitive); an empty filter keeps all.
 * Matching a node matches its bare name (`lv0`) or its graph id (`main/lv0`) as the table shows it.
 */
export function filterRows<R extends ProfileRow>(rows: readonly R[], text: string): R[] {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const hay = [r.name, r.backend, ...r.nodes].join('\n').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The graph node ids to select for a row (names that resolve to no node are skipped). */
export function rowNodes(row: ProfileRow, resolve: Resolver): string[] {
  return [...new Set(row.nodes.map(resolve).filter((id): id is string => id !== undefined))];
}

/** A bar of the top-kernels chart. */
export interface Bar {
  readonly name: string;
  readonly valueUs: number;
  /** Share of the sum of all rows, in [0, 1]. */
  readonly share: number;
  readonly label: string;
}

/** The `n` slowest rows, plus one "other" bar for the rest when there is a rest. */
export function topKernels(rows: readonly ProfileRow[], n = 10): Bar[] {
  const total = rows.reduce((a, r) => a + r.durationUs, 0);
  const bar = (name: string, us: number): Bar => ({ name, valueUs: us, share: total > 0 ? us / total : 0, label: formatUs(us) });
  const sorted = sortRows(rows, 'durationUs', 'desc');
  const bars = sorted.slice(0, Math.max(0, n)).map((r) => bar(r.name, r.durationUs));
  const rest = sorted.slice(Math.max(0, n));
  if (rest.length > 0) bars.push(bar(`other (${rest.length})`, rest.reduce((a, r) => a + r.durationUs, 0)));
  return bars;
}

/** What `chromeTraceJson` exports: the profiler's report when the run kept it, else its rows. */
export type TraceSource = { chromeTrace(): { traceEvents: unknown[]; displayTimeUnit: string } } | readonly ProfileRow[];

/**
 * The Chrome trace (chrome://tracing, Perfetto) as a JSON string. With the report, every timed call is an event
 * (core/vm/profiler.ts); with rows only (a run from history), each row is one "X" event of its median duration,
 * laid end to end in table order.
 */
export function chromeTraceJson(source: TraceSource): string {
  if (!Array.isArray(source)) return JSON.stringify((source as { chromeTrace(): unknown }).chromeTrace());
  return JSON.stringify({ traceEvents: rowsToEvents(source as readonly ProfileRow[]), displayTimeUnit: 'ms' });
}

function rowsToEvents(rows: readonly ProfileRow[]): unknown[] {
  let ts = 0;
  return rows.map((r) => {
    const ev = { name: r.name, cat: r.backend === 'host' ? 'host' : 'kernel', ph: 'X', ts, dur: r.durationUs, pid: 1, tid: 1, args: { nodes: r.nodes, argShapes: r.argShapes, backend: r.backend, count: r.count } };
    ts += r.durationUs;
    return ev;
  });
}
