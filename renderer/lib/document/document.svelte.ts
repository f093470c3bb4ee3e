/**
 * The Svelte 5 face of the document store: `doc.state` is reactive (`$state.raw`, replaced on every change, as
 * xyflow keeps its arrays), and `doc.apply`, `undo`, `redo` forward to the store. Components read from here; all
 * logic stays in the framework-free store (./store.ts).
 */
import type { Change, DocumentState } from './store.js';
import { DocumentStore } from './store.js';

/** A reactive view of one DocumentStore. */
export class ReactiveDocument {
  /** The current state; reading it in a component or `$derived` tracks it. */
  state: DocumentState = $state.raw() as unknown as DocumentState;
  canUndo = $state(false);
  canRedo = $state(false);

  constructor(readonly store: DocumentStore) {
    this.sync(store.state);
    store.subscribe((s) => this.sync(s));
  }

  private sync(s: DocumentState): void {
    this.state = s;
    this.canUndo = this.store.canUndo;
    this.canRedo = this.store.canRedo;
  }

  apply(change: Change): void {
    this.store.apply(change);
  }

  undo(): void {
    this.store.undo();
  }

  redo(): void {
    this.store.redo();
  }
}

/** Wraps a store (a new empty document when none is given). */
export function reactiveDocument(store: DocumentStore = new DocumentStore()): ReactiveDocument {
  return new ReactiveDocument(store);
}
