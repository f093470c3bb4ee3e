/**
 * The preload's API object, built from an IPC transport so that it can be tested without Electron (preload.ts passes
 * `ipcRenderer`). Each function checks its arguments, forwards them on its own channel, and never hands the
 * renderer the IPC event or ipcRenderer itself.
 */
import { CHANNELS, isMenuAction } from './api.js';
import type { DesktopApi, ExportKind, FileRef, FileResult, MenuAction, OpenedFile, RecentFile } from './api.js';

/** The part of Electron's ipcRenderer the API uses. */
export interface IpcTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds the API the preload exposes through contextBridge: exactly the DesktopApi functions, frozen. */
export function createDesktopApi(ipc: IpcTransport): DesktopApi {
  const api: DesktopApi = {
    openFile: (path?: string) =>
      ipc.invoke(CHANNELS.openFile, typeof path === 'string' ? path : undefined) as Promise<FileResult<OpenedFile>>,
    saveFile: (path: string | null | undefined, text: string) =>
      ipc.invoke(CHANNELS.saveFile, typeof path === 'string' ? path : null, String(text)) as Promise<FileResult<FileRef>>,
    saveFileAs: (text: string, suggestedName?: string) =>
      ipc.invoke(CHANNELS.saveFileAs, String(text), typeof suggestedName === 'string' ? suggestedName : undefined) as Promise<
        FileResult<FileRef>
      >,
    recentFiles: () => ipc.invoke(CHANNELS.recentFiles) as Promise<readonly RecentFile[]>,
    // Anything of the wrong type goes over as null, so the main process answers its "expected ..., found ..." error.
    exportFile: (data: Uint8Array | string, suggestedName: string, kind: ExportKind) =>
      ipc.invoke(
        CHANNELS.exportFile,
        typeof data === 'string' || data instanceof Uint8Array ? data : null,
        typeof suggestedName === 'string' ? suggestedName : null,
        typeof kind === 'string' ? kind.slice(0, 40) : null,
      ) as Promise<FileResult<FileRef>>,
    onMenu: (handler: (action: MenuAction) => void) => {
      const listener = (_event: unknown, action: unknown): void => {
        if (isMenuAction(action)) handler(action);
      };
      ipc.on(CHANNELS.menu, listener);
      return () => void ipc.removeListener(CHANNELS.menu, listener);
    },
    setDirty: (dirty: boolean) => ipc.send(CHANNELS.setDirty, dirty === true),
    setTitle: (title: string) => ipc.send(CHANNELS.setTitle, String(title).slice(0, 200)),
  };
  return Object.freeze(api);
}
