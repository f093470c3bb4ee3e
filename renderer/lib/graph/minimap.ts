/**
 * The minimap's model, plain TS (tested in Node): what each node looks like there, and the frame that maps the flow
 * onto the minimap. The minimap (src/components/MiniMap.svelte) draws this on one <canvas>: xyflow's own MiniMap is
 * an SVG with a rect per node, and with 2,000 nodes Chromium spent half its hit testing on it on every pointer move
 * while panning (bench/README.md, "UI benchmark").
 *
 * The frame follows xyflow's: the box shown is the union of the nodes' bounds and the visible part of the flow, fit
 * into the minimap with its aspect kept and a margin, so the viewport's outline is always inside the minimap.
 */
import type { Node, Viewport } from '@xyflow/svelte';
import type { OpNodeData } from './view.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One node on the minimap: its flow rect and how it is drawn. */
export interface MiniNode extends Rect {
  /** `block`: an outline behind its members; `fused`: not drawn (the nodes inside carry the colour). */
  readonly style: 'param' | 'binding' | 'output' | 'collapsed' | 'block';
  readonly selected: boolean;
  readonly failed: boolean;
  /** The heat colour after a run. */
  readonly fill?: string;
}

/** Flow -> minimap pixels: px = (fx - x) / scale, py = (fy - y) / scale. `scale` is flow units per pixel. */
export interface MiniFrame {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

/** Default node size for a node whose size is neither given nor measured yet. */
const FALLBACK = { width: 190, height: 56 };

/** The nodes as the minimap draws them, blocks first (they sit behind their members). Hidden nodes are left out. */
export function miniNodes(nodes: readonly Node[]): MiniNode[] {
  const blocks: MiniNode[] = [];
  const rest: MiniNode[] = [];
  for (const n of nodes) {
    if (n.hidden || n.type === 'fused') continue;
    const rect = {
      x: n.position.x, y: n.position.y,
      width: n.width ?? n.measured?.width ?? FALLBACK.width, height: n.height ?? n.measured?.height ?? FALLBACK.height,
    };
    if (n.type === 'block') {
      blocks.push({ ...rect, style: 'block', selected: false, failed: false });
      continue;
    }
    const data = n.data as Partial<OpNodeData> & { timing?: { colour?: string } };
    const style = n.type === 'collapsed' ? 'collapsed' : data.kind === 'param' ? 'param' : data.kind === 'output' ? 'output' : 'binding';
    const fill = data.timing?.colour;
    rest.push({ ...rect, style, selected: !!n.selected, failed: !!data.error, ...(fill ? { fill } : {}) });
  }
  return [...blocks, ...rest];
}

/** The bounds of all the given rects, or undefined for none. */
export function boundsOf(rects: readonly Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The part of the flow a pane of the given size shows at this viewport. */
export function visibleRect(viewport: Viewport, width: number, height: number): Rect {
  return { x: -viewport.x / viewport.zoom, y: -viewport.y / viewport.zoom, width: width / viewport.zoom, height: height / viewport.zoom };
}

/** Fits the union of `content` and `view` into a minimap of `size`, centred, with `margin` pixels all round. */
export function miniFrame(content: Rect | undefined, view: Rect, size: { width: number; height: number }, margin = 5): MiniFrame {
  const box = content ? boundsOf([content, view])! : view;
  const inner = { width: Math.max(1, size.width - 2 * margin), height: Math.max(1, size.height - 2 * margin) };
  const scale = Math.max(box.width / inner.width, box.height / inner.height) || 1;
  return {
    x: box.x - (size.width * scale - box.width) / 2,
    y: box.y - (size.height * scale - box.height) / 2,
    scale,
  };
}

/** A flow rect in minimap pixels. */
export function toMini(f: MiniFrame, r: Rect): Rect {
  return { x: (r.x - f.x) / f.scale, y: (r.y - f.y) / f.scale, width: r.width / f.scale, height: r.height / f.scale };
}

/** A minimap pixel as a flow point. */
export function fromMini(f: MiniFrame, px: number, py: number): { x: number; y: number } {
  return { x: f.x + px * f.scale, y: f.y + py * f.scale };
}

/** A CSS hex colour (`#rgb`, `#rrggbb`) as `rgba(...)` with the given alpha; other colours are returned as they are. */
export function alpha(colour: string, a: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (!m) return colour;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}
