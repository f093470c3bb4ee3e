/**
 * Source positions. A span is a half-open range of UTF-16 offsets into the text the node was parsed from.
 * Spans are carried by IR nodes for diagnostics and the graph<->text link; structural equality ignores them.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column (columns count UTF-16 code units, like editors do). */
export interface LineCol {
  readonly line: number;
  readonly col: number;
}

/** Maps offsets to line/column for one source text; built once per file, O(log lines) per lookup. */
export class LineMap {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.starts = starts;
  }
  /** Line and column (1-based) of an offset. */
  lineCol(offset: number): LineCol {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - s[lo]! + 1 };
  }
  /** Offset of a 1-based line and column. */
  offset(line: number, col: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
    return start + col - 1;
  }
  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const end = line < this.starts.length ? this.starts[line]! - 1 : this.text.length;
    return this.text.slice(start, end);
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

export function spanUnion(a: Span | undefined, b: Span | undefined): Span | undefined {
  if (!a) return b;
  if (!b) return a;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
