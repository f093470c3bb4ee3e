/**
 * Autosave: connects a document store's change stream to the project database. It restores the last project when
 * the app starts (so a reload or a crash loses at most the last debounce interval), writes every content change
 * after a short debounce, takes a version on every file save and every few minutes of editing, restores versions,
 * and tracks files opened from disk with their paths and modified state. All database work is serialized on one
 * promise chain, so writes land in the order the changes happened.
 */
import type { Change, DocumentState } from '../document/store.js';
import type { ProjectContent, ProjectRepo } from './repo.js';
import type { ProjectRecord, VersionReason, VersionRecord } from './schema.js';

/** The part of the document store autosave uses. */
export interface StoreLike {
  readonly state: DocumentState;
  apply(change: Change): void;
  subscribe(listener: (state: DocumentState, change: Change) => void): () => void;
  /** Forgets undo history (another project was opened). */
  clearHistory?(): void;
}

export interface AutosaveOptions {
  /** Debounce between a change and its write (ms). */
  readonly delayMs?: number;
  /** A version is taken when this long has passed since the last one and there were edits (ms). */
  readonly snapshotEveryMs?: number;
  /** Clock (defaults to the repo's). */
  readonly now?: () => number;
}

/** Changes that alter what is persisted (selection is not persisted). */
const PERSISTED = new Set<Change['kind']>([
  'setText', 'editGraph', 'setPositions', 'setActiveFunction', 'setTheme', 'toggleTextPane', 'markSaved', 'setPacked', 'undo', 'redo',
]);

/** Changes that edit the model (and so count towards a timed version). */
const EDITS = new Set<Change['kind']>(['setText', 'editGraph', 'setPositions', 'undo', 'redo']);

/** What a document state persists as. */
export function contentOf(s: DocumentState): ProjectContent {
  return {
    text: s.text,
    positions: s.positions,
    settings: {
      theme: s.theme, textPaneOpen: s.textPaneOpen, activeFunction: s.activeFunction,
      ...(Object.keys(s.packed).length ? { packed: { ...s.packed } } : {}),
    },
    ...(s.filePath !== undefined ? { filePath: s.filePath } : {}),
    dirty: s.dirty,
  };
}

/** Loads a stored project (or version) into the store: text with origin `restore`, then layout and settings. */
export function loadInto(store: StoreLike, p: Pick<ProjectRecord, 'text' | 'positions' | 'settings'> & { filePath?: string; dirty?: boolean }): void {
  store.apply({ kind: 'setText', text: p.text, origin: 'restore', ...(p.filePath !== undefined ? { filePath: p.filePath } : {}) });
  store.apply({ kind: 'setPositions', positions: p.positions, replace: true });
  if (store.state.theme !== p.settings.theme) store.apply({ kind: 'setTheme', theme: p.settings.theme });
  if (store.state.textPaneOpen !== p.settings.textPaneOpen) store.apply({ kind: 'toggleTextPane' });
  const fn = p.settings.activeFunction;
  if (fn && fn !== store.state.activeFunction) store.apply({ kind: 'setActiveFunction', name: fn });
  store.apply({ kind: 'setPacked', packed: p.settings.packed ?? {} });
  if (p.dirty === false && p.filePath) store.apply({ kind: 'markSaved', path: p.filePath });
}

/** Autosave for one store (see the file header). Create with `Autosave.start`. */
export class Autosave {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: () => void = () => undefined;
  private editedSinceSnapshot = false;
  private lastSnapshotAt: number;
  private readonly delayMs: number;
  private readonly snapshotEveryMs: number;
  private readonly now: () => number;
  /** The last error a write hit (shown by the UI; autosave keeps trying on the next change). */
  lastError: string | undefined;

  private constructor(private readonly store: StoreLike, readonly repo: ProjectRepo, public projectId: number, opts: AutosaveOptions) {
    this.delayMs = opts.delayMs ?? 300;
    this.snapshotEveryMs = opts.snapshotEveryMs ?? 5 * 60_000;
    this.now = opts.now ?? repo.now;
    this.lastSnapshotAt = this.now();
  }

  /**
   * Restores the last project into the store (or stores the current document as a new project when there is none)
   * and starts saving every change. Returns whether something was restored.
   */
  static async start(store: StoreLike, repo: ProjectRepo, opts: AutosaveOptions = {}): Promise<{ autosave: Autosave; restored: boolean }> {
    const last = await repo.lastProject();
    if (last?.id !== undefined) loadInto(store, last);
    const id = last?.id ?? (await repo.create(contentOf(store.state)));
    const autosave = new Autosave(store, repo, id, opts);
    autosave.unsubscribe = store.subscribe((state, change) => autosave.onChange(state, change));
    if (last) autosave.enqueue(() => repo.save(id, contentOf(store.state)));
    return { autosave, restored: !!last };
  }

  /** Stops listening (pending writes still complete; call `flush()` first to wait for them). */
  dispose(): void {
    this.unsubscribe();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes any pending change now and resolves when every queued write has landed. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writeNow();
    }
    await this.queue;
  }

  /** Takes a version of the current document now. */
  async snapshot(reason: VersionReason = 'manual'): Promise<number> {
    await this.flush();
    return this.enqueue(() => this.takeSnapshot(reason));
  }

  /** This project's versions, newest first. */
  async versions(): Promise<VersionRecord[]> {
    await this.queue;
    return this.repo.versions(this.projectId);
  }

  /** Every project, most recently changed first (the project list). */
  async projects(): Promise<ProjectRecord[]> {
    await this.queue;
    return this.repo.list();
  }

  /**
   * Opens another stored project: pending writes land first, then its text, layout, settings and packed functions
   * replace the document (a new undo history), and it becomes the project restored at the next start.
   */
  async openProject(id: number): Promise<boolean> {
    if (id === this.projectId) return true;
    await this.flush();
    const p = await this.repo.load(id);
    if (!p) return false;
    this.projectId = id;
    await this.repo.setLastProject(id);
    loadInto(this.store, p);
    this.store.clearHistory?.();
    this.lastSnapshotAt = this.now();
    this.editedSinceSnapshot = false;
    await this.flush();
    return true;
  }

  /** Goes back to a version; the current document is kept as a `before-restore` version first. */
  async restoreVersion(versionId: number): Promise<boolean> {
    const v = await this.repo.version(versionId);
    if (!v || v.projectId !== this.projectId) return false;
    await this.snapshot('before-restore');
    loadInto(this.store, v);
    await this.flush();
    return true;
  }

  private onChange(state: DocumentState, change: Change): void {
    if (!PERSISTED.has(change.kind)) return;
    if (EDITS.has(change.kind)) this.editedSinceSnapshot = true;
    if (change.kind === 'setText' && change.origin === 'file') {
      void this.flush().then(() => this.enqueue(() => this.openedFile(state, change.filePath)));
      return;
    }
    if (change.kind === 'markSaved') {
      void this.flush().then(() => this.enqueue(() => this.saved(change.path)));
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writeNow();
    }, this.delayMs);
  }

  private writeNow(): void {
    const content = contentOf(this.store.state);
    void this.enqueue(async () => {
      await this.repo.save(this.projectId, content);
      if (this.editedSinceSnapshot && this.now() - this.lastSnapshotAt >= this.snapshotEveryMs) await this.takeSnapshot('interval');
    });
  }

  private async takeSnapshot(reason: VersionReason): Promise<number> {
    this.lastSnapshotAt = this.now();
    this.editedSinceSnapshot = false;
    return this.repo.snapshot(this.projectId, contentOf(this.store.state), reason);
  }

  /** A file was opened: it becomes its own project (the one that held that path before, if any). */
  private async openedFile(state: DocumentState, path: string | undefined): Promise<void> {
    const known = path ? await this.repo.projectForFile(path) : undefined;
    // The file holds the text; the project database holds its packed functions: bring them back.
    const packed = known?.settings.packed;
    if (packed && Object.keys(packed).length && !Object.keys(this.store.state.packed).length) this.store.apply({ kind: 'setPacked', packed });
    const content = contentOf(packed ? this.store.state : state);
    if (known?.id !== undefined) {
      this.projectId = known.id;
      await this.repo.save(known.id, content);
      await this.repo.setLastProject(known.id);
    } else {
      this.projectId = await this.repo.create(content);
    }
    if (path) await this.repo.trackFile(path, this.projectId);
    this.lastSnapshotAt = this.now();
    this.editedSinceSnapshot = false;
  }

  /** The document was written to a file: record the path and clean state, and keep that version. */
  private async saved(path: string): Promise<void> {
    await this.repo.save(this.projectId, contentOf(this.store.state));
    await this.repo.trackFile(path, this.projectId);
    await this.takeSnapshot('save');
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.then(
      () => { this.lastError = undefined; },
      (err: unknown) => { this.lastError = err instanceof Error ? err.message : String(err); },
    );
    return run;
  }
}
