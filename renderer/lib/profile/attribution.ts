/**
 * Node attribution of profile rows, shared by the graph overlay and the run comparison. A profile row names the
 * source bindings of its kernel (provenance: bare var names such as `lv0`); a resolver turns those into graph node
 * ids (`<function>/<var>`). Rows over the same set of nodes form one timing unit: a unit over one node is that
 * node's own time, a unit over several is a fused kernel, shown on its group with the unit's total and counted once
 * in any sum. Host rows (builtins, packed functions) are attributed the same way when they have nodes; rows with
 * no nodes (or none that resolve) are kept separate.
 */
import type { GraphDocument } from '../../../core/ir/graph/index.js';

/** The fields of a profile row this module reads (core/vm/profiler.ts `ProfileRow` fits). */
export interface RowLike {
  readonly name: string;
  readonly durationUs: number;
  readonly backend: string;
  readonly nodes: readonly string[];
}

/** Turns a provenance name into a graph node id, or undefined when the graph has no such node. */
export type Resolver = (name: string) => string | undefined;

/** Rows over one set of nodes. */
export interface TimingUnit<R extends RowLike = RowLike> {
  /** The sorted node ids joined by `,`: the same set in two runs gives the same key. */
  readonly key: string;
  readonly nodes: readonly string[];
  readonly rows: readonly R[];
  readonly timeUs: number;
  /** The part of `timeUs` spent in host rows. */
  readonly hostUs: number;
}

/** Rows split into units over nodes and rows kept separate. */
export interface Attribution<R extends RowLike = RowLike> {
  readonly units: readonly TimingUnit<R>[];
  /** Rows with no node that resolves (e.g. a builtin that came from no binding). */
  readonly separate: readonly R[];
  /** Provenance names that resolved to no graph node. */
  readonly unresolved: readonly string[];
}

/** True for a row the host ran (a builtin or packed function), not a kernel. */
export function isHostRow(row: RowLike): boolean {
  return row.backend === 'host';
}

/**
 * The resolver used without a graph (run history): a name with a `/` is already a node id, any other name is a
 * binding of `func`.
 */
export function functionResolver(func: string): Resolver {
  return (name) => (name.includes('/') ? name : `${func}/${name}`);
}

/**
 * The resolver for a graph: a binding of `func` first, then a binding of the only other Relax function that has
 * that name (a kernel inside a called function). A name that repeats within a function resolves to its first node.
 */
export function graphResolver(doc: Pick<GraphDocument, 'functions'>, func: string): Resolver {
  const own = new Map<string, string>();
  const others = new Map<string, string[]>();
  const ids = new Set<string>();
  for (const f of doc.functions) {
    if (f.kind !== 'relax') continue;
    for (const n of f.nodes) {
      ids.add(n.id);
      if (n.kind !== 'binding') continue;
      if (f.name === func) {
        if (!own.has(n.name)) own.set(n.name, n.id);
      } else others.set(n.name, [...(others.get(n.name) ?? []), n.id]);
    }
  }
  return (name) => (ids.has(name) ? name : own.get(name) ?? uniqueOf(others.get(name)));
}

function uniqueOf(list: readonly string[] | undefined): string | undefined {
  return list && list.length === 1 ? list[0] : undefined;
}

/** Groups `rows` into timing units by the set of nodes each covers (see the file header). */
export function attribute<R extends RowLike>(rows: readonly R[], resolve: Resolver): Attribution<R> {
  const byKey = new Map<string, { nodes: string[]; rows: R[] }>();
  const separate: R[] = [];
  const unresolved = new Set<string>();
  for (const row of rows) {
    const nodes = resolveAll(row.nodes, resolve, unresolved);
    if (nodes.length === 0) {
      separate.push(row);
      continue;
    }
    const key = nodes.join(',');
    const entry = byKey.get(key);
    if (entry) entry.rows.push(row);
    else byKey.set(key, { nodes, rows: [row] });
  }
  const units = [...byKey].map(([key, e]) => makeUnit(key, e.nodes, e.rows));
  return { units, separate, unresolved: [...unresolved] };
}

function resolveAll(names: readonly string[], resolve: Resolver, unresolved: Set<string>): string[] {
  const out = new Set<string>();
  for (const name of names) {
    const id = resolve(name);
    if (id === undefined) unresolved.add(name);
    else out.add(id);
  }
  return [...out].sort();
}

function makeUnit<R extends RowLike>(key: string, nodes: readonly string[], rows: readonly R[]): TimingUnit<R> {
  const timeUs = sumUs(rows);
  const hostUs = sumUs(rows.filter(isHostRow));
  return { key, nodes, rows, timeUs, hostUs };
}

/** The sum of the rows' durations (non-finite durations count as 0). */
export function sumUs(rows: readonly RowLike[]): number {
  return rows.reduce((a, r) => a + (Number.isFinite(r.durationUs) ? r.durationUs : 0), 0);
}

/** Each node's time: the sum of the totals of the units that cover it (a fused group member gets the group total). */
export function nodeTimes(units: readonly TimingUnit[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of units) for (const n of u.nodes) out.set(n, (out.get(n) ?? 0) + u.timeUs);
  return out;
}
