/**
 * File commands of the app shell, framework-free (tested in Node with a fake Platform): New, Open, Open Recent, Save
 * and Save As over `getPlatform()`, the window title and unsaved-work flag kept in step with the store, and native
 * menu actions routed to commands. Every command resolves to a `FileOutcome` (never rejects): the shell shows
 * `error` messages to the user, and nothing in the document is lost by a failed or cancelled operation.
 */
import type { Change, DocumentState } from '../document/store.js';
import { EMPTY_MODULE_TEXT } from '../document/store.js';
import type { FileRef, MenuAction, Platform } from '../platform/types.js';

/** The part of the document store the commands use. */
export interface FileStore {
  readonly state: DocumentState;
  apply(change: Change): void;
  subscribe(listener: (state: DocumentState, change: Change) => void): () => void;
}

/** What a command did: done, cancelled by the user, or failed with a one-line message to show. */
export type FileOutcome = { readonly kind: 'ok' } | { readonly kind: 'cancelled' } | { readonly kind: 'error'; readonly message: string };

export interface FileCommandOptions {
  /** Sends typing the text pane has not yet committed to the store (called before every save). */
  readonly flushText?: () => void;
  /** Asks the user to discard unsaved work (New / Open over a dirty document); true to go on. */
  readonly confirmDiscard?: (what: string) => boolean;
}

const DEFAULT_NAME = 'untitled.tvmscript';

/** The base name of a path or browser file key (`browser:3:mlp.py` gives `mlp.py`). */
export function baseName(path: string | undefined): string {
  if (!path) return DEFAULT_NAME;
  const stripped = path.replace(/^browser:\d+:/, '');
  return stripped.split(/[\\/]/).pop() || DEFAULT_NAME;
}

/** The window title for a document: `name • - Relax Studio` while dirty. */
export function windowTitle(s: Pick<DocumentState, 'filePath' | 'dirty'>): string {
  return `${s.filePath ? baseName(s.filePath) : 'Untitled'}${s.dirty ? ' •' : ''} - Relax Studio`;
}

/** Where a document was saved: the platform's path, or (browser download / <input> fallback) just the file name. */
function savedPath(ref: FileRef): string {
  return ref.path ?? ref.name;
}

/** The file commands for one store (see the file header). */
export class FileCommands {
  constructor(
    private readonly store: FileStore,
    private readonly platform: Platform,
    private readonly opts: FileCommandOptions = {},
  ) {}

  /** A new, empty document (asks first when there is unsaved work). */
  newFile(): FileOutcome {
    if (!this.mayDiscard('start a new document')) return { kind: 'cancelled' };
    this.store.apply({ kind: 'setText', text: EMPTY_MODULE_TEXT, origin: 'file' });
    return { kind: 'ok' };
  }

  /** Opens a bundled example as a new untitled document, with the packed functions it brings. */
  openExample(example: { readonly text: string; readonly packed?: Readonly<Record<string, string>> }): FileOutcome {
    if (!this.mayDiscard('open an example')) return { kind: 'cancelled' };
    this.store.apply({ kind: 'setText', text: example.text, origin: 'file' });
    if (example.packed) this.store.apply({ kind: 'setPacked', packed: example.packed });
    return { kind: 'ok' };
  }

  /** Opens a file the user picks, or `path` from the recent list. */
  async open(path?: string): Promise<FileOutcome> {
    if (!this.mayDiscard('open another file')) return { kind: 'cancelled' };
    const r = await this.platform.openFile(path);
    if (r.kind !== 'ok') return r;
    this.store.apply({ kind: 'setText', text: r.value.text, origin: 'file', filePath: savedPath(r.value) });
    return { kind: 'ok' };
  }

  /** Saves back to the document's file; Save As when it has none the platform can write to. */
  async save(): Promise<FileOutcome> {
    this.opts.flushText?.();
    const { filePath, text } = this.store.state;
    const writable = filePath && (this.platform.kind === 'electron' || filePath.startsWith('browser:')) ? filePath : null;
    return this.finish(await this.platform.saveFile(writable, text, baseName(filePath)));
  }

  /** Asks where to save, then saves. */
  async saveAs(): Promise<FileOutcome> {
    this.opts.flushText?.();
    const { filePath, text } = this.store.state;
    return this.finish(await this.platform.saveFileAs(text, baseName(filePath)));
  }

  /**
   * Keeps the platform's title and unsaved-work flag in step with the store (now and after every change);
   * returns the unsubscribe function.
   */
  syncWindow(): () => void {
    let title = '';
    let dirty: boolean | undefined;
    const show = (s: DocumentState): void => {
      const t = windowTitle(s);
      if (t !== title) this.platform.setTitle((title = t));
      if (s.dirty !== dirty) this.platform.setDirty((dirty = s.dirty));
    };
    show(this.store.state);
    return this.store.subscribe((s) => show(s));
  }

  /** Runs the file part of a menu action; undefined when the action is not a file action. */
  menu(action: MenuAction): Promise<FileOutcome> | undefined {
    switch (action.type) {
      case 'file.new':
        return Promise.resolve(this.newFile());
      case 'file.open':
        return this.open();
      case 'file.openRecent':
        return this.open(action.path);
      case 'file.save':
        return this.save();
      case 'file.saveAs':
        return this.saveAs();
      default:
        return undefined;
    }
  }

  private finish(r: Awaited<ReturnType<Platform['saveFile']>>): FileOutcome {
    if (r.kind !== 'ok') return r;
    this.store.apply({ kind: 'markSaved', path: savedPath(r.value) });
    return { kind: 'ok' };
  }

  private mayDiscard(what: string): boolean {
    return !this.store.state.dirty || (this.opts.confirmDiscard?.(what) ?? true);
  }
}
