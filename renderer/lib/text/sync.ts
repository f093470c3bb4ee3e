/**
 * Two-way sync between the document store and a text editor, framework-free (the editor is a small port, so the
 * policy is tested in Node; editor.ts implements the port with CodeMirror):
 * - store -> editor: a text change that did not come from the pane (graph edit, file, restore, undo/redo) replaces
 *   the editor content at once, as a minimal edit so the cursor stays where it was; diagnostics become lint marks;
 *   the selected nodes' spans are highlighted (and scrolled into view when the selection came from elsewhere);
 * - editor -> store: typing is debounced, then sent as `setText` with origin `text-pane` (the store keeps the last
 *   good graph while the text is invalid); the cursor inside a binding selects its node.
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { Change, DocumentState } from '../document/store.js';
import { buildSpanIndex, EMPTY_INDEX } from './spans.js';
import type { NodeSpan, SpanIndex } from './spans.js';

/** The part of the document store the text pane uses. */
export interface StoreLike {
  readonly state: DocumentState;
  apply(change: Change): void;
  subscribe(listener: (state: DocumentState, change: Change) => void): () => void;
}

/** What the sync needs from an editor. */
export interface EditorPort {
  getText(): string;
  /** Replaces the content without recording it as typing (and without calling back `onUserEdit`). */
  replaceText(text: string): void;
  setDiagnostics(diagnostics: readonly Diagnostic[]): void;
  /** Marks the given ranges as the linked nodes; `scroll` brings the first into view. */
  setHighlight(ranges: readonly NodeSpan[], scroll: boolean): void;
}

export interface TextSyncOptions {
  /** Pause after the last keystroke before the text goes to the store (ms). */
  readonly debounceMs?: number;
}

/** Changes after which the store's text may differ from the editor's for a reason other than typing. */
const REWRITES = new Set<Change['kind']>(['editGraph', 'undo', 'redo']);

/** The sync controller (see the file header). */
export class TextSync {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: () => void = () => undefined;
  private indexCache: { graph: unknown; text: string; index: SpanIndex } | undefined;
  private shownDiagnostics: readonly Diagnostic[] | undefined;
  private selectingFromText = false;
  private readonly debounceMs: number;

  constructor(private readonly store: StoreLike, private readonly editor: EditorPort, opts: TextSyncOptions = {}) {
    this.debounceMs = opts.debounceMs ?? 300;
  }

  /** Shows the store's current state and starts listening to its change stream. */
  attach(): void {
    const s = this.store.state;
    if (this.editor.getText() !== s.text) this.editor.replaceText(s.text);
    this.showDiagnostics(s);
    this.showSelection(s, false);
    this.unsubscribe = this.store.subscribe((state, change) => this.onStoreChange(state, change));
  }

  /** Stops listening; pending typing is sent first so nothing is lost. */
  dispose(): void {
    this.flush();
    this.unsubscribe();
  }

  /** True while typing waits for the debounce. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** The editor's content changed by typing: send it after the debounce. */
  onUserEdit(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  /** Sends pending typing to the store now (before undo, save, or when the pane closes). */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.store.apply({ kind: 'setText', text: this.editor.getText(), origin: 'text-pane' });
  }

  /** The user moved the cursor to `offset`: select the node whose binding is there. */
  onCursor(offset: number): void {
    const s = this.store.state;
    if (this.pending || this.editor.getText() !== s.text) return;
    const node = this.index(s).nodeAt(offset);
    if (!node || (s.selection.length === 1 && s.selection[0] === node.id)) return;
    this.selectingFromText = true;
    try {
      if (node.fn !== s.activeFunction) this.store.apply({ kind: 'setActiveFunction', name: node.fn });
      this.store.apply({ kind: 'select', nodes: [node.id] });
    } finally {
      this.selectingFromText = false;
    }
  }

  /** The node spans of the current state (empty while the editor shows other text). */
  index(s: DocumentState = this.store.state): SpanIndex {
    if (!s.textValid) return EMPTY_INDEX;
    const c = this.indexCache;
    if (c && c.graph === s.graph && c.text === s.text) return c.index;
    const index = buildSpanIndex(s.graph, s.text);
    this.indexCache = { graph: s.graph, text: s.text, index };
    return index;
  }

  private onStoreChange(s: DocumentState, change: Change): void {
    const rewrite = REWRITES.has(change.kind) || (change.kind === 'setText' && change.origin !== 'text-pane');
    if (rewrite && this.editor.getText() !== s.text) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.editor.replaceText(s.text);
    }
    this.showDiagnostics(s);
    if (change.kind === 'select' || rewrite || change.kind === 'setText') this.showSelection(s, change.kind === 'select' && !this.selectingFromText);
  }

  private showDiagnostics(s: DocumentState): void {
    if (s.diagnostics === this.shownDiagnostics) return;
    this.shownDiagnostics = s.diagnostics;
    this.editor.setDiagnostics(s.diagnostics);
  }

  private showSelection(s: DocumentState, scroll: boolean): void {
    const linked = this.editor.getText() === s.text ? this.index(s).rangesOf(s.selection) : [];
    this.editor.setHighlight(linked, scroll && linked.length > 0);
  }
}
