/**
 * TIR round trip through the TIR builder: text -> PrimFunc -> text must be a fixpoint after one print, and the
 * re-parsed function structurally equal to the printed one, in both dialects.
 */
import { describe, expect, it } from 'vitest';
import { parsePython } from '../parser/py-parser.js';
import type { PyFunctionDef, PyStmt } from '../parser/pyast.js';
import { buildPrimFunc } from '../parser/tir-builder.js';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { structuralEqual } from '../structural.js';
import { irModule } from '../module.js';
import type { PrimFunc } from '../tir/nodes.js';
import type { Dialect } from './index.js';
import { printModule } from './index.js';

const HEADER = '# from tvm.script import ir as I\n# from tvm.script import tirx as T\n\n@I.ir_module\nclass Module:\n';

const PROGRAMS: Record<string, string> = {
  symbolic_matmul: `    @T.prim_func(private=True)
    def f(var_A: T.handle, B: T.Buffer((T.int64(4), T.int64(4)), "float32"), var_C: T.handle):
        T.func_attr({"tirx.noalias": True})
        n = T.int64()
        A = T.match_buffer(var_A, (n, T.int64(4)))
        C = T.match_buffer(var_C, (n, T.int64(4)), "float16")
        T_tmp = T.sblock_alloc_buffer((n, T.int64(4)))
        for i0, i1, k in T.grid(n, T.int64(4), T.int64(4)):
            with T.sblock("mm"):
                v0, v1, vk = T.axis.remap("SSR", [i0, i1, k])
                T.reads(A[v0, vk], B[vk, v1])
                T.writes(T_tmp[v0, v1])
                with T.init():
                    T_tmp[v0, v1] = T.float32(0.0)
                T_tmp[v0, v1] = T_tmp[v0, v1] + A[v0, vk] * B[vk, v1]
        for i in range(n):
            for j in T.serial(T.int64(2), T.int64(4)):
                with T.sblock("cast"):
                    vi = T.axis.spatial(n, i)
                    vj = T.axis.spatial((T.int64(2), T.int64(4)), j)
                    T.where(i < n)
                    T.reads(T_tmp[vi, vj])
                    T.writes(C[vi, vj])
                    T.sblock_attr({"x": 1})
                    C[vi, vj] = T.Cast("float16", T.max(T_tmp[vi, vj], T.float32(-3.4028234663852886e+38)) / T.float32(2.0))
`,
  statements: `    @T.prim_func
    def g(B: T.Buffer((T.int64(4), T.int64(4)), "float32"), m: T.int32):
        for t in T.vectorized(T.int64(4)):
            x: T.int64 = t * T.int64(2)
            if x < T.int64(4) and not t == T.int64(0):
                B[t, t] = T.exp(B[t, t]) + T.Select(t > T.int64(1), T.float32(1.0), T.float32("inf"))
            else:
                B[t, T.int64(0)] = T.if_then_else(t % T.int64(2) == T.int64(0), T.float32(0.5), T.float32(1e-05))
        for u in T.unroll(m):
            assert u < m, "in range"
            T.evaluate(T.truncdiv(u, 2) + T.truncmod(m, 3) - (u - m) // 2)
            T.evaluate(T.call_extern("float32", "my_fn", B[0, 0], u))
            B[0, 1] = T.Cast("float32", T.call_extern("int32", "other", m)) + T.my_intrin(B[0, 0], dtype="float16")
`,
  gpu: `    @T.prim_func(private=True, s_tir=True)
    def h(A: T.Buffer((T.int64(64),), "float32", offset_factor=1), Out: T.Buffer((T.int64(64),), "float32")):
        S = T.sblock_alloc_buffer((T.int64(64),), "float16", scope="shared")
        for bx in T.thread_binding(T.int64(2), thread="blockIdx.x"):
            for tx in T.thread_binding(T.int64(32), thread="threadIdx.x"):
                with T.sblock("copy"):
                    v = T.axis.spatial(T.int64(64), bx * T.int64(32) + tx)
                    T.reads(A[v])
                    T.writes(Out[v], S[v])
                    S[v] = T.Cast("float16", A[v])
                    Out[v] = T.Cast("float32", S[v]) * T.float32(2.0)
`,
};

function buildAll(text: string): PrimFunc[] {
  const { module, diagnostics } = parsePython(text, {});
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const cls = module.body.find((s) => s.kind === 'ClassDef') as (PyStmt & { body: readonly PyStmt[] }) | undefined;
  const out: PrimFunc[] = [];
  for (const s of cls?.body ?? []) {
    if (s.kind !== 'FunctionDef') continue;
    const diags = new DiagnosticBag();
    const f = buildPrimFunc(s as PyFunctionDef, { diags, tAliases: new Set(['T']) });
    expect(diags.items.filter((d) => d.severity === 'error')).toEqual([]);
    out.push(f!);
  }
  return out;
}

function print(f: PrimFunc, name: string, dialect: Dialect): string {
  return printModule(irModule('Module', new Map([[name, f]])), { dialect });
}

describe.each<Dialect>(['v0.26', 'classic'])('TIR round trip (%s)', (dialect) => {
  it.each(Object.entries(PROGRAMS))('%s', (name, src) => {
    const [f] = buildAll(HEADER + src);
    const text = print(f!, 'f', dialect);
    const [g] = buildAll(text);
    expect(structuralEqual(f, g)).toBeNull();
    expect(print(g!, 'f', dialect)).toBe(text);
  });
});
