/**
 * Small hand-built executables and kernels for VM tests (before the compiler produces them). @internal
 */
import { Executable } from './executable.js';
import type { VMFuncInfo } from './executable.js';
import { Args, Opcode } from './bytecode.js';
import type { Instruction } from './bytecode.js';
import type { PrimFunc, Buffer, TirVar, Stmt } from '../ir/tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../ir/tir/nodes.js';

/** add_one(A: (n,), B: (n,)): B[i] = A[i] + 1, built by hand. */
export function addOneKernel(): PrimFunc {
  const n = tvar('n');
  const a = tvar('a', 'handle');
  const b = tvar('b', 'handle');
  const A: Buffer = { kind: 'tir.Buffer', name: 'A', dtype: 'float32', shape: [n], strides: [], scope: 'global' };
  const B: Buffer = { kind: 'tir.Buffer', name: 'B', dtype: 'float32', shape: [n], strides: [], scope: 'global' };
  const i: TirVar = tvar('i');
  const body: Stmt = {
    kind: 'tir.For', loopVar: i, min: intImm(0), extent: n, forKind: 'serial',
    body: {
      kind: 'tir.BufferStore', buffer: B, indices: [i],
      value: binary('add', { kind: 'tir.BufferLoad', buffer: A, indices: [i], dtype: 'float32' }, floatImm(1)),
    },
  };
  return { kind: 'tir.PrimFunc', params: [a, b], bufferMap: new Map([[a, A], [b, B]]), body, isPrivate: false };
}

/** main(x) = add_one(add_one(x)) with explicit allocation, as VM codegen emits it. */
export function twoCalls(): Executable {
  const instrs: Instruction[] = [
    { op: Opcode.Call, dst: 1, funcIdx: 1, args: [Args.reg(0)] }, // shape_of
    { op: Opcode.Call, dst: 2, funcIdx: 2, args: [Args.void(), Args.imm(0), Args.reg(1), Args.constIdx(0)] },
    { op: Opcode.Call, dst: Args.void().value, funcIdx: 3, args: [Args.reg(0), Args.reg(2)] },
    { op: Opcode.Call, dst: 3, funcIdx: 2, args: [Args.void(), Args.imm(0), Args.reg(1), Args.constIdx(0)] },
    { op: Opcode.Call, dst: Args.void().value, funcIdx: 3, args: [Args.reg(2), Args.reg(3)] },
    { op: Opcode.Ret, result: 3 },
  ];
  const table: VMFuncInfo[] = [
    { kind: 'vm_func', name: 'main', startInstr: 0, endInstr: 6, numArgs: 1, registerFileSize: 4, paramNames: ['x'] },
    { kind: 'packed_func', name: 'vm.builtin.shape_of', startInstr: 0, endInstr: 0, numArgs: -1, registerFileSize: 0, paramNames: [] },
    { kind: 'packed_func', name: 'vm.builtin.alloc_tensor', startInstr: 0, endInstr: 0, numArgs: -1, registerFileSize: 0, paramNames: [] },
    { kind: 'packed_func', name: 'add_one', startInstr: 0, endInstr: 0, numArgs: -1, registerFileSize: 0, paramNames: [] },
  ];
  return new Executable(table, [{ t: 'dtype', value: 'float32' }], instrs, new Map([['add_one', addOneKernel()]]), [
    undefined, undefined, ['lv0'], undefined, ['lv1'], undefined,
  ]);
}
