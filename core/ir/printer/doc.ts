/**
 * The printer's document tree and its renderer. The printers build statements as Docs (expressions are plain
 * strings, which keeps printing linear); `renderDoc` lays them out with indentation and records, for every `span`
 * node, the [start, end) offsets of its text, so the editor can map IR nodes (bindings, functions) to printed ranges.
 * Leaves line breaking by width to a later version: every statement is one line, as TVM prints them.
 */

/** A doc: text, a sequence, a line break, an indented region, or a region tied to an IR node. */
export type Doc = string | readonly Doc[] | DocLine | DocIndent | DocSpan;

/** A line break; the next text starts at the current indentation. `blank` lines carry no indentation. */
export interface DocLine {
  readonly kind: 'line';
}

/** Line breaks inside `body` indent one more level. */
export interface DocIndent {
  readonly kind: 'indent';
  readonly body: Doc;
}

/** The text of `body` is recorded as the printed range of `node`. */
export interface DocSpan {
  readonly kind: 'span';
  readonly node: object;
  readonly body: Doc;
}

/** Half-open offsets into the printed text. */
export interface PrintedRange {
  readonly start: number;
  readonly end: number;
}

/** A line break (shared instance). */
export const LINE: DocLine = { kind: 'line' };

/** Indents the line breaks of `body`. */
export function indent(body: Doc): DocIndent {
  return { kind: 'indent', body };
}

/** Ties the text of `body` to `node` for span maps. */
export function span(node: object, body: Doc): DocSpan {
  return { kind: 'span', node, body };
}

/** A block: `header` then each statement on its own line, one level deeper. Why: every Python suite looks like this. */
export function block(header: Doc, stmts: readonly Doc[]): Doc {
  const body: Doc[] = [];
  for (const s of stmts) body.push(LINE, s);
  return [header, indent(body)];
}

/** The rendered text plus the range of every spanned node. */
export interface Rendered {
  readonly text: string;
  readonly spans: Map<object, PrintedRange>;
}

/**
 * Renders a doc. Indentation is written lazily before the first text of a line, so blank lines carry no trailing
 * spaces and a span starts at its first character, not at the indentation.
 */
export function renderDoc(doc: Doc, indentUnit = 4): Rendered {
  const r = new Renderer(indentUnit);
  r.walk(doc);
  return { text: r.parts.join(''), spans: r.spans };
}

class Renderer {
  readonly parts: string[] = [];
  readonly spans = new Map<object, PrintedRange>();
  private pos = 0;
  private level = 0;
  private pendingIndent = false;
  private readonly indents: string[] = [''];

  constructor(private readonly unit: number) {}

  walk(doc: Doc): void {
    if (typeof doc === 'string') return this.text(doc);
    if (Array.isArray(doc)) {
      for (const d of doc as readonly Doc[]) this.walk(d);
      return;
    }
    const node = doc as DocLine | DocIndent | DocSpan;
    if (node.kind === 'line') return this.newline();
    if (node.kind === 'indent') {
      this.level++;
      this.walk(node.body);
      this.level--;
      return;
    }
    this.flushIndent();
    const start = this.pos;
    this.walk(node.body);
    this.spans.set(node.node, { start, end: this.pos });
  }

  private text(s: string): void {
    if (s.length === 0) return;
    this.flushIndent();
    this.parts.push(s);
    this.pos += s.length;
  }

  private newline(): void {
    this.parts.push('\n');
    this.pos += 1;
    this.pendingIndent = true;
  }

  private flushIndent(): void {
    if (!this.pendingIndent) return;
    this.pendingIndent = false;
    const ind = this.indentString(this.level);
    if (ind) {
      this.parts.push(ind);
      this.pos += ind.length;
    }
  }

  private indentString(level: number): string {
    while (this.indents.length <= level) this.indents.push(' '.repeat(this.unit * this.indents.length));
    return this.indents[level]!;
  }
}
