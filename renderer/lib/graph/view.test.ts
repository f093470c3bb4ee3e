// The graph view model with a run's timings: badges on timed nodes only, heat colours from the overlay, the fused
// group's size and total on each member, fallback reasons, hidden (collapsed) nodes, and no timing without a run.
import { describe, expect, it } from 'vitest';
import MLP from '../../../assets/examples/mlp.tvmscript?raw';
import { parse } from '../../../core/ir/parser/index.js';
import { moduleToGraph } from '../../../core/ir/graph/index.js';
import type { GraphDocument } from '../../../core/ir/graph/index.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import { buildOverlay, withMode } from '../profile/overlay.js';
import type { Overlay } from '../profile/overlay.js';
import { blockTiming, graphView, relaxGraph } from './view.js';
import type { CollapsedData, FusedData, OpNodeData, ViewOptions } from './view.js';

function mlp(): GraphDocument {
  return moduleToGraph(parse(MLP).module!);
}

function row(name: string, durationUs: number, nodes: string[], backend = 'webgl2'): ProfileRow {
  return { name, durationUs, percent: 0, device: 'webgl2:0', count: 1, argShapes: '', backend, nodes };
}

const ROWS = [
  row('fused_matmul_add_relu', 2100, ['lv0', 'lv1', 'lv2']),
  row('matmul', 8, ['lv3']),
  row('add', 2, ['lv4']),
  row('softmax', 4, ['gv'], 'js'),
];

const BASE: ViewOptions = { positions: {}, layout: {}, diagnostics: [], collapsed: new Set(), selection: [] };

/** The op nodes' data by id. */
function dataOf(doc: GraphDocument, options: Partial<ViewOptions>): Map<string, OpNodeData> {
  const v = graphView(relaxGraph(doc, 'main')!, { ...BASE, ...options });
  return new Map(v.nodes.filter((n) => n.type === 'op').map((n) => [n.id, n.data as OpNodeData]));
}

function overlayOf(doc: GraphDocument, expectedBackend?: string): Overlay {
  const kernels = [{ name: 'softmax', backend: 'js', fallbackReason: 'softmax needs a reduction webgl2 cannot run' }];
  return buildOverlay(ROWS, doc, { func: 'main', kernels, ...(expectedBackend ? { expectedBackend } : {}) });
}

describe('graphView timings', () => {
  it('gives no node a timing when there is no run', () => {
    for (const d of dataOf(mlp(), {}).values()) expect(d).not.toHaveProperty('timing');
  });

  it('puts the time and heat colours on timed nodes and nothing on params and the output', () => {
    const doc = mlp();
    const o = overlayOf(doc);
    const data = dataOf(doc, { timings: o });
    expect(data.get('main/lv3')!.timing).toEqual({ label: '8.00 us', colour: o.nodes.get('main/lv3')!.colour, textColour: o.nodes.get('main/lv3')!.textColour });
    expect(data.get('main/lv0')!.timing!.colour).toBe('#fde725'); // the slowest: top of the scale
    expect(data.get('main/lv0')!.timing!.textColour).toBe('#000000');
    for (const id of ['main/x', 'main/w1']) expect(data.get(id)).not.toHaveProperty('timing');
    const output = [...data.values()].find((d) => d.kind === 'output')!;
    expect(output).not.toHaveProperty('timing');
  });

  it('shows a fused kernel on each member with the group size and total', () => {
    const doc = mlp();
    const data = dataOf(doc, { timings: overlayOf(doc) });
    for (const id of ['main/lv0', 'main/lv1', 'main/lv2']) {
      expect(data.get(id)!.timing).toMatchObject({ label: '2.10 ms', group: { label: 'fused ×3', total: '2.10 ms' } });
    }
    expect(data.get('main/lv3')!.timing).not.toHaveProperty('group');
  });

  it('says why a node fell back, from the kernel or from a backend other than the expected one', () => {
    const doc = mlp();
    const data = dataOf(doc, { timings: overlayOf(doc) });
    expect(data.get('main/gv')!.timing!.fallback).toBe('softmax needs a reduction webgl2 cannot run');
    expect(data.get('main/lv4')!.timing).not.toHaveProperty('fallback');
    const perCall = buildOverlay([row('add', 2, ['lv4'], 'webgl2+js')], doc, { func: 'main', expectedBackend: 'webgl2' });
    expect(dataOf(doc, { timings: perCall }).get('main/lv4')!.timing!.fallback).toBe('add ran on js, not webgl2');
  });

  it('follows the scale mode of the overlay', () => {
    const doc = mlp();
    const o = overlayOf(doc);
    const log = dataOf(doc, { timings: withMode(o, 'log') });
    expect(log.get('main/lv4')!.timing!.colour).toBe('#440154'); // the smallest time is the bottom of a log scale
    // 8 us of 2.1 ms: at the bottom of a linear scale, a fifth of the way up a log one (2 us .. 2.1 ms).
    const lin = dataOf(doc, { timings: o }).get('main/lv3')!.timing!;
    expect(log.get('main/lv3')!.timing!.label).toBe(lin.label);
    expect(lin.colour).toBe('#440255');
    expect(log.get('main/lv3')!.timing!.colour).not.toBe(lin.colour);
  });

  it('counts every node of two fused groups that share a member, and sums their totals', () => {
    const doc = mlp();
    const o = buildOverlay([row('k1', 10, ['lv0', 'lv1']), row('k2', 5, ['lv1', 'lv2'])], doc, { func: 'main' });
    const t = dataOf(doc, { timings: o }).get('main/lv1')!.timing!;
    expect(t.group).toEqual({ label: 'fused ×3', total: '15.0 us' });
    expect(t.label).toBe('15.0 us');
  });

  it('draws no node hidden in a collapsed block, timed or not', () => {
    const doc = mlp();
    const block = relaxGraph(doc, 'main')!.groups.find((g) => g.kind === 'dataflow')!;
    const data = dataOf(doc, { timings: overlayOf(doc), collapsed: new Set([block.id]) });
    expect(data.has('main/lv0')).toBe(false);
  });
});

describe('collapsed block timings', () => {
  it('sums the block once per fused kernel: 2100 (fused lv0-lv2) + 8 + 2 + 4 us', () => {
    const doc = mlp();
    const g = relaxGraph(doc, 'main')!;
    const block = g.groups.find((x) => x.kind === 'dataflow')!;
    const v = graphView(g, { ...BASE, collapsed: new Set([block.id]), timings: overlayOf(doc) });
    const collapsed = v.nodes.find((n) => n.type === 'collapsed')!.data as CollapsedData;
    expect(collapsed.timing).toMatchObject({ label: '2.11 ms', timed: 6 });
    expect(blockTiming(overlayOf(doc), ['main/lv3', 'main/lv4'])).toMatchObject({ label: '10.0 us', timed: 2 });
    expect(blockTiming(overlayOf(doc), ['main/x'])).toBeUndefined();
    const plain = graphView(g, { ...BASE, collapsed: new Set([block.id]) });
    expect(plain.nodes.find((n) => n.type === 'collapsed')!.data).not.toHaveProperty('timing');
  });
});

describe('fused kernel outlines', () => {
  it('draws one outline around the nodes of a fused kernel, with its total, behind the nodes', () => {
    const doc = mlp();
    const g = relaxGraph(doc, 'main')!;
    const layout = { 'main/lv0': { x: 0, y: 0 }, 'main/lv1': { x: 300, y: 0 }, 'main/lv2': { x: 600, y: 100 } };
    const v = graphView(g, { ...BASE, layout, timings: overlayOf(doc) });
    const fused = v.nodes.filter((n) => n.type === 'fused');
    expect(fused).toHaveLength(1);
    const f = fused[0]!;
    expect(f.data as FusedData).toMatchObject({ kernels: 'fused_matmul_add_relu', total: '2.10 ms', count: 3 });
    expect(f.position).toEqual({ x: -10, y: -24 });
    expect([f.width, f.height]).toEqual([600 + 190 + 20, 100 + 56 + 34]);
    expect(v.nodes.indexOf(f)).toBeLessThan(v.nodes.findIndex((n) => n.type === 'op'));
    expect(graphView(g, { ...BASE, layout }).nodes.some((n) => n.type === 'fused')).toBe(false);
  });

  it('leaves a fused kernel with a collapsed member to the block total', () => {
    const doc = mlp();
    const g = relaxGraph(doc, 'main')!;
    const block = g.groups.find((x) => x.kind === 'dataflow')!;
    const v = graphView(g, { ...BASE, collapsed: new Set([block.id]), timings: overlayOf(doc) });
    expect(v.nodes.some((n) => n.type === 'fused')).toBe(false);
  });
});
