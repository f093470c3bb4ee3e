/**
 * The link between the VM listing and the graph in the Build view: which listing lines belong to the selected
 * nodes (highlighted, the first scrolled into view), the nodes a clicked line selects, and which kernels the
 * selected nodes call (for the Kernel tab). Plain data in and out, so the component only renders.
 */
import type { ListingLine } from '../compute/protocol.js';

/** A line links to the graph when its instruction came from at least one binding. */
export function isLinked(line: ListingLine): boolean {
  return line.nodes.length > 0;
}

/** The indices of the lines whose instruction came from any of the selected nodes, in listing order. */
export function linesOfNodes(lines: readonly ListingLine[], selected: readonly string[]): number[] {
  if (!selected.length) return [];
  const want = new Set(selected);
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.nodes.some((n) => want.has(n))) out.push(i);
  });
  return out;
}

/** The nodes a click on line `index` selects: its instruction's nodes (none for headers and blank lines). */
export function nodesOfLine(lines: readonly ListingLine[], index: number): string[] {
  return [...(lines[index]?.nodes ?? [])];
}

/**
 * The kernels called on behalf of the selected nodes, in the order the listing calls them; a fused kernel
 * appears once for all of its nodes.
 */
export function kernelsOfNodes(lines: readonly ListingLine[], selected: readonly string[]): string[] {
  const out: string[] = [];
  for (const i of linesOfNodes(lines, selected)) {
    const k = lines[i]!.kernel;
    if (k !== undefined && !out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * The first line after `from` (before it, for `step` -1) that links to other nodes than line `from` does, for
 * keyboard moves through the listing: one key press steps from one node's instructions to the next node's.
 * `from` -1 starts before the first line. Undefined past the ends.
 */
export function nextLinkedLine(lines: readonly ListingLine[], from: number, step: 1 | -1): number | undefined {
  const here = (lines[from]?.nodes ?? []).join(' ');
  for (let i = from + step; i >= 0 && i < lines.length; i += step) {
    const l = lines[i]!;
    if (isLinked(l) && l.nodes.join(' ') !== here) return i;
  }
  return undefined;
}
