/**
 * The messages of the run panel's compute layer (issue 6, run panel): what the page asks (build a module, run a
 * function on a device), what comes back while it works (progress by phase) and at the end (output summaries, the
 * profile, kernels with their backends, diagnostics), and errors that name the field or node they are about, so the
 * panel can put the message on the right input, symbolic dim, packed function or graph node. Everything here is
 * structured-clone safe: it crosses the Worker boundary as is.
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { ProfileRow } from '../../../core/vm/profiler.js';

/** The devices the run panel offers (core/gpu's device chain; `js` is the JavaScript reference). */
export type ComputeDevice = 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'wasm' | 'cpu' | 'js';

/** The devices that need a GPU API, which a worker may not reach: these fall back to the page. */
export const GPU_DEVICES: readonly ComputeDevice[] = ['webgpu', 'webgl2', 'webgl'];

/** How one parameter's value is made: seeded random, zeros, ones, or the bytes of a `.npy` file. */
export type InputSpec =
  | { readonly kind: 'random'; readonly seed: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'npy'; readonly bytes: Uint8Array };

/** Compile options the panel exposes (the rest are the compiler's defaults). */
export interface ComputeBuildOptions {
  /** Fuse kernels; default: the device's preference (core/gpu). */
  readonly fuse?: boolean;
}

/** Compile TVMScript and report passes, the VM listing and diagnostics. */
export interface BuildRequest {
  readonly kind: 'build';
  readonly text: string;
  readonly options?: ComputeBuildOptions;
  /**
   * The device whose kernel sources to show (default `auto`: the gpu.js source). When `options.fuse` is not set, a
   * given device also picks fusion as a run on it would (fused on every device but `js` and `cpu`).
   */
  readonly device?: ComputeDevice;
  /** Values of symbolic dims by name (`{n: 64}`): gpu.js kernels are written per concrete shape. */
  readonly sym?: Readonly<Record<string, number>>;
}

/** Run one Relax function of a program given as TVMScript (`text`) or a saved executable JSON (`exec`). */
export interface RunRequest {
  readonly kind: 'run';
  readonly text?: string;
  readonly exec?: string;
  /** Default: `main`, else the only function. */
  readonly func?: string;
  /** Values of symbolic dims by name (`{n: 64}`). */
  readonly sym?: Readonly<Record<string, number>>;
  /** Per parameter name; parameters not named are random with seed 0. */
  readonly inputs?: Readonly<Record<string, InputSpec>>;
  readonly device: ComputeDevice;
  /** Untimed runs before the timed ones (default 1 when profiling, else 0). */
  readonly warmup?: number;
  /** Timed runs (default 1). */
  readonly repeat?: number;
  /** Collect the per-kernel profile (core/vm/profiler.ts). */
  readonly profile?: boolean;
  /** User packed functions: name -> JavaScript source of a function taking tensors ({shape, dtype, data}). */
  readonly packed?: Readonly<Record<string, string>>;
  /** Return each output as `.npy` bytes too (for "save as .npy"). */
  readonly npy?: boolean;
  readonly options?: ComputeBuildOptions;
}

export type ComputeRequest = BuildRequest | RunRequest;

/** The phases of a request, in order. */
export type Phase = 'parse' | 'build' | 'compile-kernels' | 'run';

/** Progress within a phase: `done` of `total` steps; `pass` names the pass just finished in the build phase. */
export interface ProgressEvent {
  readonly phase: Phase;
  readonly pass?: string;
  readonly done: number;
  readonly total: number;
}

/** What the panel shows of one output tensor. min/max/mean are over the finite values (NaN when there are none). */
export interface OutputSummary {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly nanCount: number;
  readonly infCount: number;
  /** The first values (row-major). */
  readonly preview: readonly number[];
  readonly npy?: Uint8Array;
}

/** A kernel of the program and the backend that runs it (with why, when it fell back). */
export interface KernelInfo {
  readonly name: string;
  readonly backend: string;
  readonly fallbackReason?: string;
  /** The source nodes (graph bindings) of the calls of this kernel. */
  readonly nodes: readonly string[];
}

export interface ProfileSummary {
  readonly rows: readonly ProfileRow[];
  /** Median wall time of one run. */
  readonly totalUs: number;
  readonly repeat: number;
  readonly device: string;
  /** chrome://tracing / Perfetto JSON, for "export trace". */
  readonly trace: unknown;
}

/** The module printed after one pass (`Input`: the parsed module, before any pass). */
export interface ModuleAfterPass {
  readonly pass: string;
  readonly text: string;
}

/** One line of the VM listing; call lines carry the graph nodes of their instruction and their kernel, if any. */
export interface ListingLine {
  readonly text: string;
  readonly nodes: readonly string[];
  /** The callee, when it is a kernel (a key of `primFuncs`). */
  readonly kernel?: string;
}

/**
 * What runs a kernel on the requested device: `backend` is the gpu.js mode (`webgl2`, `webasm`, `cpu`, or `gpu.js`
 * for `auto`) or `js` (the JavaScript reference). `source` is missing when it cannot be written yet, and `reason`
 * then says what to bind; with backend `js` on a gpu.js device, `reason` says why the kernel falls back.
 */
export interface KernelSource {
  readonly backend: string;
  readonly source?: string;
  readonly reason?: string;
}

export interface BuildResponse {
  readonly kind: 'build';
  readonly passes: readonly string[];
  /** `Executable.asText()`. */
  readonly listing: string;
  readonly kernels: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** `Input`, then one entry per pass in `passes` order. */
  readonly modules: readonly ModuleAfterPass[];
  /** `listing`, line by line (without the final empty line). */
  readonly listingLines: readonly ListingLine[];
  /** Kernel name -> the PrimFunc as TVMScript. */
  readonly primFuncs: Readonly<Record<string, string>>;
  /** Kernel name -> the graph nodes of its calls. */
  readonly kernelNodes: Readonly<Record<string, readonly string[]>>;
  /** Kernel name -> the source that runs on the requested device. */
  readonly kernelSources: Readonly<Record<string, KernelSource>>;
}

export interface RunResponse {
  readonly kind: 'run';
  readonly func: string;
  /** The device that ran (after any fallback). */
  readonly device: string;
  /** Set when the requested device was not available (where it ran instead). */
  readonly notice?: string;
  /** "worker" or "page". */
  readonly ranOn: 'worker' | 'page';
  readonly outputs: readonly OutputSummary[];
  readonly profile?: ProfileSummary;
  readonly kernels: readonly KernelInfo[];
  readonly diagnostics: readonly Diagnostic[];
  /** Lines the program printed (`R.print`). */
  readonly printed: readonly string[];
}

export type ComputeResponse = BuildResponse | RunResponse;

/**
 * A failure, said for a person, with what it is about: `field` is the request field (`text`, `exec`, `func`,
 * `device`, `inputs.<param>`, `sym.<dim>`, `packed.<name>`), `nodes` the graph bindings, `diagnostics` compile
 * errors with spans (to badge nodes). `cancelled` is set when the user cancelled.
 */
export interface ComputeError {
  readonly message: string;
  readonly field?: string;
  readonly nodes?: readonly string[];
  readonly diagnostics?: readonly Diagnostic[];
  readonly cancelled?: boolean;
}

/** A failed request as an Error (what RunClient's promises reject with, and what engine.ts throws). */
export class ComputeFailure extends Error {
  constructor(readonly error: ComputeError) {
    super(error.message);
    this.name = 'ComputeFailure';
  }
}

/** Page -> worker. */
export type ToWorker = { readonly type: 'start'; readonly id: number; readonly request: ComputeRequest };

/** Worker -> page. `unavailable`: the device cannot run in the worker; the page runs the request itself. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly id: number; readonly event: ProgressEvent }
  | { readonly type: 'done'; readonly id: number; readonly response: ComputeResponse }
  | { readonly type: 'error'; readonly id: number; readonly error: ComputeError }
  | { readonly type: 'unavailable'; readonly id: number; readonly reason: string };
