/// <reference types="vite/client" />
/**
 * The page half of the browser bench (`BENCH=browser npm run bench`): times one case of bench/vm/cases.ts on our
 * VM (webgl2, webgpu and the CPU path, through backends.ts) and on @tensorflow/tfjs (webgl, webgpu and wasm
 * backends, all bundled here; the .wasm files are emitted by Vite and handed to setWasmPaths), in this page.
 *
 * Per cell: untimed setup (build or tensor creation), warm-up runs (at most `warmup`, stopping after a quarter of
 * the budget), then timed runs (at most `runs`, stopping once the budget is spent, at least one); the median is
 * reported. A timed run includes reading the output back to host memory (`await data()` for tfjs, the output
 * tensor's values for ours), so that both sides finish their GPU work inside it. Outputs are compared with
 * tfjs-wasm's (or the first cell that ran). The Node half (bench/browser/run.ts) prints the table.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BenchCase } from '../../../bench/vm/cases.js';
import { makeCase } from '../../../bench/vm/cases.js';
import type { CaseResult, CellResult, CellSpec, TimingSettings } from '../../../bench/browser/protocol.js';
import { cellKey } from '../../../bench/browser/protocol.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import { backendFor } from './backends.js';
import type { KernelInfo, KernelLog } from './run.js';
import { buildModule, kernelInfos, outputTensors, parseStrict, recording } from './run.js';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
// The served pages are cross-origin isolated (for fine timers), which would let tfjs-wasm pick its threaded build:
// keep it on one thread, as our `cpu` column is (and its threaded build does not start from Vite's bundle).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/** A cell made ready: `run()` is the timed region. */
interface Prepared {
  run(): Promise<void>;
  output(): Float32Array;
  dispose(): void;
  readonly setupMs: number;
  readonly note?: string;
  readonly backends?: string;
}

/** A cell that has no number, with why. */
class Unavailable extends Error {
  constructor(
    readonly short: string,
    message: string,
  ) {
    super(message);
  }
}

function summarize(ks: readonly KernelInfo[]): string {
  const n = new Map<string, number>();
  for (const k of ks) n.set(k.backend, (n.get(k.backend) ?? 0) + 1);
  return [...n].map(([b, c]) => `${b} x${c}`).join(', ');
}

async function prepareOurs(c: BenchCase, device: CellSpec['device'], s: TimingSettings): Promise<Prepared> {
  const t0 = performance.now();
  const choice = await backendFor(device === 'webgl2' ? 'webgl2' : device === 'webgpu' ? 'webgpu' : 'wasm');
  const exec = buildModule(parseStrict(c.tvmscript), { fuse: s.fuse ?? choice.fuse ?? device !== 'wasm' });
  const log: KernelLog = [];
  const vm = new VirtualMachine(exec, { backend: recording(choice.backend, log) });
  const args = c.inputs.map((i) => new Tensor(i.dims, 'float32', Float32Array.from(i.data)));
  let last: Float32Array | undefined;
  const fallbacks = (): string[] => kernelInfos(log).filter((k) => k.fallbackReason).map((k) => `${k.name}: ${k.fallbackReason}`);
  return {
    setupMs: performance.now() - t0,
    async run() {
      const out = outputTensors(await vm.invoke('main', args))[0]!;
      last = out.data as Float32Array;
    },
    output: () => Float32Array.from(last!),
    dispose() {},
    get note() {
      const why = [choice.note, ...fallbacks()].filter(Boolean);
      return why.length ? why.join('; ') : undefined;
    },
    get backends() {
      return summarize(kernelInfos(log));
    },
  };
}

async function useTfjsBackend(name: string): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    throw new Unavailable('unavailable', `tfjs ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!ok || tf.getBackend() !== name) throw new Unavailable('unavailable', `tfjs could not start its ${name} backend in this browser`);
}

async function prepareTfjs(c: BenchCase, backend: string): Promise<Prepared> {
  await useTfjsBackend(backend); // backend start-up is not part of any case's setup
  const t0 = performance.now();
  const byName = new Map(c.inputs.map((i) => [i.name, i]));
  const tensors: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (tensors.push(t), t);
  const get = (name: string): tf.Tensor => {
    const i = byName.get(name)!;
    return keep(tf.tensor(i.data, [...i.dims], 'float32'));
  };
  const conv = c.tfjs.layout === 'conv-nhwc';
  const x0 = c.inputs[0]!;
  const x = conv ? keep(tf.tidy(() => tf.transpose(tf.tensor(x0.data, [...x0.dims]), [0, 2, 3, 1]))) : get(x0.name);
  const layers = c.tfjs.layers.map((l) => {
    const w = conv ? keep(tf.tidy(() => tf.transpose(get(l.w), [2, 3, 1, 0]))) : get(l.w);
    const bi = l.b === undefined ? undefined : byName.get(l.b)!;
    const b = bi === undefined ? undefined : conv ? keep(tf.tensor1d(bi.data, 'float32')) : get(bi.name);
    return { ...l, w, b };
  });
  const forward = (): tf.Tensor =>
    tf.tidy(() => {
      let h = x;
      for (const l of layers) {
        const activation = l.relu ? 'relu' : 'linear';
        h =
          l.kind === 'conv'
            ? tf.fused.conv2d({ x: h as tf.Tensor4D, filter: l.w as tf.Tensor4D, strides: 1, pad: 1, bias: l.b, activation })
            : tf.fused.matMul({ a: h as tf.Tensor2D, b: l.w as tf.Tensor2D, bias: l.b, activation });
      }
      return h;
    });
  let last: tf.Tensor | undefined;
  return {
    setupMs: performance.now() - t0,
    async run() {
      last?.dispose();
      last = forward();
      await last.data();
    },
    output() {
      const t = last!;
      return tf.tidy(() => (conv ? tf.transpose(t, [0, 3, 1, 2]) : t).dataSync() as Float32Array);
    },
    dispose() {
      last?.dispose();
      for (const t of tensors) t.dispose();
    },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm-up and timed runs within the budget; returns the median and the count. */
async function time(p: Prepared, s: TimingSettings): Promise<{ ms: number; runs: number }> {
  const start = performance.now();
  for (let i = 0; i < s.warmup && performance.now() - start < s.budgetMs / 4; i++) await p.run();
  const times: number[] = [];
  const t0 = performance.now();
  do {
    const a = performance.now();
    await p.run();
    times.push(performance.now() - a);
  } while (times.length < s.runs && performance.now() - t0 < s.budgetMs);
  return { ms: median(times), runs: times.length };
}

function relErr(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < ref.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(ref[i]!));
    const d = Math.abs(a[i]! - ref[i]!);
    maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
  }
  return maxRef > 0 ? maxDiff / maxRef : maxDiff;
}

async function runCell(c: BenchCase, spec: CellSpec, s: TimingSettings): Promise<{ result: CellResult; output?: Float32Array }> {
  let p: Prepared | undefined;
  try {
    p = spec.engine === 'ours' ? await prepareOurs(c, spec.device, s) : await prepareTfjs(c, spec.device);
    const t = await time(p, s);
    const output = p.output();
    const extra = { ...(p.note ? { note: 'fell back', detail: p.note } : {}), ...(p.backends ? { backends: p.backends } : {}) };
    return { result: { ...spec, ms: t.ms, runs: t.runs, setupMs: p.setupMs, ...extra }, output };
  } catch (e) {
    const short = e instanceof Unavailable ? e.short : 'error';
    return { result: { ...spec, runs: 0, note: short, detail: e instanceof Error ? e.message : String(e) } };
  } finally {
    p?.dispose();
  }
}

/** Times case `id` on every cell, in order, and compares the outputs with tfjs-wasm's (or the first's). */
export async function benchCase(id: string, cells: readonly CellSpec[], s: TimingSettings): Promise<CaseResult> {
  const c = makeCase(id, s.seed);
  const done: { result: CellResult; output?: Float32Array }[] = [];
  for (const spec of cells) done.push(await runCell(c, spec, s));
  const ref = done.find((d) => d.output && d.result.engine === 'tfjs' && d.result.device === 'wasm') ?? done.find((d) => d.output);
  const cellsOut = done.map((d) => (ref?.output && d.output ? { ...d.result, err: relErr(d.output, ref.output) } : d.result));
  return { id: c.id, label: c.label, flops: c.flops, cells: cellsOut, ...(ref ? { ref: cellKey(ref.result) } : {}) };
}

/** Versions and settings for the bench header. */
export async function describeEngines(): Promise<{ tfjs: string; wasm: string }> {
  let simd: string;
  try {
    await useTfjsBackend('wasm');
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'on' : 'off';
  } catch {
    simd = 'unavailable';
  }
  return { tfjs: tf.version_core, wasm: `simd ${simd}, ${getThreadsCount()} thread(s), crossOriginIsolated ${String(globalThis.crossOriginIsolated)}` };
}
