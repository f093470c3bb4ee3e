/**
 * Automatic layout for graphs without stored positions: elkjs's layered algorithm (left to right) for normal
 * graphs, and an O(n + e) longest-path layering for large ones (elk takes seconds past a few hundred nodes; the
 * large-graph goal is a first render under 2 s). Both give positions by node id.
 */
import type { Position } from '../../../core/ir/graph/model.js';
import { NODE_H, NODE_W } from './view.js';

export interface LayoutInput {
  readonly nodes: readonly { readonly id: string }[];
  readonly edges: readonly { readonly source: string; readonly target: string }[];
}

/** Above this many nodes, layout uses the fast layering instead of elk. */
export const ELK_LIMIT = 300;

// Room between layers for the edge label (`(n, 128) f32`) between two ports.
const GAP_X = 110;
const GAP_Y = 36;

/** Longest-path layering: column = depth from the inputs, rows in input order. Nodes arrive topologically sorted. */
export function layeredLayout(g: LayoutInput): Record<string, Position> {
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const e of g.edges) {
    let l = incoming.get(e.target);
    if (!l) incoming.set(e.target, (l = []));
    l.push(e.source);
  }
  const rows = new Map<number, number>();
  const out: Record<string, Position> = {};
  for (const n of g.nodes) {
    const d = Math.max(-1, ...(incoming.get(n.id) ?? []).map((s) => depth.get(s) ?? -1)) + 1;
    depth.set(n.id, d);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    out[n.id] = { x: d * (NODE_W + GAP_X), y: row * (NODE_H + GAP_Y) };
  }
  return out;
}

/** elk's layered layout; falls back to `layeredLayout` for large graphs or when elk fails. */
export async function autoLayout(g: LayoutInput): Promise<Record<string, Position>> {
  if (g.nodes.length > ELK_LIMIT) return layeredLayout(g);
  try {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    const elk = new ELK();
    const ids = new Set(g.nodes.map((n) => n.id));
    const res = await elk.layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': String(GAP_Y),
        'elk.layered.spacing.nodeNodeBetweenLayers': String(GAP_X),
      },
      children: g.nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })),
      edges: g.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
    });
    const out: Record<string, Position> = {};
    for (const c of res.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
    return out;
  } catch {
    return layeredLayout(g);
  }
}
