/**
 * The document store: one per open document, framework-free (tested in Node), the single place edits go through.
 * The IR is the source of truth; the canonical TVMScript text and the graph are projections of it. Every edit is a
 * `Change` through `apply`, and every applied change is published on ONE stream (`subscribe`) that undo,
 * persistence (dexie) and text sync consume. Undoable changes (setText, editGraph, setPositions) that change the text
 * or the positions push a snapshot `{text, positions}` (opening a file starts a new history); undo/redo restore a
 * snapshot by re-reading its text (no change is re-executed).
 *
 * Text policy: a valid text (no error diagnostics) replaces module, graph and text (kept as typed when it comes
 * from the text pane, printed canonically otherwise); an invalid text updates `text` and `diagnostics` only, and
 * the graph keeps its last good state. Graph edits always produce canonical text; the module is re-read from that
 * text so spans (the graph<->text link) always point into `state.text`.
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { GraphDocument, Position } from '../../../core/ir/graph/model.js';
import type { IRModule } from '../../../core/ir/module.js';
import type { GraphEdit } from '../../../core/ir/graph/edit.js';
import { applyGraphEdit } from '../../../core/ir/graph/edit.js';
import { moduleToGraph } from '../../../core/ir/graph/build.js';
import { parse } from '../../../core/ir/parser/index.js';
import { printModule } from '../../../core/ir/printer/index.js';

export type Theme = 'light' | 'dark';

/** Everything the UI shows for one document. Replaced (never mutated) on every change. */
export interface DocumentState {
  /** The text as the text pane shows it: canonical TVMScript, or what the user typed. */
  readonly text: string;
  /** The last valid module. */
  readonly module?: IRModule;
  /** The graph of `module`. */
  readonly graph?: GraphDocument;
  /** Diagnostics of the current text (parse, inference), or of the last graph edit. */
  readonly diagnostics: readonly Diagnostic[];
  /** False while `text` has errors (the graph then shows the last valid module). */
  readonly textValid: boolean;
  /** Node positions by node id (layout only, kept beside the text). */
  readonly positions: Readonly<Record<string, Position>>;
  /** Selected node ids. */
  readonly selection: readonly string[];
  /** The Relax function shown in the canvas. */
  readonly activeFunction: string;
  readonly theme: Theme;
  readonly textPaneOpen: boolean;
  /** Path of the file this document was opened from or saved to. */
  readonly filePath?: string;
  /** Changed since the last save. */
  readonly dirty: boolean;
  /**
   * The project's JavaScript packed functions (name -> source; the run panel's contract in renderer/lib/run/packed.ts).
   * Saved with the project (dexie), not in the TVMScript file: opening a file starts with none, and reopening a file
   * the project database knows brings its packed functions back (persist/autosave.ts).
   */
  readonly packed: Readonly<Record<string, string>>;
}

/** Where a text comes from: typing, a file, or a restore (autosave, version history). */
export type TextOrigin = 'text-pane' | 'file' | 'restore';

/** Every edit of a document. */
export type Change =
  | { readonly kind: 'setText'; readonly text: string; readonly origin: TextOrigin; readonly filePath?: string }
  /** `at`: where the nodes the edit creates go on the canvas (a drop point); part of the same undo step. */
  | { readonly kind: 'editGraph'; readonly edit: GraphEdit; readonly at?: Position }
  | { readonly kind: 'setPositions'; readonly positions: Readonly<Record<string, Position>>; readonly replace?: boolean }
  | { readonly kind: 'select'; readonly nodes: readonly string[] }
  | { readonly kind: 'setActiveFunction'; readonly name: string }
  | { readonly kind: 'setTheme'; readonly theme: Theme }
  | { readonly kind: 'toggleTextPane' }
  | { readonly kind: 'markSaved'; readonly path: string }
  /** Replaces the project's packed functions (not undoable here: the packed-function editor keeps its own history). */
  | { readonly kind: 'setPacked'; readonly packed: Readonly<Record<string, string>> }
  /** Published by undo/redo (never passed to apply by callers). */
  | { readonly kind: 'undo' | 'redo' };

/** Listener of the change stream: the new state and the change that produced it. */
export type Listener = (state: DocumentState, change: Change) => void;

interface Snapshot {
  readonly text: string;
  readonly positions: Readonly<Record<string, Position>>;
}

const UNDOABLE = new Set<Change['kind']>(['setText', 'editGraph', 'setPositions']);
const HISTORY_LIMIT = 200;

/** An empty module, the text of a new document. */
export const EMPTY_MODULE_TEXT = `# from tvm.script import ir as I
# from tvm.script import tirx as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 784), dtype="float32")) -> R.Tensor(("n", 784), dtype="float32"):
        n = T.int64()
        with R.dataflow():
            gv = R.nn.relu(x)
            R.output(gv)
        return gv
`;

function hasError(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Parses a text for the editor: never throws (a parser crash becomes one diagnostic). */
export function readText(text: string): { module?: IRModule; diagnostics: readonly Diagnostic[] } {
  try {
    return parse(text, { loose: true });
  } catch (err) {
    return { diagnostics: [{ code: 'R299', severity: 'error', message: `The text could not be read. However, the parser failed: ${String(err)}` }] };
  }
}

/** The function to show first: the active one when it still exists, else `main`, else the first Relax function. */
function pickFunction(graph: GraphDocument | undefined, current: string): string {
  const names = (graph?.functions ?? []).filter((f) => f.kind === 'relax').map((f) => f.name);
  if (names.includes(current)) return current;
  return names.includes('main') ? 'main' : (names[0] ?? current);
}

/** The document store (see the file header). */
export class DocumentStore {
  private current: DocumentState;
  private readonly listeners = new Set<Listener>();
  private undoStack: Snapshot[] = [];
  private redoStack: Snapshot[] = [];

  constructor(text: string = EMPTY_MODULE_TEXT, init: Partial<Pick<DocumentState, 'theme' | 'textPaneOpen' | 'positions'>> = {}) {
    this.current = {
      text: '', diagnostics: [], textValid: true, positions: init.positions ?? {}, selection: [], activeFunction: 'main',
      theme: init.theme ?? 'light', textPaneOpen: init.textPaneOpen ?? true, dirty: false, packed: {},
    };
    this.current = { ...this.withText(this.current, text, 'file'), dirty: false };
  }

  /** The current state (a new object after every change). */
  get state(): DocumentState {
    return this.current;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Listens to every applied change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies one change, records it for undo when undoable, and publishes it. */
  apply(change: Change): void {
    if (change.kind === 'undo' || change.kind === 'redo') {
      if (change.kind === 'undo') this.undo();
      else this.redo();
      return;
    }
    const before = this.current;
    const next = this.reduce(before, change as Exclude<Change, { kind: 'undo' | 'redo' }>);
    if (next === before) return;
    if (change.kind === 'setText' && change.origin === 'file') this.clearHistory();
    else if (UNDOABLE.has(change.kind) && (next.text !== before.text || next.positions !== before.positions)) this.record(snapshot(before));
    this.publish(next, change);
  }

  /** Goes back to the state before the last undoable change. */
  undo(): void {
    const prev = this.undoStack.pop();
    if (!prev) return;
    this.redoStack.push(snapshot(this.current));
    this.publish(this.restore(prev), { kind: 'undo' });
  }

  /** Re-applies the last undone change. */
  redo(): void {
    const next = this.redoStack.pop();
    if (!next) return;
    this.undoStack.push(snapshot(this.current));
    this.publish(this.restore(next), { kind: 'redo' });
  }

  /** Forgets undo history (a file was opened: a new document). */
  clearHistory(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  private record(s: Snapshot): void {
    this.undoStack.push(s);
    if (this.undoStack.length > HISTORY_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  private publish(next: DocumentState, change: Change): void {
    this.current = next;
    for (const l of [...this.listeners]) l(next, change);
  }

  private restore(s: Snapshot): DocumentState {
    return { ...this.withText(this.current, s.text, 'restore'), positions: s.positions, dirty: true };
  }

  private reduce(s: DocumentState, c: Exclude<Change, { kind: 'undo' | 'redo' }>): DocumentState {
    switch (c.kind) {
      case 'setText':
        return this.setText(s, c);
      case 'editGraph':
        return this.editGraph(s, c.edit, c.at);
      case 'setPositions':
        return { ...s, positions: c.replace ? c.positions : { ...s.positions, ...c.positions }, dirty: true };
      case 'select':
        return sameList(s.selection, c.nodes) ? s : { ...s, selection: c.nodes };
      case 'setActiveFunction':
        return s.activeFunction === c.name ? s : { ...s, activeFunction: c.name, selection: [] };
      case 'setTheme':
        return s.theme === c.theme ? s : { ...s, theme: c.theme };
      case 'toggleTextPane':
        return { ...s, textPaneOpen: !s.textPaneOpen };
      case 'markSaved':
        return { ...s, filePath: c.path, dirty: false };
      case 'setPacked':
        return samePacked(s.packed, c.packed) ? s : { ...s, packed: { ...c.packed } };
    }
  }

  private setText(s: DocumentState, c: Extract<Change, { kind: 'setText' }>): DocumentState {
    if (c.text === s.text && c.origin === 'text-pane') return s;
    const next = this.withText(s, c.text, c.origin);
    const opened = c.origin === 'file';
    // Opening a text with no path (File > New) starts an untitled document.
    const { filePath: _previous, ...untitled } = next;
    return {
      ...(opened && c.filePath === undefined ? untitled : next),
      ...(c.filePath !== undefined ? { filePath: c.filePath } : {}),
      ...(opened ? { positions: {}, selection: [], packed: {} } : {}),
      dirty: !opened,
    };
  }

  /** Reads a text into a state: valid texts replace module and graph; invalid ones keep the last good graph. */
  private withText(s: DocumentState, text: string, origin: TextOrigin): DocumentState {
    const { module, diagnostics } = readText(text);
    if (!module || hasError(diagnostics)) return { ...s, text, diagnostics, textValid: false };
    if (origin === 'text-pane') return this.withModule(s, module, text, diagnostics);
    const canonical = printModule(module);
    if (canonical === text) return this.withModule(s, module, text, diagnostics);
    const reread = readText(canonical);
    return this.withModule(s, reread.module ?? module, canonical, reread.module ? reread.diagnostics : diagnostics);
  }

  private withModule(s: DocumentState, module: IRModule, text: string, diagnostics: readonly Diagnostic[]): DocumentState {
    const graph = moduleToGraph(module);
    return { ...s, text, module, graph, diagnostics, textValid: true, activeFunction: pickFunction(graph, s.activeFunction) };
  }

  /** Applies a graph edit to the last valid module and prints the result; a refused edit only reports why. */
  private editGraph(s: DocumentState, edit: GraphEdit, at?: Position): DocumentState {
    if (!s.module) return { ...s, diagnostics: [noModule()] };
    const result = applyGraphEdit(s.module, edit);
    if (!result.ok) return { ...s, diagnostics: [result.error] };
    const text = printModule(result.module);
    const reread = readText(text);
    const module = reread.module ?? result.module;
    const graph = moduleToGraph(module);
    const diagnostics = reread.module ? reread.diagnostics : result.diagnostics;
    const placed = at ? placeCreated(s.positions, edit.fn, result.created, at) : s.positions;
    return { ...s, text, module, graph, diagnostics, positions: placed, textValid: true, dirty: true, activeFunction: pickFunction(graph, s.activeFunction) };
  }
}

/** Positions for the nodes an edit created, stacked from `at`. */
function placeCreated(positions: DocumentState['positions'], fn: string, created: readonly string[], at: Position): DocumentState['positions'] {
  if (created.length === 0) return positions;
  const out = { ...positions };
  created.forEach((name, i) => (out[`${fn}/${name}`] = { x: at.x + i * 30, y: at.y + i * 70 }));
  return out;
}

function noModule(): Diagnostic {
  return { code: 'E801', severity: 'error', message: 'A graph edit needs a valid module. However, the text has never parsed.' };
}

function snapshot(s: DocumentState): Snapshot {
  return { text: s.text, positions: s.positions };
}

function samePacked(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
