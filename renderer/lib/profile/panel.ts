/**
 * What the profile panel shows, as plain data: the summary line and its fallback list, the table's sort state as
 * header clicks change it, the rows after filtering and sorting, which rows belong to the selected nodes, the bar
 * chart's tooltips, and the trace file to export. The Svelte components in src/components/profile only render it.
 */
import type { KernelInfo, ProfileSummary } from '../compute/protocol.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import type { Resolver } from './attribution.js';
import { formatUs } from './format.js';
import type { Overlay } from './overlay.js';
import type { Tick } from './scale.js';
import type { Bar, ColumnKey, SortDir } from './table.js';
import { chromeTraceJson, COLUMNS, filterRows, rowNodes, sortRows } from './table.js';

/** The table's sort: a column and a direction. */
export interface SortState {
  readonly key: ColumnKey;
  readonly dir: SortDir;
}

/** The table's starting order: the slowest kernel first, as TVM's report prints it. */
export const DEFAULT_SORT: SortState = { key: 'durationUs', dir: 'desc' };

/**
 * The sort after a click on `key`'s header: the same column flips its direction; another column starts with its
 * most useful end, the largest numbers or text from A.
 */
export function nextSort(current: SortState, key: ColumnKey): SortState {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: COLUMNS.find((c) => c.key === key)?.numeric ? 'desc' : 'asc' };
}

/** The rows the table shows: those matching `filter` (table.ts `filterRows`), in `sort` order. */
export function tableRows<R extends ProfileRow>(rows: readonly R[], filter: string, sort: SortState): R[] {
  return sortRows(filterRows(rows, filter), sort.key, sort.dir);
}

/** The default resolver of the table: names as the profile gives them (bare binding names). */
export const asIs: Resolver = (name) => name;

/** True when a row covers one of the selected nodes (so the table highlights it). */
export function rowSelected(row: ProfileRow, resolve: Resolver, selected: ReadonlySet<string>): boolean {
  return selected.size > 0 && rowNodes(row, resolve).some((id) => selected.has(id));
}

/** The panel's summary: one line, and the kernels that did not run on the chosen device with why. */
export interface Summary {
  readonly line: string;
  readonly fallbacks: readonly string[];
}

/**
 * Summarises a run: `1.23 ms per run (median of 10) on webgl2, 12 kernels`. Fallbacks are the compiled kernels that
 * carry a reason, then kernels the overlay found on another backend at run time (per-call fallbacks), once each.
 */
export function summarize(profile: ProfileSummary, kernels: readonly KernelInfo[], overlay?: Overlay): Summary {
  const runs = profile.repeat === 1 ? '1 timed run' : `median of ${profile.repeat}`;
  const count = profile.rows.filter((r) => r.backend !== 'host').length;
  const line = `${formatUs(profile.totalUs)} per run (${runs}) on ${profile.device}, ${count} kernel${count === 1 ? '' : 's'}`;
  const reasons = new Map<string, string>();
  for (const k of kernels) if (k.fallbackReason && !reasons.has(k.name)) reasons.set(k.name, k.fallbackReason);
  for (const n of overlay?.nodes.values() ?? []) for (const f of n.fallbacks) if (!reasons.has(f.kernel)) reasons.set(f.kernel, f.reason);
  return { line, fallbacks: [...reasons].map(([name, why]) => (why.startsWith(name) ? why : `${name}: ${why}`)) };
}

/**
 * The legend ticks that fit: a tick closer than `minGap` (a fraction of the legend's width) to the one before it is
 * dropped, except the last (the largest time), which replaces its too-close neighbour; the first always stays.
 */
export function legendTicks(ticks: readonly Tick[], minGap = 0.12): Tick[] {
  const out: Tick[] = [];
  ticks.forEach((tick, i) => {
    const prev = out[out.length - 1];
    if (!prev || tick.t - prev.t >= minGap) out.push(tick);
    else if (i === ticks.length - 1 && out.length > 1) out[out.length - 1] = tick;
  });
  return out;
}

/** A bar's tooltip: its time and share of the total, e.g. `1.20 ms (42.0% of the total)`. */
export function barTooltip(bar: Bar): string {
  return `${bar.label} (${(bar.share * 100).toFixed(1)}% of the total)`;
}

/**
 * The Chrome trace of a run as JSON text: the profiler's own trace when the run kept it (every timed call), else
 * one event per row (a run from history keeps rows only).
 */
export function traceJson(p: { readonly rows: readonly ProfileRow[]; readonly trace?: unknown }): string {
  return p.trace !== undefined && p.trace !== null ? JSON.stringify(p.trace) : chromeTraceJson(p.rows);
}

/** The file name an exported trace is saved under: `trace-main-20250102-030405.json` (local time). */
export function traceFileName(func: string, at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}`;
  const time = `${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  const safe = func.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'run';
  return `trace-${safe}-${date}-${time}.json`;
}
