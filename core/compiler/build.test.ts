/**
 * End to end: hand-written Relax programs in the form LegalizeOps produces (call_tir to our own PrimFuncs) are
 * built with the whole pipeline and run on the VM with the JS kernel backend; results are checked numerically.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildText } from './build.js';
import { CompileError } from './pass.js';
import { PENDING_PASSES } from './pipeline.js';
import { VirtualMachine } from '../vm/vm.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import { Tensor } from '../vm/tensor.js';
import type { PackedFunc, Value } from '../vm/value.js';

const HEADER = '# from tvm.script import ir as I\n# from tvm.script import tirx as T\n# from tvm.script import relax as R\n\n';

/** Builds TVMScript and runs `fn` on the VM. */
async function run(text: string, args: readonly Value[], packed: Record<string, PackedFunc> = {}, fn = 'main'): Promise<Value> {
  const { exec } = buildText(HEADER + text);
  const vm = new VirtualMachine(exec, { backend: new JsKernelBackend(), packed });
  return vm.invoke(fn, args);
}

function values(v: Value): number[] {
  if (!(v instanceof Tensor)) throw new Error(`expected a tensor, got ${String(v)}`);
  return Array.from(v.data);
}

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  // float32 results: relative tolerance.
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]!))));
}

const EXP_4 = `
    @T.prim_func(private=True)
    def exp(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        T.func_attr({"tirx.noalias": True})
        for i in range(T.int64(4)):
            B[i] = T.exp(A[i])

    @T.prim_func(private=True)
    def add_one(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        T.func_attr({"tirx.noalias": True})
        for i in range(T.int64(4)):
            B[i] = A[i] + T.float32(1.0)
`;

const X4 = (): Tensor => Tensor.from([4], 'float32', [0, 1, -1, 0.5]);

describe('build + run', () => {
  it('runs a two-kernel chain in a dataflow block', async () => {
    const out = await run(`@I.ir_module
class Module:${EXP_4}
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        with R.dataflow():
            lv = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((4,), dtype="float32"))
            gv = R.call_tir(cls.add_one, (lv,), out_ty=R.Tensor((4,), dtype="float32"))
            R.output(gv)
        return gv
`, [X4()]);
    close(values(out), [0, 1, -1, 0.5].map((v) => Math.exp(v) + 1));
  });

  it('lets a packed function mutate its argument in place', async () => {
    const bump: PackedFunc = (t) => {
      const d = (t as Tensor).data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * 10;
      return null;
    };
    const out = await run(`@I.ir_module
class Module:${EXP_4}
    @R.function(pure=False)
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        with R.dataflow():
            gv = R.call_tir(cls.add_one, (x,), out_ty=R.Tensor((4,), dtype="float32"))
            R.output(gv)
        _ = R.call_packed("test.bump", gv)
        return gv
`, [X4()], { 'test.bump': bump });
    close(values(out), [10, 20, 0, 15]);
  });

  it('runs an if/else on a boolean scalar', async () => {
    const src = `@I.ir_module
class Module:${EXP_4}
    @R.function
    def main(x: R.Tensor((4,), dtype="float32"), c: R.Prim("bool")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        if c:
            y = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((4,), dtype="float32"))
        else:
            y = R.call_tir(cls.add_one, (x,), out_ty=R.Tensor((4,), dtype="float32"))
        return y
`;
    close(values(await run(src, [X4(), 1])), [0, 1, -1, 0.5].map(Math.exp));
    close(values(await run(src, [X4(), 0])), [1, 2, 0, 1.5]);
  });

  it('returns a tuple', async () => {
    const out = await run(`@I.ir_module
class Module:${EXP_4}
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tuple(R.Tensor((4,), dtype="float32"), R.Tensor((4,), dtype="float32")):
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((4,), dtype="float32"))
            b = R.call_tir(cls.add_one, (a,), out_ty=R.Tensor((4,), dtype="float32"))
            gv = (a, b)
            R.output(gv)
        return gv
`, [X4()]);
    expect(Array.isArray(out)).toBe(true);
    const [a, b] = out as Value[];
    close(values(a!), [0, 1, -1, 0.5].map(Math.exp));
    close(values(b!), [0, 1, -1, 0.5].map((v) => Math.exp(v) + 1));
  });

  it('calls another Relax function and recurses', async () => {
    // loop(x, k) = k > 0 ? loop(x + 1, k - 1) : x, with k a 0-d float tensor.
    const out = await run(`@I.ir_module
class Module:
    @T.prim_func(private=True)
    def add_one(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        for i in range(T.int64(4)):
            B[i] = A[i] + T.float32(1.0)

    @T.prim_func(private=True)
    def dec(A: T.Buffer((), "float32"), B: T.Buffer((), "float32")):
        B[()] = A[()] - T.float32(1.0)

    @T.prim_func(private=True)
    def positive(A: T.Buffer((), "float32"), B: T.Buffer((), "bool")):
        B[()] = A[()] > T.float32(0.0)

    @R.function
    def loop(x: R.Tensor((4,), dtype="float32"), k: R.Tensor((), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        c = R.call_tir(cls.positive, (k,), out_ty=R.Tensor((), dtype="bool"))
        if c:
            x1 = R.call_tir(cls.add_one, (x,), out_ty=R.Tensor((4,), dtype="float32"))
            k1 = R.call_tir(cls.dec, (k,), out_ty=R.Tensor((), dtype="float32"))
            r = cls.loop(x1, k1)
        else:
            r = x
        return r

    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        k = R.const(3, "float32")
        y = cls.loop(x, k)
        return y
`, [X4()]);
    close(values(out), [3, 4, 2, 3.5]);
  });

  it('runs a match_cast from an unknown shape', async () => {
    const out = await run(`@I.ir_module
class Module:${EXP_4}
    @R.function
    def main(x: R.Tensor(dtype="float32", ndim=1)) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        with R.dataflow():
            lv = R.match_cast(x, R.Tensor((4,), dtype="float32"))
            gv = R.call_tir(cls.add_one, (lv,), out_ty=R.Tensor((4,), dtype="float32"))
            R.output(gv)
        return gv
`, [X4()]);
    close(values(out), [1, 2, 0, 1.5]);
  });

  it('turns a tagged reshape kernel into a zero-copy vm.builtin.reshape', async () => {
    const text = `@I.ir_module
class Module:
    @T.prim_func(private=True)
    def reshape(A: T.Buffer((T.int64(2), T.int64(2)), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        T.func_attr({"relax_studio.reshape": True, "tirx.noalias": True})
        for i in range(T.int64(4)):
            B[i] = A[i // T.int64(2), i % T.int64(2)]
${EXP_4}
    @R.function
    def main(x: R.Tensor((2, 2), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        with R.dataflow():
            lv = R.call_tir(cls.reshape, (x,), out_ty=R.Tensor((4,), dtype="float32"))
            gv = R.call_tir(cls.add_one, (lv,), out_ty=R.Tensor((4,), dtype="float32"))
            R.output(gv)
        return gv
`;
    const { exec } = buildText(HEADER + text);
    expect(exec.asText()).toContain('vm.builtin.reshape');
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    close(values(await vm.invoke('main', [Tensor.from([2, 2], 'float32', [1, 2, 3, 4])])), [2, 3, 4, 5]);
  });

  it('reports every pass in afterPass and calls onPass', () => {
    const seen: string[] = [];
    const r = buildText(`${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        return x
`, { onPass: (name) => seen.push(name) });
    expect(r.afterPass.map((p) => p.name)).toEqual(seen);
    expect(seen.slice(0, 2)).toEqual(['LambdaLift', 'LegalizeOps']);
    expect(seen[seen.length - 1]).toBe('AttachGlobalSymbol');
  });

  it('gives a CompileError with the span of the binding the VM cannot run', () => {
    const text = `${HEADER}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        y = R.mystery.op(x)
        return x
`;
    let err: unknown;
    try {
      buildText(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const d = (err as CompileError).diagnostics[0]!;
    expect(d.code).toBe('B702');
    expect(d.span && text.slice(d.span.start, d.span.end)).toContain('y = R.mystery.op(x)'.slice(0, 1));
  });
});

describe.skipIf(PENDING_PASSES.has('VMShapeLower'))('build + run with symbolic shapes (needs VMShapeLower)', () => {
  it.each([1, 3, 17])('runs a symbolic two-kernel chain at n = %i', async (n) => {
    const xs = Array.from({ length: n * 2 }, (_, i) => i / 7);
    const out = await run(`@I.ir_module
class Module:
    @T.prim_func(private=True)
    def exp(var_A: T.handle, var_B: T.handle):
        T.func_attr({"tirx.noalias": True})
        n = T.int64()
        A = T.match_buffer(var_A, (n, T.int64(2)))
        B = T.match_buffer(var_B, (n, T.int64(2)))
        for i, j in T.grid(n, T.int64(2)):
            B[i, j] = T.exp(A[i, j])

    @T.prim_func(private=True)
    def flatten_add(var_A: T.handle, var_B: T.handle):
        T.func_attr({"tirx.noalias": True})
        n = T.int64()
        A = T.match_buffer(var_A, (n, T.int64(2)))
        B = T.match_buffer(var_B, (n * T.int64(2),))
        for i in range(n * T.int64(2)):
            B[i] = A[i // T.int64(2), i % T.int64(2)] + T.float32(1.0)

    @R.function
    def main(x: R.Tensor(("n", 2), dtype="float32")) -> R.Tensor(("n * 2",), dtype="float32"):
        n = T.int64()
        cls = Module
        with R.dataflow():
            lv = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((n, 2), dtype="float32"))
            gv = R.call_tir(cls.flatten_add, (lv,), out_ty=R.Tensor((n * 2,), dtype="float32"))
            R.output(gv)
        return gv
`, [Tensor.from([n, 2], 'float32', xs)]);
    close(values(out), xs.map((v) => Math.exp(v) + 1));
  });
});

describe.skipIf(PENDING_PASSES.has('VMShapeLower'))('the RFC seed (needs LegalizeOps for R.matmul and R.flatten, VMShapeLower for n * m)', () => {
  it('builds and runs exp(flatten(x @ w)) + 1 with an in-place packed update', async () => {
    const text = readFileSync(fileURLToPath(new URL('../ir/fixtures/rfc/seed.tvmscript', import.meta.url)), 'utf8');
    const { exec } = buildText(text);
    const inc: PackedFunc = (t) => {
      const d = (t as Tensor).data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! + 1;
      return null;
    };
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend(), packed: { custom_inplace_update: inc } });
    const x = [1, 2, 3, 4, 5, 6].map((v) => v / 10);
    const w = Array.from({ length: 12 }, (_, i) => (i - 6) / 10);
    const out = await vm.invoke('relax_func', [Tensor.from([2, 3], 'float32', x), Tensor.from([3, 4], 'float32', w)]);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += x[i * 3 + k]! * w[k * 4 + j]!;
        expected.push(Math.exp(s) + 1);
      }
    close(values(out), expected);
  });
});
