/**
 * Run history: each run's settings, output summaries, profile rows and kernels, kept per project in the database
 * (`runs`, schema v3), and the side-by-side comparison of two runs per node.
 *
 * Comparison uses the overlay's attribution (attribution.ts): a fused kernel's time belongs to its group of nodes.
 * When the two runs fused differently (a fused kernel over a, b, c in one; three kernels in the other), times are
 * compared over the smallest sets of nodes on which both runs' units agree: units that share a node are merged,
 * so a group is compared with the sum of its parts and nothing is counted twice.
 */
import type { StudioDB } from '../persist/db.js';
import type { RunRecord } from '../persist/schema.js';
import type { RowLike, TimingUnit } from './attribution.js';
import { attribute, functionResolver } from './attribution.js';

/** A run to save (the id and schema tag are added). */
export type NewRun = Omit<RunRecord, 'id' | 'schema'>;

/** How many runs a project keeps; saving one more drops the oldest. */
export const MAX_RUNS = 50;

/** Run storage over the database's `runs` table. */
export class RunHistory {
  constructor(readonly db: StudioDB, readonly maxRuns: number = MAX_RUNS) {}

  /** Saves a run, drops the project's oldest runs beyond `maxRuns`, and returns the new run's id. */
  async save(run: NewRun): Promise<number> {
    return this.db.transaction('rw', this.db.runs, async () => {
      const id = (await this.db.runs.add({ ...run, schema: 3 }))!;
      const keys = await this.byProject(run.projectId).primaryKeys();
      const extra = keys.length - this.maxRuns;
      if (extra > 0) await this.db.runs.bulkDelete(keys.slice(0, extra));
      return id;
    });
  }

  /** The project's runs, newest first. */
  async list(projectId: number): Promise<RunRecord[]> {
    return (await this.byProject(projectId).toArray()).reverse();
  }

  async get(id: number): Promise<RunRecord | undefined> {
    return this.db.runs.get(id);
  }

  async delete(id: number): Promise<void> {
    await this.db.runs.delete(id);
  }

  /** Deletes every run of a project (when the project is deleted). */
  async deleteProject(projectId: number): Promise<void> {
    await this.byProject(projectId).delete();
  }

  private byProject(projectId: number) {
    return this.db.runs.where('[projectId+time]').between([projectId, -Infinity], [projectId, Infinity]);
  }
}

/** What a comparison entry says about run B relative to run A. */
export type Change = 'faster' | 'slower' | 'same';

/** A set of nodes timed in both runs. */
export interface CompareEntry {
  readonly nodes: readonly string[];
  readonly aUs: number;
  readonly bUs: number;
  /** `aUs / bUs`: above 1 is a speed-up of B over A (Infinity when B took no time and A did; 1 when both took none). */
  readonly ratio: number;
  /** `bUs - aUs`: negative is time saved. */
  readonly deltaUs: number;
  readonly change: Change;
  /** True when the runs' kernels cover these nodes differently (different fusion). */
  readonly regrouped: boolean;
}

/** A set of nodes timed in one run only. */
export interface OnlyEntry {
  readonly nodes: readonly string[];
  readonly timeUs: number;
}

export interface Comparison {
  readonly entries: readonly CompareEntry[];
  /** Entry per node id, for colouring the graph. */
  readonly byNode: ReadonlyMap<string, CompareEntry>;
  readonly onlyA: readonly OnlyEntry[];
  readonly onlyB: readonly OnlyEntry[];
  readonly totalA: number;
  readonly totalB: number;
}

/** The smallest profile data a comparison needs: the run's function and its rows. */
export interface ComparableRun {
  readonly settings: { readonly func: string };
  readonly profile: readonly RowLike[];
}

/**
 * Compares run B with run A per node (see the file header). Changes within `tolerance` (relative, default 5%) are
 * `same`. Entries are sorted by the largest absolute delta first.
 */
export function compareRuns(a: ComparableRun, b: ComparableRun, tolerance = 0.05): Comparison {
  const ua = attribute(a.profile, functionResolver(a.settings.func)).units;
  const ub = attribute(b.profile, functionResolver(b.settings.func)).units;
  const entries: CompareEntry[] = [];
  const onlyA: OnlyEntry[] = [];
  const onlyB: OnlyEntry[] = [];
  for (const c of components(ua, ub)) {
    if (c.a.length === 0) onlyB.push(only(c.nodes, c.b));
    else if (c.b.length === 0) onlyA.push(only(c.nodes, c.a));
    else entries.push(entry(c, tolerance));
  }
  entries.sort((x, y) => Math.abs(y.deltaUs) - Math.abs(x.deltaUs) || x.nodes[0]!.localeCompare(y.nodes[0]!));
  const byNode = new Map(entries.flatMap((e) => e.nodes.map((n) => [n, e] as const)));
  return { entries, byNode, onlyA, onlyB, totalA: total(ua), totalB: total(ub) };
}

interface Component {
  readonly nodes: string[];
  readonly a: TimingUnit[];
  readonly b: TimingUnit[];
}

/** Units of both runs merged into the connected sets of nodes they cover (union-find over node ids). */
function components(ua: readonly TimingUnit[], ub: readonly TimingUnit[]): Component[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  for (const u of [...ua, ...ub]) for (const n of u.nodes) parent.set(find(n), find(u.nodes[0]!));
  const byRoot = new Map<string, Component>();
  const get = (n: string): Component => {
    const r = find(n);
    let c = byRoot.get(r);
    if (!c) byRoot.set(r, (c = { nodes: [], a: [], b: [] }));
    return c;
  };
  for (const n of [...parent.keys()].sort()) get(n).nodes.push(n);
  for (const u of ua) get(u.nodes[0]!).a.push(u);
  for (const u of ub) get(u.nodes[0]!).b.push(u);
  return [...byRoot.values()];
}

function entry(c: Component, tolerance: number): CompareEntry {
  const aUs = total(c.a);
  const bUs = total(c.b);
  const ratio = bUs > 0 ? aUs / bUs : aUs > 0 ? Infinity : 1;
  return { nodes: c.nodes, aUs, bUs, ratio, deltaUs: bUs - aUs, change: changeOf(aUs, bUs, tolerance), regrouped: !sameKeys(c.a, c.b) };
}

function changeOf(aUs: number, bUs: number, tolerance: number): Change {
  if (Math.abs(bUs - aUs) <= tolerance * Math.max(aUs, bUs)) return 'same';
  return bUs < aUs ? 'faster' : 'slower';
}

function sameKeys(a: readonly TimingUnit[], b: readonly TimingUnit[]): boolean {
  const ka = a.map((u) => u.key).sort().join('|');
  return ka === b.map((u) => u.key).sort().join('|');
}

function only(nodes: string[], units: readonly TimingUnit[]): OnlyEntry {
  return { nodes, timeUs: total(units) };
}

function total(units: readonly TimingUnit[]): number {
  return units.reduce((s, u) => s + u.timeUs, 0);
}
