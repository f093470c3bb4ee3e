/**
 * Test support for legalizers: build a one-op TVMScript module with symbolic shapes, lower it through the real
 * path, run it on seeded random inputs for several sizes, and compare against an independent reference written
 * as straight loops over flat arrays with NumPy semantics (nothing here reads TIR). @internal
 *
 * Two ways to run a module (`OpCase.via`, default both):
 *   "kernel": `legalizeOps()` then each `call_tir` kernel compiled with JsKernelBackend and run by a tiny
 *             interpreter of `main` (symbolic dims bound from the inputs' shapes) - isolates the legalizer;
 *   "vm":     `build()` (the whole pipeline and VM codegen) then VirtualMachine - tests everything end to end
 *             (with static shapes while VMShapeLower is in PENDING_PASSES).
 * Every case also checks that the legalized module prints and parses back to a structurally equal module. An op
 * with a tuple result (one kernel, several outputs) has a `ref` returning one reference per field.
 * Also the row-major helpers the references are written with (`at`, `build`, `indices`), the `f32` param
 * shorthand and `expectOp` (vitest: the case has no failures). Used by legalize/*.test.ts.
 */
import { expect } from 'vitest';
import { parse } from '../../ir/parser/index.js';
import { printModule } from '../../ir/printer/index.js';
import { structuralEqual } from '../../ir/structural.js';
import type { IRModule } from '../../ir/module.js';
import type { Expr, RelaxFunction, StructInfo } from '../../ir/relax/nodes.js';
import { tensorDims } from '../../ir/relax/nodes.js';
import type { PrimExpr, PrimFunc } from '../../ir/tir/nodes.js';
import { evaluate } from '../../ir/arith/testing.js';
import type { Diagnostic } from '../../ir/diagnostics/diagnostic.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { seededRandom } from '../../vm/inputs.js';
import { Tensor } from '../../vm/tensor.js';
import type { Value } from '../../vm/value.js';
import { VirtualMachine } from '../../vm/vm.js';
import type { PassContext } from '../pass.js';
import { legalizeOps } from '../passes/legalize-ops.js';
import { build as buildModule } from '../build.js';
import { PENDING_PASSES } from '../pipeline.js';

// ---------------------------------------------------------------- reference tensors and NumPy-style semantics

/** A reference tensor: row-major values as JS numbers (bools as 0/1). */
export interface RefTensor {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: readonly number[];
}

export const isFloat = (dtype: string): boolean => /^(b?float)\d+$/.test(dtype);

/** The value a tensor of `dtype` stores for `v` (float32 rounding, integer wrap-around, bool as 0/1). */
export function store(v: number, dtype: string): number {
  if (dtype === 'float32' || dtype === 'float16') return Math.fround(v);
  if (isFloat(dtype)) return v;
  if (dtype === 'bool') return v !== 0 && !Number.isNaN(v) ? 1 : 0;
  const t = Number.isFinite(v) ? Math.trunc(v) : 0;
  const m = /^(u?)int(\d+)$/.exec(dtype);
  const bits = Number(m?.[2] ?? 64);
  if (bits >= 53) return t;
  const span = 2 ** bits;
  const u = ((t % span) + span) % span;
  return m?.[1] === 'u' || u < span / 2 ? u : u - span;
}

export function ref(shape: readonly number[], dtype: string, data: readonly number[]): RefTensor {
  return { shape, dtype, data: data.map((v) => store(v, dtype)) };
}

/** What an op produces: one tensor, or one per field of a tuple result. */
export type RefResult = RefTensor | readonly RefTensor[];

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** The multi-index of flat position `f` in `shape`. */
function unflatten(f: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = f % shape[i]!;
    f = Math.floor(f / shape[i]!);
  }
  return out;
}

/** All index tuples of a shape, row-major. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  for (let f = 0; f < size(shape); f++) yield unflatten(f, shape);
}

/** The element of `t` at multi-index `ix` (no broadcasting). */
export function at(t: RefTensor, ix: readonly number[]): number {
  let f = 0;
  t.shape.forEach((d, i) => (f = f * d + ix[i]!));
  return t.data[f]!;
}

/** A reference tensor of `shape` whose element at each multi-index is `fn(ix)`, stored as `dtype`. */
export function build(shape: readonly number[], dtype: string, fn: (ix: number[]) => number): RefTensor {
  return ref(shape, dtype, Array.from(indices(shape), fn));
}

/** The NumPy broadcast shape of several shapes. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) throw new Error(`shapes ${JSON.stringify(shapes)} do not broadcast`);
    return big;
  });
}

/** Reads `t` at output multi-index `idx` under broadcasting. */
function bget(t: RefTensor, idx: readonly number[]): number {
  const off = idx.length - t.shape.length;
  const st = strides(t.shape);
  let f = 0;
  t.shape.forEach((d, i) => {
    f += (d === 1 ? 0 : idx[off + i]!) * st[i]!;
  });
  return t.data[f]!;
}

/** Element-wise map over broadcast inputs: `out = fn(a, b, ...)`, stored as `dtype`. */
export function refMap(dtype: string, inputs: readonly RefTensor[], fn: (...xs: number[]) => number): RefTensor {
  const shape = broadcastShape(...inputs.map((t) => t.shape));
  const data = Array.from({ length: size(shape) }, (_, f) => {
    const idx = unflatten(f, shape);
    return fn(...inputs.map((t) => bget(t, idx)));
  });
  return ref(shape, dtype, data);
}

/**
 * A reduction: for each output position, `fn` of the values along `axes` (null: all) in row-major order of the
 * reduced axes; `keepdims` keeps them as 1.
 */
export function refReduce(
  x: RefTensor, axes: readonly number[] | null, keepdims: boolean, dtype: string, fn: (vals: number[]) => number,
): RefTensor {
  const rank = x.shape.length;
  const red = new Set((axes ?? [...Array(rank).keys()]).map((a) => (a < 0 ? a + rank : a)));
  const outShape = x.shape.flatMap((d, i) => (red.has(i) ? (keepdims ? [1] : []) : [d]));
  const keptDims = x.shape.map((_, i) => i).filter((i) => !red.has(i));
  const redDims = x.shape.map((_, i) => i).filter((i) => red.has(i));
  const st = strides(x.shape);
  const data: number[] = [];
  for (let o = 0; o < size(outShape); o++) {
    const kept = unflatten(o, keptDims.map((i) => x.shape[i]!));
    const vals: number[] = [];
    const redShape = redDims.map((i) => x.shape[i]!);
    for (let r = 0; r < size(redShape); r++) {
      const ri = unflatten(r, redShape);
      let f = 0;
      keptDims.forEach((d, j) => (f += kept[j]! * st[d]!));
      redDims.forEach((d, j) => (f += ri[j]! * st[d]!));
      vals.push(x.data[f]!);
    }
    data.push(fn(vals));
  }
  return ref(outShape, dtype, data);
}

/** Sequential float32 accumulation, as a float32 kernel computes a sum. */
export const sumF32 = (vals: number[]): number => vals.reduce((a, v) => Math.fround(a + v), 0);
export const sumExact = (vals: number[]): number => vals.reduce((a, v) => a + v, 0);
export const mean = (vals: number[]): number => sumExact(vals) / vals.length;
export const variance = (vals: number[]): number => {
  const m = mean(vals);
  return mean(vals.map((v) => (v - m) * (v - m)));
};
export const argOf = (better: (a: number, b: number) => boolean) => (vals: number[]): number => {
  let best = 0;
  for (let i = 1; i < vals.length; i++) if (better(vals[i]!, vals[best]!)) best = i;
  return best;
};

/** erf to double precision (Abramowitz-Stegun 7.1.26 is too coarse; this is the series / continued fraction). */
export function erf(x: number): number {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? NaN : Math.sign(x);
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let term = ax;
    let s = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      s += add;
      if (Math.abs(add) < 1e-17 * Math.abs(s)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * s;
  }
  // erfc continued fraction (Lentz) for large |x|.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Round half to even. */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---------------------------------------------------------------- random inputs

/** How to draw the values of an input: a [lo, hi) range (integers for int dtypes), or a function. */
export type Gen = readonly [number, number] | ((r: () => number) => number);

export function randomRef(r: () => number, shape: readonly number[], dtype: string, gen?: Gen): RefTensor {
  const g: Gen = gen ?? (dtype === 'bool' ? [0, 2] : isFloat(dtype) ? [-2, 2] : [-20, 20]);
  const draw = (): number => {
    if (typeof g === 'function') return g(r);
    const v = g[0] + r() * (g[1] - g[0]);
    return isFloat(dtype) ? v : Math.floor(v);
  };
  return ref(shape, dtype, Array.from({ length: size(shape) }, draw));
}

// ---------------------------------------------------------------- lowering and running

/** A parameter of the test function; string dims are symbolic. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly (number | string)[];
  readonly dtype: string;
  readonly gen?: Gen;
}

/** A float32 parameter (values drawn by `gen`, default [-2, 2)). */
export const f32 = (name: string, shape: readonly (number | string)[], gen?: Gen): ParamSpec => ({ name, shape, dtype: 'float32', ...(gen ? { gen } : {}) });

/** The TVMScript of `def main(params): gv = <call>; return gv`. */
export function moduleText(call: string, params: readonly ParamSpec[]): string {
  const syms = [...new Set(params.flatMap((p) => p.shape.filter((d): d is string => typeof d === 'string')))];
  const sig = params.map((p) => `${p.name}: R.Tensor((${p.shape.map((d) => (typeof d === 'string' ? `"${d}"` : d)).join(', ')}${p.shape.length === 1 ? ',' : ''}), dtype="${p.dtype}")`);
  return [
    '@I.ir_module',
    'class Module:',
    '    @R.function',
    `    def main(${sig.join(', ')}):`,
    ...syms.map((s) => `        ${s} = T.int64()`),
    `        gv = ${call}`,
    '        return gv',
    '',
  ].join('\n');
}

function passCtx(diags: Diagnostic[]): PassContext {
  return { options: {}, report: (d) => diags.push(d) };
}

/** Parses `text` strictly and legalizes it; throws with the diagnostics on any error. */
export function legalizeText(text: string): IRModule {
  const parsed = parse(text);
  const errs = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.module || errs.length) throw new Error(`the test module does not parse: ${errs.map((d) => d.message).join('; ')}\n${text}`);
  const diags: Diagnostic[] = [];
  const out = legalizeOps().run(parsed.module, passCtx(diags));
  if (diags.length) throw new Error(`LegalizeOps reported: ${diags.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return out;
}

/** The PrimFuncs of a module, by name. */
export function kernelsOf(mod: IRModule): Map<string, PrimFunc> {
  const out = new Map<string, PrimFunc>();
  for (const [k, f] of mod.functions) if (f.kind === 'tir.PrimFunc') out.set(k, f);
  return out;
}

/** Why a module does not print and parse back to itself, or undefined when it does. */
export function roundTripProblem(mod: IRModule): string | undefined {
  const text = printModule(mod);
  const again = parse(text);
  const errs = again.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length || !again.module) return `the printed module does not parse: ${errs.map((d) => d.message).join('; ')}\n${text}`;
  const diff = structuralEqual(mod, again.module);
  return diff === null ? undefined : `print/parse round trip differs: ${diff}\n${text}`;
}

/** What a run produces: one tensor, or one per field of a tuple result. */
export type RunResult = Tensor | readonly Tensor[];

/** The output struct infos of a call_tir (one per field for a tuple result). */
function outputSInfos(c: { readonly sinfoArgs: readonly StructInfo[] }): readonly StructInfo[] {
  const only = c.sinfoArgs.length === 1 ? c.sinfoArgs[0]! : undefined;
  return only?.kind === 'si.Tuple' ? only.fields : c.sinfoArgs;
}

/**
 * Runs `main` of a legalized module: each binding must be a call_tir (kernels run with JsKernelBackend). A kernel
 * with several outputs (a tuple result) gets one output buffer per field, and its binding is the list of them.
 */
export function runLegalized(mod: IRModule, inputs: readonly Tensor[], backend = new JsKernelBackend()): RunResult {
  const main = mod.functions.get('main') as RelaxFunction;
  const sym = new Map<string, number>();
  const env = new Map<object, RunResult>();
  main.params.forEach((p, i) => {
    const t = inputs[i]!;
    env.set(p, t);
    tensorDims(p.sinfo)?.forEach((d, k) => {
      if (d.kind === 'tir.Var') sym.set(d.name, t.shape[k]!);
    });
  });
  const dim = (e: PrimExpr): number => evaluate(e, sym);
  const value = (e: Expr): RunResult | number => {
    if (e.kind === 'relax.PrimValue') return dim(e.value);
    if (e.kind === 'relax.Constant') return Tensor.from(e.shape ?? [], e.dtype, (e.data ?? []).map(Number));
    const t = env.get(e);
    if (!t) throw new Error(`runLegalized: no value for ${e.kind}`);
    return t;
  };
  const alloc = (si: StructInfo): Tensor => {
    const dims = tensorDims(si);
    if (si.kind !== 'si.Tensor' || !dims) throw new Error('runLegalized: an output shape is unknown');
    return new Tensor(dims.map(dim), si.dtype);
  };
  for (const block of main.body.blocks) {
    for (const b of block.bindings) {
      const c = b.value;
      if (c.kind !== 'relax.Call' || c.op.kind !== 'relax.Op' || c.op.name !== 'relax.call_tir') {
        throw new Error(`runLegalized: binding ${b.v.name} was not legalized (${c.kind === 'relax.Call' && c.op.kind === 'relax.Op' ? c.op.name : c.kind})`);
      }
      const gv = c.args[0]!;
      const args = c.args[1]!;
      if (gv.kind !== 'relax.GlobalVar' || args.kind !== 'relax.Tuple') throw new Error('runLegalized: unexpected call_tir form');
      const f = mod.functions.get(gv.name) as PrimFunc;
      const sinfos = outputSInfos(c);
      const outs = sinfos.map(alloc);
      const ins = args.fields.map(value);
      const tensors = ins.filter((x): x is Tensor => x instanceof Tensor);
      const scalars = ins.filter((x): x is number => typeof x === 'number');
      if (tensors.length + scalars.length !== ins.length) throw new Error('runLegalized: a kernel argument is a tuple');
      backend.compile(gv.name, f).run([...tensors, ...outs, ...scalars]);
      env.set(b.v, c.sinfoArgs.length === 1 && sinfos === c.sinfoArgs ? outs[0]! : outs);
    }
  }
  const ret = env.get(main.body.body);
  if (!ret) throw new Error('runLegalized: main does not return a tensor binding');
  return ret;
}

/** Builds the module with the whole pipeline and runs `main` on the VM (a tuple result comes back as a list). */
export async function runBuilt(text: string, inputs: readonly Tensor[]): Promise<RunResult> {
  const parsed = parse(text);
  if (!parsed.module) throw new Error('the test module does not parse');
  const { exec } = buildModule(parsed.module);
  const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
  const out: Value = await vm.invoke('main', inputs);
  if (out instanceof Tensor) return out;
  if (Array.isArray(out) && out.every((o) => o instanceof Tensor)) return out as Tensor[];
  throw new Error('main did not return a tensor or a tuple of tensors');
}

/** The text of a case with every symbolic dim name replaced by `n` (params and the call alike). */
function staticText(call: string, params: readonly ParamSpec[], n: number): string {
  const syms = new Set(params.flatMap((p) => p.shape.filter((d): d is string => typeof d === 'string')));
  let c = call;
  for (const s of syms) c = c.replace(new RegExp(`\\b${s}\\b`, 'g'), String(n));
  return moduleText(c, params.map((p) => ({ ...p, shape: p.shape.map((d) => (typeof d === 'string' ? n : d)) })));
}

// ---------------------------------------------------------------- one op case

/** One op under test. */
export interface OpCase {
  /** The call, over the params by name: `R.add(x, y)`. */
  readonly call: string;
  readonly params: readonly ParamSpec[];
  /** The expected result from the concrete inputs: a tensor, or one per field of a tuple result. */
  readonly ref: (inputs: readonly RefTensor[]) => RefResult;
  /** Relative tolerance for floats (default 1e-5); absolute tolerance is the same times 0.1. */
  readonly rtol?: number;
  /** Values for each symbolic dim name, one run per entry (default n = 1, 3, 17 for every symbol). */
  readonly sizes?: readonly number[];
  readonly seed?: number;
  /** "kernel": legalize + kernels only; "vm": build + VirtualMachine only; "both" (default). */
  readonly via?: 'kernel' | 'vm' | 'both';
  /** The PrimFunc name the op must produce. */
  readonly kernel?: string;
}

function closeEnough(a: number, b: number, dtype: string, rtol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!isFloat(dtype)) return a === b;
  if (a === b) return true;
  return Math.abs(a - b) <= rtol * 0.1 + rtol * Math.abs(b);
}

/** Compares one output tensor with its reference; a description of the first differences, or undefined. */
function compareTensor(got: Tensor, want: RefTensor, rtol: number): string | undefined {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.shape.join(',') !== want.shape.join(',')) return `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`;
  const bad: string[] = [];
  const data = got.data;
  for (let i = 0; i < want.data.length && bad.length < 4; i++) {
    const g = Number(data[i]);
    if (!closeEnough(g, want.data[i]!, want.dtype, rtol)) bad.push(`[${i}] got ${g}, expected ${want.data[i]}`);
  }
  return bad.length ? bad.join('; ') : undefined;
}

/**
 * Compares an output (a tensor, or a tuple's fields) with its reference; a description of the first differences,
 * or undefined. A tuple is compared field by field and each problem names its field.
 */
export function compare(got: RunResult, want: RefResult, rtol = 1e-5): string | undefined {
  if (!Array.isArray(want)) return got instanceof Tensor ? compareTensor(got, want as RefTensor, rtol) : `a tuple of ${got.length}, expected a tensor`;
  if (got instanceof Tensor) return `a tensor, expected a tuple of ${want.length}`;
  if (got.length !== want.length) return `a tuple of ${got.length}, expected ${want.length} fields`;
  const bad = want.flatMap((w, i) => {
    const d = compareTensor(got[i]!, w, rtol);
    return d ? [`field ${i}: ${d}`] : [];
  });
  return bad.length ? bad.join('; ') : undefined;
}

/**
 * Lowers and runs one op case at every size; returns the failures (empty when everything matches). The legalized
 * module is made once and its kernels compiled once, so every size runs the same shape-generic code.
 */
export async function checkOp(c: OpCase): Promise<string[]> {
  const text = moduleText(c.call, c.params);
  const failures: string[] = [];
  let mod: IRModule;
  try {
    mod = legalizeText(text);
  } catch (e) {
    return [`${c.call}: ${(e as Error).message}`];
  }
  if (c.kernel && !kernelsOf(mod).has(c.kernel)) failures.push(`${c.call}: no kernel named ${c.kernel} (got ${[...kernelsOf(mod).keys()].join(', ')})`);
  const rt = roundTripProblem(mod);
  if (rt) failures.push(`${c.call}: ${rt}`);
  const backend = new JsKernelBackend();
  const r = seededRandom(c.seed ?? 1234);
  // Until VMShapeLower lands the VM runs use the module with every symbolic dim replaced by the run's size.
  const vmSymbolic = !PENDING_PASSES.has('VMShapeLower');
  for (const n of c.sizes ?? [1, 3, 17]) {
    const refs = c.params.map((p) => randomRef(r, p.shape.map((d) => (typeof d === 'string' ? n : d)), p.dtype, p.gen));
    const inputs = refs.map((t) => Tensor.from(t.shape, t.dtype, t.data));
    const want = c.ref(refs);
    const via = c.via ?? 'both';
    const runs: [string, () => Promise<RunResult> | RunResult][] = [];
    if (via !== 'vm') runs.push(['kernel', () => runLegalized(mod, inputs, backend)]);
    if (via !== 'kernel') runs.push(['vm', () => runBuilt(vmSymbolic ? text : staticText(c.call, c.params, n), inputs)]);
    for (const [how, run] of runs) {
      try {
        const diff = compare(await run(), want, c.rtol);
        if (diff) failures.push(`${c.call} at n=${n} (${how}): ${diff}`);
      } catch (e) {
        failures.push(`${c.call} at n=${n} (${how}): ${(e as Error).message}`);
      }
    }
  }
  return failures;
}

/** Asserts (vitest) that `checkOp` finds no failures: the kernel path and build + VirtualMachine, at every size. */
export async function expectOp(c: OpCase): Promise<void> {
  expect(await checkOp(c)).toEqual([]);
}
