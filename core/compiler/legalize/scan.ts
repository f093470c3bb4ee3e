/**
 * Scans and sorts (`R.cumsum`, `R.cumprod`, `R.sort`, `R.argsort`, `R.topk`), which TVM's DispatchSortScan sends to
 * TOPI's scan and sort kernels. Ours are block-style TE, so they stay analysable and run on every backend:
 *   cumsum/cumprod -> "cumsum"/"cumprod": out[.., i, ..] = sum (prod) over k of
 *     `T.if_then_else(k <= i, x[.., k, ..], 0 (1))` (k < i when `exclusive`); axis None scans the flattened input;
 *     `dtype` (None/"void": the input's) is the accumulation and output type.
 *   sort/argsort/topk -> a rank stage then a gather: rank[.., i, ..] counts the elements that come before x[i] in a
 *     stable order (smaller, or equal with a lower index; reversed for descending/largest), and
 *     out[.., j, ..] = the x[i] (or i) whose rank is j. O(n^2) along the axis, like the scan: fine for the sizes
 *     a graph editor runs; a GPU schedule can replace them later.
 * Preconditions: struct info inferred (the output shapes and dtypes are the call's).
 */
import type { AttrValue } from '../../ir/attrs.js';
import { attrInt, isPrimAttr } from '../../ir/attrs.js';
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary } from '../../ir/tir/nodes.js';
import { simplify } from '../../ir/arith/index.js';
import { castTo, lit } from './datatype.js';
import { ifThenElse, i64 } from './linalg.js';
import { unflatten } from './manipulate.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { TeTensor } from './te.js';
import { compute, load, prod, reduceAxis, sum } from './te.js';

const flag = (v: AttrValue | undefined): boolean => v === true || (isPrimAttr(v) && attrInt(v) === 1);

/** A normalized axis attribute of a rank-`rank` input; null for None; undefined when out of range. */
function axisOf(ctx: LegalizeCtx, rank: number, fallback: number | null): number | null | undefined {
  const raw = ctx.attr('axis');
  if (raw === undefined || raw === null) return fallback === null ? null : fallback < 0 ? fallback + rank : fallback;
  const a = attrInt(raw);
  if (a === undefined) return undefined;
  const n = a < 0 ? a + rank : a;
  return n >= 0 && n < rank ? n : undefined;
}

// ---------------------------------------------------------------- cumsum / cumprod

function scan(op: 'cumsum' | 'cumprod'): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const x = ctx.input(0, 'A');
    const axis = axisOf(ctx, x.shape.length, null);
    if (axis === undefined) return ctx.fail(`its axis is not an axis of the ${x.shape.length}-d input`);
    const dtype = ctx.outDtype();
    const exclusive = flag(ctx.attr('exclusive'));
    const extent = axis === null ? simplify(x.shape.reduce<PrimExpr>((a, d) => binary('mul', a, d), i64(1))) : x.shape[axis]!;
    const k = reduceAxis(extent, 'k');
    const element = (i: readonly TirVar[]): PrimExpr =>
      castTo(load(x, axis === null ? unflatten(k.v, x.shape) : i.map((v, d) => (d === axis ? k.v : v))), dtype);
    const out = compute(ctx.outShape(), (...i) => {
      const at = i[axis ?? 0]!;
      const inScan = binary(exclusive ? 'lt' : 'le', k.v, at);
      const v = ifThenElse(inScan, element(i), lit(op === 'cumsum' ? 0 : 1, dtype));
      return op === 'cumsum' ? sum(v, [k]) : prod(v, [k]);
    }, `T_${op}`, { dtype });
    return { name: op, inputs: [x], outputs: [out] };
  };
}

registerLegalize('relax.cumsum', scan('cumsum'));
registerLegalize('relax.cumprod', scan('cumprod'));

// ---------------------------------------------------------------- sort / argsort / topk

/** x with the index along `axis` replaced by `k`. */
const along = (x: TeTensor, i: readonly PrimExpr[], axis: number, k: PrimExpr): PrimExpr => load(x, i.map((v, d) => (d === axis ? k : v)));

/** rank[.., i, ..]: how many elements along `axis` precede x[.., i, ..] in a stable (descending) order. */
function rankStage(x: TeTensor, axis: number, descending: boolean): TeTensor {
  const k = reduceAxis(x.shape[axis]!, 'k');
  return compute(x.shape, (...i) => {
    const mine = load(x, i);
    const other = along(x, i, axis, k.v);
    const before = binary('or', binary(descending ? 'gt' : 'lt', other, mine), binary('and', binary('eq', other, mine), binary('lt', k.v, i[axis]!)));
    return sum(ifThenElse(before, i64(1), i64(0)), [k]);
  }, 'T_rank', { dtype: 'int64' });
}

/** out[.., j, ..] = value(i) of the i whose rank is j (`shape` may be shorter along the axis: topk). */
function gatherByRank(
  x: TeTensor, rank: TeTensor, axis: number, shape: readonly PrimExpr[], dtype: string, name: string, value: (i: readonly PrimExpr[], k: TirVar) => PrimExpr,
): TeTensor {
  const k = reduceAxis(x.shape[axis]!, 'k');
  return compute(shape, (...j) => {
    const hit = binary('eq', along(rank, j, axis, k.v), j[axis]!);
    return sum(ifThenElse(hit, castTo(value(j, k.v), dtype), lit(0, dtype)), [k]);
  }, name, { dtype });
}

function sortLike(ctx: LegalizeCtx, kind: 'sort' | 'argsort'): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const axis = axisOf(ctx, x.shape.length, -1);
  if (axis === undefined || axis === null) return ctx.fail(`its axis is not an axis of the ${x.shape.length}-d input`);
  const rank = rankStage(x, axis, flag(ctx.attr('descending')));
  const dtype = ctx.outDtype();
  const out = kind === 'sort'
    ? gatherByRank(x, rank, axis, ctx.outShape(), dtype, 'T_sort', (j, k) => along(x, j, axis, k))
    : gatherByRank(x, rank, axis, ctx.outShape(), dtype, 'T_argsort', (_j, k) => k);
  return { name: kind, inputs: [x], outputs: [out] };
}

function topk(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const axis = axisOf(ctx, x.shape.length, -1);
  if (axis === undefined || axis === null) return ctx.fail(`its axis is not an axis of the ${x.shape.length}-d input`);
  const largest = ctx.attr('largest') === undefined ? true : flag(ctx.attr('largest'));
  const rank = rankStage(x, axis, largest);
  const retType = ctx.attr('ret_type') ?? 'both';
  const outputs: TeTensor[] = [];
  let o = 0;
  if (retType === 'both' || retType === 'values') {
    outputs.push(gatherByRank(x, rank, axis, ctx.outShape(o), ctx.outDtype(o), 'T_topk_values', (j, k) => along(x, j, axis, k)));
    o++;
  }
  if (retType === 'both' || retType === 'indices')
    outputs.push(gatherByRank(x, rank, axis, ctx.outShape(o), ctx.outDtype(o), 'T_topk_indices', (_j, k) => k));
  if (outputs.length !== ctx.outCount) return ctx.fail(`ret_type "${String(retType)}" does not match its ${ctx.outCount} result(s)`);
  return { name: 'topk', inputs: [x], outputs };
}

registerLegalize('relax.sort', (ctx) => sortLike(ctx, 'sort'));
registerLegalize('relax.argsort', (ctx) => sortLike(ctx, 'argsort'));
registerLegalize('relax.topk', topk);
