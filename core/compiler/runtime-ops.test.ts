/**
 * R.print and R.assert_op end to end: LegalizeOps turns them into `R.call_packed("relax.run.print"|
 * "relax.run.assert_op", ...)` (TVM's FCallPacked), the VM runs them, printing through VMOptions.print and failing
 * an assertion with a VMRuntimeError that names the function, the node and the formatted message.
 */
import { describe, expect, it } from 'vitest';
import { buildText } from './build.js';
import { printModule } from '../ir/printer/index.js';
import { VMRuntimeError } from '../vm/builtins.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import { Tensor } from '../vm/tensor.js';
import { VirtualMachine } from '../vm/vm.js';

const PROGRAM = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function(pure=False)
    def main(x: R.Tensor((2, 2), dtype="float32"), limit: R.Tensor((), dtype="float32")) -> R.Tensor((2, 2), dtype="float32"):
        y = R.add(x, x)
        R.print(y, format="y = {}")
        total = R.sum(y)
        R.print(total, R.shape([2, 2]))
        ok = R.less(total, limit)
        R.assert_op(ok, [total, limit], format="sum {} must stay below {}")
        R.assert_op(ok)
        return y
`;

async function runMain(limit: number): Promise<{ lines: string[]; result: Promise<unknown> }> {
  const { exec } = buildText(PROGRAM);
  const lines: string[] = [];
  const vm = new VirtualMachine(exec, { backend: new JsKernelBackend(), print: (t) => lines.push(t) });
  const x = Tensor.from([2, 2], 'float32', [1, 2, 3, 4.5]);
  const result = vm.invoke('main', [x, Tensor.from([], 'float32', [limit])]);
  await result.catch(() => undefined);
  return { lines, result };
}

describe('R.print / R.assert_op', () => {
  it('lower to relax.run.* packed calls with the format as a string argument', () => {
    const { lowered, afterPass } = buildText(PROGRAM);
    const legalized = printModule(afterPass.find((p) => p.name === 'LegalizeOps')!.module);
    expect(legalized).toContain('R.call_packed("relax.run.print", R.str("y = {}"), y, ty_args=R.Tuple)');
    expect(legalized).toContain('R.call_packed("relax.run.assert_op", ok, R.str("sum {} must stay below {}"), total, limit, ty_args=R.Tuple)');
    expect(legalized).toContain('R.call_packed("relax.run.assert_op", ok, R.str(""), ty_args=R.Tuple)');
    expect(printModule(lowered)).not.toMatch(/R\.(print|assert_op)\(/);
  });

  it('prints through the hook and passes a true assertion', async () => {
    const { lines, result } = await runMain(100);
    expect(lines).toEqual(['y = [[2. 4.]\n [6. 9.]]', '21.0 (2, 2)']);
    const y = (await result) as Tensor;
    expect(Array.from(y.data)).toEqual([2, 4, 6, 9]);
  });

  it('fails a false assertion with the formatted message, naming the function and node', async () => {
    const { lines, result } = await runMain(10);
    expect(lines).toHaveLength(2);
    const err = await result.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(VMRuntimeError);
    expect((err as Error).message).toBe('in main, R.assert_op failed (node _): sum 21.0 must stay below 10.0');
    expect((err as VMRuntimeError).nodes).toEqual(['_']);
  });

  it('says "Assertion Failed" for an assertion without a message, and runs without a print hook', async () => {
    const text = PROGRAM.replace('        R.assert_op(ok, [total, limit], format="sum {} must stay below {}")\n', '');
    const { exec } = buildText(text);
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    const x = Tensor.from([2, 2], 'float32', [1, 2, 3, 4]);
    await expect(vm.invoke('main', [x, Tensor.from([], 'float32', [0])])).rejects.toThrow(/R\.assert_op failed \(node _\): Assertion Failed$/);
  });
});

describe('R.print without any kernel in the module', () => {
  it('is still lowered (LegalizeOps keeps rewritten functions even when it made no PrimFunc)', async () => {
    const { exec } = buildText(`# from tvm.script import relax as R
@R.function(pure=False)
def main(x: R.Tensor((2,), dtype="int32")) -> R.Tensor((2,), dtype="int32"):
    R.print(x, format="x: {}")
    return x
`);
    const lines: string[] = [];
    await new VirtualMachine(exec, { backend: new JsKernelBackend(), print: (t) => lines.push(t) }).invoke('main', [Tensor.from([2], 'int32', [3, -4])]);
    expect(lines).toEqual(['x: [ 3 -4]']);
  });
});

describe('FCallPacked data ops: shape_to_tensor, unique, nonzero', () => {
  const SRC = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n",), dtype="int64")):
        n = T.int64()
        with R.dataflow():
            u = R.unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None)
            nz = R.nonzero(x)
            s = R.sort(u, axis=-1, descending=True)
            t = R.shape_to_tensor(R.shape([n, n * 2]))
            R.output(u, nz, s, t)
        return (u, nz, s, t)
`;

  it('become pure packed calls, and a run-time-sized result is match_cast before a kernel takes it', () => {
    const { afterPass } = buildText(SRC);
    const text = printModule(afterPass.find((p) => p.name === 'LegalizeOps')!.module);
    expect(text).toContain('R.call_pure_packed("relax.run.unique", x, True, False, False, False, ty_args=R.Tensor(dtype="int64", ndim=1))');
    expect(text).toContain('R.call_pure_packed("relax.run.nonzero", x, ty_args=R.Tensor(dtype="int64", ndim=2))');
    expect(text).toContain('u_m: R.Tensor((u_d0,), dtype="int64") = R.match_cast(u, R.Tensor((u_d0,), dtype="int64"))');
    expect(text).toContain('R.call_pure_packed("relax.run.shape_to_tensor", R.shape([n, n * 2])');
  });

  it('run with NumPy semantics', async () => {
    const { exec } = buildText(SRC);
    const out = (await new VirtualMachine(exec, { backend: new JsKernelBackend() }).invoke('main', [Tensor.from([6], 'int64', [3, 0, 3, -1, 0, 7])])) as Tensor[];
    const [u, nz, s, t] = out.map((v) => ({ shape: v.shape, data: Array.from(v.data) }));
    expect(u).toEqual({ shape: [4], data: [-1, 0, 3, 7] });
    expect(nz).toEqual({ shape: [1, 4], data: [0, 2, 3, 5] });
    expect(s).toEqual({ shape: [4], data: [7, 3, 0, -1] });
    expect(t).toEqual({ shape: [2], data: [6, 12] });
  });
});
