/**
 * The VM executable, as TVM's `VMExecutable`: a function table, a constant pool, the bytecode, and the TIR kernels
 * the bytecode calls (kept as TIR: each kernel backend compiles them when the executable is loaded).
 * `asText()` prints TVM's format; `toJSON()`/`fromJSON()` are a versioned save format that round-trips.
 * `provenance[i]` names the source bindings (graph nodes) instruction i came from.
 */
import type { PrimFunc } from '../ir/tir/nodes.js';
import type { Arg, Instruction } from './bytecode.js';
import { ArgKind, Opcode, VM_REGISTER, VOID_REGISTER } from './bytecode.js';
import { Tensor, allocData, shapeSize } from './tensor.js';

export type FuncKind = 'packed_func' | 'vm_func' | 'vm_tir_func';

export interface VMFuncInfo {
  readonly kind: FuncKind;
  readonly name: string;
  readonly startInstr: number;
  readonly endInstr: number;
  readonly numArgs: number;
  readonly registerFileSize: number;
  readonly paramNames: readonly string[];
}

/** A constant-pool entry. */
export type ConstValue =
  | { readonly t: 'tensor'; readonly tensor: Tensor }
  | { readonly t: 'shape'; readonly dims: readonly number[] }
  | { readonly t: 'str'; readonly value: string }
  | { readonly t: 'int'; readonly value: number }
  | { readonly t: 'float'; readonly value: number }
  | { readonly t: 'dtype'; readonly value: string }
  | { readonly t: 'null' };

export const EXEC_FORMAT = 'relax-studio-executable';
export const EXEC_VERSION = 1;

/** How kernels (PrimFuncs) are written into and read from the saved form; the IR JSON codec in practice. */
export interface KernelCodec {
  encode(f: PrimFunc): unknown;
  decode(json: unknown): PrimFunc;
}

export class Executable {
  constructor(
    readonly funcTable: readonly VMFuncInfo[],
    readonly constants: readonly ConstValue[],
    readonly instrs: readonly Instruction[],
    readonly kernels: ReadonlyMap<string, PrimFunc>,
    readonly provenance: readonly (readonly string[] | undefined)[] = [],
  ) {}

  /** Index of a function by name, or -1. */
  funcIndex(name: string): number {
    return this.funcTable.findIndex((f) => f.name === name);
  }

  /** TVM's `as_text()`: `@main:` blocks of `call`/`ret`/`goto`/`If`, then `@name packed_func;` lines. */
  asText(): string {
    const out: string[] = [];
    for (const f of this.funcTable) {
      if (f.kind === 'packed_func') {
        out.push(`@${f.name} packed_func;\n\n`);
        continue;
      }
      if (f.kind === 'vm_tir_func') {
        out.push(`@${f.name} num_inputs=${f.numArgs} vm_tir_func;\n\n`);
        continue;
      }
      out.push(`@${f.name}:\n`);
      for (let i = f.startInstr; i < f.endInstr; i++) out.push(`  ${this.instrText(this.instrs[i]!)}\n`);
      out.push('\n');
    }
    return out.join('');
  }

  /** One instruction in `asText` form (no indent). */
  instrText(ins: Instruction): string {
    switch (ins.op) {
      case Opcode.Call: {
        const args = ins.args.map((a) => this.argText(a)).join(', ');
        return `${'call'.padEnd(6)}${this.funcName(ins.funcIdx).padEnd(16)} in: ${args.padEnd(12)} dst: ${regName(ins.dst)}`;
      }
      case Opcode.Ret:
        return `${'ret '.padEnd(6)}${regName(ins.result)}`;
      case Opcode.Goto:
        return `${'goto'.padEnd(6)}${ins.offset}`;
      case Opcode.If:
        return `${'If'.padEnd(6)}${regName(ins.cond)}, ${ins.falseOffset}`;
    }
  }

  private funcName(idx: number): string {
    return this.funcTable[idx]?.name ?? `unknown_func_index(${idx})`;
  }

  private argText(a: Arg): string {
    switch (a.kind) {
      case ArgKind.Register:
        return regName(a.value);
      case ArgKind.Immediate:
        return `i${a.value}`;
      case ArgKind.ConstIdx:
        return `c[${a.value}]`;
      case ArgKind.FuncIdx:
        return `f[${this.funcName(a.value)}]`;
    }
  }

  /** The versioned save form (plain JSON). */
  toJSON(codec: KernelCodec): unknown {
    return {
      format: EXEC_FORMAT,
      version: EXEC_VERSION,
      funcTable: this.funcTable,
      constants: this.constants.map(encodeConst),
      instrs: this.instrs.map(encodeInstr),
      kernels: Object.fromEntries([...this.kernels].map(([k, f]) => [k, codec.encode(f)])),
      provenance: this.provenance.map((p) => p ?? null),
    };
  }

  /** Reads the save form; throws ExecutableFormatError with what is wrong. */
  static fromJSON(json: unknown, codec: KernelCodec): Executable {
    const j = json as Record<string, unknown>;
    if (!j || typeof j !== 'object' || j['format'] !== EXEC_FORMAT)
      throw new ExecutableFormatError(`not a Relax Studio executable (expected "format": "${EXEC_FORMAT}")`);
    if (j['version'] !== EXEC_VERSION)
      throw new ExecutableFormatError(`unsupported executable version ${String(j['version'])} (this build reads version ${EXEC_VERSION})`);
    const kernels = new Map<string, PrimFunc>();
    for (const [k, v] of Object.entries((j['kernels'] ?? {}) as Record<string, unknown>)) kernels.set(k, codec.decode(v));
    return new Executable(
      j['funcTable'] as VMFuncInfo[],
      (j['constants'] as unknown[]).map(decodeConst),
      (j['instrs'] as unknown[]).map(decodeInstr),
      kernels,
      ((j['provenance'] ?? []) as (string[] | null)[]).map((p) => p ?? undefined),
    );
  }
}

export class ExecutableFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutableFormatError';
  }
}

export function regName(r: number): string {
  if (r === VOID_REGISTER) return '%void';
  if (r === VM_REGISTER) return '%vm';
  return `%${r}`;
}

// ---------------------------------------------------------------- encoding

function encodeConst(c: ConstValue): unknown {
  if (c.t !== 'tensor') return c;
  return { t: 'tensor', dtype: c.tensor.dtype, shape: c.tensor.shape, data: Array.from(c.tensor.data) };
}

function decodeConst(j: unknown): ConstValue {
  const c = j as Record<string, unknown>;
  if (c['t'] !== 'tensor') return c as ConstValue;
  const shape = c['shape'] as number[];
  const dtype = c['dtype'] as string;
  const data = allocData(dtype, shapeSize(shape));
  (c['data'] as number[]).forEach((v, i) => (data[i] = v));
  return { t: 'tensor', tensor: new Tensor(shape, dtype, data) };
}

/** Compact form: [op, ...]: Call [1, dst, funcIdx, [kind, value, kind, value, ...]], Ret [2, r], Goto [3, off], If [4, cond, off]. */
function encodeInstr(i: Instruction): unknown {
  switch (i.op) {
    case Opcode.Call:
      return [i.op, i.dst, i.funcIdx, i.args.flatMap((a) => [a.kind, a.value])];
    case Opcode.Ret:
      return [i.op, i.result];
    case Opcode.Goto:
      return [i.op, i.offset];
    case Opcode.If:
      return [i.op, i.cond, i.falseOffset];
  }
}

function decodeInstr(j: unknown): Instruction {
  const a = j as unknown[];
  switch (a[0]) {
    case Opcode.Call: {
      const flat = a[3] as number[];
      const args: Arg[] = [];
      for (let k = 0; k < flat.length; k += 2) args.push({ kind: flat[k] as ArgKind, value: flat[k + 1]! });
      return { op: Opcode.Call, dst: a[1] as number, funcIdx: a[2] as number, args };
    }
    case Opcode.Ret:
      return { op: Opcode.Ret, result: a[1] as number };
    case Opcode.Goto:
      return { op: Opcode.Goto, offset: a[1] as number };
    case Opcode.If:
      return { op: Opcode.If, cond: a[1] as number, falseOffset: a[2] as number };
    default:
      throw new ExecutableFormatError(`bad instruction ${JSON.stringify(j)}`);
  }
}
