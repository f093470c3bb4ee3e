/**
 * The prompt before closing unsaved work, as a small state machine without Electron. The renderer reports its dirty
 * state (setDirty); closing a dirty window asks Save / Don't Save / Cancel. "Save" sends `file.save` with
 * `thenClose` and the window closes once a save succeeds and the renderer reports clean; a cancelled or failed save
 * keeps the window open and forgets the pending close.
 */

/** The user's answer to the unsaved-work prompt (the button order of the dialog). */
export const CLOSE_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;

/** What the main process does next. */
export type CloseStep = 'close' | 'prompt' | 'save-then-close' | 'stay';

/** Tracks one window's dirty state and a pending save-then-close. */
export class CloseGuard {
  private dirty = false;
  private closeAfterSave = false;
  private forced = false;

  /** True while there is unsaved work. */
  get isDirty(): boolean {
    return this.dirty;
  }

  /** The window's 'close' event: let it close, or prevent it and prompt. */
  onCloseRequested(): 'close' | 'prompt' {
    return this.forced || !this.dirty ? 'close' : 'prompt';
  }

  /** The answer to the prompt (an index into CLOSE_BUTTONS; anything else is Cancel, e.g. Escape). */
  onPromptAnswer(button: number): CloseStep {
    if (button === 0) {
      this.closeAfterSave = true;
      return 'save-then-close';
    }
    if (button === 1) {
      this.forced = true;
      return 'close';
    }
    return 'stay';
  }

  /** A save finished (ok or not): a failed or cancelled save cancels the pending close. */
  onSaveFinished(ok: boolean): void {
    if (!ok) this.closeAfterSave = false;
  }

  /** The renderer reported its dirty state; returns 'close' when a pending save-then-close may now close. */
  onDirtyChanged(dirty: boolean): 'close' | 'stay' {
    this.dirty = dirty;
    if (!dirty && this.closeAfterSave) {
      this.closeAfterSave = false;
      this.forced = true;
      return 'close';
    }
    return 'stay';
  }
}
