/**
 * The preload script: runs sandboxed in the renderer's isolated world and exposes the narrow DesktopApi
 * (electron/api.ts) as `window.relaxStudioDesktop`. Bundled to one CommonJS file (sandboxed preloads cannot load
 * other modules; only `electron` is required at run time).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_KEY } from './api.js';
import { createDesktopApi } from './preload-api.js';

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, createDesktopApi(ipcRenderer));
