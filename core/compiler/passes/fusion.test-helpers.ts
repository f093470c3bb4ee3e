/**
 * Test-only helpers for the fusion passes (AnnotateTIROpPattern, FoldConstant, FuseOps, FuseTIR): kernels in the
 * form LegalizeOps makes, built with legalize/te.ts, a module builder that prints them next to a hand-written
 * Relax `main`, and a reference runner that executes a Relax function's `call_tir` bindings one by one on the JS
 * backend (enough to compare fused with unfused kernels; it is no VM).
 */
import type { IRModule } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type { PrimExpr, PrimFunc, TirVar } from '../../ir/tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../../ir/tir/nodes.js';
import { parse } from '../../ir/parser/index.js';
import { printModule } from '../../ir/printer/index.js';
import type { Expr, RelaxFunction, RelaxVar } from '../../ir/relax/nodes.js';
import { compute, load, placeholder, primFunc, reduceAxis, sum, max as teMax } from '../legalize/te.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import '../../ir/op/all.js';

const i64 = (v: number): PrimExpr => intImm(v);
const f32 = (v: number): PrimExpr => floatImm(v, 'float32');
const call = (op: string, args: PrimExpr[]): PrimExpr => ({ kind: 'tir.Call', op, args, dtype: 'float32' });

/** `T_add[i, j] = A[i, j] + B[j]` over (n, 8) and (8,). */
export function addBias(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  const B = placeholder([i64(8)], 'float32', 'B');
  const C = compute([n, i64(8)], (i, j) => binary('add', load(A, [i, j]), load(B, [j])), 'T_add');
  return primFunc([A, B, C]);
}

/** `matmul[i, j] += A[i, k] * B[k, j]`, (n, 16) x (16, 8). */
export function matmul(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(16)], 'float32', 'A');
  const B = placeholder([i64(16), i64(8)], 'float32', 'B');
  const k = reduceAxis(i64(16));
  const C = compute([n, i64(8)], (i, j) => sum(binary('mul', load(A, [i, k.v]), load(B, [k.v, j])), [k]), 'matmul');
  return primFunc([A, B, C]);
}

/** `0.5 * x * (1 + erf(x / sqrt 2))` over (n, 8). */
export function gelu(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  const C = compute([n, i64(8)], (i, j) => {
    const x = load(A, [i, j]);
    const e = call('erf', [binary('mul', x, f32(0.7071067811865476))]);
    return binary('mul', binary('mul', f32(0.5), x), binary('add', f32(1), e));
  }, 'T_gelu');
  return primFunc([A, C]);
}

/** Element-wise `exp` over (n, 8). */
export function exp2d(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  return primFunc([A, compute([n, i64(8)], (i, j) => call('exp', [load(A, [i, j])]), 'compute')]);
}

/** Element-wise product of two (n, 8) tensors. */
export function mul2d(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  const B = placeholder([n, i64(8)], 'float32', 'B');
  return primFunc([A, B, compute([n, i64(8)], (i, j) => binary('mul', load(A, [i, j]), load(B, [i, j])), 'T_multiply')]);
}

/** Element-wise `sqrt` over (n,). */
export function sqrt1d(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n], 'float32', 'A');
  return primFunc([A, compute([n], (i) => call('sqrt', [load(A, [i])]), 'compute')]);
}

/** Row sums (n, 8) -> (n,). */
export function rowSum(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  const k = reduceAxis(i64(8));
  return primFunc([A, compute([n], (i) => sum(load(A, [i, k.v]), [k]), 'A_red')]);
}

/** Row maxima (n, 8) -> (n,). */
export function rowMax(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  const k = reduceAxis(i64(8));
  return primFunc([A, compute([n], (i) => teMax(load(A, [i, k.v]), [k]), 'A_red')]);
}

/** Transpose (n, 8) -> (8, n). */
export function transpose(): PrimFunc {
  const n = tvar('n');
  const A = placeholder([n, i64(8)], 'float32', 'A');
  return primFunc([A, compute([i64(8), n], (i, j) => load(A, [j, i]), 'T_transpose')]);
}

/** NCHW conv2d, stride 1, padding 1, 3x3: data (1, 3, 6, 6), weight (4, 3, 3, 3) -> (1, 4, 6, 6). */
export function conv2d(): PrimFunc {
  const data = placeholder([i64(1), i64(3), i64(6), i64(6)], 'float32', 'A');
  const w = placeholder([i64(4), i64(3), i64(3), i64(3)], 'float32', 'B');
  const pad = compute([i64(1), i64(3), i64(8), i64(8)], (b, c, h, x) => {
    const inside = binary('and', binary('and', binary('ge', h, i64(1)), binary('lt', h, i64(7))), binary('and', binary('ge', x, i64(1)), binary('lt', x, i64(7))));
    const v = load(data, [b, c, binary('sub', h, i64(1)), binary('sub', x, i64(1))]);
    return { kind: 'tir.Call', op: 'if_then_else', args: [inside, v, f32(0)], dtype: 'float32' };
  }, 'pad_temp');
  const rc = reduceAxis(i64(3), 'rc');
  const ry = reduceAxis(i64(3), 'ry');
  const rx = reduceAxis(i64(3), 'rx');
  const out = compute([i64(1), i64(4), i64(6), i64(6)], (b, f, y, x) => sum(binary('mul',
    load(pad, [b, rc.v, binary('add', y, ry.v), binary('add', x, rx.v)]),
    load(w, [f, rc.v, ry.v, rx.v])), [rc, ry, rx]), 'conv2d_nchw');
  return primFunc([data, w, out]);
}

/** `A + B[0, c, 0, 0]` over (1, 4, 6, 6) and (1, 4, 1, 1). */
export function biasAdd4d(): PrimFunc {
  const s = [i64(1), i64(4), i64(6), i64(6)];
  const A = placeholder(s, 'float32', 'A');
  const B = placeholder([i64(1), i64(4), i64(1), i64(1)], 'float32', 'B');
  return primFunc([A, B, compute(s, (b, c, h, w) => binary('add', load(A, [b, c, h, w]), load(B, [i64(0), c, i64(0), i64(0)])), 'T_add')]);
}

/** `max(x, 0)` over (1, 4, 6, 6). */
export function relu4d(): PrimFunc {
  const s = [i64(1), i64(4), i64(6), i64(6)];
  const A = placeholder(s, 'float32', 'A');
  return primFunc([A, compute(s, (b, c, h, w) => binary('max', load(A, [b, c, h, w]), f32(0)), 'compute')]);
}

/** Builds a module from kernels (printed) and Relax functions written in TVMScript (indented 4 spaces). */
export function moduleOf(kernels: Readonly<Record<string, PrimFunc>>, relax: string): IRModule {
  const printed = printModule(irModule('Module', new Map(Object.entries(kernels))));
  const text = `${printed.replace(/\s*$/, '\n')}\n${relax}`;
  const r = parse(text);
  if (!r.module) throw new Error(`test module does not parse:\n${r.diagnostics.map((d) => d.message).join('\n')}\n${text}`);
  return r.module;
}

/** Deterministic values in [-1, 1). */
export function randomValues(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

/**
 * Runs a Relax function whose body is `call_tir` bindings (and calls to other such functions) on the JS backend.
 * Symbolic dims of `out_ty` are resolved from the argument tensors' shapes.
 */
export function runRelax(mod: IRModule, fnName: string, args: readonly Tensor[]): Tensor {
  const f = mod.functions.get(fnName) as RelaxFunction;
  const env = new Map<RelaxVar, Tensor>();
  const dims = new Map<TirVar, number>();
  f.params.forEach((p, i) => {
    env.set(p, args[i]!);
    bindDims(p.sinfo, args[i]!, dims);
  });
  const backend = new JsKernelBackend();
  const value = (e: Expr): Tensor => {
    if (e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar') return env.get(e)!;
    if (e.kind === 'relax.Constant') return Tensor.from(e.shape!, e.dtype, e.data!.map(Number));
    throw new Error(`runRelax: unsupported argument ${e.kind}`);
  };
  for (const block of f.body.blocks) {
    for (const b of block.bindings) {
      const c = b.value;
      if (c.kind === 'relax.Constant') {
        env.set(b.v, value(c));
        continue;
      }
      if (c.kind !== 'relax.Call') throw new Error(`runRelax: unsupported binding ${c.kind}`);
      if (c.op.kind === 'relax.GlobalVar') {
        env.set(b.v, runRelax(mod, c.op.name, c.args.map(value)));
        continue;
      }
      const callee = mod.functions.get((c.args[0] as { name: string }).name) as PrimFunc;
      const ins = (c.args[1] as { fields: readonly Expr[] }).fields.map(value);
      const si = c.sinfoArgs[0]!;
      if (si.kind !== 'si.Tensor' || si.shape?.kind !== 'relax.ShapeExpr') throw new Error('runRelax: needs a tensor out_ty');
      const shape = si.shape.values.map((d) => evalDim(d, dims));
      const out = new Tensor(shape, si.dtype);
      void backend.compile((c.args[0] as { name: string }).name, callee).run([...ins, out]);
      env.set(b.v, out);
    }
  }
  return value(f.body.body);
}

function bindDims(si: RelaxVar['sinfo'], t: Tensor, dims: Map<TirVar, number>): void {
  if (si.kind !== 'si.Tensor' || si.shape?.kind !== 'relax.ShapeExpr') return;
  si.shape.values.forEach((d, i) => {
    if (d.kind === 'tir.Var') dims.set(d, t.shape[i]!);
  });
}

function evalDim(d: PrimExpr, dims: ReadonlyMap<TirVar, number>): number {
  if (d.kind === 'tir.IntImm') return d.value;
  if (d.kind === 'tir.Var') return dims.get(d)!;
  if (d.kind === 'tir.Binary') {
    const [a, b] = [evalDim(d.a, dims), evalDim(d.b, dims)];
    if (d.op === 'add') return a + b;
    if (d.op === 'sub') return a - b;
    if (d.op === 'mul') return a * b;
    if (d.op === 'floordiv') return Math.floor(a / b);
  }
  throw new Error(`runRelax: cannot evaluate dim ${d.kind}`);
}
