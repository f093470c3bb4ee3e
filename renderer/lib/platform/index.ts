/**
 * getPlatform(): the Platform for wherever the renderer runs: the desktop API when the preload exposed it
 * (`window.relaxStudioDesktop`), else the browser adapter. One instance per page.
 */
import { DESKTOP_API_KEY, DESKTOP_API_METHODS } from '../../../electron/api.js';
import type { DesktopApi } from '../../../electron/api.js';
import { createBrowserPlatform, defaultBrowserEnv } from './browser.js';
import { electronPlatform } from './electron.js';
import type { Platform } from './types.js';

export type { Platform } from './types.js';
export type { ExportKind, FileRef, FileResult, MenuAction, OpenedFile, RecentFile } from './types.js';
export { createBrowserPlatform } from './browser.js';
export { electronPlatform } from './electron.js';

let current: Platform | undefined;

/** The desktop API on `scope` when it is complete, else undefined. */
export function desktopApi(scope: object): DesktopApi | undefined {
  const api = (scope as Record<string, unknown>)[DESKTOP_API_KEY] as Record<string, unknown> | undefined;
  if (!api || !DESKTOP_API_METHODS.every((m) => typeof api[m] === 'function')) return undefined;
  return api as unknown as DesktopApi;
}

/** The Platform for this page (created on first use). */
export function getPlatform(): Platform {
  if (!current) {
    const api = desktopApi(globalThis);
    current = api ? electronPlatform(api) : createBrowserPlatform(defaultBrowserEnv());
  }
  return current;
}

/** Replaces the Platform (tests and the e2e harness). @internal */
export function setPlatformForTesting(platform: Platform | undefined): void {
  current = platform;
}
