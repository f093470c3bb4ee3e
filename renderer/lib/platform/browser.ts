/**
 * The browser implementation of Platform (`npm run web`). Where the File System Access API exists (Chromium) files
 * are opened and saved in place through their handles; elsewhere Open uses an <input type=file> and Save downloads
 * the text. Exports (.npy, Chrome trace JSON) are always downloads. Recent files live in localStorage. Everything the DOM provides is injected (BrowserEnv), so
 * browser.test.ts runs in Node; defaultBrowserEnv() binds it to the page.
 */
import { checkExport, EXPORT_FORMATS } from '../../../electron/export-format.js';
import { pushRecent, readRecent } from './recent.js';
import type { RecentStorage } from './recent.js';
import type { FileRef, FileResult, OpenedFile, Platform } from './types.js';

/** The part of a FileSystemFileHandle the adapter uses. */
export interface FileHandleLike {
  readonly name: string;
  getFile(): Promise<{ text(): Promise<string> }>;
  createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
}

/** A file picked through <input type=file>. */
export interface PickedFile {
  readonly name: string;
  text(): Promise<string>;
}

/** What the adapter needs from the page. */
export interface BrowserEnv {
  readonly storage: RecentStorage | null;
  /** window.showOpenFilePicker bound to TVMScript types, when the browser has it. */
  readonly showOpenFilePicker?: () => Promise<FileHandleLike>;
  /** window.showSaveFilePicker, when the browser has it. */
  readonly showSaveFilePicker?: (suggestedName: string) => Promise<FileHandleLike>;
  /** Opens a file through a hidden <input type=file>; null when cancelled. */
  pickWithInput(): Promise<PickedFile | null>;
  /** Saves through a download (the fallback Save As). */
  download(name: string, text: string): void;
  /** Downloads an export: bytes as they are, text as UTF-8, with the given MIME type. */
  downloadBytes(name: string, data: Uint8Array | string, mimeType: string): void;
  setTitle(title: string): void;
  /** Turns the "leave page with unsaved changes?" warning on or off. */
  warnBeforeUnload(enabled: boolean): void;
  now(): number;
}

/** The file types offered by the pickers. */
export const TVMSCRIPT_TYPES = [{ description: 'TVMScript', accept: { 'text/x-python': ['.tvmscript', '.py'] } }];

const DEFAULT_NAME = 'untitled.tvmscript';

/** A Platform for a plain browser tab. */
export function createBrowserPlatform(env: BrowserEnv): Platform {
  const handles = new Map<string, FileHandleLike>();
  let counter = 0;

  const remember = (handle: FileHandleLike): FileRef => {
    const existing = [...handles].find(([, h]) => h === handle);
    const path = existing?.[0] ?? `browser:${++counter}:${handle.name}`;
    handles.set(path, handle);
    pushRecent(env.storage, { path, name: handle.name, at: env.now() });
    return { path, name: handle.name };
  };

  const read = async (handle: FileHandleLike): Promise<FileResult<OpenedFile>> => {
    const text = await (await handle.getFile()).text();
    return { kind: 'ok', value: { ...remember(handle), text } };
  };

  const write = async (handle: FileHandleLike, text: string): Promise<FileResult<FileRef>> => {
    const stream = await handle.createWritable(); // Chromium writes a swap file and replaces the target on close
    await stream.write(text);
    await stream.close();
    return { kind: 'ok', value: remember(handle) };
  };

  const saveFileAs = (text: string, suggestedName = DEFAULT_NAME): Promise<FileResult<FileRef>> =>
    attempt(`save ${suggestedName}`, async () => {
      if (env.showSaveFilePicker) return write(await env.showSaveFilePicker(suggestedName), text);
      env.download(suggestedName, text);
      pushRecent(env.storage, { path: null, name: suggestedName, at: env.now() });
      return { kind: 'ok', value: { path: null, name: suggestedName } };
    });

  return {
    kind: 'browser',
    openFile: (path) =>
      attempt('open the file', async () => {
        if (path !== undefined) {
          const handle = handles.get(path);
          if (!handle) return { kind: 'error', message: reopenMessage(path) };
          return read(handle);
        }
        if (env.showOpenFilePicker) return read(await env.showOpenFilePicker());
        const file = await env.pickWithInput();
        if (!file) return { kind: 'cancelled' };
        pushRecent(env.storage, { path: null, name: file.name, at: env.now() });
        return { kind: 'ok', value: { path: null, name: file.name, text: await file.text() } };
      }),
    saveFile: (path, text, suggestedName) => {
      const handle = path ? handles.get(path) : undefined;
      return handle ? attempt(`save ${handle.name}`, () => write(handle, text)) : saveFileAs(text, suggestedName ?? nameOf(path));
    },
    saveFileAs,
    recentFiles: async () => readRecent(env.storage),
    exportFile: async (data, suggestedName, kind) => {
      const checked = checkExport(data, suggestedName, kind);
      if (checked.kind === 'error') return checked;
      const { name } = checked.value;
      return attempt(`export ${name}`, async () => {
        env.downloadBytes(name, checked.value.data, EXPORT_FORMATS[checked.value.kind].mimeType);
        return { kind: 'ok', value: { path: null, name } }; // not recent: an export is not a document
      });
    },
    onMenu: () => () => undefined, // no native menu in a browser
    setDirty: (dirty) => env.warnBeforeUnload(dirty),
    setTitle: (title) => env.setTitle(title),
  };
}

/** Runs a file operation, turning a dismissed picker into `cancelled` and any failure into a one-line error. */
async function attempt<T>(what: string, op: () => Promise<FileResult<T>>): Promise<FileResult<T>> {
  try {
    return await op();
  } catch (err) {
    if ((err as { name?: unknown } | null)?.name === 'AbortError') return { kind: 'cancelled' };
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'error', message: `Could not ${what}: ${message.split('\n')[0]}` };
  }
}

function nameOf(path: string | null | undefined): string {
  const m = path ? /^browser:\d+:(.*)$/.exec(path) : null;
  return m?.[1] || DEFAULT_NAME;
}

function reopenMessage(path: string): string {
  return `The browser cannot reopen ${nameOf(path)} by name after a reload: use Open... to pick it again`;
}

/** The BrowserEnv of the current page (File System Access API where present). */
export function defaultBrowserEnv(): BrowserEnv {
  const w = window as unknown as {
    showOpenFilePicker?: (o: unknown) => Promise<FileHandleLike[]>;
    showSaveFilePicker?: (o: unknown) => Promise<FileHandleLike>;
  };
  let warn = false;
  window.addEventListener('beforeunload', (e) => {
    if (warn) e.preventDefault();
  });
  return {
    storage: safeLocalStorage(),
    ...(w.showOpenFilePicker
      ? { showOpenFilePicker: async () => (await w.showOpenFilePicker!({ types: TVMSCRIPT_TYPES, multiple: false }))[0]! }
      : {}),
    ...(w.showSaveFilePicker ? { showSaveFilePicker: (suggestedName: string) => w.showSaveFilePicker!({ types: TVMSCRIPT_TYPES, suggestedName }) } : {}),
    pickWithInput,
    download: (name, text) => downloadBlob(name, new Blob([text], { type: 'text/plain;charset=utf-8' })),
    downloadBytes: (name, data, mimeType) => downloadBlob(name, new Blob([blobPart(data)], { type: mimeType })),
    setTitle: (title) => {
      document.title = title;
    },
    warnBeforeUnload: (enabled) => {
      warn = enabled;
    },
    now: () => Date.now(),
  };
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings)
  }
}

function pickWithInput(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.tvmscript,.py,text/x-python,text/plain';
    input.style.display = 'none';
    const done = (file: PickedFile | null): void => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

/** Bytes a Blob accepts: a view over a plain ArrayBuffer (one over a SharedArrayBuffer is copied first). */
function blobPart(data: Uint8Array | string): BlobPart {
  if (typeof data === 'string') return data;
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

/** Saves a Blob through a hidden <a download>; the object URL is revoked once the download has started. */
function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
