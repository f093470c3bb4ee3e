/**
 * Project storage over the Dexie database: create, load and save projects, remember the last one, keep the version
 * history (take, list, restore, prune) and track files opened from disk. Every method is one small transaction;
 * nothing here knows about the document store (autosave.ts connects the two).
 */
import type { StudioDB } from './db.js';
import type { FileRecord, Positions, ProjectRecord, ProjectSettings, VersionReason, VersionRecord } from './schema.js';
import { DEFAULT_SETTINGS } from './schema.js';

/** What a caller gives to create or update a project. */
export interface ProjectContent {
  readonly text: string;
  readonly positions: Positions;
  readonly settings: ProjectSettings;
  readonly filePath?: string;
  readonly dirty: boolean;
}

/** How many versions a project keeps; the oldest interval snapshots go first. */
export const MAX_VERSIONS = 100;

const LAST_PROJECT = 'lastProjectId';

/** The name shown for a project: its file's base name, or "Untitled: " and what the text is about. */
export function projectName(filePath?: string, text?: string): string {
  const base = filePath?.split(/[\\/]/).pop();
  if (base) return base;
  return text ? `Untitled: ${textSummary(text)}` : 'Untitled';
}

/**
 * What an untitled project is about, from its text (a cheap scan, no parse: it runs on every save): the first
 * Relax function and its first few ops, `main (conv2d, add, relu, …)`.
 */
export function textSummary(text: string): string {
  const fn = /@R\.function[^\n]*\n\s*def (\w+)\(/.exec(text)?.[1] ?? /def (\w+)\(/.exec(text)?.[1];
  const ops: string[] = [];
  for (const m of text.matchAll(/= R\.(?:nn\.)?([\w.]+)\(/g)) {
    if (!ops.includes(m[1]!)) ops.push(m[1]!);
    if (ops.length > 3) break;
  }
  const list = ops.length > 3 ? `${ops.slice(0, 3).join(', ')}, …` : ops.join(', ');
  return fn ? (list ? `${fn} (${list})` : fn) : list || 'empty';
}

/** Project, version and file storage (see the file header). */
export class ProjectRepo {
  constructor(readonly db: StudioDB, readonly now: () => number = Date.now) {}

  /** Creates a project and makes it the last one opened; returns its id. */
  async create(content: ProjectContent): Promise<number> {
    const t = this.now();
    return this.db.transaction('rw', this.db.projects, this.db.meta, async () => {
      const id = (await this.db.projects.add({ schema: 2, name: projectName(content.filePath, content.text), ...copy(content), createdAt: t, updatedAt: t }))!;
      await this.db.meta.put({ key: LAST_PROJECT, value: id });
      return id;
    });
  }

  /** Writes a project's content (text, layout, settings, file state). */
  async save(id: number, content: ProjectContent): Promise<void> {
    await this.db.projects.update(id, { ...copy(content), name: projectName(content.filePath, content.text), updatedAt: this.now() });
  }

  async load(id: number): Promise<ProjectRecord | undefined> {
    return this.db.projects.get(id);
  }

  /** All projects, most recently changed first. */
  async list(): Promise<ProjectRecord[]> {
    return (await this.db.projects.orderBy('updatedAt').reverse().toArray());
  }

  /** The project to restore on start: the last one opened, else the most recently changed. */
  async lastProject(): Promise<ProjectRecord | undefined> {
    const meta = await this.db.meta.get(LAST_PROJECT);
    const id = typeof meta?.value === 'number' ? meta.value : undefined;
    const p = id !== undefined ? await this.db.projects.get(id) : undefined;
    return p ?? (await this.db.projects.orderBy('updatedAt').last());
  }

  async setLastProject(id: number): Promise<void> {
    await this.db.meta.put({ key: LAST_PROJECT, value: id });
  }

  /** Takes a snapshot of a project's current content; returns the version id. */
  async snapshot(projectId: number, content: ProjectContent, reason: VersionReason): Promise<number> {
    const id = (await this.db.versions.add({
      schema: 2, projectId, createdAt: this.now(), reason,
      text: content.text, positions: { ...content.positions }, settings: { ...content.settings },
    }))!;
    await this.prune(projectId);
    return id;
  }

  /** A project's versions, newest first. */
  async versions(projectId: number): Promise<VersionRecord[]> {
    return this.db.versions.where('[projectId+createdAt]').between([projectId, -Infinity], [projectId, Infinity]).reverse().toArray();
  }

  async version(id: number): Promise<VersionRecord | undefined> {
    return this.db.versions.get(id);
  }

  /** Drops the oldest interval snapshots beyond MAX_VERSIONS (saves are kept longer: they are dropped last). */
  private async prune(projectId: number): Promise<void> {
    const all = await this.versions(projectId);
    if (all.length <= MAX_VERSIONS) return;
    const excess = all.length - MAX_VERSIONS;
    const oldestFirst = [...all].reverse();
    const victims = [...oldestFirst.filter((v) => v.reason !== 'save'), ...oldestFirst.filter((v) => v.reason === 'save')].slice(0, excess);
    await this.db.versions.bulkDelete(victims.map((v) => v.id!));
  }

  /** Records that a file was opened or saved, and which project holds it. */
  async trackFile(path: string, projectId: number): Promise<void> {
    await this.db.files.put({ schema: 2, path, projectId, openedAt: this.now() });
  }

  /** Recently opened files, newest first (for File > Open Recent). */
  async recentFiles(limit = 10): Promise<FileRecord[]> {
    return this.db.files.orderBy('openedAt').reverse().limit(limit).toArray();
  }

  /** The project that holds a file, if it was opened before and still exists. */
  async projectForFile(path: string): Promise<ProjectRecord | undefined> {
    const f = await this.db.files.get(path);
    return f ? this.db.projects.get(f.projectId) : undefined;
  }
}

function copy(c: ProjectContent): Omit<ProjectRecord, 'id' | 'schema' | 'name' | 'createdAt' | 'updatedAt'> {
  return {
    text: c.text,
    positions: { ...c.positions },
    settings: { ...DEFAULT_SETTINGS, ...c.settings },
    ...(c.filePath !== undefined ? { filePath: c.filePath } : {}),
    dirty: c.dirty,
  };
}
