/**
 * The graph view model: one Relax function of a GraphDocument as xyflow nodes and edges, plain TS (tested in Node).
 * - params, bindings and the output are `op` nodes (data: var name, op, input count, short and full struct info,
 *   the error of a node whose inference failed); dataflow blocks are `group` nodes drawn behind their members;
 * - each edge carries the producer's struct info (short label, full hover) and is red when either end failed;
 * - a collapsed block is one `collapsed` node with its binding count; edges crossing it are re-pointed to it;
 * - after a run, a timed node carries its time, heat colours, fallback reason and fused group (`timing`).
 * Positions come from the stored layout, else from the automatic layout given (./layout.ts).
 */
import type { Edge, Node } from '@xyflow/svelte';
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { GraphDocument, GraphNode, Position, RelaxGraph } from '../../../core/ir/graph/model.js';
import { bindingInputs, exprInputs } from '../../../core/ir/graph/uses.js';
import { printStructInfo } from '../../../core/ir/printer/index.js';
import type { StructInfo } from '../../../core/ir/relax/nodes.js';
import { SI } from '../../../core/ir/relax/nodes.js';
import { formatUs } from '../profile/format.js';
import { textOn } from '../profile/scale.js';
import type { NodeTiming, Overlay } from '../profile/overlay.js';
import { shortSInfo } from './short.js';

/** Node size used by layout and group boxes. */
export const NODE_W = 190;
export const NODE_H = 56;

/** What an `op` node shows. */
export interface OpNodeData extends Record<string, unknown> {
  readonly var: string;
  readonly op: string;
  readonly kind: 'param' | 'binding' | 'output';
  readonly inputs: readonly string[];
  readonly short: string;
  readonly full: string;
  readonly error?: string;
  readonly callee?: string;
  readonly timing?: NodeTimingView;
}

/** What a node shows of the last run: its time badge, heat colours, why it fell back, and its fused group. */
export interface NodeTimingView {
  /** The node's time, e.g. `1.23 ms` (a fused group member shows the group's total). */
  readonly label: string;
  /** Heat colour of the node body, and the text colour that reads on it. */
  readonly colour: string;
  readonly textColour: string;
  /** Why its kernel did not run on the chosen device (absent when it did). */
  readonly fallback?: string;
  /** The fused kernel(s) it shares with other nodes: `fused ×3` and the total they take. */
  readonly group?: { readonly label: string; readonly total: string };
}

/** What a `collapsed` block node shows. */
export interface CollapsedData extends Record<string, unknown> {
  readonly group: string;
  readonly count: number;
  readonly label: string;
  /** After a run: the total time of the block's nodes (each fused kernel counted once) and how many were timed. */
  readonly timing?: { readonly label: string; readonly colour: string; readonly textColour: string; readonly timed: number };
}

/** What an edge shows. */
export interface EdgeData extends Record<string, unknown> {
  readonly sourceVar: string;
  readonly targetVar: string;
  readonly short: string;
  readonly full: string;
  readonly error: boolean;
}

export interface ViewOptions {
  readonly positions: Readonly<Record<string, Position>>;
  readonly layout: Readonly<Record<string, Position>>;
  readonly diagnostics: readonly Diagnostic[];
  readonly collapsed: ReadonlySet<string>;
  readonly selection: readonly string[];
  /** The last run's timings (lib/profile/overlay.ts); nodes without a timing show no badge. */
  readonly timings?: Overlay;
}

export interface GraphView {
  readonly nodes: Node[];
  readonly edges: Edge[];
}

/** The Relax function `name` of a document, if any. */
export function relaxGraph(doc: GraphDocument | undefined, name: string): RelaxGraph | undefined {
  const f = doc?.functions.find((x) => x.name === name);
  return f?.kind === 'relax' ? f : undefined;
}

/** The var name of a node id (`main/lv0#2` gives `lv0`): what the selection's ids name in the IR. */
export function varOfId(id: string): string {
  return id.slice(id.indexOf('/') + 1).replace(/#\d+$/, '');
}

/** The var name a node shows (`return` for the output). */
export function nodeVar(n: GraphNode): string {
  return n.kind === 'param' ? n.name : n.kind === 'binding' ? n.binding.v.name : 'return';
}

function nodeSInfo(n: GraphNode): StructInfo {
  return n.kind === 'param' ? n.var.sinfo : n.kind === 'binding' ? n.binding.v.sinfo : SI.object();
}

function nodeInputs(n: GraphNode): string[] {
  const vs = n.kind === 'binding' ? bindingInputs(n.binding) : n.kind === 'output' ? exprInputs(n.expr) : [];
  return vs.map((v) => `${v.name}: ${shortSInfo(v.sinfo)}`);
}

/** Error diagnostics by node id: a diagnostic belongs to the binding whose span contains it. */
export function nodeErrors(g: RelaxGraph, diagnostics: readonly Diagnostic[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of diagnostics) {
    if (d.severity !== 'error' || !d.span) continue;
    const n = g.nodes.find((x) => x.span && x.kind !== 'output' && x.span.start <= d.span!.start && d.span!.end <= x.span.end);
    if (n && !out.has(n.id)) out.set(n.id, `${d.code}: ${d.message}`);
  }
  return out;
}

/** Builds the view of one function (see the file header). */
export function graphView(g: RelaxGraph, o: ViewOptions): GraphView {
  const errors = nodeErrors(g, o.diagnostics);
  const hidden = new Map<string, string>();
  for (const grp of g.groups) if (o.collapsed.has(grp.id)) for (const id of grp.nodes) hidden.set(id, grp.id);
  const pos = (id: string): Position => o.positions[id] ?? o.layout[id] ?? { x: 0, y: 0 };
  const selected = new Set(o.selection);
  const nodes: Node[] = [...groupNodes(g, o, hidden, pos)];
  const vars = new Map<string, GraphNode>();
  for (const n of g.nodes) {
    vars.set(n.id, n);
    if (hidden.has(n.id)) continue;
    const si = nodeSInfo(n);
    const error = errors.get(n.id);
    const data: OpNodeData = {
      var: nodeVar(n), op: n.op, kind: n.kind, inputs: nodeInputs(n), short: n.kind === 'output' ? '' : shortSInfo(si),
      full: n.kind === 'output' ? '' : printStructInfo(si), ...(error ? { error } : {}),
      ...(n.kind === 'binding' && n.callee ? { callee: n.callee } : {}),
      ...timingData(o.timings, n.id),
    };
    nodes.push({ id: n.id, type: 'op', position: pos(n.id), data, selected: selected.has(n.id), width: NODE_W, height: NODE_H });
  }
  if (o.timings) {
    // Above the blocks, below the nodes (same zIndex: array order decides).
    const at = nodes.findIndex((n) => n.type === 'op');
    nodes.splice(at < 0 ? nodes.length : at, 0, ...fusedNodes(o.timings, hidden, pos));
  }
  return { nodes, edges: viewEdges(g, vars, hidden, errors) };
}

/** What a fused-kernel outline shows: its kernels and their total time, in the heat colour of that total. */
export interface FusedData extends Record<string, unknown> {
  readonly key: string;
  readonly kernels: string;
  readonly total: string;
  readonly count: number;
  readonly colour: string;
}

/**
 * One outline per fused kernel (an overlay group of several nodes) around its visible members, drawn behind the
 * nodes with the kernel's total: the time is the group's, not any one node's. Groups with a collapsed member are
 * left to the collapsed block's total.
 */
export function fusedNodes(o: Overlay, hidden: ReadonlyMap<string, string>, pos: (id: string) => Position): Node[] {
  const out: Node[] = [];
  for (const grp of o.groups) {
    if (grp.nodes.some((id) => hidden.has(id))) continue;
    const ps = grp.nodes.map(pos);
    const x0 = Math.min(...ps.map((p) => p.x)) - 10;
    const y0 = Math.min(...ps.map((p) => p.y)) - 24;
    const x1 = Math.max(...ps.map((p) => p.x)) + NODE_W + 10;
    const y1 = Math.max(...ps.map((p) => p.y)) + NODE_H + 10;
    const data: FusedData = { key: grp.key, kernels: grp.kernels.join(' + '), total: grp.label, count: grp.nodes.length, colour: o.scale.colour(grp.totalUs) };
    out.push({
      id: `fused:${grp.key}`, type: 'fused', position: { x: x0, y: y0 }, data, width: x1 - x0, height: y1 - y0,
      draggable: false, selectable: false, focusable: false, zIndex: -1,
    });
  }
  return out;
}

/** The `timing` field of a node's data, or nothing when the overlay has no time for it. */
function timingData(o: Overlay | undefined, id: string): { timing?: NodeTimingView } {
  const t = o?.nodes.get(id);
  return t ? { timing: timingView(o!, t) } : {};
}

/**
 * A node's timing as the node draws it. A node in several fused groups (rare: two fused kernels that both read its
 * result) counts the nodes of all of them, and its label is their sum, the same as `NodeTiming.timeUs`.
 */
export function timingView(o: Overlay, t: NodeTiming): NodeTimingView {
  const groups = o.groups.filter((g) => t.groups.includes(g.key));
  const members = new Set(groups.flatMap((g) => g.nodes));
  const reasons = [...new Set(t.fallbacks.map((f) => f.reason))];
  return {
    label: t.label, colour: t.colour, textColour: t.textColour,
    ...(reasons.length ? { fallback: reasons.join('; ') } : {}),
    ...(groups.length ? { group: { label: `fused ×${members.size}`, total: formatUs(groups.reduce((a, g) => a + g.totalUs, 0)) } } : {}),
  };
}

/**
 * The time of a block's nodes: each node's own kernels plus every fused group touching the block once (a node's
 * `timeUs` already includes its groups' totals, so summing those would count a fused kernel once per member).
 */
export function blockTiming(o: Overlay, members: readonly string[]): CollapsedData['timing'] {
  let own = 0;
  let timed = 0;
  const groups = new Set<string>();
  for (const id of members) {
    const t = o.nodes.get(id);
    if (!t) continue;
    timed++;
    const mine = o.groups.filter((g) => t.groups.includes(g.key));
    own += t.timeUs - mine.reduce((a, g) => a + g.totalUs, 0);
    for (const g of mine) groups.add(g.key);
  }
  if (timed === 0) return undefined;
  const us = own + o.groups.filter((g) => groups.has(g.key)).reduce((a, g) => a + g.totalUs, 0);
  const colour = o.scale.colour(us);
  return { label: formatUs(us), colour, textColour: textOn(colour), timed };
}

function groupNodes(g: RelaxGraph, o: ViewOptions, hidden: Map<string, string>, pos: (id: string) => Position): Node[] {
  const out: Node[] = [];
  for (const grp of g.groups) {
    if (grp.nodes.length === 0) continue;
    if (o.collapsed.has(grp.id)) {
      const timing = o.timings ? blockTiming(o.timings, grp.nodes) : undefined;
      const data: CollapsedData = {
        group: grp.id, count: grp.nodes.length, label: grp.kind === 'dataflow' ? 'dataflow block' : 'block', ...(timing ? { timing } : {}),
      };
      out.push({ id: grp.id, type: 'collapsed', position: pos(grp.id), data, width: NODE_W, height: NODE_H });
      continue;
    }
    if (grp.kind !== 'dataflow') continue;
    const ps = grp.nodes.filter((id) => !hidden.has(id)).map(pos);
    const x0 = Math.min(...ps.map((p) => p.x)) - 20;
    const y0 = Math.min(...ps.map((p) => p.y)) - 34;
    const x1 = Math.max(...ps.map((p) => p.x)) + NODE_W + 20;
    const y1 = Math.max(...ps.map((p) => p.y)) + NODE_H + 20;
    out.push({
      id: grp.id, type: 'block', position: { x: x0, y: y0 }, data: { count: grp.nodes.length, group: grp.id },
      width: x1 - x0, height: y1 - y0, draggable: false, selectable: false, zIndex: -1,
    });
  }
  return out;
}

function viewEdges(g: RelaxGraph, nodes: Map<string, GraphNode>, hidden: Map<string, string>, errors: Map<string, string>): Edge[] {
  const out: Edge[] = [];
  const seen = new Set<string>();
  for (const e of g.edges) {
    const src = hidden.get(e.source) ?? e.source;
    const dst = hidden.get(e.target) ?? e.target;
    if (src === dst) continue;
    const id = hidden.has(e.source) || hidden.has(e.target) ? `${src}->${dst}` : `${e.source}->${e.target}#${e.targetInput}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const producer = nodes.get(e.source)!;
    const consumer = nodes.get(e.target)!;
    const si = nodeSInfo(producer);
    const data: EdgeData = {
      sourceVar: nodeVar(producer), targetVar: nodeVar(consumer), short: shortSInfo(si), full: printStructInfo(si),
      error: errors.has(e.source) || errors.has(e.target),
    };
    out.push({
      id, source: src, target: dst, type: 'sinfo', data,
      sourceHandle: 'out', targetHandle: hidden.has(e.target) ? 'in' : `in${e.targetInput}`,
    });
  }
  return out;
}
