/**
 * `relax-studio run FILE|EXEC.json ...`: compiles (or loads) a program, makes its inputs (core/vm/inputs.ts:
 * `--input NAME=random|zeros|ones|PATH.npy`, the rest random from `--seed`, symbolic dims from `--sym` and the
 * given tensors), runs one Relax function on the VM with the JS kernel backend, and reports each output
 * (`output0: float32[2, 12] min=... max=... mean=...`, or `--json`). `--profile`/`--repeat`/`--trace` run under
 * core/vm/profiler.ts (one warm-up, then the timed repeats). Every problem that can be found before running (bad
 * input files, shapes, dtypes, a packed function nobody defines) is reported before running.
 *
 * `--device` picks the kernel backend through core/gpu's device chain (`createDeviceBackend`): `auto` is the best
 * available (in Node: gpu.js webasm, small calls on the JS reference), an unavailable device says so in one line on
 * stderr and falls back; kernels are fused by default on every device but js and cpu. `--json` lists each kernel's
 * backend (and why it fell back); `--profile` rows carry the backend and synchronise each GPU kernel.
 */
import { lookupBuiltin } from '../core/vm/builtins.js';
import type { Executable } from '../core/vm/executable.js';
import type { InputSource } from '../core/vm/inputs.js';
import { makeInputs } from '../core/vm/inputs.js';
import type { DeviceChoice } from '../core/gpu/index.js';
import { GpuJsKernelBackend, createDeviceBackend } from '../core/gpu/index.js';
import type { ProfileReport } from '../core/vm/profiler.js';
import { profile } from '../core/vm/profiler.js';
import type { Tensor } from '../core/vm/tensor.js';
import type { PackedFunc, Value } from '../core/vm/value.js';
import { VirtualMachine } from '../core/vm/vm.js';
import type { Io } from './io.js';
import type { InputArg, RunOptions } from './run-args.js';
import { flattenOutputs, leafTensor, loadPacked, readNpyFile, saveOutputs, summaryLine } from './run-io.js';
import type { Program } from './run-load.js';
import { CliError, loadOrCompile, reportFailure } from './run-load.js';

/** The Relax function to run: --func, else `main`, else the only public one. */
export function chooseFunction(names: readonly string[], func: string | undefined, exported: readonly string[] = names): string {
  const list = names.length ? names.join(', ') : 'none';
  if (func !== undefined) {
    if (!names.includes(func)) throw new CliError(`--func must name a Relax function of the program (${list}). However, it is \`${func}\``);
    return func;
  }
  if (names.includes('main')) return 'main';
  if (exported.length === 1) return exported[0]!;
  throw new CliError(`the program has no \`main\` function and ${names.length ? `several others (${list})` : 'no other Relax function'}; choose one with --func`);
}

/** The given inputs by parameter name: .npy files read, kinds kept. */
function givenInputs(inputs: readonly InputArg[]): Record<string, InputSource> {
  const out: Record<string, InputSource> = {};
  for (const a of inputs) {
    out[a.name] = a.spec === 'random' || a.spec === 'zeros' || a.spec === 'ones' ? a.spec : readNpyFile(a.spec);
  }
  return out;
}

/** The argument values of `fn`, checked against its parameters. */
export function makeArgs(program: Program, fn: string, o: RunOptions): Value[] {
  const given = givenInputs(o.inputs);
  const params = program.signatures.get(fn);
  if (params) return makeInputs(params, { given, sym: o.sym, seed: o.seed });
  return (program.paramNames.get(fn) ?? []).map((name) => {
    const v = given[name];
    if (v === undefined || typeof v === 'string')
      throw new CliError(`the executable does not record the struct info of ${fn}'s parameters, so \`${name}\` cannot be made; give it with --input ${name}=PATH.npy`);
    return v;
  });
}

/** Throws naming the first packed function the program calls that no builtin, kernel or --packed module provides. */
export function checkPacked(exec: Executable, packed: Readonly<Record<string, PackedFunc>>): void {
  for (const f of exec.funcTable) {
    if (f.kind !== 'packed_func' || exec.kernels.has(f.name) || lookupBuiltin(f.name) || f.name in packed) continue;
    if (f.name.startsWith('vm.builtin.')) throw new CliError(`the program calls \`${f.name}\`, which this VM does not provide`);
    throw new CliError(`the program calls the packed function \`${f.name}\`, but no --packed module defines it`);
  }
}

interface RunResult {
  readonly output: Value;
  readonly report?: ProfileReport;
}

async function execute(vm: VirtualMachine, fn: string, args: readonly Value[], o: RunOptions, choice: DeviceChoice): Promise<RunResult> {
  if (!o.profile && o.trace === undefined && o.repeat === undefined) return { output: await vm.invoke(fn, args) };
  const b = choice.backend;
  const onGpu = b instanceof GpuJsKernelBackend && b.onDevice;
  if (b instanceof GpuJsKernelBackend) b.synchronize = true;
  const { output, report } = await profile(vm, fn, args, { warmup: 1, repeat: o.repeat ?? 1, device: onGpu ? `${choice.device}:0` : 'cpu0' });
  return { output, report };
}

/** Each kernel the program ran: the backend of its latest call and, when it fell back, why. */
function kernelBackends(exec: Executable, choice: DeviceChoice): { name: string; backend: string; fallbackReason?: string }[] {
  const out: { name: string; backend: string; fallbackReason?: string }[] = [];
  for (const [name, f] of exec.kernels) {
    const k = choice.backend.compile(name, f);
    out.push({ name, backend: k.backend, ...(k.fallbackReason ? { fallbackReason: k.fallbackReason } : {}) });
  }
  return out;
}

function writeText(io: Io, path: string, text: string): void {
  try {
    io.writeFile(path, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new CliError(`cannot write \`${path}\` (${reason})`);
  }
}

function report(io: Io, o: RunOptions, tensors: readonly Tensor[], r: RunResult, kernels: () => unknown[], device: string): void {
  if (o.json) {
    const outputs = tensors.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    const profiled = o.profile && r.report ? { profile: r.report.toJSON() } : {};
    io.stdout(`${JSON.stringify({ outputs, device, kernels: kernels(), ...profiled })}\n`);
    return;
  }
  io.stdout(tensors.map((t, i) => `${summaryLine(t, i)}\n`).join(''));
  if (o.profile && r.report) io.stdout(`\n${r.report.table()}`);
}

/** Where `R.print` output goes: stdout, or stderr under --json so that stdout stays one JSON document. */
function programPrinter(io: Io, o: RunOptions): (text: string) => void {
  return (text) => (o.json ? io.stderr(`${text}\n`) : io.stdout(`${text}\n`));
}

/** Runs `relax-studio run`; returns the exit status. */
export async function runCommand(o: RunOptions, io: Io): Promise<number> {
  try {
    const choice = await createDeviceBackend(o.device);
    if (choice.notice) io.stderr(`relax-studio: ${choice.notice}\n`);
    const program = loadOrCompile(io, o.file, { fuse: choice.fuse });
    const fn = chooseFunction(program.functions, o.func, program.exported);
    const args = makeArgs(program, fn, o);
    const packed = await loadPacked(o.packed);
    const exec = program.executable();
    checkPacked(exec, packed);
    const vm = new VirtualMachine(exec, { backend: choice.backend, packed, print: programPrinter(io, o) });
    const r = await execute(vm, fn, args, o, choice);
    const tensors = flattenOutputs(r.output).map(leafTensor);
    if (o.saveOutputs !== undefined) saveOutputs(o.saveOutputs, tensors);
    if (o.trace !== undefined && r.report) writeText(io, o.trace, `${JSON.stringify(r.report.chromeTrace())}\n`);
    report(io, o, tensors, r, () => kernelBackends(exec, choice), choice.device);
    return 0;
  } catch (e) {
    return reportFailure(io, e);
  }
}
