/**
 * The three engines the VM benchmark compares, behind one interface: ours (TVMScript -> parse -> `build()` ->
 * VirtualMachine with the JS reference kernel backend), tfjs-core on the wasm backend, and onnxruntime-node on
 * the CPU execution provider. Each `prepare()` does everything that is not timed (compiling, session creation,
 * copying inputs in); `run()` is the timed region and includes reading the output back into host memory.
 *
 * Preconditions: the cases in cases.ts. `build()` is loaded at run time from core/compiler/build.ts, so this file
 * type-checks and the peers still run before the compiler lands ("not yet built").
 * Left to run.ts: warm-up, repeats, medians, comparison and the table.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from '../../core/ir/parser/index.js';
import type { IRModule } from '../../core/ir/module.js';
import type { Executable } from '../../core/vm/executable.js';
import { JsKernelBackend } from '../../core/vm/kernels/js-codegen.js';
import { Tensor } from '../../core/vm/tensor.js';
import { VirtualMachine } from '../../core/vm/vm.js';
import type { BenchCase } from './cases.js';
import { encodeOnnxModel } from './onnx-model.js';

/** A case made ready to run on one engine. */
export interface PreparedRun {
  /** One timed inference; the output is read back into host memory before it resolves. */
  run(): Promise<void>;
  /** The last run's output, row-major in the Relax layout (not timed). */
  output(): Float32Array;
  /** Untimed setup cost (compile / session creation), ms. */
  readonly setupMs: number;
  dispose(): void;
}

/** Why an engine has no number for a case: not built yet, or a failure to show in the table. */
export class EngineUnavailable extends Error {
  constructor(
    message: string,
    readonly short: string,
  ) {
    super(message);
  }
}

export interface Engine {
  readonly id: 'ours' | 'tfjs' | 'ort';
  /** One line for the header: version, backend, threads. */
  describe(): string;
  prepare(c: BenchCase): Promise<PreparedRun>;
}

// ---------------------------------------------------------------------------------------------------------- ours

/** What the bench needs from core/compiler/build.ts: `build(mod, options)` returning `{ exec }` (or a promise). */
type BuildFn = (mod: IRModule, options?: object) => unknown;

/**
 * Loads `build` from core/compiler/build.ts, or from the module at BENCH_VM_BUILD (a path, to compare another
 * build); undefined while the compiler has none.
 */
async function loadBuild(): Promise<BuildFn | undefined> {
  const override = process.env['BENCH_VM_BUILD'];
  // A variable specifier: the compiler may not exist yet, and tsc must not resolve it.
  const spec = override ? pathToFileURL(path.resolve(override)).href : '../../core/compiler/build.js';
  try {
    const m = (await import(spec)) as { build?: BuildFn };
    return typeof m.build === 'function' ? m.build : undefined;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!override && code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('build')) return undefined;
    throw e;
  }
}

function executableOf(result: unknown): Executable {
  const r = result as { exec?: Executable; executable?: Executable };
  const exec = r.exec ?? r.executable ?? (result as Executable);
  if (!exec || typeof (exec as Executable).funcIndex !== 'function')
    throw new Error('build() returned no executable (expected { exec: Executable, ... })');
  return exec;
}

function parseCase(c: BenchCase): IRModule {
  const res = parse(c.tvmscript, { fileName: `${c.id}.tvmscript` });
  if (!res.module) {
    const msgs = res.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ');
    throw new EngineUnavailable(`the generated TVMScript does not parse: ${msgs}`, 'parse error');
  }
  return res.module;
}

/** Our compiler and VM, JS reference kernels (single-threaded). `options` go to build(). */
export function oursEngine(options: object = {}): Engine {
  let build: BuildFn | undefined | null = null;
  return {
    id: 'ours',
    describe: () => `relax-studio VM, JsKernelBackend (JS reference kernels, 1 thread), build options ${JSON.stringify(options)}`,
    async prepare(c) {
      const mod = parseCase(c);
      if (build === null) build = await loadBuild();
      if (!build) throw new EngineUnavailable('core/compiler/build.ts has no build() yet', 'not yet built');
      const t0 = performance.now();
      let exec: Executable;
      try {
        exec = executableOf(await build(mod, options));
      } catch (e) {
        const first = String((e as Error).message ?? e).split('\n')[0]!;
        throw new EngineUnavailable(first.replace(/^error\[\w+\]: /, ''), 'build error');
      }
      const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
      const setupMs = performance.now() - t0;
      const args = c.inputs.map((i) => new Tensor(i.dims, 'float32', i.data));
      let last: Tensor | undefined;
      return {
        setupMs,
        async run() {
          const r = await vm.invoke('main', args);
          if (!(r instanceof Tensor)) throw new Error(`main returned ${typeof r}, expected a tensor`);
          last = r;
          void last.data; // bring device data home (a no-op on the JS backend)
        },
        output: () => Float32Array.from(last!.data as ArrayLike<number>),
        dispose() {},
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------- tfjs

type Tf = typeof import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;

let tfReady: Promise<Tf> | undefined;

/** tfjs-core on the wasm backend, its .wasm files loaded from node_modules (no fetch in Node). */
async function loadTf(): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const req = createRequire(import.meta.url);
    const dir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dir}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialize');
    await tf.ready();
    return tf;
  })();
  return tfReady;
}

export function tfjsEngine(): Engine {
  let info = 'tfjs-core wasm backend';
  return {
    id: 'tfjs',
    describe: () => info,
    async prepare(c) {
      const tf = await loadTf(); // backend start-up is not part of any case's setup
      const t0 = performance.now();
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      info = `tfjs-core ${tf.version_core} wasm backend (simd ${simd ? 'on' : 'off'}, ${wasm.getThreadsCount()} thread(s))`;
      const byName = new Map(c.inputs.map((i) => [i.name, i]));
      const tensors: TfTensor[] = [];
      const keep = <T extends TfTensor>(t: T): T => (tensors.push(t), t);
      const get = (name: string): TfTensor => {
        const i = byName.get(name)!;
        return keep(tf.tensor(i.data, [...i.dims], 'float32'));
      };
      const conv = c.tfjs.layout === 'conv-nhwc';
      const x0 = c.inputs[0]!;
      const x = conv ? keep(tf.tidy(() => tf.transpose(tf.tensor(x0.data, [...x0.dims]), [0, 2, 3, 1]))) : get(x0.name);
      const layers = c.tfjs.layers.map((l) => {
        const w = conv ? keep(tf.tidy(() => tf.transpose(get(l.w), [2, 3, 1, 0]))) : get(l.w);
        // The conv bias is made rank 1 directly: the wasm FusedConv2D kernel reads the shape of the tensor's data
        // buffer, which a tf.reshape view does not change.
        const bi = l.b === undefined ? undefined : byName.get(l.b)!;
        const b = bi === undefined ? undefined : conv ? keep(tf.tensor1d(bi.data, 'float32')) : get(bi.name);
        return { ...l, w, b };
      });
      const forward = (): TfTensor =>
        tf.tidy(() => {
          let h = x;
          for (const l of layers) {
            const activation = l.relu ? 'relu' : 'linear';
            h =
              l.kind === 'conv'
                ? tf.fused.conv2d({ x: h as import('@tensorflow/tfjs-core').Tensor4D, filter: l.w as import('@tensorflow/tfjs-core').Tensor4D, strides: 1, pad: 1, bias: l.b, activation })
                : tf.fused.matMul({ a: h as import('@tensorflow/tfjs-core').Tensor2D, b: l.w as import('@tensorflow/tfjs-core').Tensor2D, bias: l.b, activation });
          }
          return h;
        });
      let last: TfTensor | undefined;
      let lastData: Float32Array | undefined;
      return {
        setupMs: performance.now() - t0,
        async run() {
          last?.dispose();
          last = forward();
          lastData = (await last.data()) as Float32Array;
        },
        output() {
          if (!conv) return Float32Array.from(lastData!);
          return tf.tidy(() => tf.transpose(last!, [0, 3, 1, 2]).dataSync() as Float32Array);
        },
        dispose() {
          last?.dispose();
          for (const t of tensors) t.dispose();
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------- ort

/** onnxruntime-node, CPU execution provider; `threads` intra-op threads (0: ORT's default, one per core). */
export function ortEngine(threads: number): Engine {
  let info = 'onnxruntime-node';
  return {
    id: 'ort',
    describe: () => info,
    async prepare(c) {
      const ort = await import('onnxruntime-node');
      info = `onnxruntime-node ${ort.env.versions.node ?? '?'} CPU EP (${threads > 0 ? `${threads} intra-op thread(s)` : 'default threads'}, graph optimization "all", weights as initializers)`;
      const t0 = performance.now();
      const bytes = encodeOnnxModel(c.onnx);
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...(threads > 0 ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
      });
      const feeds: Record<string, import('onnxruntime-node').Tensor> = {};
      for (const i of c.inputs) if (!i.weight) feeds[i.name] = new ort.Tensor('float32', i.data, [...i.dims]);
      let last: Float32Array | undefined;
      return {
        setupMs: performance.now() - t0,
        async run() {
          const r = await session.run(feeds);
          last = r['y']!.data as Float32Array;
        },
        output: () => Float32Array.from(last!),
        dispose() {
          void session.release();
        },
      };
    },
  };
}
