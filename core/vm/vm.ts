/**
 * The Relax VM: a register-based interpreter over an Executable (TVM's `VirtualMachineImpl`).
 *
 * Each call of a VM function pushes a frame (a register file sized by the function table); parameters occupy
 * registers 0..N-1. A `Call` resolves its callee once per instruction site: another VM function (recursion is
 * fine), a `vm.builtin.*`, a TIR kernel (compiled once by the kernel backend, reused for every shape), or a packed
 * function the user registered. The instrument hook wraps every `Call` and costs one null check when off.
 * A failed run throws `VMRuntimeError` naming the function and the source nodes; the VM stays usable.
 *
 * Device data: tensors may hold their values on a device (core/gpu). The VM awaits `Tensor.sync()` of the tensors
 * it hands to anything that reads host values (builtins not registered `keepsDevice`, packed functions, and the
 * caller of `invoke`), so that WebGPU, which reads back only asynchronously, keeps values on the device between
 * kernels. Kernels of the JavaScript reference (`backend === "js"`) get synced tensors; other kernels get them as
 * they are, and their backend syncs what its own CPU fallback reads (core/gpu does).
 */
import type { Arg, Instruction } from './bytecode.js';
import { ArgKind, Opcode, VM_REGISTER, VOID_REGISTER } from './bytecode.js';
import type { Builtin, BuiltinContext } from './builtins.js';
import { VMRuntimeError, builtinKeepsDevice, kindOf, lookupBuiltin } from './builtins.js';
import { AssertionFailure } from './run-builtins.js';
import type { ConstValue, Executable } from './executable.js';
import type { CompiledKernel, KernelArg, KernelBackend } from './kernel.js';
import { Tensor } from './tensor.js';
import { Closure, DataTypeValue, ShapeTuple } from './value.js';
import type { PackedFunc, Value } from './value.js';

/** The hook called before and after every Call instruction (TVM's `set_instrument`). */
export interface InstrumentEvent {
  readonly funcName: string;
  /** "kernel", "builtin", "packed" or "vm". */
  readonly calleeKind: CalleeKind;
  readonly before: boolean;
  readonly args: readonly Value[];
  readonly result?: Value;
  readonly pc: number;
  /** The backend that ran a kernel ("js", "webgl2", ...). */
  readonly backend?: string;
}
export type Instrument = (ev: InstrumentEvent) => void | Promise<void>;

export type CalleeKind = 'kernel' | 'builtin' | 'packed' | 'vm';

export interface VMOptions {
  readonly backend: KernelBackend;
  /** User packed functions by name (`R.call_packed("name", ...)`). */
  readonly packed?: Readonly<Record<string, PackedFunc>>;
  /**
   * Receives each line a program prints (`R.print`, TVM's `relax.run.print`), without the newline. Core has no
   * console: the CLI passes one that writes to stdout; without a hook, printed text is dropped.
   */
  readonly print?: (text: string) => void;
}

type Resolved =
  | { kind: 'vm'; index: number }
  | { kind: 'builtin'; fn: Builtin; keepsDevice: boolean }
  | { kind: 'kernel'; kernel: CompiledKernel }
  | { kind: 'packed'; fn: PackedFunc };

export class VirtualMachine implements BuiltinContext {
  private readonly resolved: (Resolved | undefined)[];
  private readonly constants: Value[];
  private readonly packed = new Map<string, PackedFunc>();
  private instrument: Instrument | null = null;

  constructor(
    readonly exec: Executable,
    readonly options: VMOptions,
  ) {
    this.resolved = new Array(exec.funcTable.length);
    this.constants = exec.constants.map(constValue);
    for (const [k, f] of Object.entries(options.packed ?? {})) this.packed.set(k, f);
  }

  /** Registers (or replaces) a packed function callable by name from the program. */
  registerPacked(name: string, fn: PackedFunc): void {
    this.packed.set(name, fn);
    this.resolved.fill(undefined);
  }

  setInstrument(fn: Instrument | null): void {
    this.instrument = fn;
  }

  /** Runs the named Relax function. */
  async invoke(name: string, args: readonly Value[]): Promise<Value> {
    const idx = this.exec.funcIndex(name);
    const info = this.exec.funcTable[idx];
    if (!info || info.kind !== 'vm_func') throw new VMRuntimeError(`the executable has no Relax function named "${name}"`);
    if (args.length !== info.numArgs)
      throw new VMRuntimeError(`${name} expects ${info.numArgs} argument(s) (${info.paramNames.join(', ')}), but got ${args.length}`);
    const out = await this.runFunction(idx, args);
    await syncValues([out]);
    return out;
  }

  /** BuiltinContext: call a closure or function value. */
  callValue(fn: Value, args: readonly Value[]): Value | Promise<Value> {
    if (fn instanceof Closure) return this.runFunction(fn.funcIndex, [...fn.captured, ...args]);
    if (typeof fn === 'function') return callPacked(fn, args);
    throw new VMRuntimeError(`cannot call ${kindOf(fn)}`);
  }

  /** BuiltinContext: program output goes to the `print` hook. */
  print(text: string): void {
    this.options.print?.(text);
  }

  private async runFunction(index: number, args: readonly Value[]): Promise<Value> {
    const info = this.exec.funcTable[index]!;
    const regs: Value[] = new Array(Math.max(info.registerFileSize, args.length)).fill(null);
    for (let i = 0; i < args.length; i++) regs[i] = args[i]!;
    const instrs = this.exec.instrs;
    let pc = info.startInstr;
    while (pc < info.endInstr) {
      const ins: Instruction = instrs[pc]!;
      switch (ins.op) {
        case Opcode.Call: {
          const argv = ins.args.map((a) => this.argValue(a, regs));
          const result = await this.call(ins.funcIdx, argv, pc, info.name);
          if (ins.dst !== VOID_REGISTER) regs[ins.dst] = result;
          pc++;
          break;
        }
        case Opcode.Ret:
          return regs[ins.result] ?? null;
        case Opcode.Goto:
          pc += ins.offset;
          break;
        case Opcode.If: {
          const c = regs[ins.cond];
          pc += c ? 1 : ins.falseOffset;
          break;
        }
      }
    }
    throw new VMRuntimeError(`${info.name}: fell off the end of the function without a return`);
  }

  private argValue(a: Arg, regs: readonly Value[]): Value {
    switch (a.kind) {
      case ArgKind.Register:
        if (a.value === VM_REGISTER) return null;
        return regs[a.value] ?? null;
      case ArgKind.Immediate:
        return a.value;
      case ArgKind.ConstIdx:
        return this.constants[a.value] ?? null;
      case ArgKind.FuncIdx:
        return new Closure(a.value, []);
    }
  }

  private async call(funcIdx: number, args: Value[], pc: number, caller: string): Promise<Value> {
    const target = this.resolve(funcIdx, pc);
    const name = this.exec.funcTable[funcIdx]!.name;
    const inst = this.instrument;
    const backend = target.kind === 'kernel' ? target.kernel.backend : undefined;
    if (inst) await inst({ funcName: name, calleeKind: target.kind, before: true, args, pc, ...(backend ? { backend } : {}) });
    let result: Value;
    try {
      result = await this.dispatch(target, args, name);
    } catch (e) {
      throw this.wrapError(e, caller, name, pc);
    }
    if (inst) await inst({ funcName: name, calleeKind: target.kind, before: false, args, result, pc, ...(backend ? { backend } : {}) });
    return result;
  }

  private async dispatch(target: Resolved, args: Value[], name: string): Promise<Value> {
    switch (target.kind) {
      case 'vm':
        return this.runFunction(target.index, args);
      case 'builtin':
        if (!target.keepsDevice) await syncValues(args);
        return target.fn(this, args);
      case 'kernel': {
        for (const a of args)
          if (!(a instanceof Tensor) && typeof a !== 'number')
            throw new VMRuntimeError(`kernel ${name} expects tensors and integers, but got ${kindOf(a)}`);
        // The reference reads host values; other backends sync what their own CPU fallbacks read (core/gpu).
        if (target.kernel.backend === 'js') await syncValues(args);
        const r = target.kernel.run(args as KernelArg[]);
        if (r) await r;
        return null;
      }
      case 'packed':
        return callPacked(target.fn, args);
    }
  }

  private resolve(funcIdx: number, pc: number): Resolved {
    const cached = this.resolved[funcIdx];
    if (cached) return cached;
    const info = this.exec.funcTable[funcIdx];
    if (!info) throw new VMRuntimeError(`instruction ${pc} calls an unknown function index ${funcIdx}`);
    let r: Resolved;
    if (info.kind === 'vm_func') r = { kind: 'vm', index: funcIdx };
    else {
      const kernel = this.exec.kernels.get(info.name);
      const builtin = lookupBuiltin(info.name);
      const user = this.packed.get(info.name);
      if (kernel) r = { kind: 'kernel', kernel: this.options.backend.compile(info.name, kernel) };
      else if (builtin) r = { kind: 'builtin', fn: builtin, keepsDevice: builtinKeepsDevice(info.name) };
      else if (user) r = { kind: 'packed', fn: user };
      else {
        const nodes = this.exec.provenance[pc] ?? [];
        throw new VMRuntimeError(
          `the program calls the packed function "${info.name}", but no such function is registered` +
            ' (define it in a --packed module or register it with the VM)',
          nodes,
        );
      }
    }
    this.resolved[funcIdx] = r;
    return r;
  }

  private wrapError(e: unknown, caller: string, callee: string, pc: number): VMRuntimeError {
    const nodes = this.exec.provenance[pc] ?? [];
    const where = nodes.length ? ` (node ${nodes.join(', ')})` : '';
    if (e instanceof AssertionFailure) return new VMRuntimeError(`in ${caller}, R.assert_op failed${where}: ${e.message}`, nodes);
    if (e instanceof VMRuntimeError) return e.nodes.length || !nodes.length ? e : new VMRuntimeError(e.message, nodes);
    const msg = e instanceof Error ? e.message : String(e);
    return new VMRuntimeError(`in ${caller}, calling ${callee}${where}: ${msg}`, nodes);
  }
}

/**
 * Awaits `Tensor.sync()` of every tensor in `values` (tuples included) that needs it, so that their `data` can be
 * read; resolves at once when none does (host tensors, devices that read back synchronously).
 */
export async function syncValues(values: readonly Value[]): Promise<void> {
  const pending: Tensor[] = [];
  collectPending(values, pending);
  if (pending.length) await Promise.all(pending.map((t) => t.sync()));
}

function collectPending(values: readonly Value[], out: Tensor[]): void {
  for (const v of values) {
    if (v instanceof Tensor) {
      if (v.needsSync && !out.includes(v)) out.push(v);
    } else if (Array.isArray(v)) collectPending(v as readonly Value[], out);
  }
}

/** A user packed function reads host values: its tensor arguments are synced first. */
async function callPacked(fn: PackedFunc, args: readonly Value[]): Promise<Value> {
  await syncValues(args);
  const r = await fn(...args);
  return r === undefined ? null : r;
}

/** The register value of a constant-pool entry. */
export function constValue(c: ConstValue): Value {
  switch (c.t) {
    case 'tensor':
      return c.tensor;
    case 'shape':
      return new ShapeTuple(c.dims);
    case 'str':
      return c.value;
    case 'int':
    case 'float':
      return c.value;
    case 'dtype':
      return new DataTypeValue(c.value);
    case 'null':
      return null;
  }
}
