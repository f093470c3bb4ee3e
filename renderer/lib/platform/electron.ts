/**
 * The desktop implementation of Platform: a thin adapter over the preload's API (`window.relaxStudioDesktop`,
 * electron/preload-api.ts). The main process owns the file system and dialogs; this file only forwards.
 */
import type { DesktopApi } from '../../../electron/api.js';
import type { Platform } from './types.js';

/** A Platform that forwards to the preload API. */
export function electronPlatform(api: DesktopApi): Platform {
  return {
    kind: 'electron',
    openFile: (path) => api.openFile(path),
    saveFile: (path, text, suggestedName) => (path ? api.saveFile(path, text) : api.saveFileAs(text, suggestedName)),
    saveFileAs: (text, suggestedName) => api.saveFileAs(text, suggestedName),
    recentFiles: () => api.recentFiles(),
    exportFile: (data, suggestedName, kind) => api.exportFile(data, suggestedName, kind),
    onMenu: (handler) => api.onMenu(handler),
    setDirty: (dirty) => api.setDirty(dirty),
    setTitle: (title) => api.setTitle(title),
  };
}
