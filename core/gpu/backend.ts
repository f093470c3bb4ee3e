/**
 * `GpuJsKernelBackend`: the VM's KernelBackend (core/vm/kernel.ts) over gpu.js in one mode (webgpu, webgl2, webgl,
 * webasm or cpu). Per PrimFunc, `compile` analyses once (tir-to-gpujs.ts); per concrete binding of the symbolic
 * vars, each stage's gpu.js kernel is written and built once and cached, so repeated runs at one shape build nothing.
 *
 * Where data lives: a kernel's outputs stay where gpu.js left them (a texture or WebGPU buffer on GPU modes, a
 * Float32Array on the CPU modes) as the tensor's `deviceStorage`; the next gpu.js kernel of this backend takes them
 * as arguments without a read-back, and `tensor.data` reads them back only when something on the host asks.
 * Intermediates (root-allocated buffers) never leave the device and are freed after the kernel.
 * Views (vm.builtin.reshape) share their tensor's storage, and every kernel reads its inputs flat, so a reshape
 * between two kernels moves nothing. WebGPU reads back only asynchronously: its outputs stay on the device as
 * `AsyncGpuStorage` until the VM awaits `Tensor.sync()` for something that needs host values (a builtin, a
 * packed function, the caller of `invoke`) or a call of this backend runs on the reference (which syncs first).
 *
 * Which code runs a call: the JavaScript reference when the PrimFunc is something gpu.js cannot express, when
 * this shape cannot be, when an integer input holds values beyond 2^24, or when the arguments do not fit the
 * parameters (each with `fallbackReason` saying why); or, on the CPU modes only, when the call is element-wise or
 * smaller than `jsBelowWork` (`prefersReference`: a speed choice, not a fallback, so no reason).
 * `backend` names what ran the latest call, for the profile (kernels run once before a profile is taken).
 */
import { GPU } from 'gpu.js';
import type { IKernelRunShortcut } from 'gpu.js';
import type { Buffer, PrimFunc, TirVar } from '../ir/tir/nodes.js';
import type { CompiledKernel, KernelArg, KernelBackend } from '../vm/kernel.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import type { DeviceStorage, TypedArray } from '../vm/tensor.js';
import { Tensor, allocData } from '../vm/tensor.js';
import { F32_EXACT_INT, GpuUnsupported } from './emitter.js';
import type { Bindings, KernelPlan, Layout, StageKernel } from './tir-to-gpujs.js';
import { analyzePrimFunc, specializeStage } from './tir-to-gpujs.js';

/** The gpu.js modes this backend drives. */
export type GpuMode = 'webgpu' | 'webgl2' | 'webgl' | 'webasm' | 'cpu';

export interface GpuJsBackendOptions {
  readonly mode: GpuMode;
  /** A GPU instance to share (the browser harness may pass its own); one is made otherwise. */
  readonly gpu?: GPU;
  /** Thread layout of outputs: `nd` maps up to 3 output dims to thread x/y/z; `flat` uses x and index math. */
  readonly layout?: Layout;
  /** CPU modes: calls with less work than this, and element-wise calls, run on the reference (default 8192; 0 = never). */
  readonly jsBelowWork?: number;
  /** Await each kernel's completion (the profiler sets this so each kernel's time is its own). */
  readonly synchronize?: boolean;
  /** webasm: run under gpu.js's async contract (worker-pool threads for large kernels). */
  readonly threads?: boolean;
}

const GPU_MODES: ReadonlySet<GpuMode> = new Set(['webgpu', 'webgl2', 'webgl']);

/** A device value: a GL texture / WebGPU buffer handle, or host arrays on the CPU modes (nested for nd outputs). */
type DeviceValue = Float32Array | Float32Array[] | Float32Array[][] | GpuHandle;

interface GpuHandle {
  toArray(): unknown;
  delete?(): void;
}

/** A tensor's values held by gpu.js: read back (and freed) on first host access. */
export class GpuStorage implements DeviceStorage {
  private freed = false;

  constructor(
    readonly device: string,
    readonly owner: GpuJsKernelBackend,
    readonly value: DeviceValue,
    private readonly dtype: string,
    private readonly size: number,
  ) {}

  /** @internal */
  protected get dtypeOf(): string {
    return this.dtype;
  }

  /** @internal */
  protected get sizeOf(): number {
    return this.size;
  }

  read(): TypedArray {
    const v = this.value;
    const raw = isHandle(v) ? v.toArray() : v;
    if (raw instanceof Promise) throw new Error('a WebGPU tensor is read back asynchronously: await tensor.sync() before reading its data');
    const out = toHost(raw, this.dtype, this.size);
    if (out !== v) this.free();
    return out;
  }

  /** Releases the device memory (GL textures, WebGPU buffers). */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    if (isHandle(this.value)) this.value.delete?.();
  }
}

/** A WebGPU buffer: `read` cannot work (gpu.js's read-back is a promise); `readAsync` does, once. */
export class AsyncGpuStorage extends GpuStorage {
  private pending: Promise<TypedArray> | undefined;

  readAsync(): Promise<TypedArray> {
    return (this.pending ??= this.fetch());
  }

  private async fetch(): Promise<TypedArray> {
    const raw = await (this.value as GpuHandle).toArray();
    const out = toHost(raw, this.dtypeOf, this.sizeOf);
    this.free();
    return out;
  }
}

/** Flattens gpu.js output (a typed array, or nested arrays for 2-D/3-D outputs) into the dtype's storage. */
function toHost(raw: unknown, dtype: string, size: number): TypedArray {
  if (raw instanceof Float32Array && dtype === 'float32' && raw.length === size) return raw;
  const out = allocData(dtype, size);
  let i = 0;
  const put = (x: unknown): void => {
    if (i >= size) return;
    if (typeof x === 'number') out[i++] = dtype === 'bool' ? (x !== 0 ? 1 : 0) : x;
    else if (ArrayBuffer.isView(x)) for (const y of x as Float32Array) put(y);
    else if (Array.isArray(x)) x.forEach(put);
  };
  put(raw);
  return out;
}

/** Frees a device value once no tensor (nor view) holds its shared values any more. */
const FREED = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<GpuStorage>((s) => s.free()) : undefined;

interface ShapeEntry {
  readonly stages: readonly StageKernel[];
  readonly kernels: readonly (IKernelRunShortcut | undefined)[];
  readonly work: number;
  /** True when a stage reduces (matmul, conv, pooling): the kernels gpu.js's webasm SIMD wins on. */
  readonly reduces: boolean;
  /** Why this shape runs on the reference, if it does. */
  readonly fallback?: string;
}

/** The kernel backend over one gpu.js mode. */
export class GpuJsKernelBackend implements KernelBackend {
  readonly name: string;
  readonly mode: GpuMode;
  readonly gpu: GPU;
  readonly layout: Layout;
  readonly jsBelowWork: number;
  /** Await each kernel's completion; set while profiling. */
  synchronize: boolean;
  readonly threads: boolean;
  private count = 0;
  private builds = 0;
  private readonly cache = new WeakMap<PrimFunc, GpuCompiledKernel>();
  /** The reference, for kernels and calls gpu.js does not take. */
  readonly reference = new JsKernelBackend();

  constructor(options: GpuJsBackendOptions) {
    this.mode = options.mode;
    this.name = options.mode;
    this.gpu = options.gpu ?? new GPU({ mode: options.mode });
    // gpu.js cpu mode returns nested arrays for 2-D/3-D outputs that its kernels cannot index flat: flat there.
    this.layout = options.layout ?? (options.mode === 'cpu' ? 'flat' : 'nd');
    this.jsBelowWork = GPU_MODES.has(options.mode) ? 0 : (options.jsBelowWork ?? 8192);
    this.synchronize = options.synchronize ?? false;
    this.threads = options.threads ?? false;
  }

  /**
   * The CPU modes' rule for "whichever is faster": element-wise kernels, and any call under `jsBelowWork`
   * multiply-adds, run on the JavaScript reference (measured in Node: gpu.js's per-call cost and array copies
   * outweigh element-wise work; its webasm SIMD wins on large reductions such as matmul and conv2d).
   * @internal
   */
  prefersReference(e: { readonly work: number; readonly reduces: boolean }): boolean {
    if (this.jsBelowWork <= 0) return false;
    return e.work < this.jsBelowWork || !e.reduces;
  }

  /** PrimFuncs compiled (analysed) so far. */
  get compileCount(): number {
    return this.count;
  }

  /** gpu.js kernels built so far (one per stage per concrete shape). */
  get kernelBuilds(): number {
    return this.builds;
  }

  /** True on the GPU modes (textures and buffers), false on the CPU modes. */
  get onDevice(): boolean {
    return GPU_MODES.has(this.mode);
  }

  /** True when results come back as promises. */
  get isAsync(): boolean {
    return this.mode === 'webgpu' || (this.mode === 'webasm' && this.threads);
  }

  compile(name: string, func: PrimFunc): CompiledKernel {
    const hit = this.cache.get(func);
    if (hit) return hit;
    this.count++;
    const k = new GpuCompiledKernel(this, name, func);
    this.cache.set(func, k);
    return k;
  }

  /** Builds one gpu.js kernel (counted). @internal */
  buildKernel(sk: StageKernel): IKernelRunShortcut {
    this.builds++;
    const device = GPU_MODES.has(this.mode);
    const k = this.gpu.createKernel(sk.source, {
      output: [...sk.output],
      pipeline: device,
      immutable: true,
      precision: 'single',
      tactic: 'precision',
      // An input may come as a host array one call and as a 2-D/3-D device result the next (same elements).
      dynamicArguments: true,
      ...(this.isAsync ? { asyncMode: true } : {}),
    });
    k.setLoopMaxIterations(Math.max(1000, sk.maxLoop + 1));
    return k;
  }

  /** Waits for the device to finish queued work (GL finish, WebGPU queue), for honest per-kernel times. */
  async sync(): Promise<void> {
    const ctx = (this.gpu as unknown as { context?: { finish?(): void; device?: { queue?: { onSubmittedWorkDone?(): Promise<void> } } } }).context;
    try {
      ctx?.finish?.();
      await ctx?.device?.queue?.onSubmittedWorkDone?.();
    } catch {
      // Best effort: a lost context shows up in the next kernel instead.
    }
  }

  /** Frees the gpu.js kernels and the GPU instance. */
  async destroy(): Promise<void> {
    await this.gpu.destroy();
  }
}

/** One PrimFunc under GpuJsKernelBackend. */
class GpuCompiledKernel implements CompiledKernel {
  private readonly plan: KernelPlan | undefined;
  private readonly staticReason: string | undefined;
  private readonly shapes = new Map<string, ShapeEntry>();
  private lastBackend: string;
  private lastReason: string | undefined;
  private lastSource: string | undefined;
  private ref: CompiledKernel | undefined;
  /** Vars bound from buffer shapes: [var, param index, dim]. */
  private readonly binders: readonly [TirVar, number, number][];

  constructor(
    private readonly owner: GpuJsKernelBackend,
    private readonly name: string,
    private readonly func: PrimFunc,
  ) {
    const binders: [TirVar, number, number][] = [];
    func.params.forEach((p, i) => {
      func.bufferMap.get(p)?.shape.forEach((d, k) => {
        if (d.kind === 'tir.Var' && !binders.some(([v]) => v === d)) binders.push([d, i, k]);
      });
    });
    this.binders = binders;
    try {
      this.plan = analyzePrimFunc(func);
    } catch (e) {
      if (!(e instanceof GpuUnsupported)) throw e;
      this.staticReason = `${name}: gpu.js cannot express ${e.message}; it runs on the JavaScript reference`;
    }
    this.lastBackend = this.plan ? owner.mode : 'js';
    this.lastReason = this.staticReason;
  }

  get backend(): string {
    return this.lastBackend;
  }

  get fallbackReason(): string | undefined {
    return this.lastReason;
  }

  get source(): string | undefined {
    return this.lastSource ?? this.reference().source;
  }

  private reference(): CompiledKernel {
    return (this.ref ??= this.owner.reference.compile(this.name, this.func));
  }

  run(args: readonly KernelArg[]): void | Promise<void> {
    const entry = this.plan ? this.entryFor(args) : undefined;
    const reason = this.referenceReason(entry, args);
    if (!entry || reason !== undefined || this.owner.prefersReference(entry)) {
      this.lastBackend = 'js';
      this.lastReason = reason;
      return this.runReference(args);
    }
    this.lastBackend = this.owner.mode;
    this.lastReason = undefined;
    this.lastSource = entry.stages.map((s) => s.source).join('\n');
    if (this.owner.isAsync || (this.owner.synchronize && this.owner.onDevice) || args.some((a) => this.foreignPending(a)))
      return this.runAsync(entry, args);
    this.runStages(entry, args);
  }

  /** Why this call must run on the reference (a fallback), or undefined when gpu.js can run it. */
  private referenceReason(entry: ShapeEntry | undefined, args: readonly KernelArg[]): string | undefined {
    if (this.staticReason !== undefined) return this.staticReason;
    if (!entry) return `${this.name}: the arguments do not fit the kernel's parameters (a tensor or scalar is missing); it runs on the JavaScript reference`;
    if (entry.fallback !== undefined) return entry.fallback;
    const big = this.intInputBeyondF32(args);
    if (big) return `${this.name}: the ${big} input holds integers beyond 2^24, which gpu.js (float32) cannot hold exactly; this call runs on the JavaScript reference`;
    return undefined;
  }

  /** The reference over host values: tensors still on an asynchronous device (WebGPU) are read back first. */
  private runReference(args: readonly KernelArg[]): void | Promise<void> {
    const pending = args.filter((a): a is Tensor => a instanceof Tensor && a.needsSync);
    if (!pending.length) return this.reference().run(args);
    return Promise.all(pending.map((t) => t.sync())).then(() => this.reference().run(args));
  }

  /** A tensor on another backend's asynchronous device: it must be read back before this one can upload it. */
  private foreignPending(a: KernelArg): boolean {
    if (!(a instanceof Tensor) || !a.needsSync) return false;
    const s = a.deviceStorage;
    return !(s instanceof GpuStorage && s.owner === this.owner);
  }

  /** Binds the symbolic vars from the arguments and returns the (cached) kernels for that shape. */
  private entryFor(args: readonly KernelArg[]): ShapeEntry | undefined {
    const plan = this.plan!;
    const env = new Map<TirVar, number>();
    for (const [i, v] of plan.scalars) {
      const a = args[i];
      if (typeof a !== 'number') return undefined;
      env.set(v, a);
    }
    for (const [v, i, k] of this.binders) {
      const t = args[i];
      if (!(t instanceof Tensor) || t.shape.length <= k) return undefined;
      if (!env.has(v)) env.set(v, t.shape[k]!);
    }
    const key = [...env.values()].join(',');
    let entry = this.shapes.get(key);
    if (!entry) {
      entry = this.specialize(plan, env);
      this.shapes.set(key, entry);
    }
    return entry;
  }

  private specialize(plan: KernelPlan, env: Bindings): ShapeEntry {
    try {
      const stages = plan.stages.map((s) => specializeStage(s, env, this.owner.layout));
      const kernels = stages.map((sk) => (sk.size === 0 ? undefined : this.owner.buildKernel(sk)));
      return { stages, kernels, work: stages.reduce((a, s) => a + s.work, 0), reduces: stages.some((s) => s.stage.reduce.length > 0) };
    } catch (e) {
      if (!(e instanceof GpuUnsupported)) throw e;
      const at = [...env.values()].join(', ');
      return { stages: [], kernels: [], work: 0, reduces: false, fallback: `${this.name}: gpu.js cannot express ${e.message} (at shape values ${at}); it runs on the JavaScript reference` };
    }
  }

  /**
   * Integer inputs reach gpu.js as float32: values beyond 2^24 would change, so such a call runs on the reference.
   * Returns the name of the first such input buffer. (Values already on the device came from float32 kernels.)
   */
  private intInputBeyondF32(args: readonly KernelArg[]): string | undefined {
    for (const [i, buf] of this.plan!.buffers) {
      if (buf.dtype === 'float32' || buf.dtype === 'bool') continue;
      const t = args[i];
      if (!(t instanceof Tensor) || t.deviceStorage) continue;
      for (const v of t.data) if (v > F32_EXACT_INT || v < -F32_EXACT_INT) return `${buf.dtype} ${buf.name}`;
    }
    return undefined;
  }

  /** Runs the stages in order (sync modes); each reads the current value of its buffers. */
  private runStages(entry: ShapeEntry, args: readonly KernelArg[]): void {
    const run = new StageRun(this.plan!, args, (t) => this.upload(t));
    entry.stages.forEach((sk, i) => {
      const k = entry.kernels[i];
      run.set(sk, k ? (k(...(run.argsOf(sk) as Float32Array[])) as DeviceValue) : new Float32Array(0));
    });
    for (const [t, v] of run.finish()) this.store(t, v);
  }

  /** The same on the async modes: every kernel call returns a promise, awaited before the next stage. */
  private async runAsync(entry: ShapeEntry, args: readonly KernelArg[]): Promise<void> {
    for (const a of args) if (this.foreignPending(a)) await (a as Tensor).sync();
    const run = new StageRun(this.plan!, args, (t) => this.upload(t));
    for (let i = 0; i < entry.stages.length; i++) {
      const sk = entry.stages[i]!;
      const k = entry.kernels[i];
      run.set(sk, k ? ((await k(...(run.argsOf(sk) as Float32Array[]))) as DeviceValue) : new Float32Array(0));
    }
    for (const [t, v] of run.finish()) this.store(t, v);
    if (this.owner.synchronize) await this.owner.sync();
  }

  /** The value a kernel argument takes: this backend's device value, else the host data as float32. */
  private upload(t: Tensor): unknown {
    const s = t.deviceStorage;
    if (s instanceof GpuStorage && s.owner === this.owner) return s.value;
    const d = t.data;
    if (d.length === 0) return new Float32Array(1);
    if (d instanceof Float32Array) {
      const whole = d.byteOffset === 0 && d.buffer.byteLength === d.byteLength;
      return whole || !GPU_MODES.has(this.owner.mode) ? d : d.slice();
    }
    return Float32Array.from(d);
  }

  /** Makes `v` the tensor's contents (device storage; the host copy refreshes on access). */
  private store(t: Tensor, v: DeviceValue): void {
    const old = t.deviceStorage;
    if (old instanceof GpuStorage && old.value !== v) old.free();
    const Storage = this.owner.mode === 'webgpu' && isHandle(v) ? AsyncGpuStorage : GpuStorage;
    const s = new Storage(this.owner.mode, this.owner, v, t.dtype, t.size);
    t.deviceStorage = s;
    // Views share `t.shared`: the value lives as long as any of them.
    if (isHandle(v)) FREED?.register(t.shared, s);
  }
}

/** The buffers of one kernel call: each one's current value, the tensors of the params, what was written. */
class StageRun {
  private readonly current = new Map<Buffer, unknown>();
  private readonly tensorOf = new Map<Buffer, Tensor>();
  private readonly written = new Map<Buffer, Tensor>();

  constructor(
    private readonly plan: KernelPlan,
    args: readonly KernelArg[],
    private readonly upload: (t: Tensor) => unknown,
  ) {
    for (const [i, buf] of plan.buffers) tensorOf(this.tensorOf, buf, args[i]);
  }

  argsOf(sk: StageKernel): unknown[] {
    return sk.args.map((b) => this.valueOf(b));
  }

  private valueOf(buf: Buffer): unknown {
    if (this.current.has(buf)) return this.current.get(buf);
    const t = this.tensorOf.get(buf);
    const v = t ? this.upload(t) : new Float32Array(1);
    this.current.set(buf, v);
    return v;
  }

  set(sk: StageKernel, out: DeviceValue): void {
    this.current.set(sk.stage.out, out);
    const t = this.tensorOf.get(sk.stage.out);
    if (t) this.written.set(sk.stage.out, t);
  }

  /** Frees the intermediates; returns each written tensor with its new value. */
  finish(): [Tensor, DeviceValue][] {
    for (const b of this.plan.allocs) freeValue(this.current.get(b));
    return [...this.written].map(([b, t]) => [t, this.current.get(b) as DeviceValue]);
  }
}

function tensorOf(m: Map<Buffer, Tensor>, buf: Buffer, a: KernelArg | undefined): void {
  if (a instanceof Tensor) m.set(buf, a);
}

function isHandle(v: unknown): v is GpuHandle {
  return typeof v === 'object' && v !== null && typeof (v as GpuHandle).toArray === 'function';
}

function freeValue(v: unknown): void {
  if (isHandle(v)) v.delete?.();
}
