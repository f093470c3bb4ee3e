// The unsaved-work prompt's state machine.
import { describe, expect, it } from 'vitest';
import { CLOSE_BUTTONS, CloseGuard } from './close-guard.js';

describe('CloseGuard', () => {
  it('closes at once when there is no unsaved work', () => {
    const g = new CloseGuard();
    expect(g.onCloseRequested()).toBe('close');
    g.onDirtyChanged(true);
    g.onDirtyChanged(false);
    expect(g.onCloseRequested()).toBe('close');
  });

  it('prompts when dirty; Cancel (or Escape) keeps the window', () => {
    const g = new CloseGuard();
    g.onDirtyChanged(true);
    expect(g.onCloseRequested()).toBe('prompt');
    expect(CLOSE_BUTTONS[2]).toBe('Cancel');
    expect(g.onPromptAnswer(2)).toBe('stay');
    expect(g.onPromptAnswer(-1)).toBe('stay');
    expect(g.onCloseRequested()).toBe('prompt');
  });

  it("Don't Save closes without asking again", () => {
    const g = new CloseGuard();
    g.onDirtyChanged(true);
    expect(g.onPromptAnswer(1)).toBe('close');
    expect(g.onCloseRequested()).toBe('close');
  });

  it('Save closes once the save succeeded and the renderer reports clean', () => {
    const g = new CloseGuard();
    g.onDirtyChanged(true);
    expect(g.onPromptAnswer(0)).toBe('save-then-close');
    g.onSaveFinished(true);
    expect(g.onDirtyChanged(false)).toBe('close');
    expect(g.onCloseRequested()).toBe('close');
  });

  it('a cancelled or failed save keeps the window open and forgets the pending close', () => {
    const g = new CloseGuard();
    g.onDirtyChanged(true);
    g.onPromptAnswer(0);
    g.onSaveFinished(false);
    expect(g.onCloseRequested()).toBe('prompt');
    expect(g.onDirtyChanged(false)).toBe('stay'); // a later, ordinary save does not close the window
  });
});
