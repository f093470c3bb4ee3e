/**
 * The contract between the Electron main process, the preload and the renderer: the IPC channel names, the menu
 * actions and the narrow API the preload exposes on `window.relaxStudioDesktop`. Types and constants only (no
 * Electron, no Node, no DOM), so the renderer can `import type` it and the unit tests can import it in plain Node.
 */

/** The global name the preload exposes the API under (`window.relaxStudioDesktop`). */
export const DESKTOP_API_KEY = 'relaxStudioDesktop';

/** Every IPC channel, in one place so main and preload cannot drift apart. */
export const CHANNELS = {
  openFile: 'file:open',
  saveFile: 'file:save',
  saveFileAs: 'file:save-as',
  recentFiles: 'file:recent',
  exportFile: 'file:export',
  menu: 'menu:action',
  setDirty: 'window:set-dirty',
  setTitle: 'window:set-title',
} as const;

/**
 * What a menu item asks the renderer to do. File > Close is not here: the main process closes the window itself
 * (after the unsaved-work prompt). `file.save` carries `thenClose` when the user chose "Save" in that prompt: the main
 * process closes the window once the save succeeds and the renderer reports `setDirty(false)`.
 */
export type MenuAction =
  | { readonly type: 'file.new' }
  | { readonly type: 'file.open' }
  | { readonly type: 'file.openRecent'; readonly path: string }
  | { readonly type: 'file.save'; readonly thenClose?: boolean }
  | { readonly type: 'file.saveAs' }
  | { readonly type: 'edit.undo' }
  | { readonly type: 'edit.redo' }
  | { readonly type: 'edit.cut' }
  | { readonly type: 'edit.copy' }
  | { readonly type: 'edit.paste' }
  | { readonly type: 'edit.delete' }
  | { readonly type: 'edit.selectAll' }
  | { readonly type: 'view.zoomIn' }
  | { readonly type: 'view.zoomOut' }
  | { readonly type: 'view.zoomReset' }
  | { readonly type: 'view.fit' }
  | { readonly type: 'view.toggleTextPane' }
  | { readonly type: 'view.toggleTheme' };

/** The `type` of every menu action, for validating what crosses the IPC boundary. */
export type MenuActionType = MenuAction['type'];

/** A file the user picked or saved: where it lives and what to show for it. */
export interface FileRef {
  /** Absolute path on disk (Electron); an opaque key in the browser; null where the file cannot be written back. */
  readonly path: string | null;
  /** The base name, for titles and the recent list. */
  readonly name: string;
}

/** An opened file with its text. */
export interface OpenedFile extends FileRef {
  readonly text: string;
}

/**
 * The outcome of a file operation. Errors are data with a one-line message (never a rejected promise with a stack);
 * `cancelled` means the user dismissed the dialog.
 */
export type FileResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * What an export writes: `npy` is a NumPy array file (binary, a run output), `json` is UTF-8 JSON (a Chrome trace of
 * a profile). Formats and checks: electron/export-format.ts.
 */
export type ExportKind = 'npy' | 'json';

/** One entry of the recent-files list, newest first. */
export interface RecentFile extends FileRef {
  /** When it was last opened or saved (ms since the epoch). */
  readonly at: number;
}

/**
 * The whole API the preload exposes; nothing else crosses into the renderer. File access goes through the main
 * process, which reads and writes only paths the user chose in a native dialog (or reopens from the recent list).
 */
export interface DesktopApi {
  /** Shows the native open dialog (TVMScript: .py, .tvmscript), or reopens `path` if it is in the recent list. */
  openFile(path?: string): Promise<FileResult<OpenedFile>>;
  /** Saves atomically to `path` (a file opened or saved in this session or in the recent list); without one, Save As. */
  saveFile(path: string | null | undefined, text: string): Promise<FileResult<FileRef>>;
  /** Shows the native save dialog, then saves atomically. */
  saveFileAs(text: string, suggestedName?: string): Promise<FileResult<FileRef>>;
  /** The recent files, newest first. */
  recentFiles(): Promise<readonly RecentFile[]>;
  /**
   * Shows the native save dialog filtered to `kind`, suggesting `suggestedName`, then writes `data` atomically (bytes
   * as they are, text as UTF-8). Exports are not TVMScript: they never join the recent list, nor become saveable paths.
   */
  exportFile(data: Uint8Array | string, suggestedName: string, kind: ExportKind): Promise<FileResult<FileRef>>;
  /** Subscribes to menu actions; returns the unsubscribe function. */
  onMenu(handler: (action: MenuAction) => void): () => void;
  /** Tells the main process whether there is unsaved work (it prompts before closing when there is). */
  setDirty(dirty: boolean): void;
  /** Sets the window title. */
  setTitle(title: string): void;
}

/** The names of the API's functions, in order: the preload surface test checks the exposed object against it. */
export const DESKTOP_API_METHODS = [
  'openFile',
  'saveFile',
  'saveFileAs',
  'recentFiles',
  'exportFile',
  'onMenu',
  'setDirty',
  'setTitle',
] as const satisfies readonly (keyof DesktopApi)[];

/** Compile-time check that DESKTOP_API_METHODS lists every method (this type is `true` only when none is missing). */
export type DesktopApiMethodsComplete = Exclude<keyof DesktopApi, (typeof DESKTOP_API_METHODS)[number]> extends never ? true : false;
const _complete: DesktopApiMethodsComplete = true;
void _complete;

const MENU_ACTION_TYPES: ReadonlySet<string> = new Set<MenuActionType>([
  'file.new', 'file.open', 'file.openRecent', 'file.save', 'file.saveAs',
  'edit.undo', 'edit.redo', 'edit.cut', 'edit.copy', 'edit.paste', 'edit.delete', 'edit.selectAll',
  'view.zoomIn', 'view.zoomOut', 'view.zoomReset', 'view.fit', 'view.toggleTextPane', 'view.toggleTheme',
]);

/** True when `value` is a well-formed menu action (the preload drops anything else). */
export function isMenuAction(value: unknown): value is MenuAction {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !MENU_ACTION_TYPES.has(type)) return false;
  return type !== 'file.openRecent' || typeof (value as { path?: unknown }).path === 'string';
}
