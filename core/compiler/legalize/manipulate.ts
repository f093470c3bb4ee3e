/**
 * Legalization of the shape-manipulation ops: reshape, flatten, expand_dims, squeeze (copy kernels tagged
 * `reshape: true` for RewriteDataflowReshape), permute_dims (`transpose`), concat (`concatenate`), split (one kernel,
 * one output per piece), stack, broadcast_to, tile and repeat; flip (`out[.., i, ..] = x[.., n - 1 - i, ..]`) and
 * one_hot (`out[.., j, ..] = indices[..] == j ? on_value : off_value`, j on the new axis).
 *
 * Preconditions: the result struct info is inferred with known dims; kernels read their output dims from it, so
 * e.g. split's pieces and reshape's resolved `-1` are exactly the inferred ones. Index arithmetic is simplified with
 * the default analyzer (index and shape vars are non-negative).
 * Exports `flatIndex`/`unflatten` (row-major linearization) for the other legalizers.
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary } from '../../ir/tir/nodes.js';
import { attr, attrI, attrIs } from '../../ir/op/common.js';
import { attrInt, isPrimAttr } from '../../ir/attrs.js';
import { simplify } from '../../ir/arith/index.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { TeTensor } from './te.js';
import { compute, load } from './te.js';
import { broadcastLoad } from './common.js';
import { castTo } from './datatype.js';
import { i64, ifThenElse } from './linalg.js';

const isOneDim = (d: PrimExpr): boolean => d.kind === 'tir.IntImm' && d.value === 1;

/** Row-major linear index of `ix` in `shape`. */
export function flatIndex(ix: readonly PrimExpr[], shape: readonly PrimExpr[]): PrimExpr {
  let acc: PrimExpr = i64(0);
  ix.forEach((v, k) => {
    acc = binary('add', binary('mul', acc, shape[k]!), v);
  });
  return simplify(acc);
}

/** The multi-index of row-major position `flat` in `shape` (TOPI's reshape indexing). */
export function unflatten(flat: PrimExpr, shape: readonly PrimExpr[]): PrimExpr[] {
  const out: PrimExpr[] = [];
  let stride: PrimExpr = i64(1);
  for (let k = shape.length - 1; k >= 0; k--) {
    const q = isOneDim(stride) ? flat : binary('floordiv', flat, stride);
    out[k] = simplify(k === 0 ? q : binary('floormod', q, shape[k]!));
    stride = simplify(binary('mul', stride, shape[k]!));
  }
  return out;
}

function normAxis(axis: number, ndim: number): number {
  return axis < 0 ? axis + ndim : axis;
}

/** A copy kernel out[o] = x[f(o)]. */
function copyKernel(ctx: LegalizeCtx, name: string, block: string, f: (x: TeTensor, o: readonly PrimExpr[]) => PrimExpr[], reshape = false): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const out = compute(ctx.outShape(), (...o: TirVar[]) => load(x, f(x, o)), block, { dtype: x.dtype });
  return { name, inputs: [x], outputs: [out], ...(reshape ? { reshape: true } : {}) };
}

function legalizeReshape(name: string): (ctx: LegalizeCtx) => LegalizedKernel {
  return (ctx) => {
    const outShape = ctx.outShape();
    return copyKernel(ctx, name, 'T_reshape', (x, o) => (x.shape.length === 0 ? [] : unflatten(flatIndex(o, outShape), x.shape)), true);
  };
}

function legalizeExpandDims(ctx: LegalizeCtx): LegalizedKernel {
  const nd = ctx.outShape().length;
  const axes = (attrIs(ctx.call, 'axis') ?? []).map((a) => normAxis(a, nd));
  return copyKernel(ctx, 'expand_dims', 'T_expand_dims', (_x, o) => o.filter((_, i) => !axes.includes(i)), true);
}

function legalizeSqueeze(ctx: LegalizeCtx): LegalizedKernel {
  const given = attr(ctx.call, 'axis');
  return copyKernel(ctx, 'squeeze', 'T_squeeze', (x, o) => {
    const nd = x.shape.length;
    const axes = given === null || given === undefined
      ? x.shape.map((d, i) => (isOneDim(d) ? i : -1)).filter((i) => i >= 0)
      : (attrIs(ctx.call, 'axis') ?? []).map((a) => normAxis(a, nd));
    let j = 0;
    return x.shape.map((_, i) => (axes.includes(i) ? i64(0) : o[j++]!));
  }, true);
}

function legalizePermute(ctx: LegalizeCtx): LegalizedKernel {
  const given = attr(ctx.call, 'axes');
  return copyKernel(ctx, 'transpose', 'T_transpose', (x, o) => {
    const nd = x.shape.length;
    const axes = given === null || given === undefined ? [...Array(nd).keys()].reverse() : (attrIs(ctx.call, 'axes') ?? []).map((a) => normAxis(a, nd));
    const ix: PrimExpr[] = new Array<PrimExpr>(nd);
    axes.forEach((a, i) => (ix[a] = o[i]!));
    return ix;
  });
}

/** Picks among pieces along one position: `if p < end0 then piece0(p) else if p < end1 ... else last`. */
function pieceSelect(p: PrimExpr, lens: readonly PrimExpr[], value: (k: number, local: PrimExpr) => PrimExpr): PrimExpr {
  const offsets: PrimExpr[] = [i64(0)];
  lens.forEach((l, k) => offsets.push(simplify(binary('add', offsets[k]!, l))));
  let acc = value(lens.length - 1, simplify(binary('sub', p, offsets[lens.length - 1]!)));
  for (let k = lens.length - 2; k >= 0; k--) acc = ifThenElse(binary('lt', p, offsets[k + 1]!), value(k, simplify(binary('sub', p, offsets[k]!))), acc);
  return acc;
}

function legalizeConcat(ctx: LegalizeCtx): LegalizedKernel {
  const xs = ctx.inputTuple(0, 'A');
  const dtype = ctx.outDtype();
  const axisAttr = attr(ctx.call, 'axis');
  if (axisAttr === null) {
    const out = compute(ctx.outShape(), (p: TirVar) =>
      pieceSelect(p, xs.map((x) => simplify(x.shape.reduce<PrimExpr>((a, d) => binary('mul', a, d), i64(1)))), (k, l) => load(xs[k]!, unflatten(l, xs[k]!.shape))), 'T_concat', { dtype });
    return { name: 'concatenate', inputs: xs, outputs: [out] };
  }
  const nd = xs[0]!.shape.length;
  const axis = normAxis(attrInt(axisAttr) ?? 0, nd);
  const out = compute(ctx.outShape(), (...o: TirVar[]) =>
    pieceSelect(o[axis]!, xs.map((x) => x.shape[axis]!), (k, l) => load(xs[k]!, o.map((v, i) => (i === axis ? l : v)))), 'T_concat', { dtype });
  return { name: 'concatenate', inputs: xs, outputs: [out] };
}

/** split: piece k starts at its offset along the axis (sections: k * ceil(len / n); indices: the index). */
function legalizeSplit(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const nd = x.shape.length;
  const axis = normAxis(attrI(ctx.call, 'axis') ?? 0, nd);
  const ios = attr(ctx.call, 'indices_or_sections');
  const indices = isPrimAttr(ios) ? undefined : attrIs(ctx.call, 'indices_or_sections');
  const len = x.shape[axis]!;
  const offsets: PrimExpr[] = [];
  for (let k = 0; k < ctx.outCount; k++) {
    if (!indices) offsets.push(simplify(binary('mul', ctx.outShape(0)[axis]!, i64(k))));
    else {
      const v = k === 0 ? 0 : indices[k - 1]!;
      offsets.push(len.kind === 'tir.IntImm' ? i64(Math.max(0, Math.min(v, len.value))) : i64(v));
    }
  }
  const outs = offsets.map((off, k) =>
    compute(ctx.outShape(k), (...o: TirVar[]) => load(x, o.map((v, i) => (i === axis ? simplify(binary('add', v, off)) : v))), indices ? 'T_split' : 'T_split_sections', { dtype: x.dtype }));
  return { name: 'split', inputs: [x], outputs: outs };
}

function legalizeStack(ctx: LegalizeCtx): LegalizedKernel {
  const xs = ctx.inputTuple(0, 'A');
  const nd = xs[0]!.shape.length + 1;
  const axis = normAxis(attrI(ctx.call, 'axis') ?? 0, nd);
  const out = compute(ctx.outShape(), (...o: TirVar[]) => {
    const rest = o.filter((_, i) => i !== axis);
    return pieceSelect(o[axis]!, xs.map(() => i64(1)), (k) => load(xs[k]!, rest));
  }, 'T_stack', { dtype: ctx.outDtype() });
  return { name: 'stack', inputs: xs, outputs: [out] };
}

function legalizeBroadcastTo(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const out = compute(ctx.outShape(), (...o: TirVar[]) => broadcastLoad(x, o), 'T_broadcast_to', { dtype: x.dtype });
  return { name: 'broadcast_to', inputs: [x], outputs: [out] };
}

function legalizeTile(ctx: LegalizeCtx): LegalizedKernel {
  return copyKernel(ctx, 'tile', 'T_tile', (x, o) => {
    const off = o.length - x.shape.length;
    return x.shape.map((d, i) => (isOneDim(d) ? i64(0) : simplify(binary('floormod', o[off + i]!, d))));
  });
}

function legalizeRepeat(ctx: LegalizeCtx): LegalizedKernel {
  const reps = i64(attrI(ctx.call, 'repeats') ?? 1);
  const axisAttr = attr(ctx.call, 'axis');
  return copyKernel(ctx, 'repeat', 'T_repeat', (x, o) => {
    if (axisAttr === null || axisAttr === undefined) return unflatten(simplify(binary('floordiv', o[0]!, reps)), x.shape);
    const axis = normAxis(attrInt(axisAttr) ?? 0, x.shape.length);
    return o.map((v, i) => (i === axis ? simplify(binary('floordiv', v, reps)) : v));
  });
}

function legalizeFlip(ctx: LegalizeCtx): LegalizedKernel {
  return copyKernel(ctx, 'flip', 'T_reverse_sequence', (x, o) => {
    const axis = normAxis(attrI(ctx.call, 'axis') ?? 0, x.shape.length);
    return o.map((v, i) => (i === axis ? simplify(binary('sub', binary('sub', x.shape[i]!, i64(1)), v)) : v));
  });
}

function legalizeOneHot(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const on = ctx.primArg(1);
  const off = ctx.primArg(2);
  if (!on || !off) return ctx.fail('its on_value and off_value are not PrimValues (`R.prim_value(1.0)`)');
  const idx = ctx.input(0, 'A');
  const axis = normAxis(attrI(ctx.call, 'axis') ?? -1, idx.shape.length + 1);
  const dtype = ctx.outDtype();
  const out = compute(ctx.outShape(), (...o: TirVar[]) => {
    const at = o.filter((_, i) => i !== axis);
    const hit = binary('eq', castTo(load(idx, at), 'int64'), o[axis]!);
    return { kind: 'tir.Select', cond: hit, t: castTo(on, dtype), f: castTo(off, dtype), dtype };
  }, 'T_one_hot', { dtype });
  return { name: 'one_hot', inputs: [idx], outputs: [out] };
}

registerLegalize('relax.flip', legalizeFlip);
registerLegalize('relax.one_hot', legalizeOneHot);
registerLegalize('relax.reshape', legalizeReshape('reshape'));
registerLegalize('relax.flatten', legalizeReshape('reshape'));
registerLegalize('relax.expand_dims', legalizeExpandDims);
registerLegalize('relax.squeeze', legalizeSqueeze);
registerLegalize('relax.permute_dims', legalizePermute);
registerLegalize('relax.concat', legalizeConcat);
registerLegalize('relax.split', legalizeSplit);
registerLegalize('relax.stack', legalizeStack);
registerLegalize('relax.broadcast_to', legalizeBroadcastTo);
registerLegalize('relax.tile', legalizeTile);
registerLegalize('relax.repeat', legalizeRepeat);
