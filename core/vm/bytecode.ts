/**
 * The VM instruction set, as TVM's `bytecode.h`: four opcodes and tagged arguments.
 * Each argument is a kind (register, immediate, constant-pool index, function-table index) and a value.
 * Two special registers: `%void` (discard the result) and `%vm` (the VM context, passed to builtins).
 */
export enum Opcode {
  Call = 1,
  Ret = 2,
  Goto = 3,
  If = 4,
}

export enum ArgKind {
  Register = 0,
  Immediate = 1,
  ConstIdx = 2,
  FuncIdx = 3,
}

/**
 * The special registers. TVM puts them at 1 << 54, which a JavaScript number cannot tell apart from 1 << 54 plus
 * one, so ours start at 2^52: still far above any real register file.
 */
export const VOID_REGISTER = 2 ** 52;
export const VM_REGISTER = 2 ** 52 + 1;

export interface Arg {
  readonly kind: ArgKind;
  readonly value: number;
}

export const Args = {
  reg: (r: number): Arg => ({ kind: ArgKind.Register, value: r }),
  imm: (v: number): Arg => ({ kind: ArgKind.Immediate, value: v }),
  constIdx: (i: number): Arg => ({ kind: ArgKind.ConstIdx, value: i }),
  funcIdx: (i: number): Arg => ({ kind: ArgKind.FuncIdx, value: i }),
  void: (): Arg => ({ kind: ArgKind.Register, value: VOID_REGISTER }),
  vm: (): Arg => ({ kind: ArgKind.Register, value: VM_REGISTER }),
};

export type Instruction =
  | { readonly op: Opcode.Call; readonly dst: number; readonly funcIdx: number; readonly args: readonly Arg[] }
  | { readonly op: Opcode.Ret; readonly result: number }
  | { readonly op: Opcode.Goto; readonly offset: number }
  | { readonly op: Opcode.If; readonly cond: number; readonly falseOffset: number };
