/**
 * The browser's recent-files list in localStorage (newest first, at most MAX_RECENT). A corrupt or unavailable
 * storage gives an empty list and never throws: the list is a convenience, losing it loses nothing.
 */
import type { RecentFile } from './types.js';

/** The localStorage key. */
export const RECENT_KEY = 'relax-studio.recent-files';
/** How many entries are kept. */
export const MAX_RECENT = 10;

/** The part of Storage the list needs. */
export type RecentStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Reads the list (empty when missing, corrupt or unreadable). */
export function readRecent(storage: RecentStorage | null): RecentFile[] {
  try {
    const value: unknown = JSON.parse(storage?.getItem(RECENT_KEY) ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.filter(isRecentFile).slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Moves `entry` to the front (matched by path, or by name for files with no path) and stores the list. */
export function pushRecent(storage: RecentStorage | null, entry: RecentFile): RecentFile[] {
  const same = (f: RecentFile): boolean => (entry.path !== null ? f.path === entry.path : f.path === null && f.name === entry.name);
  const list = [entry, ...readRecent(storage).filter((f) => !same(f))].slice(0, MAX_RECENT);
  try {
    storage?.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Quota or privacy mode: keep working without the list.
  }
  return list;
}

function isRecentFile(v: unknown): v is RecentFile {
  const f = v as Partial<Record<keyof RecentFile, unknown>> | null;
  return !!f && typeof f.name === 'string' && (typeof f.path === 'string' || f.path === null) && typeof f.at === 'number';
}
