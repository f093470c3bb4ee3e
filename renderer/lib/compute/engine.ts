/**
 * The compute engine behind the run panel: the pure logic that the Web Worker (worker.ts) runs, and that the page
 * runs itself when the requested GPU device is out of the worker's reach (client.ts). A request goes through the
 * phases parse -> build (one progress event per pass, the pipeline's `onPass`) -> compile-kernels -> run (one event
 * per invocation: warm-ups, then timed repeats), then the outputs are summarized (min/max/mean over finite values,
 * NaN/Inf counts, a preview, optionally `.npy` bytes). A build request stops after the build phase and reports what
 * the Build view shows: the module printed after every pass, the VM listing linked to graph nodes, and each kernel's
 * PrimFunc and source for the chosen device (build-info.ts).
 *
 * Every failure becomes a `ComputeFailure` carrying a `ComputeError` that names what it is about: the input whose
 * `.npy` does not fit (`inputs.x`), the unbound symbolic dim (`sym.n`), the packed function that did not compile or
 * threw (`packed.name`, with the graph nodes of the call), compile errors as diagnostics with spans.
 *
 * Packed functions arrive as JavaScript source text by name and are compiled here with `new Function`: the source is
 * a function expression (`function (t) {...}`, `(t) => ...`), or else a function body that reads `arguments`.
 * Tensors reach them as core/vm Tensors ({shape, dtype, data}); they may update `data` in place or return a value.
 *
 * `hooks.yieldEvery` (page runs) makes the VM give the event loop a turn between kernels when that many ms have
 * passed, before the profiler starts the next kernel's clock, so a page run never blocks the UI for long; the same
 * hook checks `hooks.signal` and stops a cancelled run between kernels.
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import { attrGet } from '../../../core/ir/attrs.js';
import type { IRModule } from '../../../core/ir/module.js';
import { parse } from '../../../core/ir/parser/index.js';
import { printModule } from '../../../core/ir/printer/index.js';
import { irFromJson, irToJson } from '../../../core/ir/serialize.js';
import type { PrimFunc } from '../../../core/ir/tir/nodes.js';
import { build } from '../../../core/compiler/build.js';
import { CompileError } from '../../../core/compiler/pass.js';
import { defaultPipeline } from '../../../core/compiler/pipeline.js';
import { createDeviceBackend, GpuJsKernelBackend } from '../../../core/gpu/index.js';
import type { DeviceChoice } from '../../../core/gpu/index.js';
import { lookupBuiltin, VMRuntimeError } from '../../../core/vm/builtins.js';
import type { Executable, KernelCodec } from '../../../core/vm/executable.js';
import { Executable as ExecutableClass } from '../../../core/vm/executable.js';
import type { ParamSpec } from '../../../core/vm/inputs.js';
import { InputError, makeInputs, makeTensor, seededRandom } from '../../../core/vm/inputs.js';
import type { InputSource } from '../../../core/vm/inputs.js';
import { readNpy, writeNpy } from '../../../core/vm/npy.js';
import { profile } from '../../../core/vm/profiler.js';
import { Tensor } from '../../../core/vm/tensor.js';
import type { PackedFunc, Value } from '../../../core/vm/value.js';
import { ShapeTuple } from '../../../core/vm/value.js';
import type { Instrument } from '../../../core/vm/vm.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import type {
  BuildRequest, BuildResponse, ComputeError, ModuleAfterPass, ComputeRequest, ComputeResponse, KernelInfo, OutputSummary, ProgressEvent, RunRequest, RunResponse,
} from './protocol.js';
import { ComputeFailure } from './protocol.js';
import { checkFailure } from './check-failure.js';
import { packedCallers } from '../run/packed.js';
import { callNodes, kernelNodeMap, kernelSources, listingLines, primFuncTexts } from './build-info.js';

/** How many values an output preview holds. */
export const PREVIEW_LENGTH = 16;

export { ComputeFailure };

/** What the caller lends the engine: progress, cancellation, and (on the page) how often to yield. */
export interface EngineHooks {
  readonly onProgress?: (e: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  /** Yield to the event loop between kernels once this many ms have passed since the last turn. */
  readonly yieldEvery?: number;
  readonly ranOn?: 'worker' | 'page';
}

const fail = (error: ComputeError): never => {
  throw new ComputeFailure(error);
};

/** Runs a request; throws ComputeFailure (never anything else) when it cannot. */
export async function compute(req: ComputeRequest, hooks: EngineHooks = {}): Promise<ComputeResponse> {
  try {
    return req.kind === 'build' ? buildRequest(req, hooks) : await runRequest(req, hooks);
  } catch (e) {
    throw toFailure(e);
  }
}

/** Any thrown value as a ComputeFailure with a message for a person. */
export function toFailure(e: unknown): ComputeFailure {
  if (e instanceof ComputeFailure) return e;
  if (e instanceof CompileError) return new ComputeFailure({ message: e.message, field: 'text', diagnostics: e.diagnostics });
  if (e instanceof InputError) return new ComputeFailure(inputErrorOf(e));
  if (e instanceof VMRuntimeError) return new ComputeFailure({ message: e.message, ...(e.nodes.length ? { nodes: e.nodes } : {}) });
  return new ComputeFailure({ message: e instanceof Error ? e.message : String(e) });
}

/** core/vm/inputs messages name the input (`input \`x\``) or the symbolic dim; the field follows from them. */
function inputErrorOf(e: InputError): ComputeError {
  const dim = /needs a value for the symbolic dim (\w+)/.exec(e.message);
  if (dim) return { message: `${e.message.replace(/; pass --sym .*$/, '')}; bind ${dim[1]} in the run panel or give the input as a .npy file`, field: `sym.${dim[1]}` };
  const input = /input `([^`]+)`/.exec(e.message);
  return { message: e.message, ...(input ? { field: `inputs.${input[1]!.replace(/\[.*$/, '')}` } : {}) };
}

// ---------------------------------------------------------------- build

function parseText(text: string, hooks: EngineHooks): IRModule {
  hooks.onProgress?.({ phase: 'parse', done: 0, total: 1 });
  const r = parse(text, { loose: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.module || errors.length)
    fail({ message: errors.map((d) => d.message).join('\n') || 'the program cannot be parsed', field: 'text', diagnostics: errors });
  hooks.onProgress?.({ phase: 'parse', done: 1, total: 1 });
  return r.module!;
}

interface Compiled {
  readonly exec: Executable;
  readonly passes: string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** `onModule` sees the module after each pass (the Build view prints them; runs pass none and print nothing). */
function compileModule(mod: IRModule, fuse: boolean | undefined, hooks: EngineHooks, onModule?: (pass: string, m: IRModule) => void): Compiled {
  const options = fuse === undefined ? {} : { fuse };
  const total = defaultPipeline(options).length;
  const passes: string[] = [];
  hooks.onProgress?.({ phase: 'build', done: 0, total });
  const onPass = (name: string, m: IRModule): void => {
    passes.push(name);
    onModule?.(name, m);
    hooks.onProgress?.({ phase: 'build', pass: name, done: passes.length, total });
  };
  const r = build(mod, { ...options, onPass });
  return { exec: r.exec, passes, diagnostics: r.diagnostics };
}

/** A given device picks fusion as a run on it would (core/gpu/device.ts); no device keeps the compiler's default. */
function buildFuse(req: BuildRequest): boolean | undefined {
  if (req.options?.fuse !== undefined) return req.options.fuse;
  if (req.device === undefined) return undefined;
  return req.device !== 'js' && req.device !== 'cpu';
}

/**
 * Compiles and reports everything the Build view shows. A pass that returns the module unchanged (the same
 * object) reuses the previous text instead of printing it again.
 */
function buildRequest(req: BuildRequest, hooks: EngineHooks): BuildResponse {
  const input = parseText(req.text, hooks);
  const modules: ModuleAfterPass[] = [{ pass: 'Input', text: printModule(input) }];
  let last = input;
  const c = compileModule(input, buildFuse(req), hooks, (pass, m) => {
    modules.push({ pass, text: m === last ? modules.at(-1)!.text : printModule(m) });
    last = m;
  });
  const exec = c.exec;
  return {
    kind: 'build', passes: c.passes, listing: exec.asText(), kernels: [...exec.kernels.keys()], diagnostics: c.diagnostics,
    modules, listingLines: listingLines(exec), primFuncs: primFuncTexts(exec), kernelNodes: kernelNodeMap(exec),
    kernelSources: kernelSources(exec, req.device ?? 'auto', req.sym ?? {}),
  };
}

// ---------------------------------------------------------------- programs

/** A program to run: the executable and each Relax function's parameters. */
interface Program {
  readonly exec: Executable;
  readonly signatures: ReadonlyMap<string, readonly ParamSpec[]>;
  readonly functions: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** The parsed module (programs given as text), for messages about its bindings. */
  readonly module?: IRModule;
}

const KERNEL_CODEC: KernelCodec = { encode: (f) => irToJson(f), decode: (j) => irFromJson<PrimFunc>(j) };

function signaturesOf(mod: IRModule): Map<string, ParamSpec[]> {
  const out = new Map<string, ParamSpec[]>();
  for (const [name, f] of mod.functions) {
    if (f.kind !== 'relax.Function') continue;
    const sym = attrGet(f.attrs, 'global_symbol');
    out.set(typeof sym === 'string' ? sym : name, f.params.map((p) => ({ name: p.name, sinfo: p.sinfo })));
  }
  return out;
}

function loadExec(text: string): Program {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const exec = ExecutableClass.fromJSON(json, KERNEL_CODEC);
    const signatures = new Map<string, ParamSpec[]>();
    for (const [k, v] of Object.entries((json['signatures'] ?? {}) as Record<string, unknown>)) signatures.set(k, irFromJson<ParamSpec[]>(v));
    return { exec, signatures, functions: exec.funcTable.filter((f) => f.kind === 'vm_func').map((f) => f.name), diagnostics: [] };
  } catch (e) {
    return fail({ message: `the executable cannot be read: ${e instanceof Error ? e.message : String(e)}`, field: 'exec' });
  }
}

function loadProgram(req: RunRequest, fuse: boolean, hooks: EngineHooks): Program {
  if (req.exec !== undefined) return loadExec(req.exec);
  if (req.text === undefined) return fail({ message: 'the run request has neither program text nor an executable', field: 'text' });
  const mod = parseText(req.text, hooks);
  const signatures = signaturesOf(mod);
  const c = compileModule(mod, req.options?.fuse ?? fuse, hooks);
  return { exec: c.exec, signatures, functions: [...signatures.keys()], diagnostics: c.diagnostics, module: mod };
}

function chooseFunction(p: Program, func: string | undefined): string {
  const list = p.functions.join(', ') || 'none';
  if (func !== undefined) {
    if (!p.functions.includes(func)) fail({ message: `the function must be one of the program's Relax functions (${list}). However, it is \`${func}\``, field: 'func' });
    return func;
  }
  if (p.functions.includes('main')) return 'main';
  if (p.functions.length === 1) return p.functions[0]!;
  return fail({ message: `the program has no \`main\`; choose one of ${list}`, field: 'func' });
}

// ---------------------------------------------------------------- inputs

/** The argument values: `.npy` inputs read and checked, the others made (random ones with their own seed). */
export function makeArgs(params: readonly ParamSpec[], req: RunRequest): Value[] {
  const specs = req.inputs ?? {};
  const names = new Set(params.map((p) => p.name));
  const given: Record<string, InputSource> = {};
  for (const [name, s] of Object.entries(specs)) {
    if (!names.has(name)) fail({ message: `an input was given for \`${name}\`, but the function has no such parameter (parameters: ${[...names].join(', ') || 'none'})`, field: `inputs.${name}` });
    if (s.kind === 'npy') {
      try {
        given[name] = readNpy(s.bytes, `the .npy file of input \`${name}\``);
      } catch (e) {
        fail({ message: e instanceof Error ? e.message : String(e), field: `inputs.${name}` });
      }
    } else given[name] = s.kind;
  }
  for (const [k, v] of Object.entries(req.sym ?? {}))
    if (!Number.isInteger(v) || v < 0) fail({ message: `the symbolic dim ${k} must be a whole number >= 0. However, it is ${v}`, field: `sym.${k}` });
  const values = makeInputs(params, { given, sym: req.sym ?? {}, seed: 0 });
  // Each random input gets its own generator, so changing one seed changes one input.
  return values.map((v, i) => {
    const s = specs[params[i]!.name];
    const seed = s === undefined ? 0 : s.kind === 'random' ? s.seed : undefined;
    return seed !== undefined && v instanceof Tensor ? makeTensor('random', v.shape, v.dtype, seededRandom(seed)) : v;
  });
}

// ---------------------------------------------------------------- packed functions

/** Thrown through the VM by a user packed function, so the engine knows which one failed. */
class PackedThrew extends Error {
  constructor(readonly fn: string, readonly why: string) {
    super(`the packed function \`${fn}\` threw: ${why}`);
  }
}

/** Compiles one packed function's source; a syntax error or a non-function names the function. */
export function compilePacked(name: string, source: string): PackedFunc {
  let fn: unknown;
  try {
    fn = new Function(`"use strict"; return (${source}\n);`)();
  } catch (asExpr) {
    try {
      fn = new Function(source);
    } catch {
      fail({ message: `the packed function \`${name}\` does not compile: ${(asExpr as Error).message}`, field: `packed.${name}` });
    }
  }
  if (typeof fn !== 'function') fail({ message: `the packed function \`${name}\` must be a JavaScript function. However, its source gives ${typeof fn}`, field: `packed.${name}` });
  const f = fn as (...a: Value[]) => Value | void | Promise<Value | void>;
  return async (...args: Value[]) => {
    try {
      return await f(...args);
    } catch (e) {
      throw new PackedThrew(name, e instanceof Error ? e.message : String(e));
    }
  };
}

function compileAllPacked(sources: Readonly<Record<string, string>>, exec: Executable): Record<string, PackedFunc> {
  const out: Record<string, PackedFunc> = {};
  for (const [name, src] of Object.entries(sources)) out[name] = compilePacked(name, src);
  exec.funcTable.forEach((f, idx) => {
    if (f.kind !== 'packed_func' || exec.kernels.has(f.name) || lookupBuiltin(f.name) || f.name in out) return;
    const nodes = callNodes(exec, idx);
    fail({
      message: f.name.startsWith('vm.builtin.') ? `the program calls \`${f.name}\`, which this VM does not provide` : `the program calls the packed function \`${f.name}\`, but it is not defined; define it in the project's packed functions`,
      field: `packed.${f.name}`,
      ...(nodes.length ? { nodes } : {}),
    });
  });
  return out;
}

// ---------------------------------------------------------------- running

/** A VM that runs an extra hook around every call: yields to the event loop and honours cancellation. */
class CooperativeVM extends VirtualMachine {
  constructor(exec: Executable, options: ConstructorParameters<typeof VirtualMachine>[1], private readonly before: () => Promise<void> | void) {
    super(exec, options);
    this.setInstrument(null);
  }

  override setInstrument(fn: Instrument | null): void {
    const before = this.before;
    super.setInstrument(async (ev) => {
      if (ev.before && ev.calleeKind !== 'vm') await before();
      if (fn) await fn(ev);
    });
  }
}

function cooperation(hooks: EngineHooks): () => Promise<void> | void {
  let last = now();
  return () => {
    if (hooks.signal?.aborted) throw new ComputeFailure({ message: 'the run was cancelled', cancelled: true });
    if (hooks.yieldEvery === undefined || now() - last < hooks.yieldEvery) return;
    return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      last = now();
      if (hooks.signal?.aborted) throw new ComputeFailure({ message: 'the run was cancelled', cancelled: true });
    });
  };
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

function kernelInfos(exec: Executable, choice: DeviceChoice, hooks: EngineHooks): KernelInfo[] {
  const names = [...exec.kernels.keys()];
  hooks.onProgress?.({ phase: 'compile-kernels', done: 0, total: names.length });
  return names.map((name, i) => {
    const k = choice.backend.compile(name, exec.kernels.get(name)!);
    hooks.onProgress?.({ phase: 'compile-kernels', done: i + 1, total: names.length });
    return { name, backend: k.backend, ...(k.fallbackReason ? { fallbackReason: k.fallbackReason } : {}), nodes: callNodes(exec, exec.funcIndex(name)) };
  });
}

async function runRequest(req: RunRequest, hooks: EngineHooks): Promise<RunResponse> {
  const choice = await createDeviceBackend(req.device);
  const program = loadProgram(req, choice.fuse, hooks);
  const func = chooseFunction(program, req.func);
  const params = program.signatures.get(func);
  if (!params) fail({ message: `the executable does not record the parameters of ${func}`, field: 'exec' });
  const args = makeArgs(params!, req);
  const packed = compileAllPacked(req.packed ?? {}, program.exec);
  const kernels = kernelInfos(program.exec, choice, hooks);
  const printed: string[] = [];
  const vm = new CooperativeVM(program.exec, { backend: choice.backend, packed, print: (t) => printed.push(t) }, cooperation(hooks));
  const { output, report } = await invoke(vm, func, args, req, choice, hooks).catch((e: unknown) => {
    const check = checkFailure(e, program.module, params!.map((p) => p.name), args);
    throw check ? new ComputeFailure(check) : withCallers(e, program.module, func);
  });
  const outputs = flatten(output).map((v, i) => summarize(leafTensor(v, i), req.npy === true));
  return {
    kind: 'run', func, device: choice.device, ...(choice.notice ? { notice: choice.notice } : {}), ranOn: hooks.ranOn ?? 'worker',
    outputs, kernels, diagnostics: program.diagnostics, printed,
    ...(report ? { profile: { rows: report.rows, totalUs: report.totalUs, repeat: report.repeat, device: report.device, trace: report.chromeTrace() } } : {}),
  };
}

type Report = Awaited<ReturnType<typeof profile>>['report'];

async function invoke(vm: VirtualMachine, func: string, args: Value[], req: RunRequest, choice: DeviceChoice, hooks: EngineHooks): Promise<{ output: Value; report?: Report }> {
  const warmup = Math.max(0, req.warmup ?? (req.profile ? 1 : 0));
  const repeat = Math.max(1, req.repeat ?? 1);
  const total = warmup + repeat;
  let done = 0;
  const step = (): void => hooks.onProgress?.({ phase: 'run', done: ++done, total });
  hooks.onProgress?.({ phase: 'run', done: 0, total });
  try {
    if (!req.profile) {
      let output: Value = null;
      for (let i = 0; i < total; i++, step()) output = await vm.invoke(func, args);
      return { output };
    }
    const b = choice.backend;
    if (b instanceof GpuJsKernelBackend) b.synchronize = true;
    const device = b instanceof GpuJsKernelBackend && b.onDevice ? `${choice.device}:0` : 'cpu0';
    for (let i = 0; i < warmup; i++, step()) await vm.invoke(func, args);
    // profile() runs its own warm-ups (none here) and repeats; progress counts its invocations through the VM.
    const counting = new Proxy(vm, { get: (t, k) => (k === 'invoke' ? async (...a: [string, Value[]]) => { const r = await t.invoke(...a); step(); return r; } : Reflect.get(t, k, t)) });
    return await profile(counting, func, args, { warmup: 0, repeat, device });
  } catch (e) {
    throw packedFailure(e) ?? e;
  }
}

/**
 * A packed-function failure whose call had no source node (a statement `R.call_packed("f", x)` binds `_`, which
 * carries no provenance): the nodes are the bindings of `func` that call it.
 */
function withCallers(e: unknown, mod: IRModule | undefined, func: string): unknown {
  if (!(e instanceof ComputeFailure) || !e.error.field?.startsWith('packed.') || e.error.nodes?.length) return e;
  const nodes = [...new Set(packedCallers(mod, func, e.error.field.slice(7)).map((b) => b.v.name))];
  return nodes.length ? new ComputeFailure({ ...e.error, nodes }) : e;
}

/** A VMRuntimeError caused by a user packed function: names the function (field) and the node of its call. */
function packedFailure(e: unknown): ComputeFailure | undefined {
  const m = e instanceof VMRuntimeError ? /the packed function `([^`]+)` threw: /.exec(e.message) : null;
  if (!(e instanceof VMRuntimeError) || !m) return undefined;
  const where = e.nodes.length ? ` (node ${e.nodes.join(', ')})` : '';
  const why = e.message.slice(m.index + m[0].length);
  return new ComputeFailure({ message: `the packed function \`${m[1]}\` threw${where}: ${why}`, field: `packed.${m[1]}`, nodes: e.nodes });
}

// ---------------------------------------------------------------- outputs

function flatten(v: Value): Value[] {
  return Array.isArray(v) ? (v as readonly Value[]).flatMap(flatten) : [v];
}

function leafTensor(v: Value, index: number): Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof ShapeTuple) return Tensor.from([v.dims.length], 'int64', v.dims);
  if (typeof v === 'boolean') return Tensor.from([], 'bool', [v ? 1 : 0]);
  if (typeof v === 'bigint') return Tensor.from([], 'int64', [Number(v)]);
  if (typeof v === 'number') return Tensor.from([], Number.isInteger(v) ? 'int64' : 'float64', [v]);
  return fail({ message: `output ${index} is ${v === null ? 'nothing' : typeof v}, which cannot be shown as a tensor` });
}

/** Shape, dtype, min/max/mean over the finite values, NaN and Inf counts, the first values, and `.npy` bytes. */
export function summarize(t: Tensor, npy = false): OutputSummary {
  const d = t.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < t.size; i++) {
    const v = d[i]!;
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else {
      finite++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const none = finite === 0;
  return {
    shape: [...t.shape], dtype: t.dtype, min: none ? NaN : min, max: none ? NaN : max, mean: none ? NaN : sum / finite, nanCount, infCount,
    preview: Array.from(d.subarray(0, Math.min(PREVIEW_LENGTH, t.size))),
    ...(npy ? { npy: writeNpy(t) } : {}),
  };
}
