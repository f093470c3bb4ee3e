// The minimap's model: node styles from the real graph view of an example (params, bindings, output, blocks,
// collapsed blocks, selection, failures, heat colours), and the frame that fits flow and viewport into the minimap.
import { describe, expect, it } from 'vitest';
import MLP from '../../../assets/examples/mlp.tvmscript?raw';
import { parse } from '../../../core/ir/parser/index.js';
import { moduleToGraph } from '../../../core/ir/graph/index.js';
import { layeredLayout } from './layout.js';
import { graphView, relaxGraph } from './view.js';
import type { ViewOptions } from './view.js';
import { alpha, boundsOf, fromMini, miniFrame, miniNodes, toMini, visibleRect } from './minimap.js';

function mlpView(o: Partial<ViewOptions> = {}) {
  const g = relaxGraph(moduleToGraph(parse(MLP).module!), 'main')!;
  const shape = graphView(g, { positions: {}, layout: {}, diagnostics: [], collapsed: new Set(), selection: [] });
  const layout = layeredLayout({ nodes: shape.nodes.filter((n) => n.type !== 'block'), edges: shape.edges });
  return { g, view: graphView(g, { positions: {}, layout, diagnostics: [], collapsed: new Set(), selection: [], ...o }) };
}

describe('miniNodes', () => {
  it('gives every shown node its style and rect, blocks first', () => {
    const { view } = mlpView();
    const mini = miniNodes(view.nodes);
    expect(mini).toHaveLength(view.nodes.length);
    const firstOther = mini.findIndex((m) => m.style !== 'block');
    expect(mini.slice(firstOther).some((m) => m.style === 'block')).toBe(false);
    expect(mini.filter((m) => m.style === 'param').length).toBeGreaterThan(0);
    expect(mini.filter((m) => m.style === 'output')).toHaveLength(1);
    const lv0 = view.nodes.find((n) => n.type === 'op' && (n.data as { var: string }).var === 'lv0')!;
    const m = mini.find((x) => x.x === lv0.position.x && x.y === lv0.position.y && x.style === 'binding')!;
    expect(m).toMatchObject({ width: 190, height: 56, selected: false, failed: false });
  });

  it('marks selected and failed nodes, and takes a timed node\'s heat colour', () => {
    const { view } = mlpView();
    const nodes = view.nodes.map((n, i) =>
      n.type !== 'op' ? n : i % 3 === 0 ? { ...n, selected: true } : i % 3 === 1 ? { ...n, data: { ...n.data, error: 'E' } } : { ...n, data: { ...n.data, timing: { colour: '#ff0000' } } },
    );
    const mini = miniNodes(nodes).filter((m) => m.style !== 'block');
    expect(mini.some((m) => m.selected)).toBe(true);
    expect(mini.some((m) => m.failed && !m.selected)).toBe(true);
    expect(mini.some((m) => m.fill === '#ff0000')).toBe(true);
  });

  it('draws a collapsed block as one node and leaves out hidden and fused nodes', () => {
    const { g } = mlpView();
    const block = g.groups.find((x) => x.kind === 'dataflow')!;
    const { view } = mlpView({ collapsed: new Set([block.id]) });
    const mini = miniNodes([...view.nodes, { id: 'f', type: 'fused', position: { x: 0, y: 0 }, data: {} }, { ...view.nodes[0]!, id: 'h', hidden: true }]);
    expect(mini.filter((m) => m.style === 'collapsed')).toHaveLength(1);
    expect(mini).toHaveLength(view.nodes.length);
  });
});

describe('miniFrame', () => {
  const size = { width: 200, height: 150 };

  it('fits the content with the aspect kept and a margin, centred', () => {
    const content = { x: 0, y: 0, width: 1000, height: 250 };
    const view = { x: 100, y: 0, width: 100, height: 50 };
    const f = miniFrame(content, view, size, 5);
    expect(f.scale).toBeCloseTo(1000 / 190);
    const r = toMini(f, content);
    expect(r.x).toBeCloseTo(5);
    expect(r.x + r.width).toBeCloseTo(195);
    expect(r.y + r.height / 2).toBeCloseTo(75);
  });

  it('grows to keep a viewport that is outside the content in view', () => {
    const content = { x: 0, y: 0, width: 400, height: 300 };
    const view = { x: 2000, y: 1000, width: 400, height: 300 };
    const f = miniFrame(content, view, size);
    for (const r of [content, view]) {
      const m = toMini(f, r);
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.y).toBeGreaterThanOrEqual(0);
      expect(m.x + m.width).toBeLessThanOrEqual(size.width + 1e-9);
      expect(m.y + m.height).toBeLessThanOrEqual(size.height + 1e-9);
    }
  });

  it('maps minimap pixels back to flow points', () => {
    const f = miniFrame({ x: -300, y: 40, width: 900, height: 600 }, { x: 0, y: 0, width: 10, height: 10 }, size);
    const p = fromMini(f, 37, 91);
    const back = toMini(f, { ...p, width: 0, height: 0 });
    expect(back.x).toBeCloseTo(37);
    expect(back.y).toBeCloseTo(91);
  });

  it('shows just the viewport when there are no nodes', () => {
    expect(boundsOf([])).toBeUndefined();
    const view = visibleRect({ x: -200, y: 100, zoom: 2 }, 800, 600);
    expect(view).toEqual({ x: 100, y: -50, width: 400, height: 300 });
    const m = toMini(miniFrame(undefined, view, size, 0), view);
    expect(Math.max(m.width / size.width, m.height / size.height)).toBeCloseTo(1);
  });
});

describe('alpha', () => {
  it('turns hex colours into rgba and leaves others alone', () => {
    expect(alpha('#2f6fde', 0.5)).toBe('rgba(47, 111, 222, 0.5)');
    expect(alpha('#fff', 0.3)).toBe('rgba(255, 255, 255, 0.3)');
    expect(alpha('rgb(1, 2, 3)', 0.3)).toBe('rgb(1, 2, 3)');
  });
});
