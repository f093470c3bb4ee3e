/**
 * The canvas's dot grid, framework-free. The grid is one layer a step larger than the pane on each side and is moved
 * by the viewport's offset modulo the step, so a pan never repaints it (components/GridBackground.svelte).
 */

/**
 * Where the grid layer sits for a viewport offset `offset` (the graph origin on screen, px) and grid `step` (px): the
 * offset modulo the step, in [0, step), rounded to a whole pixel so that the compositor moves the layer without
 * resampling (a fractional move would blur the one-pixel dots). Seen through the pane, a layer starting one step
 * before the pane edge and moved by this shows the dots where the graph's lattice puts them, to the pixel.
 */
export function gridOffset(offset: number, step: number): number {
  if (!(step > 0) || !Number.isFinite(offset)) return 0;
  const r = ((offset % step) + step) % step;
  const px = Math.round(r);
  return px >= Math.round(step) ? 0 : px;
}
