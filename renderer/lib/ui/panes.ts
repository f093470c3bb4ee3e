/**
 * Shell layout policy, framework-free: the side panes' sizes (clamped so the canvas always keeps most of the
 * window, remembered in localStorage, never throwing on a corrupt or missing storage), and the "readable fit"
 * viewport used when a document opens: fit the whole graph when that stays readable, else show its start (the
 * inputs, on the left) at a minimum zoom where node cards can be read.
 */

/** Sizes of the resizable panes, in CSS pixels, and which are shown. */
export interface PaneSizes {
  /** Width of the right column (inspector over the text pane). */
  readonly side: number;
  /** Height of the inspector inside the right column. */
  readonly inspector: number;
  readonly paletteOpen: boolean;
  readonly inspectorOpen: boolean;
}

export const DEFAULT_PANES: PaneSizes = { side: 440, inspector: 220, paletteOpen: true, inspectorOpen: true };

/** The canvas keeps at least this share of the workspace width. */
export const MIN_CANVAS_SHARE = 0.45;
export const MIN_SIDE = 240;
export const MIN_INSPECTOR = 80;

/** localStorage key of the pane sizes. */
export const PANES_KEY = 'relax-studio.panes';

/** Clamps a right-column width to [MIN_SIDE, what leaves the canvas its share of `workspace`]. */
export function clampSide(width: number, workspace: number): number {
  const max = Math.max(MIN_SIDE, Math.round(workspace * (1 - MIN_CANVAS_SHARE)));
  return Math.round(Math.min(max, Math.max(MIN_SIDE, width)));
}

/** Clamps an inspector height to [MIN_INSPECTOR, column height - room for the text pane]. */
export function clampInspector(height: number, column: number): number {
  const max = Math.max(MIN_INSPECTOR, column - 160);
  return Math.round(Math.min(max, Math.max(MIN_INSPECTOR, height)));
}

/** The default right-column width for a window: about 30% of it, within the clamps. */
export function defaultSide(workspace: number): number {
  return clampSide(Math.min(DEFAULT_PANES.side, workspace * 0.3), workspace);
}

/** Reads the stored pane sizes (defaults for anything missing or malformed). */
export function loadPanes(storage: Pick<Storage, 'getItem'> | null): PaneSizes {
  try {
    const v = JSON.parse(storage?.getItem(PANES_KEY) ?? '{}') as Partial<Record<keyof PaneSizes, unknown>>;
    const num = (x: unknown, d: number) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : d);
    const bool = (x: unknown, d: boolean) => (typeof x === 'boolean' ? x : d);
    return {
      side: num(v.side, DEFAULT_PANES.side),
      inspector: num(v.inspector, DEFAULT_PANES.inspector),
      paletteOpen: bool(v.paletteOpen, DEFAULT_PANES.paletteOpen),
      inspectorOpen: bool(v.inspectorOpen, DEFAULT_PANES.inspectorOpen),
    };
  } catch {
    return DEFAULT_PANES;
  }
}

/** Stores the pane sizes (a full or failing storage is ignored: sizes are a convenience). */
export function savePanes(storage: Pick<Storage, 'setItem'> | null, panes: PaneSizes): void {
  try {
    storage?.setItem(PANES_KEY, JSON.stringify(panes));
  } catch {
    // ignore
  }
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface FitOptions {
  /** Margin around the graph, as a share of the view (0.1 = 10%). */
  readonly padding?: number;
  /** Below this zoom node cards are not readable: show the graph's start at this zoom instead. */
  readonly minZoom?: number;
  /** Small graphs are not blown up past this zoom. */
  readonly maxZoom?: number;
}

/** Zoom at which the app's node cards (12 px text) stay readable. */
export const READABLE_ZOOM = 0.6;

/**
 * Below this zoom the canvas draws the overview: node cards without their text and edges without their labels
 * (text there would be under 5 px). Nothing is taken out of the document: the elements stay, unpainted.
 */
export const OVERVIEW_ZOOM = 0.4;

/**
 * The viewport that shows `bounds` (flow coordinates) in a `view` of the given size: the whole graph centred when
 * it fits at `minZoom` or more; otherwise `minZoom`, with the graph's left edge at the padding and its top (or its
 * vertical centre, when it fits in height) in view.
 */
export function readableFit(bounds: Rect, view: { width: number; height: number }, opts: FitOptions = {}): Viewport {
  const padding = opts.padding ?? 0.1;
  const minZoom = opts.minZoom ?? READABLE_ZOOM;
  const maxZoom = opts.maxZoom ?? 1.25;
  const w = Math.max(1, bounds.width);
  const h = Math.max(1, bounds.height);
  const fit = Math.min((view.width * (1 - 2 * padding)) / w, (view.height * (1 - 2 * padding)) / h);
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  const centre = (size: number, viewSize: number, origin: number) => (viewSize - size * zoom) / 2 - origin * zoom;
  const start = (viewSize: number, origin: number) => viewSize * padding - origin * zoom;
  const x = w * zoom <= view.width ? centre(w, view.width, bounds.x) : start(view.width, bounds.x);
  const y = h * zoom <= view.height ? centre(h, view.height, bounds.y) : start(view.height, bounds.y);
  return { x, y, zoom };
}
