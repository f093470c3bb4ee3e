// Text <-> graph sync policy, on the real document store and a fake editor (the CodeMirror side is covered by the
// e2e tests): debounced typing, invalid text keeping the last good graph, graph rewrites replacing the editor text,
// and the selection link both ways.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import { DocumentStore } from '../document/store.js';
import type { NodeSpan } from './spans.js';
import { TextSync } from './sync.js';
import type { EditorPort } from './sync.js';
import { minimalEdit } from './replace.js';

const TEXT = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 3), dtype="float32")) -> R.Tensor((2, 3), dtype="float32"):
        with R.dataflow():
            y = R.exp(x)
            z = R.nn.relu(y)
            R.output(z)
        return z
`;

class FakeEditor implements EditorPort {
  replaced = 0;
  diagnostics: readonly Diagnostic[] = [];
  highlight: readonly NodeSpan[] = [];
  scrolled = false;
  constructor(public text = '') {}
  getText(): string {
    return this.text;
  }
  replaceText(text: string): void {
    this.replaced++;
    this.text = text;
  }
  setDiagnostics(d: readonly Diagnostic[]): void {
    this.diagnostics = d;
  }
  setHighlight(r: readonly NodeSpan[], scroll: boolean): void {
    this.highlight = r;
    this.scrolled = scroll;
  }
  type(text: string, sync: TextSync): void {
    this.text = text;
    sync.onUserEdit();
  }
}

function nodeIds(store: DocumentStore): string[] {
  const f = store.state.graph?.functions.find((g) => g.kind === 'relax' && g.name === 'main');
  return f && f.kind === 'relax' ? f.nodes.map((n) => n.id) : [];
}

describe('TextSync', () => {
  let store: DocumentStore;
  let editor: FakeEditor;
  let sync: TextSync;
  beforeEach(() => {
    vi.useFakeTimers();
    store = new DocumentStore(TEXT);
    editor = new FakeEditor();
    sync = new TextSync(store, editor, { debounceMs: 300 });
    sync.attach();
  });
  afterEach(() => {
    sync.dispose();
    vi.useRealTimers();
  });

  it('shows the store text on attach', () => {
    expect(editor.text).toBe(store.state.text);
  });

  it('sends typing to the store after the debounce, and a valid binding becomes a node', () => {
    const typed = editor.text.replace('            R.output(z)', '            w = R.nn.relu(z)\n            R.output(w)').replace('return z', 'return w');
    editor.type(typed, sync);
    vi.advanceTimersByTime(299);
    expect(store.state.text).not.toBe(typed);
    vi.advanceTimersByTime(1);
    expect(store.state.text).toBe(typed);
    expect(nodeIds(store)).toContain('main/w');
    expect(editor.replaced).toBe(1); // only the initial fill: the pane's own text is never written back
  });

  it('keeps the last good graph while the text is broken, and shows the diagnostics', () => {
    const before = store.state.graph;
    editor.type(editor.text.replace('R.exp(x)', 'R.exp(x'), sync);
    vi.advanceTimersByTime(300);
    expect(store.state.textValid).toBe(false);
    expect(store.state.graph).toBe(before);
    expect(editor.diagnostics.map((d) => d.code)).toEqual(['P102']);
    expect(editor.text).toContain('R.exp(x\n'); // what the user typed stays
  });

  it('replaces the editor text at once when the text changes elsewhere (undo), cancelling stale typing', () => {
    editor.type(editor.text.replace('R.exp(x)', 'R.sigmoid(x)'), sync);
    sync.flush();
    expect(store.state.text).toContain('R.sigmoid(x)');
    store.undo();
    expect(editor.text).toBe(store.state.text);
    expect(editor.text).toContain('R.exp(x)');
    editor.type(editor.text + '#', sync);
    store.redo();
    vi.advanceTimersByTime(1000);
    expect(editor.text).toContain('R.sigmoid(x)');
    expect(store.state.text).toBe(editor.text);
  });

  it('highlights the span of a node selected in the graph, and scrolls to it', () => {
    store.apply({ kind: 'select', nodes: ['main/z'] });
    expect(editor.highlight).toHaveLength(1);
    const r = editor.highlight[0]!;
    expect(editor.text.slice(r.from, r.to)).toMatch(/^z.*= R\.nn\.relu\(y\)$/);
    expect(editor.scrolled).toBe(true);
  });

  it('selects the node of the binding under the cursor, without scrolling the text', () => {
    const at = editor.text.indexOf('R.exp');
    sync.onCursor(at);
    expect(store.state.selection).toEqual(['main/y']);
    expect(editor.scrolled).toBe(false);
    expect(editor.text.slice(editor.highlight[0]!.from, editor.highlight[0]!.to)).toMatch(/^y.*R\.exp\(x\)$/);
    // The indentation before a binding belongs to that binding's line.
    sync.onCursor(editor.text.indexOf('\n            z') + 3);
    expect(store.state.selection).toEqual(['main/z']);
  });

  it('does not link while the text is invalid or typing is pending', () => {
    editor.type(editor.text.replace('R.exp(x)', 'R.exp(x'), sync);
    sync.onCursor(editor.text.indexOf('R.nn.relu'));
    expect(store.state.selection).toEqual([]);
    vi.advanceTimersByTime(300);
    sync.onCursor(editor.text.indexOf('R.nn.relu'));
    expect(store.state.selection).toEqual([]);
  });
});

describe('minimalEdit', () => {
  it('keeps the common prefix and suffix', () => {
    expect(minimalEdit('abcXYdef', 'abcZdef')).toEqual({ from: 3, to: 5, insert: 'Z' });
    expect(minimalEdit('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });
    expect(minimalEdit('same', 'same')).toBeNull();
    expect(minimalEdit('', 'new')).toEqual({ from: 0, to: 0, insert: 'new' });
  });
});
