import { describe, expect, it } from 'vitest';
import { Executable } from './executable.js';
import type { VMFuncInfo } from './executable.js';
import { Args, Opcode } from './bytecode.js';
import type { Instruction } from './bytecode.js';
import { VirtualMachine } from './vm.js';
import { JsKernelBackend } from './kernels/js-codegen.js';
import { Tensor } from './tensor.js';
import type { PrimFunc, Buffer, TirVar, Stmt } from '../ir/tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../ir/tir/nodes.js';
import { VMRuntimeError } from './builtins.js';
import { ShapeTuple } from './value.js';

/** add_one(A: (n,), B: (n,)): B[i] = A[i] + 1, built by hand. */
function addOneKernel(): PrimFunc {
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
function twoCalls(): Executable {
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

describe('VirtualMachine', () => {
  it('runs kernels and builtins and reuses one compiled kernel for every shape', async () => {
    const backend = new JsKernelBackend();
    const vm = new VirtualMachine(twoCalls(), { backend });
    for (const n of [1, 3, 17]) {
      const x = Tensor.from([n], 'float32', Array.from({ length: n }, (_, i) => i * 0.5));
      const y = (await vm.invoke('main', [x])) as Tensor;
      expect(y.shape).toEqual([n]);
      expect(Array.from(y.data)).toEqual(Array.from({ length: n }, (_, i) => i * 0.5 + 2));
    }
    expect(backend.compileCount).toBe(1);
  });

  it('reports a wrong dtype with the kernel, parameter and expectation, and stays usable', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    const bad = Tensor.from([2], 'int32', [1, 2]);
    await expect(vm.invoke('main', [bad])).rejects.toThrow(/add_one: A expects dtype float32, but got int32/);
    await expect(vm.invoke('main', [bad])).rejects.toBeInstanceOf(VMRuntimeError);
    const ok = (await vm.invoke('main', [Tensor.from([2], 'float32', [1, 2])])) as Tensor;
    expect(Array.from(ok.data)).toEqual([3, 4]);
  });

  it('names the source node of a failing instruction', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    const err = await vm.invoke('main', [Tensor.from([2], 'int8', [1, 2])]).catch((e: unknown) => e);
    expect((err as VMRuntimeError).nodes).toEqual(['lv0']);
  });

  it('checks the argument count', async () => {
    const vm = new VirtualMachine(twoCalls(), { backend: new JsKernelBackend() });
    await expect(vm.invoke('main', [])).rejects.toThrow(/main expects 1 argument\(s\) \(x\), but got 0/);
  });

  it('prints the executable in TVM as_text format', () => {
    expect(twoCalls().asText()).toBe(
      [
        '@main:',
        '  call  vm.builtin.shape_of in: %0           dst: %1',
        '  call  vm.builtin.alloc_tensor in: %void, i0, %1, c[0] dst: %2',
        '  call  add_one          in: %0, %2       dst: %void',
        '  call  vm.builtin.alloc_tensor in: %void, i0, %1, c[0] dst: %3',
        '  call  add_one          in: %2, %3       dst: %void',
        '  ret   %3',
        '',
        '@vm.builtin.shape_of packed_func;',
        '',
        '@vm.builtin.alloc_tensor packed_func;',
        '',
        '@add_one packed_func;',
        '',
        '',
      ].join('\n'),
    );
  });

  it('keeps ShapeTuple distinct from tuples', () => {
    expect(new ShapeTuple([2, 3]).toString()).toBe('(2, 3)');
  });
});
