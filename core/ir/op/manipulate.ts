/**
 * Shape manipulation (`python/tvm/relax/op/manipulate.py`): reshape (symbolic targets, -1 resolved from the element
 * count, a shape var kept as the result shape), permute_dims, expand_dims, squeeze, flatten, concat, split, stack,
 * broadcast_to, tile, repeat, flip, and the gather/scatter family. Element-count and dim mismatches are errors only
 * when proven.
 */
import { attrInt, isPrimAttr } from '../attrs.js';
import type { Call, StructInfo, TensorSInfo } from '../relax/nodes.js';
import { isRelaxVar, SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { binary, primDtype } from '../tir/nodes.js';
import { simplify } from '../arith/index.js';
import {
  a, arith, attr, attrI, attrIs, attrS, ceildiv, commonDtype, defineOps, dimsOf, e, I, i64, isIntLike, isOne,
  normalizer, normAxes, normAxis, opLabel, primArg, product, proven, provenEq, provenNe, shapeArg, showDims, showPrim,
  sum, t, tensorArg, tensorOut, tensorsArg, toList, UNKNOWN_TENSOR, withDtype,
} from './common.js';
import type { InferCtx } from './registry.js';
import { fromShapeArg } from './create.js';

function reshapeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const s = shapeArg(call, 1, ctx);
  if (!x || !s) return UNKNOWN_TENSOR;
  if (!s.dims) return fromShapeArg(call, ctx, 1, x.dtype);
  const dx = dimsOf(x);
  const dims = resolveMinusOne(call, ctx, s.dims, dx);
  if (!dims) return SI.tensorNdim(x.dtype, s.dims.length, x.vdevice);
  if (dx) {
    const [p, q] = [product(dx), product(dims)];
    if (provenNe(p, q)) {
      ctx.error('I408', `reshape requires the new shape to have as many elements as the input. However, the input shape ${showDims(dx)} has ${showPrim(p)} elements and the new shape ${showDims(dims)} has ${showPrim(q)}.`);
      return SI.tensorNdim(x.dtype, dims.length, x.vdevice);
    }
  }
  if (isRelaxVar(call.args[1]!) && dims === s.dims) return fromShapeArg(call, ctx, 1, x.dtype);
  return tensorOut(dims, x.dtype, dims.length, x.vdevice);
}

/** Replaces a single -1 by (input elements) / (product of the others); undefined when it cannot be computed. */
function resolveMinusOne(call: Call, ctx: InferCtx, dims: readonly PrimExpr[], dx: readonly PrimExpr[] | undefined): readonly PrimExpr[] | undefined {
  const idx = dims.map((d, i) => (d.kind === 'tir.IntImm' && d.value === -1 ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return dims;
  if (idx.length > 1) {
    ctx.error('I408', `reshape allows at most one -1 in the new shape. However, the new shape ${showDims(dims)} has ${idx.length}.`);
    return undefined;
  }
  if (!dx) return undefined;
  const known = product(dims.filter((_, i) => i !== idx[0]));
  const total = product(dx);
  if (proven(binary('ne', binary('floormod', total, known), i64(0)))) {
    ctx.error('I408', `reshape requires the input element count to be divisible by the product of the known new dims. However, ${showPrim(total)} is not divisible by ${showPrim(known)}.`);
    return undefined;
  }
  const out = [...dims];
  out[idx[0]!] = arith('floordiv', total, known);
  return out;
}

function permuteRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const given = attr(call, 'axes');
  const axesIn = given === null || given === undefined ? undefined : attrIs(call, 'axes');
  if (x.ndim < 0) return SI.tensorNdim(x.dtype, axesIn ? axesIn.length : -1, x.vdevice);
  if (axesIn && axesIn.length !== x.ndim) {
    ctx.error('I405', `permute_dims requires one axis per input dimension. However, the input has ${x.ndim} dimensions and ${axesIn.length} axes were given.`);
    return SI.tensorNdim(x.dtype, x.ndim, x.vdevice);
  }
  const axes = axesIn ? normAxes(call, ctx, axesIn, x.ndim) : [...Array(x.ndim).keys()].reverse();
  if (!axes) return SI.tensorNdim(x.dtype, x.ndim, x.vdevice);
  if (axes.every((v, i) => v === i)) return withDtype(x, x.dtype);
  const dx = dimsOf(x);
  return tensorOut(dx && axes.map((i) => dx[i]!), x.dtype, x.ndim, x.vdevice);
}

function expandDimsRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const axesIn = attrIs(call, 'axis') ?? [];
  if (x.ndim < 0) return SI.tensorNdim(x.dtype, -1, x.vdevice);
  const ndim = x.ndim + axesIn.length;
  const axes = normAxes(call, ctx, axesIn, ndim);
  if (!axes) return SI.tensorNdim(x.dtype, ndim, x.vdevice);
  const dx = dimsOf(x);
  if (!dx) return SI.tensorNdim(x.dtype, ndim, x.vdevice);
  const out: PrimExpr[] = [];
  let j = 0;
  for (let i = 0; i < ndim; i++) out.push(axes.includes(i) ? i64(1) : dx[j++]!);
  return tensorOut(out, x.dtype, ndim, x.vdevice);
}

function squeezeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const given = attr(call, 'axis');
  const dx = dimsOf(x);
  if (given === null || given === undefined) {
    if (!dx) return SI.tensorNdim(x.dtype, -1, x.vdevice);
    if (dx.some((d) => d.kind !== 'tir.IntImm')) return SI.tensorNdim(x.dtype, -1, x.vdevice);
    return tensorOut(dx.filter((d) => !isOne(d)), x.dtype, -1, x.vdevice);
  }
  const axesIn = attrIs(call, 'axis') ?? [];
  if (x.ndim < 0) return SI.tensorNdim(x.dtype, -1, x.vdevice);
  const axes = normAxes(call, ctx, axesIn, x.ndim);
  if (!axes) return SI.tensorNdim(x.dtype, -1, x.vdevice);
  const ndim = x.ndim - axes.length;
  if (!dx) return SI.tensorNdim(x.dtype, ndim, x.vdevice);
  for (const ax of axes) {
    if (provenNe(dx[ax]!, i64(1))) {
      ctx.error('I413', `squeeze requires the input dims at the given axes to be 1. However, the dim at axis ${ax} is ${showPrim(dx[ax]!)}.`);
      return SI.tensorNdim(x.dtype, ndim, x.vdevice);
    }
  }
  return tensorOut(dx.filter((_, i) => !axes.includes(i)), x.dtype, ndim, x.vdevice);
}

function flattenRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const dx = dimsOf(x);
  return tensorOut(dx && [product(dx)], x.dtype, 1, x.vdevice);
}

/** Checks that two dim lists agree except at `skip`; I413 when proven otherwise. Returns false if not provable. */
function sameDims(call: Call, ctx: InferCtx, x: readonly PrimExpr[], y: readonly PrimExpr[], skip: number): boolean | null {
  let ok = true;
  for (let i = 0; i < x.length; i++) {
    if (i === skip) continue;
    if (provenNe(x[i]!, y[i]!)) {
      ctx.error('I413', `${opLabel(call)} requires the input tensors to have the same shape${skip >= 0 ? ` except at axis ${skip}` : ''}. However, the shapes ${showDims(x)} and ${showDims(y)} differ at axis ${i}.`);
      return null;
    }
    if (!provenEq(x[i]!, y[i]!)) ok = false;
  }
  return ok;
}

/** Common dtype and rank of a tensor list; I405 for different known ranks. */
function listInfo(call: Call, ctx: InferCtx, xs: readonly TensorSInfo[]): { dtype: string; ndim: number } | undefined {
  let dtype = xs[0]?.dtype ?? '';
  let ndim = -1;
  for (const x of xs) {
    dtype = commonDtype(call, ctx, dtype, x.dtype);
    if (x.ndim < 0) continue;
    if (ndim >= 0 && x.ndim !== ndim) {
      ctx.error('I405', `${opLabel(call)} requires all input tensors to have the same rank. However, ranks ${ndim} and ${x.ndim} were given.`);
      return undefined;
    }
    ndim = x.ndim;
  }
  return { dtype, ndim };
}

function concatRule(call: Call, ctx: InferCtx): StructInfo {
  const xs = tensorsArg(call, 0, ctx);
  if (!xs || xs.length === 0) {
    if (xs) ctx.error('I411', 'concat requires at least one input tensor. However, the tuple is empty.');
    return UNKNOWN_TENSOR;
  }
  const info = listInfo(call, ctx, xs);
  if (!info) return UNKNOWN_TENSOR;
  const axisAttr = attr(call, 'axis');
  const all = xs.map(dimsOf);
  if (axisAttr === null) {
    return tensorOut(all.every((d) => d) ? [sum(all.map((d) => product(d!)))] : undefined, info.dtype, 1);
  }
  if (info.ndim < 0) return SI.tensorNdim(info.dtype, -1);
  const axis = normAxis(call, ctx, attrInt(axisAttr) ?? 0, info.ndim);
  if (axis === undefined) return SI.tensorNdim(info.dtype, info.ndim);
  if (all.some((d) => !d)) return SI.tensorNdim(info.dtype, info.ndim);
  const first = all[0]!;
  for (const d of all.slice(1)) {
    const r = sameDims(call, ctx, first, d!, axis);
    if (r !== true) return SI.tensorNdim(info.dtype, info.ndim);
  }
  const out = [...first];
  out[axis] = sum(all.map((d) => d![axis]!));
  return tensorOut(out, info.dtype, info.ndim);
}

function stackRule(call: Call, ctx: InferCtx): StructInfo {
  const xs = tensorsArg(call, 0, ctx);
  if (!xs || xs.length === 0) return UNKNOWN_TENSOR;
  const info = listInfo(call, ctx, xs);
  if (!info) return UNKNOWN_TENSOR;
  if (info.ndim < 0) return SI.tensorNdim(info.dtype, -1);
  const axis = normAxis(call, ctx, attrI(call, 'axis') ?? 0, info.ndim + 1);
  if (axis === undefined) return SI.tensorNdim(info.dtype, info.ndim + 1);
  const all = xs.map(dimsOf);
  if (all.some((d) => !d)) return SI.tensorNdim(info.dtype, info.ndim + 1);
  for (const d of all.slice(1)) {
    if (sameDims(call, ctx, all[0]!, d!, -1) !== true) return SI.tensorNdim(info.dtype, info.ndim + 1);
  }
  const out = [...all[0]!];
  out.splice(axis, 0, i64(xs.length));
  return tensorOut(out, info.dtype, info.ndim + 1);
}

function splitRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return SI.object();
  const ios = attr(call, 'indices_or_sections');
  const sections = isPrimAttr(ios) ? attrInt(ios) : undefined;
  const indices = Array.isArray(ios) ? attrIs(call, 'indices_or_sections') : undefined;
  if (sections !== undefined && sections <= 0) {
    ctx.error('I417', `split requires the number of sections to be a positive integer. However, the given number is ${sections}.`);
    return SI.object();
  }
  const count = sections ?? (indices ? indices.length + 1 : undefined);
  if (count === undefined) return SI.object();
  const axis = x.ndim >= 0 ? normAxis(call, ctx, attrI(call, 'axis') ?? 0, x.ndim) : undefined;
  const dx = dimsOf(x);
  if (axis === undefined || !dx) return SI.tuple(Array.from({ length: count }, () => SI.tensorNdim(x.dtype, x.ndim, x.vdevice)));
  const len = dx[axis]!;
  const pieces = sections !== undefined ? sectionLengths(len, sections) : indexLengths(len, indices!);
  return SI.tuple(pieces.map((p) => {
    const out = [...dx];
    out[axis] = p;
    return tensorOut(out, x.dtype, x.ndim, x.vdevice);
  }));
}

/** Equal sections of ceil(len / n); the last takes the rest. */
function sectionLengths(len: PrimExpr, n: number): PrimExpr[] {
  const each = ceildiv(len, i64(n));
  const last = simplify(binary('sub', len, binary('mul', each, i64(n - 1))));
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? last : each));
}

/** Pieces between split indices, clamped to [0, len] when len is constant. */
function indexLengths(len: PrimExpr, indices: readonly number[]): PrimExpr[] {
  const L = len.kind === 'tir.IntImm' ? len.value : undefined;
  const clamp = (v: number): number => (L === undefined ? v : Math.max(0, Math.min(v, L)));
  const bounds = [0, ...indices.map(clamp)];
  return bounds.map((b, i) => {
    const next = bounds[i + 1];
    if (next !== undefined) return i64(Math.max(0, next - b));
    return L === undefined ? arith('sub', len, i64(b)) : i64(Math.max(0, L - b));
  });
}

function broadcastToRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  const s = shapeArg(call, 1, ctx);
  if (!x || !s) return UNKNOWN_TENSOR;
  const dx = dimsOf(x);
  if (s.dims && x.ndim > s.dims.length) {
    ctx.error('I405', `broadcast_to requires the target shape to have at least the input's rank. However, the input has ${x.ndim} dimensions and the target shape ${showDims(s.dims)} has ${s.dims.length}.`);
    return SI.tensorNdim(x.dtype, s.ndim);
  }
  if (s.dims && dx) {
    for (let i = 1; i <= dx.length; i++) {
      const [d, target] = [dx[dx.length - i]!, s.dims[s.dims.length - i]!];
      if (!isOne(d) && provenNe(d, target) && provenNe(d, i64(1))) {
        ctx.error('I403', `broadcast_to requires each input dim to be 1 or equal to the target dim. However, the input shape ${showDims(dx)} cannot broadcast to ${showDims(s.dims)}.`);
        return SI.tensorNdim(x.dtype, s.ndim);
      }
    }
  }
  return fromShapeArg(call, ctx, 1, x.dtype);
}

function tileRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const reps = attrIs(call, 'repeats') ?? [];
  if (x.ndim < 0) return SI.tensorNdim(x.dtype, -1);
  const ndim = Math.max(x.ndim, reps.length);
  const dx = dimsOf(x);
  if (!dx) return SI.tensorNdim(x.dtype, ndim, x.vdevice);
  const d = [...Array<PrimExpr>(ndim - dx.length).fill(i64(1)), ...dx];
  const r = [...Array<number>(ndim - reps.length).fill(1), ...reps];
  return tensorOut(d.map((v, i) => arith('mul', v, i64(r[i]!))), x.dtype, ndim, x.vdevice);
}

function repeatRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const reps = i64(attrI(call, 'repeats') ?? 1);
  const axisAttr = attr(call, 'axis');
  const dx = dimsOf(x);
  if (axisAttr === null || axisAttr === undefined) return tensorOut(dx && [arith('mul', product(dx), reps)], x.dtype, 1, x.vdevice);
  const axis = normAxis(call, ctx, attrInt(axisAttr) ?? 0, x.ndim);
  if (axis === undefined || !dx) return SI.tensorNdim(x.dtype, x.ndim, x.vdevice);
  const out = [...dx];
  out[axis] = arith('mul', dx[axis]!, reps);
  return tensorOut(out, x.dtype, x.ndim, x.vdevice);
}

/** Same shape and dtype as the input (flip, reverse_sequence, scatter*, index_put, slice_scatter). */
function sameAsFirst(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return x ? withDtype(x, x.dtype) : UNKNOWN_TENSOR;
}

function gatherElementsRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const idx = tensorArg(call, 1, ctx, 'indices');
  if (!x || !idx) return UNKNOWN_TENSOR;
  if (idx.dtype && !isIntLike(idx.dtype)) {
    ctx.error('I402', `gather_elements requires integer indices. However, the indices have dtype ${idx.dtype}.`);
  }
  if (x.ndim >= 0 && idx.ndim >= 0 && x.ndim !== idx.ndim) {
    ctx.error('I405', `gather_elements requires data and indices to have the same rank. However, they have ${x.ndim} and ${idx.ndim} dimensions.`);
    return SI.tensorNdim(x.dtype, -1);
  }
  normAxis(call, ctx, attrI(call, 'axis') ?? 0, x.ndim);
  return withDtype(idx, x.dtype);
}

function gatherNdRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const idx = tensorArg(call, 1, ctx, 'indices');
  if (!x || !idx) return UNKNOWN_TENSOR;
  const b = attrI(call, 'batch_dims') ?? 0;
  const [dx, di] = [dimsOf(x), dimsOf(idx)];
  const m = di?.[di.length - 1];
  if (!dx || !di || !m || m.kind !== 'tir.IntImm') return SI.tensorNdim(x.dtype, -1);
  return tensorOut([...di.slice(0, -1), ...dx.slice(b + m.value)], x.dtype);
}

function collapseSumToRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  return x ? fromShapeArg(call, ctx, 1, x.dtype) : UNKNOWN_TENSOR;
}

function collapseSumLikeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const y = tensorArg(call, 1, ctx, 'collapse_target');
  return x && y ? withDtype(y, x.dtype) : UNKNOWN_TENSOR;
}

function oneHotRule(call: Call, ctx: InferCtx): StructInfo {
  const idx = tensorArg(call, 0, ctx, 'indices');
  if (!idx) return UNKNOWN_TENSOR;
  const on = primArg(call, 1, ctx);
  const dtype = on ? primDtype(on) : '';
  const depth = i64(attrI(call, 'depth') ?? 1);
  const di = dimsOf(idx);
  if (!di) return SI.tensorNdim(dtype, idx.ndim < 0 ? -1 : idx.ndim + 1);
  const axis = normAxis(call, ctx, attrI(call, 'axis') ?? -1, di.length + 1);
  if (axis === undefined) return SI.tensorNdim(dtype, di.length + 1);
  const out = [...di];
  out.splice(axis, 0, depth);
  return tensorOut(out, dtype);
}

function meshgridRule(call: Call, ctx: InferCtx): StructInfo {
  const xs = tensorsArg(call, 0, ctx);
  if (!xs) return SI.object();
  const lens = xs.map((x) => dimsOf(x)?.[0]);
  const ij = (attrS(call, 'indexing') ?? 'ij') === 'ij';
  const dims = lens.every((l) => l) ? (lens as PrimExpr[]) : undefined;
  const order = dims && !ij && dims.length >= 2 ? [dims[1]!, dims[0]!, ...dims.slice(2)] : dims;
  return SI.tuple(xs.map((x) => tensorOut(order, x.dtype, xs.length)));
}

function layoutTransformRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return x ? SI.tensorNdim(x.dtype, -1, x.vdevice) : UNKNOWN_TENSOR;
}

function indexTensorRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const idx = tensorsArg(call, 1, ctx);
  if (!x || !idx) return UNKNOWN_TENSOR;
  const dx = dimsOf(x);
  let b: readonly PrimExpr[] | undefined = [];
  for (const i of idx) {
    const di = dimsOf(i);
    b = b && di ? broadcastList(b, di) : undefined;
  }
  return tensorOut(b && dx ? [...b, ...dx.slice(idx.length)] : undefined, x.dtype);
}

/** Numpy broadcast without diagnostics (index tensors). */
function broadcastList(x: readonly PrimExpr[], y: readonly PrimExpr[]): PrimExpr[] | undefined {
  const n = Math.max(x.length, y.length);
  const out: PrimExpr[] = [];
  for (let i = n; i >= 1; i--) {
    const [a0, b0] = [x[x.length - i], y[y.length - i]];
    if (!a0 || isOne(a0)) out.push(b0 ?? i64(1));
    else if (!b0 || isOne(b0) || provenEq(a0, b0)) out.push(a0);
    else return undefined;
  }
  return out;
}

const axesList = normalizer({ axis: toList });

defineOps('shape', [
  { name: 'relax.reshape', params: [t('x'), e('shape', 'shape')], infer: reshapeRule, shortlist: true, doc: 'Same data, new shape (one dim may be -1).' },
  { name: 'relax.permute_dims', params: [t('x'), a('axes', 'opt_axes', null)], infer: permuteRule, shortlist: true, doc: 'Transposes dims (reverses them when axes is None).' },
  { name: 'relax.expand_dims', params: [t('x'), a('axis', 'axes')], normalizeAttrs: axesList, infer: expandDimsRule, shortlist: true, doc: 'Inserts length-1 dims at the given output axes.' },
  { name: 'relax.squeeze', params: [t('x'), a('axis', 'opt_axes', null)], normalizeAttrs: axesList, infer: squeezeRule, shortlist: true, doc: 'Removes length-1 dims.' },
  { name: 'relax.flatten', params: [t('x')], infer: flattenRule, shortlist: true, doc: 'Flattens to one dim.' },
  { name: 'relax.concat', params: [e('tensors', 'tensors'), a('axis', 'int_or_none', I(0))], infer: concatRule, shortlist: true, doc: 'Joins tensors along an axis.' },
  {
    name: 'relax.split', params: [t('x'), a('indices_or_sections', 'int_or_ints'), a('axis', 'axis', I(0))],
    infer: splitRule, shortlist: true, returnsTuple: true, doc: 'Splits into equal sections or at indices; a tuple.',
  },
  { name: 'relax.stack', params: [e('tensors', 'tensors'), a('axis', 'axis', I(0))], infer: stackRule, shortlist: true, doc: 'Stacks same-shaped tensors along a new axis.' },
  { name: 'relax.broadcast_to', params: [t('x'), e('shape', 'shape')], infer: broadcastToRule, shortlist: true, doc: 'Broadcasts to a shape.' },
  { name: 'relax.tile', params: [t('data'), a('repeats', 'int_or_ints')], normalizeAttrs: normalizer({ repeats: toList }), infer: tileRule, shortlist: true, doc: 'Repeats the whole tensor along each dim.' },
  { name: 'relax.repeat', params: [t('data'), a('repeats', 'int'), a('axis', 'int_or_none', null)], infer: repeatRule, shortlist: true, doc: 'Repeats each element (flattened when axis is None).' },
  { name: 'relax.flip', params: [t('data'), a('axis', 'axis')], infer: sameAsFirst, doc: 'Reverses the order along an axis.' },
  { name: 'relax.reverse_sequence', params: [t('input'), t('seq_lengths'), a('seq_axis', 'axis', I(1)), a('batch_axis', 'axis', I(0))], infer: sameAsFirst, doc: 'Reverses variable-length prefixes.' },
  { name: 'relax.gather_elements', params: [t('data'), t('indices'), a('axis', 'axis', I(0))], infer: gatherElementsRule, shortlist: true, doc: 'Gathers along an axis by an index tensor of the same rank.' },
  { name: 'relax.gather_nd', params: [t('data'), t('indices'), a('batch_dims', 'int', I(0))], infer: gatherNdRule, doc: 'Gathers slices by N-d indices.' },
  { name: 'relax.index_tensor', params: [t('data'), e('indices', 'tensors')], infer: indexTensorRule, doc: 'Advanced (numpy) indexing by index tensors.' },
  { name: 'relax.index_put', params: [t('data'), e('indices', 'tensors'), t('values'), a('accumulate', 'bool', false)], infer: sameAsFirst, doc: 'Writes values at indices.' },
  { name: 'relax.meshgrid', params: [e('tensors', 'tensors'), a('indexing', 'str', 'ij', ['ij', 'xy'])], infer: meshgridRule, returnsTuple: true, doc: 'Coordinate grids from 1-D tensors.' },
  {
    name: 'relax.scatter_elements', params: [t('data'), t('indices'), t('updates'), a('axis', 'axis', I(0)), a('reduction', 'str', 'update', ['update', 'add', 'mul', 'mean', 'max', 'min'])],
    infer: sameAsFirst, doc: 'Scatters updates along an axis.',
  },
  { name: 'relax.scatter_nd', params: [t('data'), t('indices'), t('updates'), a('reduction', 'str', 'update', ['update', 'add', 'mul', 'min', 'max'])], infer: sameAsFirst, doc: 'Scatters updates at N-d indices.' },
  {
    name: 'relax.slice_scatter', params: [t('input_tensor'), t('src'), e('start', 'prim'), e('end', 'prim'), e('step', 'prim'), a('axis', 'axis', I(0))],
    infer: sameAsFirst, doc: 'Writes src into a strided slice.',
  },
  { name: 'relax.one_hot', params: [t('indices'), e('on_value', 'prim'), e('off_value', 'prim'), a('depth', 'int'), a('axis', 'axis', I(-1))], infer: oneHotRule, doc: 'One-hot encoding along a new axis.' },
  { name: 'relax.collapse_sum_like', params: [t('data'), t('collapse_target')], infer: collapseSumLikeRule, doc: 'Sums broadcast dims away to match a tensor.' },
  { name: 'relax.collapse_sum_to', params: [t('data'), e('shape', 'shape')], infer: collapseSumToRule, doc: 'Sums broadcast dims away to a shape.' },
  {
    name: 'relax.layout_transform', params: [t('x'), a('index_map', 'any'), a('pad_value', 'float_or_none', null), a('axis_separators', 'any', null), a('input_axis_separators', 'any', null)],
    infer: layoutTransformRule, doc: 'Rewrites the layout by an index map.',
  },
]);
