/**
 * GpuJsKernelBackend end to end (Node: gpu.js cpu and webasm modes): every example model matches the JavaScript
 * reference at two bindings of its symbolic dims, fallbacks run on the reference and say why, kernels are built
 * once per shape, outputs stay on the device between kernels, and the device chain falls back with a reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build } from '../compiler/build.js';
import { Tensor } from '../vm/tensor.js';
import { VirtualMachine } from '../vm/vm.js';
import { GpuJsKernelBackend, GpuStorage } from './backend.js';
import type { GpuMode } from './backend.js';
import { createDeviceBackend } from './device.js';
import { analyzePrimFunc, specializeStage } from './tir-to-gpujs.js';
import { diffOutputs, inputsFor, leaves, parseModule, runBoth } from './testing.js';

const EXAMPLES = 'assets/examples';
const MODES: GpuMode[] = ['cpu', 'webasm'];
/** Two bindings of every symbolic dim the examples use (control.tvmscript needs m = n). */
const BINDINGS = [{ n: 3, m: 3 }, { n: 7, m: 7 }];

const exampleText = (name: string): string => readFileSync(`${EXAMPLES}/${name}`, 'utf8');

describe('example models on gpu.js', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.tvmscript'))) {
    it(`${file} matches the reference (cpu, webasm; two bindings)`, async () => {
      const mod = parseModule(exampleText(file));
      const { exec } = build(mod, { fuse: true });
      for (const mode of MODES) {
        const backend = new GpuJsKernelBackend({ mode, jsBelowWork: 0 });
        for (const [i, sym] of BINDINGS.entries()) {
          const args = inputsFor(mod, sym, 11 + i, file === 'control.tvmscript' ? { flag: Tensor.from([], 'bool', [i]) } : {});
          const { got, want } = await runBoth(exec, backend, args);
          expect(diffOutputs(got, want, 1e-3), `${mode} ${JSON.stringify(sym)}`).toBeUndefined();
        }
        const onGpu = [...exec.kernels].filter(([name, f]) => backend.compile(name, f).backend === mode);
        expect(onGpu.length, `${file} on ${mode}`).toBeGreaterThan(0);
      }
    });
  }
});

const ARGMAX = `@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 5), dtype="float32")):
        n = T.int64()
        gv = R.argmax(x, axis=1)
        return gv
`;

describe('fallback to the JavaScript reference', () => {
  it('runs an integer argmax on the reference and says why', async () => {
    const mod = parseModule(ARGMAX);
    const { exec } = build(mod, { fuse: true });
    const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
    const args = inputsFor(mod, { n: 4 }, 3);
    const { got, want } = await runBoth(exec, backend, args);
    expect(diffOutputs(got, want, 0)).toBeUndefined();
    const k = backend.compile('argmax', exec.kernels.get('argmax')!);
    expect(k.backend).toBe('js');
    expect(k.fallbackReason).toMatch(/^argmax: gpu\.js cannot express block ".*" stores int64 values: gpu\.js computes in float32/);
    expect(backend.kernelBuilds).toBe(0);
  });

  it('runs small calls on the reference on the CPU modes, larger ones on webasm', async () => {
    const mod = parseModule(exampleText('mlp.tvmscript'));
    const { exec } = build(mod, { fuse: true });
    const backend = new GpuJsKernelBackend({ mode: 'webasm' });
    const vm = new VirtualMachine(exec, { backend });
    await vm.invoke('main', inputsFor(mod, { n: 2 }, 1));
    const big = backend.compile('fused_matmul_add_relu', exec.kernels.get('fused_matmul_add_relu')!);
    const small = backend.compile('fused_matmul1_add1', exec.kernels.get('fused_matmul1_add1')!);
    expect(big.backend).toBe('webasm');
    expect(small.backend).toBe('js');
    expect(small.fallbackReason).toBeUndefined();
  });

  it('explains scatter stores and loops it cannot express before running', () => {
    const mod = parseModule(exampleText('mlp.tvmscript'));
    const { exec } = build(mod, { fuse: true });
    expect(() => analyzePrimFunc(exec.kernels.get('shape_func')!)).toThrow(/not at the thread's own index/);
  });
});

describe('kernels are built once per shape', () => {
  it('counts compilations over repeated runs at two shapes', async () => {
    const mod = parseModule(exampleText('mlp.tvmscript'));
    const { exec } = build(mod, { fuse: true });
    const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
    const vm = new VirtualMachine(exec, { backend });
    const stages = [...exec.kernels.values()].map((f) => {
      try {
        return analyzePrimFunc(f).stages.length;
      } catch {
        return 0;
      }
    }).reduce((a, b) => a + b, 0);
    for (const n of [2, 2, 2, 9, 9, 2, 9]) await vm.invoke('main', inputsFor(mod, { n }, n));
    expect(backend.compileCount).toBe(exec.kernels.size);
    expect(backend.kernelBuilds).toBe(stages * 2);
    expect(backend.reference.compileCount).toBe(1); // shape_func
  });
});

describe('data stays on the device', () => {
  it('keeps outputs as device storage, passes them on without a read-back, reads back on access', async () => {
    const mod = parseModule(exampleText('mlp.tvmscript'));
    const { exec } = build(mod, { fuse: true });
    const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
    const vm = new VirtualMachine(exec, { backend });
    const reads: string[] = [];
    const original = GpuStorage.prototype.read;
    GpuStorage.prototype.read = function (this: GpuStorage) {
      reads.push(this.device);
      return original.call(this);
    };
    try {
      const out = await vm.invoke('main', inputsFor(mod, { n: 3 }, 5));
      const t = leaves(out)[0]!;
      expect(t.deviceStorage).toBeInstanceOf(GpuStorage);
      expect(reads).toEqual([]); // three gpu.js kernels in a row, nothing read back
      expect(t.data.length).toBe(30);
      expect(reads).toEqual(['webasm']);
      expect(t.deviceStorage).toBeUndefined();
    } finally {
      GpuStorage.prototype.read = original;
    }
  });
});

describe('emitted gpu.js source', () => {
  it('maps spatial iter vars to thread indices (nd) or index arithmetic (flat), reductions to loops from T.init', () => {
    const mod = parseModule(exampleText('mlp.tvmscript'));
    const { exec } = build(mod, { fuse: true });
    const plan = analyzePrimFunc(exec.kernels.get('softmax')!);
    expect(plan.stages.map((s) => s.name)).toEqual(['T_softmax_maxelem', 'T_softmax_exp', 'T_softmax_expsum', 'T_softmax_norm']);
    expect(plan.allocs.length).toBe(3);
    const n = [...plan.func.bufferMap.values()][0]!.shape[0]!;
    const env = new Map([[n as never, 4]]);
    const nd = specializeStage(plan.stages[1]!, env, 'nd');
    expect(nd.output).toEqual([10, 4]);
    expect(nd.source).toMatch(/this\.thread\.x/);
    expect(nd.source).toMatch(/this\.thread\.y/);
    const flat = specializeStage(plan.stages[0]!, env, 'flat');
    expect(flat.output).toEqual([4]);
    expect(flat.source).toMatch(/let acc = \(-3\.4028234663852886e\+38\);\n\s+for \(let v_k = 0; v_k < 10; v_k\+\+\) \{\n\s+acc = Math\.max\(acc, b0\[v_ax0 \* 10 \+ v_k\]\);/);
    expect(flat.work).toBe(40);
  });
});

describe('device chain', () => {
  it('falls back from an unavailable explicit device with a one-line reason', async () => {
    const c = await createDeviceBackend('webgl2');
    expect(c.device).toBe('wasm');
    expect(c.notice).toBe('device webgl2 is not available (no WebGL2 context here); running on wasm');
    expect(c.fuse).toBe(true);
  });

  it('auto picks the best available (webasm in Node); js and cpu do not fuse by default', async () => {
    const auto = await createDeviceBackend('auto');
    expect(auto.device).toBe('wasm');
    expect(auto.notice).toBeUndefined();
    expect(auto.backend).toBeInstanceOf(GpuJsKernelBackend);
    expect((await createDeviceBackend('js')).fuse).toBe(false);
    const cpu = await createDeviceBackend('cpu');
    expect(cpu.fuse).toBe(false);
    expect(cpu.backend.name).toBe('cpu');
  });
});
