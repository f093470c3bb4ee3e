/**
 * Legalization of the linear-algebra ops (`R.matmul`, `R.linear`, `R.einsum`) into TE kernels, plus the small TIR
 * expression helpers the other category files of this engineer share (casts, intrinsic calls, float constants).
 *
 * Preconditions: the call's result struct info is inferred with known dims (ctx.outShape); the kernel reuses those
 * dims, so the kernel's output buffer agrees with the Relax annotation by construction.
 * matmul follows NumPy (1-D operands promoted then dropped, batch dims broadcast right-aligned, a batch dim of
 * literal extent 1 reads index 0); `out_dtype` casts both operands before the multiply, as TVM's TE matmul.
 * `linear` is TVM's Python composition `matmul(x, permute_dims(w)) + b`, written as one kernel.
 * Left to others: shape checks (inference reports them), scheduling (none: block-style, serial loops).
 */
import type { Cast, PrimExpr, TirCall, TirVar } from '../../ir/tir/nodes.js';
import { binary, floatImm, intImm, isFloatDtype } from '../../ir/tir/nodes.js';
import { attrS } from '../../ir/op/common.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { ReduceAxis, TeTensor } from './te.js';
import { compute, load, reduceAxis, sum } from './te.js';
import { broadcastLoad } from './common.js';

// ---------------------------------------------------------------- shared TIR helpers

/** `T.Cast(dtype, e)`, or `e` itself when it already has that dtype. */
export function castTo(dtype: string, e: PrimExpr): PrimExpr {
  const from = e.kind === 'tir.StringImm' ? 'handle' : e.dtype;
  if (from === dtype) return e;
  const c: Cast = { kind: 'tir.Cast', dtype, value: e };
  return c;
}

/** An intrinsic call `T.<op>(args)` of result dtype `dtype`. */
export function tcall(op: string, args: readonly PrimExpr[], dtype: string): PrimExpr {
  const c: TirCall = { kind: 'tir.Call', op, args, dtype };
  return c;
}

/** A constant of `dtype` (float or int). */
export function constOf(v: number, dtype: string): PrimExpr {
  return isFloatDtype(dtype) ? floatImm(v, dtype) : intImm(v, dtype);
}

/** `T.if_then_else(cond, t, f)` (lazy in every backend: the untaken branch may index out of bounds). */
export function ifThenElse(cond: PrimExpr, t: PrimExpr, f: PrimExpr): PrimExpr {
  return tcall('if_then_else', [cond, t, f], t.kind === 'tir.StringImm' ? 'handle' : t.dtype);
}

/** Conjunction of conditions (true when empty). */
export function allOf(conds: readonly PrimExpr[]): PrimExpr | undefined {
  let acc: PrimExpr | undefined;
  for (const c of conds) acc = acc ? binary('and', acc, c) : c;
  return acc;
}

export const i64 = (v: number): PrimExpr => intImm(v, 'int64');

// ---------------------------------------------------------------- matmul

/** Loads one matmul operand at the output batch indices plus its own row/col indices (batch broadcast). */
function batchedLoad(t: TeTensor, batch: readonly PrimExpr[], own: readonly PrimExpr[]): PrimExpr {
  const nb = t.shape.length - own.length;
  const off = batch.length - nb;
  const ix = t.shape.slice(0, nb).map((d, i) => (d.kind === 'tir.IntImm' && d.value === 1 ? i64(0) : batch[off + i]!));
  return load(t, [...ix, ...own]);
}

interface MatmulParts {
  readonly a: TeTensor;
  readonly b: TeTensor;
  /** Output shape of the product. */
  readonly shape: readonly PrimExpr[];
  /** b is used transposed (its last dim is the column index): `linear`'s weight. */
  readonly bT: boolean;
}

/** The TE stage of `a @ b` (or `a @ b^T`), NumPy semantics, accumulating in `dtype`. */
function matmulStage(p: MatmulParts, dtype: string, name: string): TeTensor {
  const { a, b, shape, bT } = p;
  const aVec = a.shape.length === 1;
  const bVec = b.shape.length === 1;
  const nBatch = shape.length - (aVec ? 0 : 1) - (bVec ? 0 : 1);
  const k = reduceAxis(a.shape[a.shape.length - 1]!, 'k');
  const names = shape.map((_, i) => `i${i}`);
  return compute(shape, (...ix: TirVar[]) => {
    const batch = ix.slice(0, nBatch);
    const row = aVec ? [] : [ix[nBatch]!];
    const col = bVec ? [] : [ix[shape.length - 1]!];
    const av = aVec ? load(a, [k.v]) : batchedLoad(a, batch, [...row, k.v]);
    const bv = bVec ? load(b, [k.v]) : batchedLoad(b, batch, bT ? [...col, k.v] : [k.v, ...col]);
    return sum(binary('mul', castTo(dtype, av), castTo(dtype, bv)), [k]);
  }, name, { axisNames: names, dtype });
}

function legalizeMatmul(ctx: LegalizeCtx): LegalizedKernel {
  const a = ctx.input(0, 'A');
  const b = ctx.input(1, 'B');
  const out = matmulStage({ a, b, shape: ctx.outShape(), bT: false }, ctx.outDtype(), 'matmul');
  return { name: 'matmul', inputs: [a, b], outputs: [out] };
}

/** linear(x, w, b) = x @ w^T (+ b). The weight is 1-D or 2-D (TVM transposes by reversing the dims). */
function legalizeLinear(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const w = ctx.input(1, 'B');
  if (w.shape.length > 2) return ctx.fail(`linear expects a 1-D or 2-D weight, but the weight has ${w.shape.length} dimensions`);
  const dtype = ctx.outDtype();
  const xVec = x.shape.length === 1;
  const wVec = w.shape.length === 1;
  const shape = [...x.shape.slice(0, xVec ? 0 : -1), ...(wVec ? [] : [w.shape[0]!])];
  const hasBias = ctx.argCount > 2 && ctx.argSInfo(2).kind === 'si.Tensor';
  const mm = matmulStage({ a: x, b: w, shape: hasBias ? shape : ctx.outShape(), bT: true }, dtype, 'matmul');
  if (!hasBias) return { name: 'linear', inputs: [x, w], outputs: [mm] };
  const bias = ctx.input(2, 'C');
  const out = compute(ctx.outShape(), (...i: TirVar[]) => binary('add', broadcastLoad(mm, i), castTo(dtype, broadcastLoad(bias, i))), 'T_add', { dtype });
  return { name: 'linear', inputs: [x, w, bias], outputs: [out] };
}

// ---------------------------------------------------------------- einsum

/** Splits "ab...c" into labels, "..." being one label. */
function einsumLabels(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      out.push('...');
      i += 2;
    } else out.push(term[i]!);
  }
  return out;
}

interface EinsumPlan {
  readonly inputs: string[][];
  readonly output: string[];
  /** Extent of every named label (the first operand dim of that label that is not a literal 1). */
  readonly sizes: Map<string, PrimExpr>;
}

function planEinsum(subscripts: string, xs: readonly TeTensor[]): EinsumPlan | string {
  const text = subscripts.replace(/\s+/g, '');
  const [lhs, rhs] = text.split('->');
  const inputs = (lhs ?? '').split(',').map(einsumLabels);
  if (inputs.length !== xs.length) return `einsum has ${inputs.length} subscript terms for ${xs.length} operands`;
  const sizes = new Map<string, PrimExpr>();
  const counts = new Map<string, number>();
  for (let i = 0; i < xs.length; i++) {
    const ls = inputs[i]!;
    const ell = xs[i]!.shape.length - ls.filter((l) => l !== '...').length;
    if (ell < 0 || (ell > 0 && !ls.includes('...'))) return `einsum term "${ls.join('')}" does not match an operand of rank ${xs[i]!.shape.length}`;
    let j = 0;
    for (const l of ls) {
      if (l === '...') {
        j += ell;
        continue;
      }
      const d = xs[i]!.shape[j++]!;
      counts.set(l, (counts.get(l) ?? 0) + 1);
      const prev = sizes.get(l);
      if (!prev || (prev.kind === 'tir.IntImm' && prev.value === 1)) sizes.set(l, d);
    }
  }
  const implicit = [...(inputs.some((s) => s.includes('...')) ? ['...'] : []), ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  return { inputs, output: rhs !== undefined ? einsumLabels(rhs) : implicit, sizes };
}

function legalizeEinsum(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const xs = ctx.inputTuple(0, 'A');
  const plan = planEinsum(attrS(ctx.call, 'subscripts') ?? '', xs);
  if (typeof plan === 'string') return ctx.fail(plan);
  const outShape = ctx.outShape();
  const dtype = ctx.outDtype();
  const ellOut = outShape.length - plan.output.filter((l) => l !== '...').length;
  const reduceLabels = [...plan.sizes.keys()].filter((l) => !plan.output.includes(l));
  const raxes = new Map<string, ReduceAxis>(reduceLabels.map((l) => [l, reduceAxis(plan.sizes.get(l)!, l)]));
  const out = compute(outShape, (...ix: TirVar[]) => {
    const at = new Map<string, PrimExpr>();
    let ellIx: PrimExpr[] = [];
    let j = 0;
    for (const l of plan.output) {
      if (l === '...') {
        ellIx = ix.slice(j, j + ellOut);
        j += ellOut;
      } else at.set(l, ix[j++]!);
    }
    for (const [l, r] of raxes) at.set(l, r.v);
    let prod: PrimExpr | undefined;
    xs.forEach((x, i) => {
      const v = castTo(dtype, einsumLoad(x, plan.inputs[i]!, at, ellIx));
      prod = prod ? binary('mul', prod, v) : v;
    });
    return raxes.size > 0 ? sum(prod!, [...raxes.values()]) : prod!;
  }, 'T_einsum', { dtype });
  return { name: 'einsum', inputs: xs, outputs: [out] };
}

/** Loads an einsum operand: named labels by their index, `...` dims broadcast against the output's `...`. */
function einsumLoad(x: TeTensor, labels: readonly string[], at: ReadonlyMap<string, PrimExpr>, ellIx: readonly PrimExpr[]): PrimExpr {
  const ell = x.shape.length - labels.filter((l) => l !== '...').length;
  const idx: PrimExpr[] = [];
  for (const l of labels) {
    if (l === '...') {
      const dims = x.shape.slice(idx.length, idx.length + ell);
      const off = ellIx.length - ell;
      dims.forEach((d, k) => idx.push(d.kind === 'tir.IntImm' && d.value === 1 ? i64(0) : ellIx[off + k]!));
      continue;
    }
    const d = x.shape[idx.length]!;
    idx.push(d.kind === 'tir.IntImm' && d.value === 1 ? i64(0) : at.get(l)!);
  }
  return load(x, idx);
}

registerLegalize('relax.matmul', legalizeMatmul);
registerLegalize('relax.linear', legalizeLinear);
registerLegalize('relax.einsum', legalizeEinsum);
