// Timings on the graph: attribution of kernel and host rows to the MLP's nodes, a fused kernel over three nodes as
// one group counted once, fallbacks, untimed nodes, an empty profile, and a real fused profile of the example.
import { describe, expect, it } from 'vitest';
import MLP from '../../../assets/examples/mlp.tvmscript?raw';
import { parse } from '../../../core/ir/parser/index.js';
import { moduleToGraph } from '../../../core/ir/graph/index.js';
import type { GraphDocument } from '../../../core/ir/graph/index.js';
import { buildText } from '../../../core/compiler/index.js';
import { JsKernelBackend } from '../../../core/vm/kernels/js-codegen.js';
import { profile } from '../../../core/vm/profiler.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import { attribute, functionResolver, graphResolver } from './attribution.js';
import { buildOverlay, fallbackFinder, timingOf, withMode } from './overlay.js';

function mlpGraph(): GraphDocument {
  return moduleToGraph(parse(MLP).module!);
}

/** A profile row with defaults. */
function row(name: string, durationUs: number, nodes: string[], backend = 'webgl2'): ProfileRow {
  return { name, durationUs, percent: 0, device: 'webgl2:0', count: 1, argShapes: '', backend, nodes };
}

const FUSED = [
  row('fused_matmul_add_relu', 30, ['lv0', 'lv1', 'lv2']),
  row('matmul', 8, ['lv3']),
  row('add', 2, ['lv4']),
  row('softmax', 4, ['gv'], 'js'),
  row('vm.builtin.reshape', 1, ['gv'], 'host'),
  row('vm.builtin.alloc_storage', 0.5, [], 'host'),
];

describe('buildOverlay', () => {
  it('shows a fused kernel over three nodes on each of them with the group total, counted once', () => {
    const o = buildOverlay(FUSED, mlpGraph(), { func: 'main' });
    for (const id of ['main/lv0', 'main/lv1', 'main/lv2']) {
      const t = timingOf(o, id)!;
      expect(t.timeUs).toBe(30);
      expect(t.label).toBe('30.0 us');
      expect(t.groups).toEqual(['main/lv0,main/lv1,main/lv2']);
      expect(t.kernels).toEqual(['fused_matmul_add_relu']);
    }
    expect(o.groups).toEqual([{ key: 'main/lv0,main/lv1,main/lv2', nodes: ['main/lv0', 'main/lv1', 'main/lv2'], kernels: ['fused_matmul_add_relu'], totalUs: 30, label: '30.0 us' }]);
    expect(o.attributedUs).toBe(45); // 30 + 8 + 2 + 4 + 1, the group once
    expect(o.totalUs).toBe(45.5);
    expect(timingOf(o, 'main/lv3')!.groups).toEqual([]);
  });

  it('attributes host rows to their nodes and keeps node-less ones separate', () => {
    const o = buildOverlay(FUSED, mlpGraph(), { func: 'main' });
    const gv = timingOf(o, 'main/gv')!;
    expect(gv.timeUs).toBe(5);
    expect(gv.hostUs).toBe(1);
    expect(gv.kernels).toEqual(['softmax', 'vm.builtin.reshape']);
    expect(gv.backends).toEqual(['js', 'host']);
    expect(o.separate.map((r) => r.name)).toEqual(['vm.builtin.alloc_storage']);
  });

  it('colours nodes by time: the slowest at the top of the scale, a group in one colour', () => {
    const o = buildOverlay(FUSED, mlpGraph(), { func: 'main' });
    expect(timingOf(o, 'main/lv0')!.colour).toBe('#fde725');
    expect(timingOf(o, 'main/lv1')!.colour).toBe(timingOf(o, 'main/lv2')!.colour);
    expect(timingOf(o, 'main/lv4')!.colour).not.toBe(timingOf(o, 'main/lv3')!.colour);
    expect(o.scale.max).toBe(30);
    const log = withMode(o, 'log');
    expect(log.scale.mode).toBe('log');
    expect(log.scale.min).toBe(2);
    expect(timingOf(log, 'main/lv4')!.colour).toBe('#440154');
    expect(timingOf(log, 'main/lv4')!.timeUs).toBe(2);
  });

  it('marks fallbacks with the backend and the reason', () => {
    const kernels = [{ name: 'softmax', backend: 'js', fallbackReason: 'softmax: gpu.js cannot express block "T" ...' }];
    const o = buildOverlay(FUSED, mlpGraph(), { func: 'main', kernels, expectedBackend: 'webgl2' });
    expect(timingOf(o, 'main/gv')!.fallbacks).toEqual([{ kernel: 'softmax', backend: 'js', reason: kernels[0]!.fallbackReason }]);
    expect(timingOf(o, 'main/lv3')!.fallbacks).toEqual([]);
  });

  it('lists nodes with no timing and resolves nothing for unknown names', () => {
    const o = buildOverlay([row('matmul', 8, ['lv3', 'ghost'])], mlpGraph(), { func: 'main' });
    expect(timingOf(o, 'main/lv0')).toBeUndefined();
    expect(o.untimed).toEqual(['main/lv0', 'main/lv1', 'main/lv2', 'main/lv4', 'main/gv']);
    expect(o.unresolved).toEqual(['ghost']);
  });

  it('gives an empty overlay for an empty profile', () => {
    const o = buildOverlay([], mlpGraph(), { func: 'main' });
    expect(o.nodes.size).toBe(0);
    expect(o.groups).toEqual([]);
    expect(o.totalUs).toBe(0);
    expect(o.untimed).toHaveLength(6);
    expect(o.scale.ticks).toEqual([{ us: 0, label: '0 us', t: 0 }]);
    expect(withMode(o, 'log').scale.ticks).toHaveLength(1);
  });

  it('draws a real fused profile of the MLP on its graph: every kernel row lands on nodes', async () => {
    const { exec } = buildText(MLP, { fuse: true });
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    const x = (shape: number[]) => Tensor.from(shape, 'float32', Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 7) / 7));
    const { report } = await profile(vm, 'main', [x([2, 784]), x([784, 128]), x([128]), x([128, 10]), x([10])], { repeat: 1 });
    const o = buildOverlay(report.rows, mlpGraph(), { func: 'main' });
    expect(o.groups.map((g) => g.nodes)).toEqual([['main/lv0', 'main/lv1', 'main/lv2'], ['main/lv3', 'main/lv4']]);
    expect(timingOf(o, 'main/gv')!.kernels).toEqual(['softmax']);
    // Compiler-made bindings (VMShapeLower's `shape`) and the shape function belong to no graph node: kept separate.
    const separate = new Set(o.separate.map((r) => r.name));
    for (const r of report.rows) if (r.nodes.length === 0 || r.nodes.some((n) => o.unresolved.includes(n))) expect(separate).toContain(r.name);
    expect(o.untimed).toEqual([]);
    expect(o.totalUs).toBeCloseTo(report.rows.reduce((a, r) => a + r.durationUs, 0));
  });
});

describe('attribution', () => {
  it('merges rows over the same nodes into one unit', () => {
    const a = attribute([row('k1', 3, ['a', 'b']), row('k2', 4, ['b', 'a'])], functionResolver('f'));
    expect(a.units).toHaveLength(1);
    expect(a.units[0]).toMatchObject({ key: 'f/a,f/b', timeUs: 7 });
  });

  it('resolves names in the run function first, then in a unique other function, and ids as they are', () => {
    const doc = mlpGraph();
    const r = graphResolver(doc, 'main');
    expect(r('lv0')).toBe('main/lv0');
    expect(r('main/lv1')).toBe('main/lv1');
    expect(r('nope')).toBeUndefined();
    expect(graphResolver(doc, 'other')('lv0')).toBe('main/lv0');
  });

  it('a per-call fallback (webgl2+js) is a fallback; host rows never are', () => {
    const f = fallbackFinder([], 'webgl2');
    expect(f(row('argmax', 1, [], 'webgl2+js'))).toEqual({ kernel: 'argmax', backend: 'js', reason: 'argmax ran on js, not webgl2' });
    expect(f(row('x', 1, [], 'host'))).toBeUndefined();
    expect(f(row('y', 1, [], 'webgl2'))).toBeUndefined();
  });
});
