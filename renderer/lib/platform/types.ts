/**
 * The platform API the renderer uses for files, menus and the window: one interface, two implementations
 * (electron.ts over the preload's API, browser.ts over the File System Access API or an <input>/download fallback).
 * The shared data types come from the preload contract (electron/api.ts, types only), so both sides stay in step.
 */
import type { ExportKind, FileRef, FileResult, MenuAction, OpenedFile, RecentFile } from '../../../electron/api.js';

export type { ExportKind, FileRef, FileResult, MenuAction, OpenedFile, RecentFile };

/**
 * What the document store calls to open and save files. Every operation resolves to a FileResult (ok, cancelled, or
 * an error with a one-line message to show); none rejects.
 */
export interface Platform {
  /** 'electron' in the desktop app, 'browser' under `npm run web`. */
  readonly kind: 'electron' | 'browser';
  /** Asks for a TVMScript file (.py, .tvmscript), or reopens `path` from the recent list. */
  openFile(path?: string): Promise<FileResult<OpenedFile>>;
  /**
   * Saves `text` back to `path` (a FileRef.path from openFile/saveFile*). With no path (a new document, or a file the
   * browser cannot write back) it behaves as Save As, suggesting `suggestedName`.
   */
  saveFile(path: string | null | undefined, text: string, suggestedName?: string): Promise<FileResult<FileRef>>;
  /** Asks where to save, then saves. In a browser without the File System Access API this downloads the file. */
  saveFileAs(text: string, suggestedName?: string): Promise<FileResult<FileRef>>;
  /** The recent files, newest first. */
  recentFiles(): Promise<readonly RecentFile[]>;
  /**
   * Exports a run output (`npy`: the `.npy` file's bytes) or a profile (`json`: a Chrome trace, text or UTF-8 bytes).
   * The desktop app asks where in a save dialog filtered to the kind and writes atomically; the browser downloads the
   * file and answers `{path: null, name}`. `suggestedName` gets the kind's extension when it lacks one. Exports never
   * join the recent list. A malformed request (a `.npy` that is not one, a name with a folder in it) answers an error.
   */
  exportFile(data: Uint8Array | string, suggestedName: string, kind: ExportKind): Promise<FileResult<FileRef>>;
  /**
   * Subscribes to the native menu (desktop only; the browser has none and the renderer's own shortcuts apply).
   * Returns the unsubscribe function. Edit actions: route `edit.undo`/`edit.redo` to the text pane when it has focus
   * and to the graph otherwise; `edit.cut`/`copy`/`paste` are best done with `document.execCommand(...)` so they take
   * the same DOM clipboard-event path as the keyboard shortcuts.
   */
  onMenu(handler: (action: MenuAction) => void): () => void;
  /** Reports unsaved work: the desktop app prompts before closing, the browser warns before unloading. */
  setDirty(dirty: boolean): void;
  /** Sets the window (or tab) title. */
  setTitle(title: string): void;
}
