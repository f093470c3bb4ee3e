/**
 * What the file IPC handlers do, without Electron: open (native dialog or a recent path), save (atomic, only to a
 * granted path), save as (native dialog), export (native dialog, atomic, never recent), and the recent list. The dialogs and the disk are injected, so
 * file-service.test.ts covers every branch in plain Node. Results are FileResult data: a cancelled dialog is
 * `cancelled`, a failure is an `error` with a one-line message, never a thrown stack across IPC.
 */
import { readFile as nodeReadFile, stat as nodeStat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ExportKind, FileRef, FileResult, OpenedFile, RecentFile } from './api.js';
import { atomicWriteFile, reason } from './atomic-save.js';
import { checkExport } from './export-format.js';
import { addRecent, GrantedPaths, removeRecent } from './recent-files.js';

/** The largest file Open reads (a TVMScript module of 2,000 bindings is well under 1 MB). */
export const MAX_OPEN_BYTES = 32 * 1024 * 1024;

/** The dialogs and disk the service uses; main.ts passes Electron's dialogs and node:fs. */
export interface FileServiceDeps {
  /** Shows the open dialog; the chosen path or null when cancelled. */
  showOpenDialog(): Promise<string | null>;
  /** Shows the save dialog; the chosen path or null when cancelled. */
  showSaveDialog(suggestedName: string): Promise<string | null>;
  /** Shows the save dialog filtered to an export kind (.npy, .json); the chosen path or null when cancelled. */
  showExportDialog(suggestedName: string, kind: ExportKind): Promise<string | null>;
  readFile?(path: string): Promise<string>;
  fileSize?(path: string): Promise<number>;
  writeFile?(path: string, data: string | Uint8Array): Promise<void>;
  /** Called whenever the recent list changes (main.ts stores it and rebuilds the menu). */
  onRecentChanged(list: readonly RecentFile[]): void;
  now?(): number;
}

/** The file operations behind the preload's openFile, saveFile, saveFileAs, exportFile and recentFiles. */
export class FileService {
  private readonly granted = new GrantedPaths();
  private recent: readonly RecentFile[];

  constructor(private readonly deps: FileServiceDeps, recent: readonly RecentFile[] = []) {
    this.recent = recent;
  }

  /** The recent files, newest first. */
  recentFiles(): readonly RecentFile[] {
    return this.recent;
  }

  /** Forgets every recent file. */
  clearRecent(): void {
    this.setRecent([]);
  }

  /** Opens `path` (must be granted or recent) or, without one, the file the user picks. */
  async openFile(path?: string): Promise<FileResult<OpenedFile>> {
    if (path !== undefined && !this.granted.allows(path, this.recent)) return refused(path);
    const chosen = path ?? (await this.deps.showOpenDialog());
    if (chosen === null) return { kind: 'cancelled' };
    this.granted.grant(chosen);
    try {
      const text = await this.read(chosen);
      this.touch(chosen);
      return { kind: 'ok', value: { path: chosen, name: basename(chosen), text } };
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') this.setRecent(removeRecent(this.recent, chosen));
      return { kind: 'error', message: `Could not open ${basename(chosen)}: ${reason(err)}` };
    }
  }

  /** Saves to `path` when it is granted; with no path, behaves as Save As. */
  async saveFile(path: string | null | undefined, text: string): Promise<FileResult<FileRef>> {
    if (path === null || path === undefined) return this.saveFileAs(text);
    if (!this.granted.allows(path, this.recent)) return refused(path);
    return this.write(path, text);
  }

  /** Asks where to save, then saves there. */
  async saveFileAs(text: string, suggestedName = 'untitled.tvmscript'): Promise<FileResult<FileRef>> {
    const chosen = await this.deps.showSaveDialog(basename(suggestedName));
    if (chosen === null) return { kind: 'cancelled' };
    this.granted.grant(chosen);
    return this.write(chosen, text);
  }

  /**
   * Checks an export request as it came over IPC (see checkExport), asks where to write it, then writes it
   * atomically. The path is neither added to the recent list nor granted for Save: an export is not a document.
   */
  async exportFile(data: unknown, suggestedName: unknown, kind: unknown): Promise<FileResult<FileRef>> {
    const checked = checkExport(data, suggestedName, kind);
    if (checked.kind === 'error') return checked;
    const chosen = await this.deps.showExportDialog(checked.value.name, checked.value.kind);
    if (chosen === null) return { kind: 'cancelled' };
    return this.writeOut(chosen, checked.value.data);
  }

  private async write(path: string, text: string): Promise<FileResult<FileRef>> {
    const result = await this.writeOut(path, text);
    if (result.kind === 'ok') this.touch(path);
    return result;
  }

  /** Writes atomically, answering a one-line error instead of throwing. */
  private async writeOut(path: string, data: string | Uint8Array): Promise<FileResult<FileRef>> {
    try {
      await (this.deps.writeFile ?? atomicWriteFile)(path, data);
    } catch (err) {
      return { kind: 'error', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
    }
    return { kind: 'ok', value: { path, name: basename(path) } };
  }

  private async read(path: string): Promise<string> {
    const size = await (this.deps.fileSize ?? (async (p: string) => (await nodeStat(p)).size))(path);
    if (size > MAX_OPEN_BYTES) throw new Error(`it is larger than ${MAX_OPEN_BYTES / 1024 / 1024} MB`);
    const text = await (this.deps.readFile ?? ((p: string) => nodeReadFile(p, 'utf8')))(path);
    if (text.includes('\0')) throw new Error('it is not a text file');
    return text;
  }

  private touch(path: string): void {
    this.setRecent(addRecent(this.recent, path, (this.deps.now ?? Date.now)()));
  }

  private setRecent(list: readonly RecentFile[]): void {
    this.recent = list;
    this.deps.onRecentChanged(list);
  }
}

function refused(path: string): FileResult<never> {
  return { kind: 'error', message: `Not allowed to access ${basename(path)}: choose it with Open... or Save As... first` };
}
