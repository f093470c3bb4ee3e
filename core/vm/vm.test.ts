import { describe, expect, it } from 'vitest';
import { VirtualMachine } from './vm.js';
import { JsKernelBackend } from './kernels/js-codegen.js';
import { Tensor } from './tensor.js';
import { twoCalls } from './testing.js';
import { VMRuntimeError } from './builtins.js';
import { ShapeTuple } from './value.js';

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
