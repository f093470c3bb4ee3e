/**
 * Legalization of the reductions (`python/tvm/relax/op/statistical.py`) as TVM does them:
 *   sum/prod/max/min -> TOPI's comm-reduce, one block `A_red` (PrimFunc "sum", "prod", "max", "min"); max and min
 *     start from the dtype's lowest/highest finite value (`T.min_value`-style literals), sum from 0, prod from 1;
 *   mean -> "mean": the sum, then a second block dividing by the number of reduced elements;
 *   variance -> "variance": population variance, mean((x - mean(x, keepdims))^2) in TE stages (sum, divide,
 *     subtract, multiply, sum, divide); std -> "std": sqrt of that.
 * `axis` is a list (negative allowed) or None (every axis); `keepdims` keeps reduced axes as 1. Reduce axes are
 * named k0, k1, ... Exports `reducePlan`/`reduceOver`, which argmax/argmin (search.ts) share.
 * Preconditions: struct info inferred (the output shape is the call's, with keepdims applied).
 */
import type { AttrValue } from '../../ir/attrs.js';
import { attrInt, isPrimAttr } from '../../ir/attrs.js';
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, intImm } from '../../ir/tir/nodes.js';
import { broadcastLoad } from './common.js';
import { castTo, intrin } from './datatype.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { Combiner, Reduce, ReduceAxis, TeTensor } from './te.js';
import { compute, load, reduceAxis } from './te.js';

/** Which axes of an input of rank `rank` a reduction covers, and whether they stay as 1s. */
export interface ReducePlan {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** The plan of a call with `axis` (int, list or None) and `keepdims` attributes; undefined for a bad axis. */
export function reducePlan(ctx: LegalizeCtx, rank: number): ReducePlan | undefined {
  const raw: AttrValue | undefined = ctx.attr('axis');
  let list: number[];
  if (raw === null || raw === undefined) list = [...Array(rank).keys()];
  else {
    const items = isPrimAttr(raw) ? [raw] : Array.isArray(raw) ? (raw as readonly AttrValue[]) : undefined;
    const ints = items?.map(attrInt);
    if (!ints || ints.some((v) => v === undefined)) return undefined;
    list = (ints as number[]).map((a) => (a < 0 ? a + rank : a));
    if (list.some((a) => a < 0 || a >= rank)) return undefined;
  }
  const kd = ctx.attr('keepdims');
  const keepdims = kd === true || (isPrimAttr(kd) && attrInt(kd) === 1);
  return { axes: [...new Set(list)].sort((a, b) => a - b), keepdims };
}

/** The reduce axes of a plan over `x` (k0, k1, ... over x's reduced dims). */
export function reduceAxesOf(x: TeTensor, plan: ReducePlan): ReduceAxis[] {
  return plan.axes.map((a, j) => reduceAxis(x.shape[a]!, `k${j}`));
}

/** x's index at output position `out` with reduce vars `red`: kept dims from `out`, reduced dims from `red`. */
export function inputIndex(x: TeTensor, plan: ReducePlan, out: readonly PrimExpr[], red: readonly PrimExpr[]): PrimExpr[] {
  let pos = 0;
  return x.shape.map((_, d) => {
    const j = plan.axes.indexOf(d);
    if (j >= 0) {
      if (plan.keepdims) pos++;
      return red[j]!;
    }
    return out[pos++]!;
  });
}

/** A reduction stage over `shape`: `combiner` of `value(x index)` across the plan's axes. */
export function reduceOver(
  x: TeTensor, plan: ReducePlan, shape: readonly PrimExpr[], combiner: Combiner, name: string,
  value: (idx: PrimExpr[]) => PrimExpr = (idx) => load(x, idx),
): TeTensor {
  const axes = reduceAxesOf(x, plan);
  return compute(shape, (...i: TirVar[]) => {
    const r: Reduce = { kind: 'te.Reduce', combiner, value: value(inputIndex(x, plan, i, axes.map((a) => a.v))), axes };
    return r;
  }, name, { dtype: x.dtype });
}

/** The number of elements a plan reduces, as an expression of x's dims. */
function reducedCount(x: TeTensor, plan: ReducePlan): PrimExpr {
  return plan.axes.reduce<PrimExpr>((acc, a) => {
    const d = x.shape[a]!;
    if (acc.kind === 'tir.IntImm' && d.kind === 'tir.IntImm') return intImm(acc.value * d.value);
    return acc.kind === 'tir.IntImm' && acc.value === 1 ? d : binary('mul', acc, d);
  }, intImm(1));
}

/** The shape of x reduced by a plan. */
export function reducedShape(x: TeTensor, plan: ReducePlan): PrimExpr[] {
  return x.shape.flatMap((d, i) => (plan.axes.includes(i) ? (plan.keepdims ? [intImm(1)] : []) : [d]));
}

/** mean of x under a plan, as two stages: sum, then divide by the reduced element count. */
function meanStages(x: TeTensor, plan: ReducePlan, sumName: string, divName: string): TeTensor {
  const shape = reducedShape(x, plan);
  const s = reduceOver(x, plan, shape, 'sum', sumName);
  const count = castTo(reducedCount(x, plan), x.dtype);
  return compute(shape, (...i: TirVar[]) => binary('div', load(s, i), count), divName, { dtype: x.dtype });
}

/** Registers a reduction legalizer that receives its input and plan (declining on a bad `axis`). */
function reduction(op: string, build: (x: TeTensor, plan: ReducePlan, ctx: LegalizeCtx) => TeTensor): void {
  registerLegalize(`relax.${op}`, (ctx): LegalizedKernel | undefined => {
    const x = ctx.input(0, 'A');
    const plan = reducePlan(ctx, x.shape.length);
    if (!plan) return ctx.fail(`its axis attribute is not a valid axis list for an input of rank ${x.shape.length}`);
    return { name: op, inputs: [x], outputs: [build(x, plan, ctx)] };
  });
}

for (const [op, combiner] of [['sum', 'sum'], ['prod', 'prod'], ['max', 'max'], ['min', 'min']] as const) {
  reduction(op, (x, plan, ctx) => reduceOver(x, plan, ctx.outShape(), combiner, 'A_red'));
}

reduction('mean', (x, plan) => meanStages(x, plan, 'A_red', 'T_divide'));

/** Population variance stages of x under `plan`. */
function varianceStages(x: TeTensor, plan: ReducePlan): TeTensor {
  const m = meanStages(x, { ...plan, keepdims: true }, 'A_red', 'T_divide');
  const dev = compute(x.shape, (...i: TirVar[]) => binary('sub', load(x, i), broadcastLoad(m, i)), 'T_subtract', { dtype: x.dtype });
  const sq = compute(x.shape, (...i: TirVar[]) => binary('mul', load(dev, i), load(dev, i)), 'T_multiply', { dtype: x.dtype });
  return meanStages(sq, plan, 'T_multiply_red', 'T_divide_1');
}

reduction('variance', varianceStages);
reduction('std', (x, plan) => {
  const v = varianceStages(x, plan);
  return compute(v.shape, (...i: TirVar[]) => intrin('sqrt', [load(v, i)], x.dtype), 'compute', { dtype: x.dtype });
});
