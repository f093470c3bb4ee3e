/**
 * The small CodeMirror 6 JavaScript editor of the packed-function editor. It reports edits debounced (typing does
 * not rewrite the project on every key) and flushes them on blur, on `setDoc` (switching to another function) and
 * on `destroy`, so no edit is ever lost. Its colours are the app's CSS variables, so it follows the light and dark
 * themes without being told which is on.
 */
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { tags } from '@lezer/highlight';

export interface JsEditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  /** Called with the whole source after edits settle (and at once on blur / switch / destroy). */
  readonly onChange: (source: string) => void;
  /** Quiet time before an edit is reported, in ms (default 300). */
  readonly delayMs?: number;
  /** The editor's accessible name. */
  readonly label?: string;
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '12px', color: 'var(--fg)', backgroundColor: 'var(--bg)' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--panel)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 6%, transparent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 25%, transparent)' },
});

/** Mid-tone colours that read on both themes; keywords take the accent, comments the muted colour. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: 'var(--accent)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: '#3f9a52' },
  { tag: [tags.number, tags.bool, tags.null], color: '#c4762b' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: '#8a63d2' },
]);

/** A JavaScript editor for one packed function's source (see the file header). */
export class JsEditor {
  readonly view: EditorView;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: JsEditorOptions) {
    this.view = new EditorView({ parent: opts.parent, state: this.stateFor(opts.doc) });
  }

  private stateFor(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        lineNumbers(), highlightSpecialChars(), history(), drawSelection(), highlightActiveLine(), indentOnInput(), bracketMatching(),
        indentUnit.of('  '), javascript(), theme, syntaxHighlighting(highlight),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': this.opts.label ?? 'Packed function source' }),
        EditorView.updateListener.of((u) => u.docChanged && this.schedule()),
        EditorView.domEventHandlers({ blur: () => this.flush() }),
      ],
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.opts.delayMs ?? 300);
  }

  /** Reports a pending edit now; nothing when there is none. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.opts.onChange(this.view.state.doc.toString());
  }

  /**
   * Shows `doc` (another function's source, or a change made elsewhere); undo starts afresh. Typing not reported
   * yet wins over `doc`: it is reported instead, and the editor keeps it (call `flush` first when switching to
   * another function, so that the old one's edits go to the old one).
   */
  setDoc(doc: string): void {
    if (this.timer !== undefined) return this.flush();
    if (doc !== this.view.state.doc.toString()) this.view.setState(this.stateFor(doc));
  }

  destroy(): void {
    this.flush();
    this.view.destroy();
  }
}
