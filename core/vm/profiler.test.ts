import { describe, expect, it } from 'vitest';
import { profile } from './profiler.js';
import { VirtualMachine } from './vm.js';
import { JsKernelBackend } from './kernels/js-codegen.js';
import { Tensor } from './tensor.js';
import { twoCalls } from './testing.js';

/** A fake clock: every reading advances 10 us, so durations are deterministic. */
function tick(): () => number {
  let t = 0;
  return () => (t += 10);
}

describe('profiler', () => {
  it('aggregates calls by name with counts, nodes and backend, and medians over repeats', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    const x = Tensor.from([3], 'float32', [1, 2, 3]);
    const { output, report } = await profile(vm, 'main', [x], { warmup: 1, repeat: 3, nowUs: tick() });
    expect(Array.from((output as Tensor).data)).toEqual([3, 4, 5]);
    const kernel = report.rows.find((r) => r.name === 'add_one')!;
    expect(kernel.count).toBe(2);
    expect(kernel.nodes).toEqual(['lv0', 'lv1']);
    expect(kernel.backend).toBe('js');
    expect(kernel.durationUs).toBe(20);
    expect(kernel.argShapes).toBe('float32[3], float32[3]');
    expect(report.rows.map((r) => r.name).sort()).toEqual(['add_one', 'vm.builtin.shape_of']);
  });

  it('prints TVM columns, Sum and Total rows and a Configuration section', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    const { report } = await profile(vm, 'main', [Tensor.from([2], 'float32', [0, 0])], { nowUs: tick() });
    const lines = report.table().split('\n');
    expect(lines[0]).toMatch(/^Name\s+Duration \(us\)\s+Percent\s+Device\s+Count\s+Argument Shapes\s+Backend\s+Nodes$/);
    expect(lines.find((l) => l.startsWith('add_one'))).toMatch(/add_one\s+20\.00\s+[\d.]+\s+cpu0\s+2\s+float32\[2\], float32\[2\]\s+js\s+lv0, lv1/);
    expect(lines.some((l) => l.startsWith('Sum'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Total'))).toBe(true);
    expect(lines).toContain('Configuration');
  });

  it('exports a Chrome trace of complete events', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    const { report } = await profile(vm, 'main', [Tensor.from([2], 'float32', [0, 0])], { repeat: 2, nowUs: tick() });
    const trace = JSON.parse(JSON.stringify(report.chromeTrace())) as { traceEvents: { ph: string; dur: number; tid: number; args: { nodes: string[] } }[] };
    expect(trace.traceEvents.length).toBe(6);
    expect(trace.traceEvents.every((e) => e.ph === 'X' && e.dur > 0)).toBe(true);
    expect(new Set(trace.traceEvents.map((e) => e.tid))).toEqual(new Set([1, 2]));
  });
});
