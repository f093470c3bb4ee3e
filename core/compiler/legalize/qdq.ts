/**
 * `R.quantize` / `R.dequantize` as TVM's legalization writes them (`legalize_ops/qdq.py`, one TE stage each):
 *   quantize:   out = clip_cast(round(x / scale) + zero_point)         (no rounding for a float out_dtype)
 *   dequantize: out = (x as float32|int32 - zero_point) * scale        (clip_cast unless out_dtype is float32)
 * where clip_cast clamps to the out_dtype's finite range, then casts. `scale` and `zero_point` are scalars (0-d
 * or one-element tensors) or 1-D tensors indexed along `axis` (per-channel).
 * Preconditions: struct info inferred (the output shape is the input's, the dtype the call's out_dtype).
 */
import { attrInt } from '../../ir/attrs.js';
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, isFloatDtype } from '../../ir/tir/nodes.js';
import { castTo, intrin } from './datatype.js';
import { i64 } from './linalg.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { TeTensor } from './te.js';
import { compute, highest, load, lowest } from './te.js';

/** The scale or zero point for the element at `i`: its only value, or its entry along `axis`. */
function paramAt(p: TeTensor, i: readonly TirVar[], axis: number): PrimExpr {
  if (p.shape.length === 0) return load(p, []);
  const scalar = p.shape.length === 1 && p.shape[0]!.kind === 'tir.IntImm' && p.shape[0]!.value === 1;
  return load(p, [scalar ? i64(0) : i[axis]!]);
}

/** TVM's clip_cast: clamp to the dtype's finite range (in the value's own type), then cast. */
function clipCast(v: PrimExpr, dtype: string): PrimExpr {
  const from = v.kind === 'tir.StringImm' ? 'handle' : v.dtype;
  const hi = castTo(highest(dtype), from);
  const lo = castTo(lowest(dtype), from);
  return castTo(binary('max', binary('min', v, hi), lo), dtype);
}

function qdq(kind: 'quantize' | 'dequantize'): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const x = ctx.input(0, 'A');
    const scale = ctx.input(1, 'B');
    const zp = ctx.input(2, 'C');
    const rank = x.shape.length;
    const raw = ctx.attr('axis');
    const a = raw === undefined || raw === null ? -1 : (attrInt(raw) ?? -1);
    const axis = a < 0 ? a + rank : a;
    if (rank > 0 && (axis < 0 || axis >= rank)) return ctx.fail(`its axis ${a} is not an axis of the ${rank}-d input`);
    if (scale.shape.length > 1 || zp.shape.length > 1) return ctx.fail('its scale and zero point must be scalars or 1-D (per-channel) tensors');
    const dtype = ctx.outDtype();
    const out = compute(ctx.outShape(), (...i) => (kind === 'quantize' ? quantize(x, scale, zp, i, axis, dtype) : dequantize(x, scale, zp, i, axis, dtype)), kind === 'quantize' ? 'quantized' : 'dequantized', { dtype });
    return { name: kind, inputs: [x, scale, zp], outputs: [out] };
  };
}

function quantize(x: TeTensor, scale: TeTensor, zp: TeTensor, i: readonly TirVar[], axis: number, dtype: string): PrimExpr {
  const f = x.dtype;
  const scaled = binary('div', load(x, i), castTo(paramAt(scale, i, axis), f));
  const rounded = isFloatDtype(dtype) ? scaled : intrin('round', [scaled], f);
  return clipCast(binary('add', rounded, castTo(paramAt(zp, i, axis), f)), dtype);
}

function dequantize(x: TeTensor, scale: TeTensor, zp: TeTensor, i: readonly TirVar[], axis: number, dtype: string): PrimExpr {
  const work = isFloatDtype(x.dtype) ? 'float32' : 'int32';
  const sub = binary('sub', castTo(load(x, i), work), castTo(paramAt(zp, i, axis), work));
  const out = binary('mul', castTo(sub, 'float32'), castTo(paramAt(scale, i, axis), 'float32'));
  return dtype === 'float32' ? out : clipCast(out, dtype);
}

registerLegalize('relax.quantize', qdq('quantize'));
registerLegalize('relax.dequantize', qdq('dequantize'));
