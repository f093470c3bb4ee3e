/**
 * The recent-files list (userData/recent-files.json, newest first, at most MAX_RECENT) and the set of paths the
 * renderer may read or write: a path is granted only after the user picked it in a native dialog, or when it is in
 * the recent list. The renderer can therefore never make the main process touch an arbitrary file.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RecentFile } from './api.js';
import { atomicWriteFile } from './atomic-save.js';

/** How many recent files the menu shows. */
export const MAX_RECENT = 10;

/** Adds (or moves) `path` to the front of the list, dropping the oldest beyond MAX_RECENT. */
export function addRecent(list: readonly RecentFile[], path: string, at: number): RecentFile[] {
  const rest = list.filter((f) => f.path !== path);
  return [{ path, name: basename(path), at }, ...rest].slice(0, MAX_RECENT);
}

/** Removes `path` (a recent file that no longer exists). */
export function removeRecent(list: readonly RecentFile[], path: string): RecentFile[] {
  return list.filter((f) => f.path !== path);
}

/** Reads a stored list, keeping only well-formed entries. */
export function parseRecent(value: unknown): RecentFile[] {
  if (!Array.isArray(value)) return [];
  const out: RecentFile[] = [];
  for (const v of value) {
    const e = v as Partial<Record<keyof RecentFile, unknown>> | null;
    if (e && typeof e.path === 'string' && typeof e.at === 'number') out.push({ path: e.path, name: basename(e.path), at: e.at });
  }
  return out.slice(0, MAX_RECENT);
}

/** Loads the list from `file` (empty when missing or corrupt). */
export async function loadRecent(file: string): Promise<RecentFile[]> {
  try {
    return parseRecent(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return [];
  }
}

/** Stores the list atomically. */
export async function saveRecent(file: string, list: readonly RecentFile[]): Promise<void> {
  await atomicWriteFile(file, `${JSON.stringify(list, null, 2)}\n`);
}

/** The paths the renderer may open or save to: those picked in a dialog this session, plus the recent list. */
export class GrantedPaths {
  private readonly granted = new Set<string>();

  /** Grants a path the user chose in a native dialog. */
  grant(path: string): void {
    this.granted.add(path);
  }

  /** True when the renderer may use `path`. */
  allows(path: string, recent: readonly RecentFile[]): boolean {
    return this.granted.has(path) || recent.some((f) => f.path === path);
  }
}
