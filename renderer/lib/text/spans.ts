/**
 * The graph<->text link: where each graph node sits in the text, and which node a cursor offset belongs to. Built
 * from the node spans of a graph read from the very text the editor shows (the store guarantees that for a valid
 * text, see store.ts); a stale or span-less graph gives an empty index rather than wrong highlights.
 */
import type { GraphDocument } from '../../../core/ir/graph/index.js';

/** One node's range in the text. */
export interface NodeSpan {
  readonly id: string;
  /** The Relax function the node belongs to. */
  readonly fn: string;
  readonly kind: 'param' | 'binding' | 'output';
  readonly from: number;
  readonly to: number;
}

/** Node spans of one graph over one text. */
export class SpanIndex {
  private readonly byId = new Map<string, NodeSpan>();

  constructor(readonly spans: readonly NodeSpan[], private readonly text: string) {
    for (const s of spans) this.byId.set(s.id, s);
  }

  /** The range of a node, if it has one. */
  spanOf(id: string): NodeSpan | undefined {
    return this.byId.get(id);
  }

  /** Ranges of several nodes (ids without a span are skipped), in text order. */
  rangesOf(ids: readonly string[]): NodeSpan[] {
    return ids.flatMap((id) => this.byId.get(id) ?? []).sort((a, b) => a.from - b.from);
  }

  /**
   * The node at a cursor offset: the smallest span containing it (bindings before the output, which can share a
   * range), else the first node that starts on the offset's line (the cursor in a binding's indentation).
   */
  nodeAt(offset: number): NodeSpan | undefined {
    let best: NodeSpan | undefined;
    for (const s of this.spans) {
      if (s.from <= offset && offset <= s.to && (!best || better(s, best))) best = s;
    }
    if (best) return best;
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    const nl = this.text.indexOf('\n', offset);
    const lineEnd = nl < 0 ? this.text.length : nl;
    return this.spans.find((s) => s.from >= lineStart && s.from <= lineEnd);
  }
}

function better(s: NodeSpan, than: NodeSpan): boolean {
  const a = s.to - s.from;
  const b = than.to - than.from;
  if (a !== b) return a < b;
  return than.kind === 'output' && s.kind !== 'output';
}

/** An index with no spans (text not linked to a graph). */
export const EMPTY_INDEX = new SpanIndex([], '');

/**
 * Indexes the node spans of `graph` over `text`. Returns the empty index when a span falls outside the text or a
 * binding's span does not start with its name (the graph was not read from this text).
 */
export function buildSpanIndex(graph: GraphDocument | undefined, text: string): SpanIndex {
  if (!graph) return EMPTY_INDEX;
  const spans: NodeSpan[] = [];
  for (const f of graph.functions) {
    if (f.kind !== 'relax') continue;
    for (const n of f.nodes) {
      if (!n.span) continue;
      const { start, end } = n.span;
      if (start < 0 || end > text.length || start > end) return EMPTY_INDEX;
      if (n.kind === 'binding' && !text.startsWith(n.name, start)) return EMPTY_INDEX;
      spans.push({ id: n.id, fn: f.name, kind: n.kind, from: start, to: end });
    }
  }
  return new SpanIndex(spans, text);
}
