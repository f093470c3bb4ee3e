// Mutation fuzzing of the Python-subset parser: valid TVMScript programs are damaged token by token with a seeded
// PRNG; the parser must never throw, must stay fast, and every diagnostic and node span must lie inside the text.
import { describe, expect, it } from 'vitest';
import { parsePython } from './py-parser.js';
import { tokenize } from './tokenizer.js';

const RELAX_MODULE = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 3), dtype="float32"), w: R.Tensor((3, 4), dtype="float32")) -> R.Tensor((2, 4), dtype="float32"):
        R.func_attr({"num_input": 1})
        with R.dataflow():
            lv = R.matmul(x, w, out_dtype="void")
            lv1: R.Tensor((2, 4), dtype="float32") = R.nn.relu(lv)
            gv = R.add(lv1, R.const(0.5, "float32"))
            R.output(gv)
        return gv
`;

const RELAX_CALL_TIR = `@I.ir_module
class Module:
    @T.prim_func(private=True)
    def exp(var_A: T.handle, var_B: T.handle):
        T.func_attr({"tirx.noalias": True})
        n = T.int64()
        A = T.match_buffer(var_A, (n,))
        B = T.match_buffer(var_B, (n,))
        for i in range(n):
            with T.sblock("B"):
                vi = T.axis.spatial(n, i)
                T.reads(A[vi])
                T.writes(B[vi])
                B[vi] = T.exp(A[vi])

    @R.function(pure=False)
    def main[N](x: R.Tensor(("N",), "float32")) -> R.Tuple(R.Tensor((N,), "float32"), R.Shape([N])):
        cls = Module
        y = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((N,), dtype="float32"))
        if R.const(True, "bool"):
            z = y
        else:
            z = R.multiply(y, y)
        s: R.Shape([N]) = R.shape_of(z)
        R.call_packed("vm.builtin.print", z, ty_args=R.Tuple)
        return (z, s)
`;

const TIR_MATMUL = `@T.prim_func
def matmul(A: T.Buffer((T.int64(4), T.int64(8)), "float32"), B: T.Buffer((T.int64(8), T.int64(16)), "float32"), C: T.Buffer((T.int64(4), T.int64(16)), "float32")):
    T.func_attr({"tir.noalias": T.bool(True), "global_symbol": "matmul"})
    C_tmp = T.alloc_buffer([T.int64(4), T.int64(16)], dtype="float32")
    for i0, i1, k in T.grid(T.int64(4), T.int64(16), T.int64(8)):
        with T.block("C"):
            v0, v1, vk = T.axis.remap("SSR", [i0, i1, k])
            T.reads(A[v0, vk], B[vk, v1])
            T.writes(C_tmp[v0, v1])
            with T.init():
                C_tmp[v0, v1] = T.float32(0)
            C_tmp[v0, v1] = C_tmp[v0, v1] + A[v0, vk] * B[vk, v1]
    for i0, i1 in T.grid(T.int64(4), T.int64(16)):
        with T.block("relu"):
            v0 = T.axis.spatial(T.int64(4), i0)
            v1 = T.axis.spatial(T.int64(16), i1)
            C[v0, v1] = T.max(C_tmp[v0, v1], T.float32(-3.4028234663852886e+38)) if v0 >= 0 else T.Select(v1 < 2, 0.0, 1e-05)
`;

const RFC_STYLE = `import tvm
from tvm.script import relax as R, tir as T

@tvm.script.ir_module
class MyIRModule:
    @R.function
    def relax_func(x: R.Tensor[(n, k), "float32"], w: R.Tensor[_, "float32"]):
        with R.dataflow():
            lv0 = R.match_shape(w, (k, m))
            lv2: R.Tensor[(n * m,), "float32"] = R.flatten(R.dot(x, lv0))
            gv0 = R.call_tir(tir_exp_func, [lv2], (n * m,), dtype="float32")
            R.outputs(gv0)
        R.call_packed("custom_inplace_update", gv0)
        return gv0
`;

const PROGRAMS = [RELAX_MODULE, RELAX_CALL_TIR, TIR_MATMUL, RFC_STYLE];

/** mulberry32: small, fast, seeded. */
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

type Piece = { start: number; end: number };

function mutate(text: string, pieces: Piece[], rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const p = pick(pieces);
  switch (Math.floor(rand() * 7)) {
    case 0: // delete a token
      return text.slice(0, p.start) + text.slice(p.end);
    case 1: // duplicate a token
      return text.slice(0, p.end) + text.slice(p.start, p.end) + text.slice(p.end);
    case 2: { // swap a token with the next one
      const k = pieces.indexOf(p);
      const q = pieces[k + 1];
      if (!q) return text;
      return text.slice(0, p.start) + text.slice(q.start, q.end) + text.slice(p.end, q.start) + text.slice(p.start, p.end) + text.slice(q.end);
    }
    case 3: { // delete a line
      const lines = text.split('\n');
      lines.splice(Math.floor(rand() * lines.length), 1);
      return lines.join('\n');
    }
    case 4: { // insert a random bracket
      const at = Math.floor(rand() * (text.length + 1));
      return text.slice(0, at) + pick(['(', ')', '[', ']', '{', '}']) + text.slice(at);
    }
    case 5: { // insert a random troublesome character
      const at = Math.floor(rand() * (text.length + 1));
      return text.slice(0, at) + pick(['"', "'", '"""', '\\', '\t', ' ', '\n', ':', '#', '$', '\r', '0x', '@', ',']) + text.slice(at);
    }
    default: // truncate
      return text.slice(0, Math.floor(rand() * text.length));
  }
}

/** Every span in the tree (found structurally: any object with numeric start/end). */
function checkSpans(node: unknown, length: number, bad: string[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) checkSpans(x, length, bad);
    return;
  }
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if ((k === 'span' || k === 'nameSpan') && v && typeof v === 'object') {
      const s = v as { start: number; end: number };
      if (!(s.start >= 0 && s.start <= s.end && s.end <= length)) bad.push(`${String(o.kind)}.${k} ${s.start}-${s.end}`);
    } else {
      checkSpans(v, length, bad);
    }
  }
}

describe('py-parser fuzz', () => {
  it('parses the seed programs without diagnostics', () => {
    for (const p of PROGRAMS) expect(parsePython(p).diagnostics).toEqual([]);
  });

  it('never throws, stays fast, and keeps every span inside the text under thousands of mutations', () => {
    const rand = prng(20260822);
    let runs = 0;
    let withErrors = 0;
    let slowest = 0;
    for (const program of PROGRAMS) {
      for (let round = 0; round < 1000; round++) {
        let text = program;
        const edits = 1 + Math.floor(rand() * 3);
        for (let e = 0; e < edits; e++) {
          const pieces = tokenize(text).tokens.filter((t) => t.end > t.start && t.kind !== 'newline');
          if (pieces.length === 0) break;
          text = mutate(text, pieces, rand);
        }
        for (const loose of [true, false]) {
          const t0 = performance.now();
          let result: ReturnType<typeof parsePython> | undefined;
          try {
            result = parsePython(text, { loose });
          } catch (err) {
            throw new Error(`parsePython threw on:\n${text}`, { cause: err });
          }
          const ms = performance.now() - t0;
          slowest = Math.max(slowest, ms);
          expect(ms, text).toBeLessThan(2000);
          for (const d of result.diagnostics) {
            const s = d.span!;
            expect(s.start >= 0 && s.start <= s.end && s.end <= text.length, `${d.code} ${s.start}-${s.end} in:\n${text}`).toBe(true);
          }
          const bad: string[] = [];
          checkSpans(result.module, text.length, bad);
          expect(bad, text).toEqual([]);
          if (result.diagnostics.length > 0) withErrors++;
          runs++;
        }
      }
    }
    expect(runs).toBe(PROGRAMS.length * 2000);
    expect(withErrors).toBeGreaterThan(runs / 4); // the mutations really do damage
  });
});
