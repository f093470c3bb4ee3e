/**
 * The CodeMirror 6 editor behind the text pane: Python highlighting for TVMScript, lint marks from our diagnostics,
 * a mark on the text of the selected graph nodes, light and dark themes, and undo/redo routed to the document store
 * (one change stream, so the editor keeps no history of its own). It implements sync.ts's `EditorPort`; all sync
 * policy lives there.
 */
import { EditorState, Compartment, Prec, StateEffect, StateField, Annotation } from '@codemirror/state';
import type { Extension, Range } from '@codemirror/state';
import {
  Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars,
  keymap, lineNumbers,
} from '@codemirror/view';
import type { DecorationSet, ViewUpdate } from '@codemirror/view';
import { bracketMatching, defaultHighlightStyle, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import { toLintDiagnostics } from './diagnostics.js';
import { minimalEdit } from './replace.js';
import type { NodeSpan } from './spans.js';
import type { EditorPort } from './sync.js';

/** Callbacks from the editor to the sync controller and the store. */
export interface TextEditorOptions {
  readonly parent: HTMLElement;
  readonly text: string;
  readonly dark: boolean;
  /** The user changed the text. */
  onUserEdit(): void;
  /** The user moved the cursor (click or keys) to an offset. */
  onCursor(offset: number): void;
  onUndo(): void;
  onRedo(): void;
}

/** Marks a transaction as a replacement from the store (not typing). */
const external = Annotation.define<boolean>();

const setLinked = StateEffect.define<readonly NodeSpan[]>();
const linkedMark = Decoration.mark({ class: 'cm-linked-node' });

/** The highlighted ranges of the selected nodes; they follow edits until the next selection replaces them. */
const linkedField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setLinked)) continue;
      const marks: Range<Decoration>[] = e.value.filter((r) => r.to > r.from).map((r) => linkedMark.range(r.from, r.to));
      next = Decoration.set(marks, true);
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const baseTheme = EditorView.baseTheme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '&light .cm-linked-node': { backgroundColor: '#fff3a8', outline: '1px solid #e0c200' },
  '&dark .cm-linked-node': { backgroundColor: '#5a4c00', outline: '1px solid #b59a00' },
});

const darkTheme = EditorView.theme(
  {
    '&': { color: '#d8dee9', backgroundColor: '#1e2127' },
    '.cm-content': { caretColor: '#e5e9f0' },
    '.cm-gutters': { backgroundColor: '#1e2127', color: '#6b7280', border: 'none' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: '#2a2f38' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#3b4252' },
  },
  { dark: true },
);

const darkHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword], color: '#c678dd' },
  { tag: [tags.string, tags.special(tags.string)], color: '#98c379' },
  { tag: [tags.number, tags.bool, tags.null], color: '#d19a66' },
  { tag: tags.comment, color: '#7f848e', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: '#61afef' },
  { tag: tags.meta, color: '#e5c07b' },
  { tag: tags.propertyName, color: '#e06c75' },
]);

function themeFor(dark: boolean): Extension {
  return dark ? [darkTheme, syntaxHighlighting(darkHighlight)] : [syntaxHighlighting(defaultHighlightStyle)];
}

/** The text pane's editor (see the file header). */
export class TextEditor implements EditorPort {
  readonly view: EditorView;
  private readonly theme = new Compartment();

  constructor(private readonly opts: TextEditorOptions) {
    this.view = new EditorView({ parent: opts.parent, state: EditorState.create({ doc: opts.text, extensions: this.extensions() }) });
  }

  private extensions(): Extension[] {
    const o = this.opts;
    return [
      lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), drawSelection(), highlightActiveLine(),
      indentOnInput(), bracketMatching(), indentUnit.of('    '), EditorView.lineWrapping, python(), lintGutter(), linkedField, baseTheme,
      this.theme.of(themeFor(o.dark)),
      Prec.highest(keymap.of([
        { key: 'Mod-z', run: () => (o.onUndo(), true), preventDefault: true },
        { key: 'Mod-Shift-z', run: () => (o.onRedo(), true), preventDefault: true },
        { key: 'Mod-y', run: () => (o.onRedo(), true), preventDefault: true },
      ])),
      keymap.of([...defaultKeymap, ...lintKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ 'aria-label': 'TVMScript text', 'data-testid': 'text-editor' }),
      EditorView.updateListener.of((u) => this.onUpdate(u)),
    ];
  }

  private onUpdate(u: ViewUpdate): void {
    const fromStore = u.transactions.some((tr) => tr.annotation(external));
    if (u.docChanged && !fromStore) this.opts.onUserEdit();
    if (u.selectionSet && u.transactions.some((tr) => tr.isUserEvent('select'))) this.opts.onCursor(u.state.selection.main.head);
  }

  getText(): string {
    return this.view.state.doc.toString();
  }

  replaceText(text: string): void {
    const edit = minimalEdit(this.getText(), text);
    if (edit) this.view.dispatch({ changes: edit, annotations: external.of(true) });
  }

  setDiagnostics(diagnostics: readonly Diagnostic[]): void {
    const spec = setDiagnostics(this.view.state, toLintDiagnostics(diagnostics, this.view.state.doc.length));
    this.view.dispatch(spec);
  }

  setHighlight(ranges: readonly NodeSpan[], scroll: boolean): void {
    const len = this.view.state.doc.length;
    const inRange = ranges.filter((r) => r.to <= len);
    const effects: StateEffect<unknown>[] = [setLinked.of(inRange)];
    if (scroll && inRange[0]) effects.push(EditorView.scrollIntoView(inRange[0].from, { y: 'center' }));
    this.view.dispatch({ effects });
  }

  setDark(dark: boolean): void {
    this.view.dispatch({ effects: this.theme.reconfigure(themeFor(dark)) });
  }

  destroy(): void {
    this.view.destroy();
  }
}
