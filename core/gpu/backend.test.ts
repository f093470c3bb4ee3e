/**
 * GpuJsKernelBackend end to end (Node: gpu.js cpu and webasm modes): every example model matches the JavaScript
 * reference at two bindings of its symbolic dims, fallbacks run on the reference and say why, kernels are built
 * once per shape, outputs stay on the device between kernels, and the device chain falls back with a reason.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build } from '../compiler/build.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import { Tensor } from '../vm/tensor.js';
import type { TypedArray } from '../vm/tensor.js';
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

const ASTYPE = `@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="int32")):
        gv = R.astype(x, "float32")
        return gv
`;

describe('fallback reasons', () => {
  it('an integer input beyond 2^24 runs that call on the reference and says why; small ones run on gpu.js', async () => {
    const mod = parseModule(ASTYPE);
    const { exec } = build(mod, { fuse: true });
    const [name, func] = [...exec.kernels][0]!;
    const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
    const vm = new VirtualMachine(exec, { backend });
    const k = backend.compile(name, func);
    const big = await vm.invoke('main', [Tensor.from([4], 'int32', [1, 2 ** 24 + 1, -(2 ** 24) - 3, 7])]);
    expect(Array.from((big as Tensor).data)).toEqual([1, 2 ** 24 + 1, -(2 ** 24) - 3, 7].map(Math.fround));
    expect(k.backend).toBe('js');
    expect(k.fallbackReason).toMatch(new RegExp(`^${name}: the int32 \\w+ input holds integers beyond 2\\^24, which gpu\\.js \\(float32\\) cannot hold exactly; this call runs on the JavaScript reference$`));
    const small = await vm.invoke('main', [Tensor.from([4], 'int32', [1, 2, -3, 2 ** 24])]);
    expect(Array.from((small as Tensor).data)).toEqual([1, 2, -3, 2 ** 24]);
    expect(k.backend).toBe('webasm');
    expect(k.fallbackReason).toBeUndefined();
  });

  it('every kernel that ran on the reference on a device with no CPU preference carries a reason', async () => {
    for (const file of ['mlp.tvmscript', 'cnn.tvmscript']) {
      const mod = parseModule(exampleText(file));
      const { exec } = build(mod, { fuse: true });
      const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
      await new VirtualMachine(exec, { backend }).invoke('main', inputsFor(mod, { n: 2 }, 4));
      for (const [name, f] of exec.kernels) {
        const k = backend.compile(name, f);
        if (k.backend === 'js') expect(k.fallbackReason, `${file} ${name}`).toMatch(new RegExp(`^${name}: `));
      }
    }
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

const RESHAPE_CHAIN = `@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 6), dtype="float32"), w: R.Tensor((3, 4), dtype="float32")):
        n = T.int64()
        with R.dataflow():
            a = R.exp(x)
            b = R.reshape(a, R.shape([n * 2, 3]))
            c = R.matmul(b, w)
            R.output(c)
        return c
`;

/** Counts GpuStorage read-backs while `body` runs. */
async function countingReads<T>(body: (reads: string[]) => Promise<T>): Promise<T> {
  const reads: string[] = [];
  const original = GpuStorage.prototype.read;
  GpuStorage.prototype.read = function (this: GpuStorage) {
    reads.push(this.device);
    return original.call(this);
  };
  try {
    return await body(reads);
  } finally {
    GpuStorage.prototype.read = original;
  }
}

describe('views share device storage', () => {
  it('a reshape between two gpu.js kernels reads nothing back until the output is read', async () => {
    const mod = parseModule(RESHAPE_CHAIN);
    const { exec } = build(mod, { fuse: false });
    expect(exec.asText()).toMatch(/vm\.builtin\.reshape/);
    const backend = new GpuJsKernelBackend({ mode: 'webasm', jsBelowWork: 0 });
    const args = inputsFor(mod, { n: 3 }, 2);
    const want = await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', args);
    await countingReads(async (reads) => {
      const out = await new VirtualMachine(exec, { backend }).invoke('main', args);
      // exp, then matmul: the reshape between them is vm.builtin.reshape
      for (const name of ['tir_exp', 'matmul']) expect(backend.compile(name, exec.kernels.get(name)!).backend, name).toBe('webasm');
      expect((out as Tensor).deviceStorage).toBeInstanceOf(GpuStorage);
      expect(reads).toEqual([]);
      expect(diffOutputs(out, want, 1e-4)).toBeUndefined();
      expect(reads).toEqual(['webasm']);
    });
  });

  it('a view and its tensor see the same values, on the device and after a read-back', () => {
    const reads: number[] = [];
    const t = new Tensor([2, 3], 'float32', undefined, {
      device: 'test',
      read: () => {
        reads.push(1);
        return Float32Array.from([1, 2, 3, 4, 5, 6]);
      },
    });
    const v = t.view([3, 2]);
    expect(reads).toEqual([]);
    expect(v.deviceStorage).toBe(t.deviceStorage);
    expect(Array.from(v.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.deviceStorage).toBeUndefined();
    t.data[0] = 9;
    expect(v.data[0]).toBe(9);
    expect(reads).toEqual([1]);
  });
});

describe('asynchronous devices (WebGPU-like storage)', () => {
  /** A device value that, like gpu.js's WebGPU buffers, reads back only through a promise. */
  const asyncTensor = (values: number[], log: string[]): Tensor => {
    let pending: Promise<TypedArray> | undefined;
    return new Tensor([values.length], 'float32', undefined, {
      device: 'async',
      read: () => {
        throw new Error('a WebGPU tensor is read back asynchronously: await tensor.sync() before reading its data');
      },
      readAsync: () => {
        if (!pending) log.push('readAsync');
        return (pending ??= Promise.resolve(Float32Array.from(values)));
      },
    });
  };

  it('Tensor.sync reads back once; it is a no-op on host tensors', async () => {
    const log: string[] = [];
    const t = asyncTensor([1, 2], log);
    expect(t.needsSync).toBe(true);
    expect(() => t.data).toThrow(/await tensor\.sync\(\)/);
    const v = t.view([2, 1]);
    await Promise.all([t.sync(), v.sync()]);
    expect(Array.from(v.data)).toEqual([1, 2]);
    expect(t.needsSync).toBe(false);
    await Tensor.from([1], 'float32', [3]).sync();
  });

  it('the VM syncs tensors for packed functions, value-reading builtins and the caller; views and tuples keep them', async () => {
    const mod = parseModule(`@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")):
        with R.dataflow():
            y = R.reshape(x, R.shape([2, 2]))
            t = (y, x)
            R.output(y, t)
        z = R.call_pure_packed("probe", y, sinfo_args=R.Tensor((2, 2), dtype="float32"))
        return (t, z)
`);
    const { exec } = build(mod, { fuse: false });
    const log: string[] = [];
    const x = asyncTensor([1, 2, 3, 4], log);
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    vm.registerPacked('probe', (y) => {
      log.push(`probe ${Array.from((y as Tensor).data).join(',')}`);
      return y;
    });
    const checks: string[] = [];
    vm.setInstrument((ev) => {
      if (ev.before && ev.calleeKind === 'builtin') checks.push(`${ev.funcName} ${x.needsSync ? 'device' : 'host'}`);
    });
    const out = await vm.invoke('main', [x]);
    expect(exec.asText()).toMatch(/vm\.builtin\.reshape/);
    expect(checks.filter((c) => /reshape|make_tuple/.test(c))).toEqual(['vm.builtin.reshape device', 'vm.builtin.make_tuple device', 'vm.builtin.make_tuple host']);
    expect(log).toEqual(['readAsync', 'probe 1,2,3,4']);
    expect(leaves(out).every((t) => !t.needsSync)).toBe(true);
  });

  it('invoke syncs its outputs, tuples included', async () => {
    const mod = parseModule(`@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2,), dtype="float32")):
        return (x, x)
`);
    const { exec } = build(mod, { fuse: false });
    const log: string[] = [];
    const out = await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', [asyncTensor([5, 6], log)]);
    expect(log).toEqual(['readAsync']);
    expect(leaves(out).map((t) => Array.from(t.data))).toEqual([[5, 6], [5, 6]]);
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
