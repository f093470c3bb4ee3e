/**
 * The persisted record shapes, one per schema version, and the pure functions that upgrade a record from one version
 * to the next. db.ts declares the Dexie stores and wires these functions into Dexie's `upgrade()` hooks; keeping the
 * record transforms here, free of Dexie, lets them be tested on plain objects as well as on a real v1 database.
 *
 * Version history (never edit a shipped version; add a new one with its upgrade function):
 * - v1: projects {id, name, text, layout (positions as a JSON string), theme, updatedAt}; versions {id, projectId,
 *   createdAt, text, layout}; meta {key, value}.
 * - v2: layout becomes a `positions` object; theme moves into `settings` with the text-pane flag and the active
 *   function; projects gain `filePath`/`dirty`/`createdAt`; versions gain a `reason` and settings; a `files` table
 *   tracks files opened from disk; every record carries `schema: 2`.
 * - v3: adds a `runs` table (run history: settings, output summaries, profile rows, kernels; `schema: 3`). Records
 *   of the other tables keep their v2 shape and `schema: 2`; the upgrade only creates the table.
 */
import type { Position } from '../../../core/ir/graph/index.js';

/** The schema version this build writes. */
export const SCHEMA_VERSION = 3;

/** Node positions by node id (layout only, never part of the text). */
export type Positions = Readonly<Record<string, Position>>;

export type Theme = 'light' | 'dark';

/** Per-project view settings kept beside the text. */
export interface ProjectSettings {
  readonly theme: Theme;
  readonly textPaneOpen: boolean;
  readonly activeFunction?: string;
  /**
   * The project's JavaScript packed functions by name (issue 6). Optional, so v2 records read as they are: an
   * absent field means none.
   */
  readonly packed?: Readonly<Record<string, string>>;
}

export const DEFAULT_SETTINGS: ProjectSettings = { theme: 'light', textPaneOpen: true };

/** A project as stored in v1 (kept for the migration and its test). */
export interface ProjectV1 {
  id?: number;
  name: string;
  text: string;
  /** JSON of `Record<nodeId, {x, y}>`. */
  layout: string;
  theme: Theme;
  updatedAt: number;
}

/** A saved version as stored in v1. */
export interface VersionV1 {
  id?: number;
  projectId: number;
  createdAt: number;
  text: string;
  layout: string;
}

/** A project: its text (the source of truth), its layout and settings, and the file it came from, if any. */
export interface ProjectRecord {
  id?: number;
  schema: 2;
  name: string;
  text: string;
  positions: Positions;
  settings: ProjectSettings;
  /** Path of the file on disk (desktop) or the file name (browser) this project was opened from or saved to. */
  filePath?: string;
  /** True when the text differs from what was last written to `filePath`. */
  dirty: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Why a version was taken. */
export type VersionReason = 'save' | 'interval' | 'manual' | 'before-restore' | 'migrated';

/** A snapshot of a project to go back to. */
export interface VersionRecord {
  id?: number;
  schema: 2;
  projectId: number;
  createdAt: number;
  reason: VersionReason;
  text: string;
  positions: Positions;
  settings: ProjectSettings;
}

/** A file opened from (or saved to) disk: which project holds it, and when it was last opened. */
export interface FileRecord {
  schema: 2;
  path: string;
  projectId: number;
  openedAt: number;
}

/** A key/value row (e.g. `lastProjectId`). */
export interface MetaRecord {
  key: string;
  value: unknown;
}

/**
 * Reads a v1 layout string. A damaged string loses only the layout (the graph is laid out again), never the text.
 */
export function parseLayoutV1(layout: string): Positions {
  try {
    const raw: unknown = JSON.parse(layout);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const out: Record<string, Position> = {};
    for (const [id, p] of Object.entries(raw as Record<string, unknown>)) {
      if (isPosition(p)) out[id] = { x: p.x, y: p.y };
    }
    return out;
  } catch {
    return {};
  }
}

function isPosition(p: unknown): p is Position {
  const o = p as { x?: unknown; y?: unknown } | null;
  return !!o && typeof o.x === 'number' && typeof o.y === 'number' && Number.isFinite(o.x) && Number.isFinite(o.y);
}

/** v1 -> v2 for a project record. */
export function upgradeProjectV1(p: ProjectV1): ProjectRecord {
  return {
    ...(p.id !== undefined ? { id: p.id } : {}),
    schema: 2,
    name: p.name,
    text: p.text,
    positions: parseLayoutV1(p.layout),
    settings: { ...DEFAULT_SETTINGS, theme: p.theme === 'dark' ? 'dark' : 'light' },
    dirty: false,
    createdAt: p.updatedAt,
    updatedAt: p.updatedAt,
  };
}

/** v1 -> v2 for a version record (v1 versions were all taken on a timer). */
export function upgradeVersionV1(v: VersionV1): VersionRecord {
  return {
    ...(v.id !== undefined ? { id: v.id } : {}),
    schema: 2,
    projectId: v.projectId,
    createdAt: v.createdAt,
    reason: 'interval',
    text: v.text,
    positions: parseLayoutV1(v.layout),
    settings: DEFAULT_SETTINGS,
  };
}

/** How one input of a run was made. */
export interface RunInputSpec {
  readonly name: string;
  readonly kind: 'random' | 'zeros' | 'ones' | 'npy';
  readonly seed?: number;
  /** The `.npy` file's name (kind `npy`). */
  readonly file?: string;
}

/** What a run was asked to do. */
export interface RunSettings {
  readonly func: string;
  /** Symbolic dims bound by the user (`n = 64`). */
  readonly sym: Readonly<Record<string, number>>;
  readonly inputs: readonly RunInputSpec[];
  /** The device chosen ("auto", "webgpu", "webgl2", "webgl", "wasm", "cpu"). */
  readonly device: string;
  readonly repeat: number;
  readonly warmup?: number;
}

/** An output's summary, as the run panel shows it. */
export interface RunOutputSummary {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly nanCount: number;
  readonly infCount: number;
  readonly preview: readonly number[];
}

/** A profile row as stored (the fields of core/vm/profiler.ts `ProfileRow`, copied so that the stored shape is explicit). */
export interface RunProfileRow {
  readonly name: string;
  readonly durationUs: number;
  readonly percent: number;
  readonly device: string;
  readonly count: number;
  readonly argShapes: string;
  readonly backend: string;
  readonly nodes: readonly string[];
}

/** A kernel of the run and the backend it ran on (with why, when it fell back). */
export interface RunKernel {
  readonly name: string;
  readonly backend: string;
  readonly fallbackReason?: string;
}

/** One run of a project, kept for the history and comparisons. */
export interface RunRecord {
  id?: number;
  schema: 3;
  projectId: number;
  time: number;
  settings: RunSettings;
  /** The device the run actually used (after fallbacks), e.g. "wasm". */
  device: string;
  outputs: readonly RunOutputSummary[];
  profile: readonly RunProfileRow[];
  kernels: readonly RunKernel[];
  /** Median wall time of one run of the function. */
  totalUs: number;
}
