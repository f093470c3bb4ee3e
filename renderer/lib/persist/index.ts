/**
 * Persistence entry point for the app shell: open the database, restore the last project into the store, autosave
 * every change, and write pending changes when the page is hidden or closed. A browser without IndexedDB (or a
 * database that fails to open) gives a message and a working, unsaved editor, never a crash.
 */
import { Autosave } from './autosave.js';
import type { AutosaveOptions, StoreLike } from './autosave.js';
import { StudioDB, DB_NAME } from './db.js';
import { ProjectRepo } from './repo.js';

export { Autosave, contentOf, loadInto } from './autosave.js';
export type { AutosaveOptions, StoreLike } from './autosave.js';
export { ProjectRepo, projectName } from './repo.js';
export type { ProjectContent } from './repo.js';
export { StudioDB, DB_NAME } from './db.js';
export type { FileRecord, ProjectRecord, ProjectSettings, VersionReason, VersionRecord } from './schema.js';
export type { RunInputSpec, RunKernel, RunOutputSummary, RunProfileRow, RunRecord, RunSettings } from './schema.js';

/** What `startPersistence` gives back. */
export type PersistenceResult =
  | { readonly ok: true; readonly autosave: Autosave; readonly restored: boolean; readonly stop: () => Promise<void> }
  | { readonly ok: false; readonly message: string };

/**
 * Restores the last project into `store` and starts autosave. Call once, right after creating the store and
 * before the user can edit (the restore replaces the document).
 */
export async function startPersistence(store: StoreLike, opts: AutosaveOptions & { dbName?: string } = {}): Promise<PersistenceResult> {
  try {
    const repo = new ProjectRepo(new StudioDB(opts.dbName ?? DB_NAME));
    const { autosave, restored } = await Autosave.start(store, repo, opts);
    const onHide = () => void autosave.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    const stop = async () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      await autosave.flush();
      autosave.dispose();
      repo.db.close();
    };
    return { ok: true, autosave, restored, stop };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, message: `Autosave is off: the browser database could not be opened (${why}). Your edits are not kept across reloads.` };
  }
}
