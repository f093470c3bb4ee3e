/**
 * View commands the shell (toolbar, menu, shortcuts) sends to the canvas. The canvas installs the handlers when it
 * mounts (it owns the Svelte Flow instance); until then, and with no function shown, they do nothing.
 */

/** Canvas view commands. */
export interface ViewCommands {
  /** Fits the whole graph in view. */
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  /** Back to 100%. */
  zoomReset(): void;
  /** Selects every node of the shown function. */
  selectAll(): void;
}

/** Commands that do nothing until the canvas installs its own. */
export function createViewCommands(): ViewCommands {
  const none = (): void => undefined;
  return { fit: none, zoomIn: none, zoomOut: none, zoomReset: none, selectAll: none };
}
