/**
 * Window state (size, position, maximized) kept in userData/window-state.json. Restoring clamps the saved bounds to
 * the displays present now, so a window saved on a monitor that has since been unplugged comes back on screen,
 * and a corrupt or missing file gives the default size. Pure functions plus a small load/save pair; no Electron.
 */
import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from './atomic-save.js';
import { MIN_WINDOW_SIZE } from './security.js';

/** A rectangle in screen coordinates. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What is stored: the normal (unmaximized) bounds and whether the window was maximized. */
export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

/** The bounds to open the window with; no x/y means "let the OS center it". */
export interface RestoredBounds {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
}

/** The default window size when nothing is stored. */
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;

/** How much of the title bar must be on a display for a saved position to count as visible. */
const VISIBLE_MARGIN = 48;

/** Reads a stored state, or null when `value` is not one (corrupt file, older format). */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { bounds, maximized } = value as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null) return null;
  const b = bounds as Record<string, unknown>;
  const nums = [b['x'], b['y'], b['width'], b['height']];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [x, y, width, height] = nums as number[];
  return { bounds: { x: x!, y: y!, width: width!, height: height! }, maximized: maximized === true };
}

/**
 * The bounds to restore: the saved size, shrunk to fit the display it overlaps most and no smaller than the minimum,
 * at the saved position if its title bar is on some display, else centered on the primary display's work area.
 * `workAreas[0]` is the primary display.
 */
export function clampWindowState(saved: WindowState | null, workAreas: readonly Rect[]): RestoredBounds {
  const primary = workAreas[0];
  if (!saved) return fitDefault(primary);
  const area = bestArea(saved.bounds, workAreas) ?? primary;
  const width = clampSize(saved.bounds.width, MIN_WINDOW_SIZE.width, area?.width);
  const height = clampSize(saved.bounds.height, MIN_WINDOW_SIZE.height, area?.height);
  const placed = { ...saved.bounds, width, height };
  if (workAreas.some((a) => titleBarVisible(placed, a))) {
    return { width, height, x: Math.round(placed.x), y: Math.round(placed.y) };
  }
  return area ? { width, height, ...centerIn({ width, height }, area) } : { width, height };
}

function fitDefault(primary: Rect | undefined): RestoredBounds {
  return {
    width: clampSize(DEFAULT_SIZE.width, MIN_WINDOW_SIZE.width, primary?.width),
    height: clampSize(DEFAULT_SIZE.height, MIN_WINDOW_SIZE.height, primary?.height),
  };
}

function clampSize(size: number, min: number, max: number | undefined): number {
  const upper = max !== undefined ? Math.max(min, max) : Infinity;
  return Math.round(Math.min(Math.max(size, min), upper));
}

/** The work area the rectangle overlaps most, or undefined when it overlaps none. */
function bestArea(rect: Rect, areas: readonly Rect[]): Rect | undefined {
  let best: Rect | undefined;
  let bestOverlap = 0;
  for (const a of areas) {
    const overlap = overlapArea(rect, a);
    if (overlap > bestOverlap) [best, bestOverlap] = [a, overlap];
  }
  return best;
}

function overlapArea(r: Rect, a: Rect): number {
  const w = Math.min(r.x + r.width, a.x + a.width) - Math.max(r.x, a.x);
  const h = Math.min(r.y + r.height, a.y + a.height) - Math.max(r.y, a.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The top strip of the window (where it is dragged from) overlaps the area by at least the margin both ways. */
function titleBarVisible(r: Rect, a: Rect): boolean {
  const titleBar = { x: r.x, y: r.y, width: r.width, height: 1 };
  const w = Math.min(titleBar.x + titleBar.width, a.x + a.width) - Math.max(titleBar.x, a.x);
  return w >= VISIBLE_MARGIN && r.y >= a.y && r.y <= a.y + a.height - VISIBLE_MARGIN;
}

function centerIn(size: { width: number; height: number }, a: Rect): { x: number; y: number } {
  return { x: Math.round(a.x + (a.width - size.width) / 2), y: Math.round(a.y + (a.height - size.height) / 2) };
}

/** Loads the stored state from `file`; null when missing or unreadable (the default size is used then). */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    return parseWindowState(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Stores the state (atomically, so a crash while quitting cannot leave a corrupt file). */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await atomicWriteFile(file, `${JSON.stringify(state, null, 2)}\n`);
}
