/**
 * Timings drawn on the graph: from one run's profile rows and the graph, the time, heat colour, fused group and
 * fallback of every node, plus the legend. Attribution rules are in attribution.ts; the colour scale in scale.ts.
 * A component only reads `timingOf(id)` for a node's badge and `legend` for the scale.
 */
import type { GraphDocument } from '../../../core/ir/graph/index.js';
import type { Attribution, RowLike, TimingUnit } from './attribution.js';
import { attribute, graphResolver, isHostRow, nodeTimes, sumUs } from './attribution.js';
import { formatUs } from './format.js';
import type { HeatScale, ScaleMode } from './scale.js';
import { heatScale, textOn } from './scale.js';

/** A kernel as compiled for the run: its backend and, when it fell back from the chosen device, why. */
export interface KernelInfo {
  readonly name: string;
  readonly backend: string;
  readonly fallbackReason?: string;
}

/** A fused kernel (or several kernels) covering more than one node, drawn as one group with its total. */
export interface TimingGroup {
  readonly key: string;
  readonly nodes: readonly string[];
  readonly kernels: readonly string[];
  readonly totalUs: number;
  readonly label: string;
}

/** Why a node's kernel did not run on the chosen device. */
export interface Fallback {
  readonly kernel: string;
  readonly backend: string;
  readonly reason: string;
}

/** What a node shows after a run. */
export interface NodeTiming {
  readonly id: string;
  /** The node's own kernels plus the totals of the groups it belongs to. */
  readonly timeUs: number;
  /** The part of `timeUs` spent in host rows (builtins, packed functions). */
  readonly hostUs: number;
  readonly label: string;
  readonly colour: string;
  readonly textColour: string;
  /** Keys of the groups (fused kernels) this node is part of; its time is theirs, counted once in sums. */
  readonly groups: readonly string[];
  readonly kernels: readonly string[];
  readonly backends: readonly string[];
  readonly fallbacks: readonly Fallback[];
}

export interface OverlayOptions {
  /** The run's function: bare provenance names resolve to its nodes first. */
  readonly func: string;
  readonly mode?: ScaleMode;
  readonly kernels?: readonly KernelInfo[];
  /** The backend the chosen device runs kernels on ("webgl2", "webasm"); a kernel row on another one is a fallback. */
  readonly expectedBackend?: string;
}

/** The overlay of one run on a graph. */
export interface Overlay {
  readonly nodes: ReadonlyMap<string, NodeTiming>;
  readonly groups: readonly TimingGroup[];
  /** Rows attributed to no node, shown beside the graph (e.g. in the table only). */
  readonly separate: readonly RowLike[];
  readonly unresolved: readonly string[];
  /** Binding nodes of the run's function with no time (nothing ran for them, or they were folded away). */
  readonly untimed: readonly string[];
  /** Sum of all rows, each counted once. */
  readonly totalUs: number;
  /** Sum of the rows drawn on nodes, each counted once. */
  readonly attributedUs: number;
  readonly scale: HeatScale;
}

/** Computes the overlay of `rows` on `doc` (see the file header). */
export function buildOverlay(rows: readonly RowLike[], doc: Pick<GraphDocument, 'functions'>, options: OverlayOptions): Overlay {
  const att = attribute(rows, graphResolver(doc, options.func));
  const times = nodeTimes(att.units);
  const scale = heatScale(times.values(), options.mode ?? 'linear');
  const fallbackOf = fallbackFinder(options.kernels ?? [], options.expectedBackend);
  const nodes = new Map<string, NodeTiming>();
  for (const [id, timeUs] of times) nodes.set(id, nodeTiming(id, timeUs, att, scale, fallbackOf));
  return {
    nodes,
    groups: att.units.filter((u) => u.nodes.length > 1).map(toGroup),
    separate: att.separate,
    unresolved: att.unresolved,
    untimed: bindingIds(doc, options.func).filter((id) => !nodes.has(id)),
    totalUs: sumUs(rows),
    attributedUs: att.units.reduce((a, u) => a + u.timeUs, 0),
    scale,
  };
}

/** The same overlay under another scale mode (times and groups are unchanged; colours and the legend follow). */
export function withMode(o: Overlay, mode: ScaleMode): Overlay {
  const scale = heatScale([...o.nodes.values()].map((n) => n.timeUs), mode);
  const nodes = new Map([...o.nodes].map(([id, n]) => [id, { ...n, ...colours(scale, n.timeUs) }]));
  return { ...o, nodes, scale };
}

/** A node's timing, or undefined when it has none (no badge). */
export function timingOf(o: Overlay, id: string): NodeTiming | undefined {
  return o.nodes.get(id);
}

function nodeTiming(id: string, timeUs: number, att: Attribution, scale: HeatScale, fallbackOf: (r: RowLike) => Fallback | undefined): NodeTiming {
  const units = att.units.filter((u) => u.nodes.includes(id));
  const rows = units.flatMap((u) => u.rows);
  return {
    id,
    timeUs,
    hostUs: units.reduce((a, u) => a + u.hostUs, 0),
    label: formatUs(timeUs),
    ...colours(scale, timeUs),
    groups: units.filter((u) => u.nodes.length > 1).map((u) => u.key),
    kernels: [...new Set(rows.map((r) => r.name))],
    backends: [...new Set(rows.flatMap((r) => r.backend.split('+')))],
    fallbacks: rows.map(fallbackOf).filter((f): f is Fallback => f !== undefined),
  };
}

function colours(scale: HeatScale, us: number): { colour: string; textColour: string } {
  const colour = scale.colour(us);
  return { colour, textColour: textOn(colour) };
}

function toGroup(u: TimingUnit): TimingGroup {
  return { key: u.key, nodes: u.nodes, kernels: [...new Set(u.rows.map((r) => r.name))], totalUs: u.timeUs, label: formatUs(u.timeUs) };
}

/**
 * A kernel row fell back when its compiled kernel carries a fallback reason, or when it ran on a backend other than
 * the expected one (a per-call fallback shows as `webgl2+js`). Host rows never fall back.
 */
export function fallbackFinder(kernels: readonly KernelInfo[], expectedBackend?: string): (row: RowLike) => Fallback | undefined {
  const byName = new Map(kernels.map((k) => [k.name, k]));
  return (row) => {
    if (isHostRow(row)) return undefined;
    const k = byName.get(row.name);
    if (k?.fallbackReason) return { kernel: row.name, backend: k.backend, reason: k.fallbackReason };
    const other = expectedBackend ? row.backend.split('+').find((b) => b !== expectedBackend) : undefined;
    if (other) return { kernel: row.name, backend: other, reason: `${row.name} ran on ${other}, not ${expectedBackend}` };
    return undefined;
  };
}

function bindingIds(doc: Pick<GraphDocument, 'functions'>, func: string): string[] {
  const f = doc.functions.find((g) => g.kind === 'relax' && g.name === func);
  return f && f.kind === 'relax' ? f.nodes.filter((n) => n.kind === 'binding').map((n) => n.id) : [];
}
