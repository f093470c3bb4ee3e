/** The listing <-> graph link: lines of the selected nodes, nodes of a clicked line, kernels of the selection. */
import { describe, expect, it } from 'vitest';
import type { ListingLine } from '../compute/protocol.js';
import { isLinked, kernelsOfNodes, linesOfNodes, nextLinkedLine, nodesOfLine } from './listing.js';

const LINES: ListingLine[] = [
  { text: '@main:', nodes: [] },
  { text: '  call  vm.builtin.alloc_tensor in: ...', nodes: ['lv0'] },
  { text: '  call  conv2d in: ...', nodes: ['lv0'], kernel: 'conv2d' },
  { text: '  call  fused_add_relu in: ...', nodes: ['lv1', 'lv2'], kernel: 'fused_add_relu' },
  { text: '  call  fused_add_relu in: ...', nodes: ['lv1', 'lv2'], kernel: 'fused_add_relu' },
  { text: '  ret   %3', nodes: [] },
  { text: '', nodes: [] },
];

describe('listing links', () => {
  it('finds the lines of the selected nodes, in order', () => {
    expect(linesOfNodes(LINES, ['lv0'])).toEqual([1, 2]);
    expect(linesOfNodes(LINES, ['lv2', 'lv0'])).toEqual([1, 2, 3, 4]);
    expect(linesOfNodes(LINES, ['x'])).toEqual([]);
    expect(linesOfNodes(LINES, [])).toEqual([]);
  });

  it('gives the nodes of a clicked line, none for headers and out-of-range lines', () => {
    expect(nodesOfLine(LINES, 3)).toEqual(['lv1', 'lv2']);
    expect(nodesOfLine(LINES, 0)).toEqual([]);
    expect(nodesOfLine(LINES, 99)).toEqual([]);
    expect(LINES.map(isLinked)).toEqual([false, true, true, true, true, false, false]);
  });

  it('lists the kernels the selected nodes call, a fused kernel once', () => {
    expect(kernelsOfNodes(LINES, ['lv1'])).toEqual(['fused_add_relu']);
    expect(kernelsOfNodes(LINES, ['lv2', 'lv0'])).toEqual(['conv2d', 'fused_add_relu']);
    expect(kernelsOfNodes(LINES, ['x'])).toEqual([]);
  });

  it('moves to the next or previous line of other nodes, skipping headers and returns', () => {
    expect(nextLinkedLine(LINES, -1, 1)).toBe(1);
    expect(nextLinkedLine(LINES, 1, 1)).toBe(3);
    expect(nextLinkedLine(LINES, 3, 1)).toBeUndefined();
    expect(nextLinkedLine(LINES, 6, -1)).toBe(4);
    expect(nextLinkedLine(LINES, 4, -1)).toBe(2);
    expect(nextLinkedLine(LINES, 1, -1)).toBeUndefined();
  });
});
