/**
 * What the run comparison shows, as plain data: a label per saved run for the pickers, the pair compared when the
 * user has not picked one (the previous run against the latest), and history.ts `compareRuns` as table rows with
 * readable node names, times, ratio and change, plus the totals and the nodes timed in one run only.
 */
import type { RunRecord } from '../persist/schema.js';
import { formatRatio, formatUs } from './format.js';
import type { Change, CompareEntry, OnlyEntry } from './history.js';
import { compareRuns } from './history.js';

/** `2025-01-02 03:04:05 · webgl2 · 1.23 ms`: when it ran (local time), where, and how long one run took. */
export function runLabel(run: Pick<RunRecord, 'time' | 'device' | 'totalUs'>): string {
  const d = new Date(run.time);
  const two = (n: number) => String(n).padStart(2, '0');
  const when = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${when} · ${run.device} · ${formatUs(run.totalUs)}`;
}

/**
 * The runs to compare: the picked ids when they are still in `runs`, else A is the run before the latest and B the
 * latest (`runs` is newest first, as RunHistory lists it). Undefined where there is no such run.
 */
export function comparePair(runs: readonly RunRecord[], a?: number, b?: number): { a?: RunRecord; b?: RunRecord } {
  const byId = (id?: number) => (id === undefined ? undefined : runs.find((r) => r.id === id));
  return { a: byId(a) ?? runs[1] ?? runs[0], b: byId(b) ?? runs[0] };
}

/** A row of the comparison table. */
export interface CompareRow {
  /** Node ids (`main/lv0`). */
  readonly nodes: readonly string[];
  /** The nodes' var names (`lv0`), what the panels hand to "select these nodes". */
  readonly vars: readonly string[];
  /** The nodes as the graph names them (`lv0, lv1`), without the function prefix. */
  readonly label: string;
  readonly a: string;
  readonly b: string;
  /** `1.50x`: A's time over B's, above 1 when B is faster. */
  readonly ratio: string;
  readonly change: Change;
  /** Set when the runs fused these nodes differently: why A and B are compared as one set. */
  readonly note?: string;
}

/** A node set timed in one run only. */
export interface OnlyRow {
  readonly nodes: readonly string[];
  readonly vars: readonly string[];
  readonly label: string;
  readonly time: string;
}

/** The whole comparison of B against A. */
export interface CompareView {
  readonly rows: readonly CompareRow[];
  readonly onlyA: readonly OnlyRow[];
  readonly onlyB: readonly OnlyRow[];
  readonly total: { readonly a: string; readonly b: string; readonly ratio: string; readonly change: Change };
}

/** Compares run B with run A per node (history.ts) and formats every number for the table. */
export function compareView(a: RunRecord, b: RunRecord, tolerance = 0.05): CompareView {
  const c = compareRuns(a, b, tolerance);
  const ratio = c.totalB > 0 ? c.totalA / c.totalB : c.totalA > 0 ? Infinity : 1;
  const change = totalChange(c.totalA, c.totalB, tolerance);
  return {
    rows: c.entries.map(compareRow),
    onlyA: c.onlyA.map(onlyRow),
    onlyB: c.onlyB.map(onlyRow),
    total: { a: formatUs(c.totalA), b: formatUs(c.totalB), ratio: formatRatio(ratio), change },
  };
}

/** The same rule as history.ts applies per entry, for the totals (which history.ts does not classify). */
function totalChange(aUs: number, bUs: number, tolerance: number): Change {
  if (Math.abs(bUs - aUs) <= tolerance * Math.max(aUs, bUs)) return 'same';
  return bUs < aUs ? 'faster' : 'slower';
}

function compareRow(e: CompareEntry): CompareRow {
  return {
    nodes: e.nodes, vars: e.nodes.map(varOf), label: nodeNames(e.nodes), a: formatUs(e.aUs), b: formatUs(e.bUs), ratio: formatRatio(e.ratio), change: e.change,
    ...(e.regrouped ? { note: 'fused differently in the two runs; compared as one set' } : {}),
  };
}

function onlyRow(e: OnlyEntry): OnlyRow {
  return { nodes: e.nodes, vars: e.nodes.map(varOf), label: nodeNames(e.nodes), time: formatUs(e.timeUs) };
}

/** Node ids (`main/lv0`) as the graph shows them (`lv0`), comma separated. */
export function nodeNames(ids: readonly string[]): string {
  return ids.map(varOf).join(', ');
}

/** A node id's var name: the part after the last `/`. */
export function varOf(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
