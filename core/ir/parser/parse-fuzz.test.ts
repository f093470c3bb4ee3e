// Fuzz test for parse(): mutated valid TVMScript (tokens deleted, duplicated, swapped; lines deleted or
// duplicated) must never throw in loose mode, must return promptly, and must not hit the builder's internal-error path.
import { describe, expect, it } from 'vitest';
import { parse } from './relax-builder.js';

const SEEDS = [
  `# from tvm.script import ir as I
# from tvm.script import tir as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    I.module_attrs({"system_lib_prefix": "lib_"})

    @T.prim_func(private=True)
    def add_one(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        T.func_attr({"tir.noalias": True})
        for i in range(T.int64(4)):
            with T.block("B"):
                vi = T.axis.spatial(T.int64(4), i)
                B[vi] = A[vi] + T.float32(1)

    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), y: R.Tensor((4,), "f32")) -> R.Tensor(("n", 4), "float32"):
        R.func_attr({"num_input": 1})
        n = T.int64()
        cls = Module
        with R.dataflow():
            lv = R.add(x, R.multiply(y, y))
            lv1: R.Tensor((n, 4), "float32") = R.nn.relu(lv)
            a, b = R.split(lv1, 2, axis=1)
            t = (a, b)
            c = t[0]
            gv = R.call_tir(cls.add_one, (y,), out_sinfo=R.Tensor((4,), dtype="float32"), tir_vars=R.shape([n]))
            R.output(gv, lv1)
        s = R.call_pure_packed("vm.builtin.shape_of", lv1, sinfo_args=R.Shape(ndim=2))
        z = helper(lv1)
        return lv1

    @R.function(private=True)
    def helper(x: R.Tensor(("m", 4), "float32")) -> R.Tensor(("m", 4), "float32"):
        m = T.int64()
        y = R.match_cast(x, R.Tensor((m, 4), "float32"))
        if R.const(True, "bool"):
            z = R.add(y, y)
            w = z
        else:
            w = y
        return w
`,
  `import tvm
from tvm.script import relax as R, tir as T

@tvm.script.ir_module
class MyIRModule:
    @T.prim_func
    def tir_exp_func(x: T.handle, y: T.handle):
        X = T.match_buffer(x, (n,), "float32")
        Y = T.match_buffer(y, (n,), "float32")
        with T.grid(n) as i:
            Y[i] = T.exp(X[i])

    @R.function
    def relax_func(x: R.Tensor[(n, k), "float32"], w: R.Tensor[_, "float32"]):
        with R.dataflow():
            lv0 = R.match_shape(w, (k, m))
            lv1: R.Tensor[(n, m), "float32"] = R.dot(x, lv0)
            lv2: R.Tensor[(n * m,), "float32"] = R.flatten(lv1)
            lv3: R.Shape = (n * m,)
            gv0 = R.call_tir(tir_exp_func, [lv2], lv3, dtype="float32")
            R.outputs(gv0)
        R.call_packed("custom_inplace_update", gv0)
        return gv0
`,
  `from tvm.script import ir as I, relax as R, tirx as T

@I.ir_module
class Module:
    @R.function(pure=False)
    def main[M](x: R.Tensor((M, 2), dtype="float32"), c: R.Tensor((), "bool")) -> R.Tuple(R.Tensor((M, 2), "float32"), R.Any):
        @R.function
        def inner(y: R.Tensor((M, 2), "float32")) -> R.Tensor((M, 2), "float32"):
            return R.add(y, x)
        a = inner(x)
        k = R.const([[1.0, 2.0]], "float32")
        b = R.add(a, k)
        p = R.prim_value(3)
        q = R.call_packed("f", b, ty_args=R.Tensor((M, 2), "float32"))
        r = R.call_dps_packed("g", (q,), out_ty=R.Tensor((M, 2), "float32"))
        if c:
            d = r
        else:
            d = R.nn.softmax(b, axis=-1)
        e = R.some.op(d, flag=True)
        return (d, e)
`,
];

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN = /"[^"\n]*"|[A-Za-z_]\w*|\d+(?:\.\d+)?|\n|[ \t]+|./g;

function mutate(text: string, rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const op = pick(6);
  if (op >= 4) {
    const lines = text.split('\n');
    const i = pick(lines.length);
    if (op === 4) lines.splice(i, 1);
    else lines.splice(i, 0, lines[pick(lines.length)]!);
    return lines.join('\n');
  }
  const toks = text.match(TOKEN) ?? [];
  const i = pick(toks.length);
  if (op === 0) toks.splice(i, 1);
  else if (op === 1) toks.splice(i, 0, toks[i]!);
  else if (op === 2 && i + 1 < toks.length) [toks[i], toks[i + 1]] = [toks[i + 1]!, toks[i]!];
  else toks.splice(i, 0, toks[pick(toks.length)]!);
  return toks.join('');
}

describe('parse() under mutation', () => {
  it('never throws, returns promptly and reports no internal errors', () => {
    const rnd = prng(20260805);
    const start = performance.now();
    let cases = 0;
    for (let round = 0; round < 400 && performance.now() - start < 7000; round++) {
      for (const seed of SEEDS) {
        let text = seed;
        const steps = 1 + Math.floor(rnd() * 3);
        for (let s = 0; s < steps; s++) text = mutate(text, rnd);
        const t0 = performance.now();
        let result: ReturnType<typeof parse> | undefined;
        expect(() => (result = parse(text, { loose: true })), text).not.toThrow();
        expect(performance.now() - t0, text).toBeLessThan(3000);
        const internal = result!.diagnostics.filter((d) => d.code === 'R299');
        expect(internal.map((d) => d.message), text).toEqual([]);
        expect(Array.isArray(result!.diagnostics)).toBe(true);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  it('strict mode never throws either and gives a module only without errors', () => {
    const rnd = prng(7);
    for (let i = 0; i < 150; i++) {
      const text = mutate(SEEDS[i % SEEDS.length]!, rnd);
      const r = parse(text);
      if (r.diagnostics.some((d) => d.severity === 'error')) expect(r.module).toBeUndefined();
      else expect(r.module).toBeDefined();
    }
  });
});
