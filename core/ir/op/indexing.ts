/**
 * Indexing (`python/tvm/relax/op/index.py`): `take` (embedding lookup; a PrimValue index drops the axis) and
 * `strided_slice` with symbolic begin/end (negative indices count from the end, clamped to the extent when that is
 * provable, else kept symbolic with min/max), plus `dynamic_strided_slice` whose result is known only by rank.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { binary } from '../tir/nodes.js';
import { simplify } from '../arith/index.js';
import {
  a, attrB, attrI, attr, ceildiv, defineOps, dimsOf, e, i64, isIntLike, normAxes, normAxis, opLabel, primsArg,
  proven, sinfoOf, t, tensorArg, tensorOut, UNKNOWN_TENSOR,
} from './common.js';
import type { InferCtx } from './registry.js';

function takeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const idxSi = call.args[1] ? sinfoOf(call.args[1], ctx) : undefined;
  const scalar = idxSi?.kind === 'si.Prim';
  const idx = scalar ? SI.tensor([], idxSi.dtype) : tensorArg(call, 1, ctx, 'indices');
  if (!idx) return UNKNOWN_TENSOR;
  if (idx.dtype && !isIntLike(idx.dtype)) {
    ctx.error('I402', `take requires the indices to have an integer dtype. However, the given indices have dtype ${idx.dtype}.`);
  }
  const axisAttr = attr(call, 'axis');
  if ((axisAttr === null || axisAttr === undefined) && x.ndim >= 0 && x.ndim !== 1) {
    ctx.error('I405', `take without an axis requires a 1-D input. However, the input has ${x.ndim} dimensions.`);
    return SI.tensorNdim(x.dtype, -1);
  }
  const axis = x.ndim >= 0 ? normAxis(call, ctx, attrI(call, 'axis') ?? 0, x.ndim) : undefined;
  const ndim = x.ndim < 0 || idx.ndim < 0 ? -1 : x.ndim - 1 + idx.ndim;
  const [dx, di] = [dimsOf(x), dimsOf(idx)];
  if (axis === undefined || !dx || !di) return SI.tensorNdim(x.dtype, ndim, x.vdevice);
  return tensorOut([...dx.slice(0, axis), ...di, ...dx.slice(axis + 1)], x.dtype, ndim, x.vdevice);
}

const BIG = 2 ** 31 - 1;

/** Canonical index in [0, extent] for a positive stride: negatives count from the end, then clamp. */
function canonical(i: PrimExpr, extent: PrimExpr): PrimExpr | undefined {
  if (i.kind === 'tir.IntImm') {
    if (i.value >= BIG) return extent;
    if (i.value <= -BIG) return i64(0);
    const v = i.value < 0 ? simplify(binary('add', extent, i)) : i;
    const lo = i.value < 0 && !proven(binary('ge', v, i64(0))) ? simplify(binary('max', v, i64(0))) : v;
    return proven(binary('le', lo, extent)) ? lo : simplify(binary('min', lo, extent));
  }
  if (!proven(binary('ge', i, i64(0)))) return undefined;
  return proven(binary('le', i, extent)) ? i : simplify(binary('min', i, extent));
}

/** Canonical index in [-1, extent - 1] for a negative stride (constant indices only). */
function canonicalNeg(i: PrimExpr, extent: PrimExpr): PrimExpr | undefined {
  if (i.kind !== 'tir.IntImm') return undefined;
  if (i.value >= BIG) return simplify(binary('sub', extent, i64(1)));
  if (i.value <= -BIG) return i64(-1);
  const v = i.value < 0 ? simplify(binary('add', extent, i)) : i;
  const last = simplify(binary('sub', extent, i64(1)));
  const hi = proven(binary('le', v, last)) ? v : simplify(binary('min', v, last));
  return proven(binary('ge', hi, i64(-1))) ? hi : simplify(binary('max', hi, i64(-1)));
}

/** Length of a slice, as TOPI's GetLength; undefined when not computable symbolically. */
function sliceLength(begin: PrimExpr, end: PrimExpr, stride: number, extent: PrimExpr, inbound: boolean): PrimExpr | undefined {
  if (stride === 0) return undefined;
  if (inbound) {
    return stride > 0 ? ceildiv(simplify(binary('sub', end, begin)), i64(stride)) : ceildiv(simplify(binary('sub', begin, end)), i64(-stride));
  }
  const [b, en] = stride > 0 ? [canonical(begin, extent), canonical(end, extent)] : [canonicalNeg(begin, extent), canonicalNeg(end, extent)];
  if (!b || !en) return undefined;
  const diff = stride > 0 ? simplify(binary('sub', en, b)) : simplify(binary('sub', b, en));
  const len = ceildiv(diff, i64(Math.abs(stride)));
  return proven(binary('ge', len, i64(0))) ? len : simplify(binary('max', len, i64(0)));
}

function stridedSliceRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const [axesE, beginE, endE] = [1, 2, 3].map((i) => primsArg(call, i, ctx));
  const stridesE = call.args[4] ? primsArg(call, 4, ctx) : undefined;
  const degraded = SI.tensorNdim(x.dtype, x.ndim, x.vdevice);
  if (!axesE || !beginE || !endE || (call.args[4] && !stridesE)) return degraded;
  const n = axesE.length;
  if (beginE.length !== n || endE.length !== n || (stridesE && stridesE.length !== n)) {
    ctx.error('I409', `strided_slice requires axes, begin, end (and strides) to have the same length. However, their lengths are ${n}, ${beginE.length}, ${endE.length}${stridesE ? `, ${stridesE.length}` : ''}.`);
    return degraded;
  }
  const axesRaw = axesE.map((v) => (v.kind === 'tir.IntImm' ? v.value : NaN));
  if (axesRaw.some(Number.isNaN) || x.ndim < 0) return degraded;
  const axes = normAxes(call, ctx, axesRaw, x.ndim);
  const dx = dimsOf(x);
  if (!axes || !dx) return degraded;
  const inbound = attrB(call, 'assume_inbound') ?? false;
  const out = [...dx];
  for (let k = 0; k < n; k++) {
    const s = stridesE?.[k];
    const stride = s === undefined ? 1 : s.kind === 'tir.IntImm' ? s.value : undefined;
    if (stride === undefined) return degraded;
    if (stride === 0) {
      ctx.error('I409', `${opLabel(call)} requires non-zero strides. However, the stride at axis ${axes[k]} is 0.`);
      return degraded;
    }
    const len = sliceLength(beginE[k]!, endE[k]!, stride, dx[axes[k]!]!, inbound);
    if (!len) return degraded;
    out[axes[k]!] = len;
  }
  return tensorOut(out, x.dtype, x.ndim, x.vdevice);
}

function dynamicSliceRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  return x ? SI.tensorNdim(x.dtype, x.ndim, x.vdevice) : UNKNOWN_TENSOR;
}

defineOps('index', [
  {
    name: 'relax.take', params: [t('x'), t('indices'), a('axis', 'int_or_none', null), a('mode', 'str', 'fast', ['fast', 'clip', 'wrap', 'nan'])],
    infer: takeRule, shortlist: true, doc: 'Takes elements along an axis by indices (embedding lookup).',
  },
  {
    name: 'relax.strided_slice', params: [t('x'), e('axes', 'prims'), e('begin', 'prims'), e('end', 'prims'), e('strides', 'prims', true), a('assume_inbound', 'bool', false)],
    infer: stridedSliceRule, shortlist: true, doc: 'Slices begin:end:stride along the given axes.',
  },
  { name: 'relax.dynamic_strided_slice', params: [t('x'), t('begin'), t('end'), t('strides')], infer: dynamicSliceRule, doc: 'Strided slice with tensor-valued bounds.' },
]);


