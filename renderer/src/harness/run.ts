/**
 * `run(text, options)`: the harness's one call from TVMScript to outputs on a device, so that a browser test can
 * compare devices with one `page.evaluate` each. It parses strictly, builds (fusion on by default for the GPU
 * devices, off for the reference), makes seeded inputs from the function's signature (core/vm/inputs.ts: the
 * same values for every device), runs the VM with the device's backend, and returns plain data: the outputs
 * (shape, dtype, values as arrays), the backend and fallback reason of every kernel, the wall time of each
 * repeat (the run plus reading the outputs back), and the profiler's rows when asked.
 *
 * Bad input (text that does not parse or compile, an unknown function or device, inputs that do not fit) throws
 * an Error with a one-paragraph message, never a bare stack.
 */
import { build } from '../../../core/compiler/build.js';
import type { BuildOptions } from '../../../core/compiler/build.js';
import { CompileError } from '../../../core/compiler/pass.js';
import { attrGet } from '../../../core/ir/attrs.js';
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { IRModule } from '../../../core/ir/module.js';
import { parse } from '../../../core/ir/parser/index.js';
import type { RelaxFunction } from '../../../core/ir/relax/nodes.js';
import type { PrimFunc } from '../../../core/ir/tir/nodes.js';
import type { Executable } from '../../../core/vm/executable.js';
import type { InputKind, InputSource } from '../../../core/vm/inputs.js';
import { makeInputs } from '../../../core/vm/inputs.js';
import type { CompiledKernel, KernelBackend } from '../../../core/vm/kernel.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';
import { profile } from '../../../core/vm/profiler.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { ShapeTuple } from '../../../core/vm/value.js';
import type { Value } from '../../../core/vm/value.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import type { DeviceName } from './backends.js';
import { backendFor, checkDevice } from './backends.js';

/** A tensor as plain data (what crosses `page.evaluate`). */
export interface TensorData {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: readonly number[];
}

export interface RunOptions {
  /** The Relax function to run (default: main, or the only one). */
  readonly func?: string;
  /** Default "js" (the reference). */
  readonly device?: DeviceName;
  /** Seed of the input generator (default 0): the same seed gives the same inputs on every device. */
  readonly seed?: number;
  /** Values of symbolic dims. */
  readonly sym?: Readonly<Record<string, number>>;
  /** Per parameter: "random" | "zeros" | "ones", or the values themselves. */
  readonly inputs?: Readonly<Record<string, InputKind | TensorData>>;
  /** Multiplies a made input by a factor (weights by 1/sqrt(fan-in), say). */
  readonly scale?: Readonly<Record<string, number>>;
  /**
   * Moves a made input into [lo, hi): floats affinely from [-1, 1), integers as lo + v mod (hi - lo) (indices in
   * range, say). Applied before `scale`.
   */
  readonly range?: Readonly<Record<string, readonly [number, number]>>;
  /** Timed runs after the first (default 1). */
  readonly repeat?: number;
  /** Run with the profiler (each kernel synchronised) and return its rows. */
  readonly profile?: boolean;
  /** Build with FuseOps + FuseTIR (default: what core/gpu says for the device; on for the GPU paths). */
  readonly fuse?: boolean;
  /** Leave the output values out of the result (benchmarks). */
  readonly noOutputs?: boolean;
}

/** The backend that runs one kernel, and why it is not the one asked for, if so. */
export interface KernelInfo {
  readonly name: string;
  readonly backend: string;
  readonly fallbackReason?: string;
}

export interface RunResult {
  readonly device: DeviceName;
  /** The backend object's name (core/gpu's for a GPU device). */
  readonly backend: string;
  /** Why the device is not what ran (no core/gpu in this build, an unavailable device). */
  readonly note?: string;
  readonly outputs: readonly TensorData[];
  readonly kernels: readonly KernelInfo[];
  /** The backend's compilations during the whole run (once per PrimFunc, never per call). */
  readonly compileCount: number;
  /**
   * Device kernels built so far, after each run (core/gpu's `kernelBuilds`: one per stage and concrete shape);
   * equal entries mean the repeats built nothing. Empty for backends that do not count them.
   */
  readonly kernelBuilds: readonly number[];
  readonly buildMs: number;
  /** Wall time of each run (the first one included), invoke plus read-back, ms. */
  readonly timesMs: readonly number[];
  readonly profile?: readonly ProfileRow[];
}

const GPU_DEFAULT_FUSE = new Set<string>(['webgl2', 'webgl', 'webgpu', 'auto']);

function diagText(ds: readonly Diagnostic[]): string {
  return ds
    .filter((d) => d.severity === 'error')
    .map((d) => `error[${d.code}]: ${d.message}`)
    .join('\n');
}

/** Parses strictly; throws with the parse errors. */
export function parseStrict(text: string): IRModule {
  const r = parse(text);
  const errors = diagText(r.diagnostics);
  if (!r.module || errors) throw new Error(`the module does not parse:\n${errors}`);
  return r.module;
}

/** build() with compile errors as one readable message. */
export function buildModule(mod: IRModule, options: BuildOptions): Executable {
  try {
    return build(mod, options).exec;
  } catch (e) {
    if (e instanceof CompileError) throw new Error(`the module does not compile:\n${diagText(e.diagnostics)}`, { cause: e });
    throw e;
  }
}

/** The Relax function to run and its VM name. */
function pickFunction(mod: IRModule, func: string | undefined): [string, RelaxFunction] {
  const fns: [string, RelaxFunction][] = [];
  for (const [name, f] of mod.functions) {
    if (f.kind !== 'relax.Function') continue;
    const sym = attrGet(f.attrs, 'global_symbol');
    fns.push([typeof sym === 'string' ? sym : name, f]);
  }
  const want = func ?? (fns.some(([n]) => n === 'main') ? 'main' : fns.length === 1 ? fns[0]![0] : undefined);
  const hit = fns.find(([n]) => n === want);
  if (!hit) throw new Error(`no Relax function ${want ? `named "${want}"` : 'to run (give func)'}: the module has ${fns.map(([n]) => n).join(', ') || 'none'}`);
  return hit;
}

/** The argument values: seeded, scaled, given ones turned into tensors. */
export function makeArgs(f: RelaxFunction, opts: RunOptions): Value[] {
  const given: Record<string, InputSource> = {};
  for (const [k, v] of Object.entries(opts.inputs ?? {})) given[k] = typeof v === 'string' ? v : Tensor.from(v.shape, v.dtype, v.data);
  const params = f.params.map((p) => ({ name: p.name, sinfo: p.sinfo }));
  const args = makeInputs(params, { given, seed: opts.seed ?? 0, sym: opts.sym ?? {} });
  return args.map((a, i) => {
    const name = params[i]!.name;
    if (!(a instanceof Tensor) || typeof opts.inputs?.[name] === 'object' || (opts.range?.[name] === undefined && opts.scale?.[name] === undefined)) return a;
    const [lo, hi] = opts.range?.[name] ?? [-1, 1];
    const s = opts.scale?.[name] ?? 1;
    const float = /^b?float/.test(a.dtype);
    const move = (v: number): number => (float ? lo + ((v + 1) / 2) * (hi - lo) : lo + (((v % (hi - lo)) + (hi - lo)) % (hi - lo)));
    return Tensor.from(a.shape, a.dtype, Array.from(a.data, (v) => move(v) * s));
  });
}

/** The compiled kernels of a run, by name (their backend and reason are read after the run: they may change per call). */
export type KernelLog = [name: string, kernel: CompiledKernel][];

/** Each kernel's backend and fallback reason as of its latest call. */
export function kernelInfos(log: KernelLog): KernelInfo[] {
  return log.map(([name, k]) => ({ name, backend: k.backend, ...(k.fallbackReason ? { fallbackReason: k.fallbackReason } : {}) }));
}

/** Wraps a backend so that every compiled kernel is logged. */
export function recording(inner: KernelBackend, log: KernelLog): KernelBackend {
  const compile = (name: string, func: PrimFunc): CompiledKernel => {
    const k = inner.compile(name, func);
    log.push([name, k]);
    return k;
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'compile') return compile;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The tensors of an output value, depth-first (tuples flattened, shapes and scalars as int64 / float64 tensors). */
export function outputTensors(v: Value): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return (v as readonly Value[]).flatMap(outputTensors);
  if (v instanceof ShapeTuple) return [Tensor.from([v.dims.length], 'int64', v.dims)];
  if (typeof v === 'number') return [Tensor.from([], 'float64', [v])];
  if (typeof v === 'boolean') return [Tensor.from([], 'bool', [v ? 1 : 0])];
  return [];
}

/** Reads every output to host memory (the device's read-back; what a timed run must include). */
async function readBack(v: Value): Promise<Tensor[]> {
  const ts = outputTensors(v);
  for (const t of ts) {
    const async = (t as unknown as { readAsync?: () => Promise<unknown> }).readAsync;
    if (typeof async === 'function') await async.call(t);
    void t.data;
  }
  return ts;
}

function toData(t: Tensor): TensorData {
  return { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) };
}

/** Parses, builds and runs `text` on a device; see the file header. */
export async function run(text: string, opts: RunOptions = {}): Promise<RunResult> {
  const device = checkDevice(opts.device ?? 'js');
  const mod = parseStrict(text);
  const [fname, f] = pickFunction(mod, opts.func);
  const choice = await backendFor(device, { synchronize: opts.profile === true });
  const t0 = performance.now();
  const exec = buildModule(mod, { fuse: opts.fuse ?? choice.fuse ?? GPU_DEFAULT_FUSE.has(device) });
  const buildMs = performance.now() - t0;
  const args = makeArgs(f, opts);
  const log: KernelLog = [];
  const backend = recording(choice.backend, log);
  const vm = new VirtualMachine(exec, { backend });
  const timesMs: number[] = [];
  const kernelBuilds: number[] = [];
  const builds = (): number | undefined => (choice.backend as { kernelBuilds?: unknown }).kernelBuilds as number | undefined;
  let out: Tensor[] = [];
  const repeat = Math.max(1, opts.repeat ?? 1);
  for (let i = 0; i < repeat; i++) {
    const s = performance.now();
    out = await readBack(await vm.invoke(fname, args));
    timesMs.push(performance.now() - s);
    const b = builds();
    if (typeof b === 'number') kernelBuilds.push(b);
  }
  let rows: readonly ProfileRow[] | undefined;
  if (opts.profile) rows = (await profile(vm, fname, args, { warmup: 0, repeat, device })).report.toJSON();
  return {
    device,
    backend: choice.backend.name,
    ...(choice.note ? { note: choice.note } : {}),
    outputs: opts.noOutputs ? [] : out.map(toData),
    kernels: kernelInfos(log),
    compileCount: choice.backend.compileCount,
    kernelBuilds,
    buildMs,
    timesMs,
    ...(rows ? { profile: rows } : {}),
  };
}
