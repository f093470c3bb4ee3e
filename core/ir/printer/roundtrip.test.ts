/**
 * Round trip through the real parser: parse -> print -> parse must give a structurally equal module, and printing
 * is idempotent (print(parse(print(m))) == print(m)), in both dialects. The programs are written for this test.
 */
import { describe, expect, it } from 'vitest';
import '../op/all.js';
import { parse } from '../parser/index.js';
import { structuralEqual } from '../structural.js';
import type { IRModule } from '../module.js';
import type { Dialect } from './index.js';
import { printModule } from './index.js';

const H = '# from tvm.script import ir as I\n# from tvm.script import tirx as T\n# from tvm.script import relax as R\n\n';

const PROGRAMS: Record<string, string> = {
  dataflow_symbolic: `${H}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), w: R.Tensor((4, 4), dtype="float32")) -> R.Tensor(("n", 4), dtype="float32"):
        n = T.int64()
        R.func_attr({"global_symbol": "main", "num_input": 1})
        with R.dataflow():
            lv = R.matmul(x, w)
            lv1 = R.add(lv, R.const(1.0, "float32"))
            gv = R.nn.relu(lv1)
            R.output(gv)
        return gv
`,
  call_tir_and_tir: `${H}@I.ir_module
class Module:
    @T.prim_func(private=True)
    def add_one(var_A: T.handle, var_B: T.handle, m: T.int64):
        T.func_attr({"tirx.noalias": True})
        n = T.int64()
        A = T.match_buffer(var_A, (n,))
        B = T.match_buffer(var_B, (n,))
        for i in range(n):
            with T.sblock("B"):
                vi = T.axis.spatial(n, i)
                T.reads(A[vi])
                T.writes(B[vi])
                B[vi] = A[vi] + T.Cast("float32", m)

    @R.function
    def main(x: R.Tensor(("n",), dtype="float32")) -> R.Tuple(R.Tensor(("n",), dtype="float32"), R.Tensor(("n",), dtype="float32")):
        n = T.int64()
        cls = Module
        y = R.call_tir(cls.add_one, (x, n), out_ty=R.Tensor((n,), dtype="float32"))
        z = R.call_tir(cls.add_one, (y, n + 1), out_ty=R.Tensor((n,), dtype="float32"))
        t = (y, z)
        a = t[0]
        return (a, z)
`,
  if_match_cast: `${H}@I.ir_module
class Module:
    @R.function(pure=False)
    def f(c: R.Tensor((), dtype="bool"), x: R.Tensor(dtype="float32", ndim=1)) -> R.Tensor(dtype="float32", ndim=1):
        m = T.int64()
        y = R.match_cast(x, R.Tensor((m,), dtype="float32"))
        if c:
            a = R.exp(y)
            r = a
        else:
            r = y
        R.call_packed("vm.builtin.print", r, ty_args=R.Any)
        R.call_packed("vm.builtin.print", y, ty_args=R.Any)
        return r

    @R.function(private=True)
    def g(s: R.Shape([2, 3]), p: R.Prim("int64"), o: R.Object) -> R.Tuple:
        q = R.call_pure_packed("my.func", s, ty_args=R.Tensor((2, 3), dtype="float32"))
        k = R.reshape(q, R.shape([3, 2]))
        u = R.sum(k, axis=[1], keepdims=True)
        v = R.const([[1, 2], [3, 4]], "int32")
        d = R.dtype("float16")
        st = R.str("hello")
        return R.tuple()
`,
  pep695: `${H}@I.ir_module
class Module:
    @R.function
    def main[n](x: R.Tensor((n, n * 2), dtype="float32")) -> R.Tensor((n, n * 2), dtype="float32"):
        y = R.multiply(x, x)
        return y
`,
  module_attrs_and_dps: `${H}@I.ir_module
class Module:
    I.module_attrs({"system_lib_prefix": "lib_"})

    @R.function
    def main(x: R.Tensor((2, 3), dtype="float32")) -> R.Tensor((2, 3), dtype="float32"):
        y = R.call_dps_packed("ext.f", (x,), out_ty=R.Tensor((2, 3), dtype="float32"))
        z = R.nn.softmax(y, axis=-1)
        w = R.clip(z, 0.0, 1.0)
        return w
`,
  locals_and_tuples: `${H}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 3), dtype="float32"), f: R.Callable((R.Tensor((2, 3), dtype="float32"),), R.Tensor((2, 3), dtype="float32"), True)) -> R.Tuple(R.Tensor((2, 3), dtype="float32"), R.Tensor((3, 2), dtype="float32")):
        @R.function
        def inner(y: R.Tensor((2, 3), dtype="float32")) -> R.Tensor((2, 3), dtype="float32"):
            z = R.multiply(y, y)
            return z

        with R.dataflow():
            a = inner(x)
            b = f(a)
            c = R.permute_dims(b, axes=[1, 0])
            t = (b, c)
            lv = t[1]
            gv = (t[0], lv)
            R.output(gv)
        return gv
`,
  prim_values: `${H}@I.ir_module
class Module:
    @R.function
    def size(x: R.Tensor(("n", "m"), dtype="float32")) -> R.Shape(["n", "m * 2"]):
        n = T.int64()
        m = T.int64()
        s = R.shape([n, m * 2])
        return s

    @R.function
    def one() -> T.int64:
        return 1

    @R.function
    def half(p: T.float64) -> T.float64:
        return 0.5
`,
  unknown_and_inplace: `${H}@I.ir_module
class Module:
    @T.prim_func(private=True)
    def k(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        for i in range(T.int64(4)):
            B[i] = A[i]

    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        cls = Module
        y: R.Tensor((4,), dtype="float32") = R.my_custom.op(x, alpha=2, mode="fast")
        z = R.call_tir_inplace(cls.k, (x, y), inplace_indices=[1], out_ty=R.Tensor((4,), dtype="float32"))
        w = R.call_tir(cls.k, (z,), out_ty=[R.Tensor((4,), dtype="float32"), R.Tensor((4,), dtype="float32")])
        return z
`,
  vdevice_metadata: `# from tvm.script import ir as I
# from tvm.script import relax as R

metadata = tvm.ir.load_json("""{"root": 1, "nodes": []}""")

@I.ir_module
class Module:
    I.module_global_infos({"vdevice": [I.vdevice({"kind": "cuda"}, 0, "global"), I.vdevice("llvm", 0)]})

    @R.function
    def main(x: R.Tensor((2,), dtype="float32", vdevice="cuda:0")) -> R.Tensor((2,), dtype="float32"):
        c = metadata["relax.expr.Constant"][0]
        y = R.add(x, c)
        return y
`,
  closure_symbolic: `${H}@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n",), dtype="float32")) -> R.Tensor(("n",), dtype="float32"):
        n = T.int64()

        @R.function
        def inner(y: R.Tensor((n,), dtype="float32"), z: R.Tensor(("k",), dtype="float32")) -> R.Tensor((n,), dtype="float32"):
            k = T.int64()
            w = R.add(y, y)
            return w

        lv = inner(x, x)
        lv_1 = R.nn.relu(lv)
        return lv_1
`,
  classic_input: `# from tvm.script import ir as I
# from tvm.script import tir as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    @T.prim_func(private=True)
    def softmax(A: T.Buffer((T.int64(2), T.int64(8)), "float32"), S: T.Buffer((T.int64(2), T.int64(8)), "float32")):
        T.func_attr({"tir.noalias": T.bool(True)})
        # with T.block("root"):
        maxelem = T.alloc_buffer((T.int64(2),))
        expsum = T.alloc_buffer((T.int64(2),))
        for i0, k in T.grid(T.int64(2), T.int64(8)):
            with T.block("maxelem"):
                v0, vk = T.axis.remap("SR", [i0, k])
                T.reads(A[v0, vk])
                T.writes(maxelem[v0])
                with T.init():
                    maxelem[v0] = T.float32(-3.4028234663852886e+38)
                maxelem[v0] = T.max(maxelem[v0], A[v0, vk])
        for i0, k in T.grid(T.int64(2), T.int64(8)):
            with T.block("expsum"):
                v0, vk = T.axis.remap("SR", [i0, k])
                T.reads(A[v0, vk], maxelem[v0])
                T.writes(expsum[v0])
                with T.init():
                    expsum[v0] = T.float32(0)
                expsum[v0] = expsum[v0] + T.exp(A[v0, vk] - maxelem[v0])
        for i0, i1 in T.grid(T.int64(2), T.int64(8)):
            with T.block("norm"):
                v0, v1 = T.axis.remap("SS", [i0, i1])
                T.reads(A[v0, v1], maxelem[v0], expsum[v0])
                T.writes(S[v0, v1])
                T.block_attr({"axis": 1})
                S[v0, v1] = T.exp(A[v0, v1] - maxelem[v0]) / expsum[v0]

    @R.function
    def main(x: R.Tensor((2, 8), dtype="float32")) -> R.Tensor((2, 8), dtype="float32"):
        R.func_attr({"relax.force_pure": True})
        cls = Module
        with R.dataflow():
            gv = R.call_tir(cls.softmax, (x,), out_sinfo=R.Tensor((2, 8), dtype="float32"))
            R.output(gv)
        return gv
`,
};

function parseOk(text: string): IRModule {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${errors.map((d) => `${d.code} ${d.message}`).join('\n')}\n---\n${text}`);
  return r.module!;
}

describe.each<Dialect>(['v0.26', 'classic'])('Relax round trip (%s)', (dialect) => {
  it.each(Object.entries(PROGRAMS))('%s', (_name, src) => {
    const m = parseOk(src);
    const text = printModule(m, { dialect });
    const m2 = parseOk(text);
    expect(structuralEqual(m, m2)).toBeNull();
    expect(printModule(m2, { dialect })).toBe(text);
  });
});
