/**
 * Legalization of `R.image.resize2d` (any permutation of NCHW): nearest_neighbor and linear sampling with TOPI's
 * coordinate transforms (half_pixel, align_corners, asymmetric, pytorch_half_pixel, tf_half_pixel_for_nn) and
 * rounding methods (round = half to even, floor/ceil with TOPI's 1e-5 nudge, round_prefer_floor/ceil).
 * Source coordinates are clamped to the image, as TOPI's get_2d_pixel.
 *
 * Preconditions: the result struct info is inferred (target sizes come from ctx.outShape).
 * Left to others: `cubic` and `tf_crop_and_resize` (declined with a reason).
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, floatImm, isFloatDtype } from '../../ir/tir/nodes.js';
import { attrS } from '../../ir/op/common.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import { compute, load } from './te.js';
import { castTo, i64, tcall } from './linalg.js';

const F = 'float32';
const f = (v: number): PrimExpr => floatImm(v, F);

/** The source coordinate (float32) of output position `x` along a dim of `size` resized to `target`. */
function sourceCoord(x: PrimExpr, size: PrimExpr, target: PrimExpr, mode: string): PrimExpr {
  const xf = castTo(F, x);
  const scale = binary('div', castTo(F, size), castTo(F, target));
  const oneTarget = target.kind === 'tir.IntImm' && target.value === 1;
  const guard = (e: PrimExpr): PrimExpr => {
    if (oneTarget) return f(0);
    if (target.kind === 'tir.IntImm') return e;
    return { kind: 'tir.Select', cond: binary('gt', target, i64(1)), t: e, f: f(0), dtype: F };
  };
  switch (mode) {
    case 'align_corners':
      return guard(binary('mul', binary('div', castTo(F, binary('sub', size, i64(1))), castTo(F, binary('sub', target, i64(1)))), xf));
    case 'asymmetric':
      return binary('mul', xf, scale);
    case 'pytorch_half_pixel':
      return guard(binary('sub', binary('mul', binary('add', xf, f(0.5)), scale), f(0.5)));
    case 'tf_half_pixel_for_nn':
      return binary('mul', binary('add', xf, f(0.5)), scale);
    default: // half_pixel
      return binary('sub', binary('mul', binary('add', xf, f(0.5)), scale), f(0.5));
  }
}

/** Nearest index of a source coordinate under a rounding method (TOPI's get_closest_index). */
function closest(c: PrimExpr, rounding: string): PrimExpr {
  const r = (op: string, e: PrimExpr): PrimExpr => castTo('int64', tcall(op, [e], F));
  switch (rounding) {
    case 'round_prefer_floor':
      return r('ceil', binary('sub', c, f(0.5)));
    case 'round_prefer_ceil':
      return r('floor', binary('add', c, f(0.5)));
    case 'floor':
      return r('floor', binary('add', c, f(1e-5)));
    case 'ceil':
      return r('ceil', binary('sub', c, f(1e-5)));
    default:
      return r('round', c);
  }
}

const clampIx = (i: PrimExpr, size: PrimExpr): PrimExpr => binary('max', binary('min', i, binary('sub', size, i64(1))), i64(0));

function legalizeResize2d(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const layout = attrS(ctx.call, 'layout') ?? 'NCHW';
  const method = attrS(ctx.call, 'method') ?? 'linear';
  const mode = attrS(ctx.call, 'coordinate_transformation_mode') ?? 'half_pixel';
  let rounding = attrS(ctx.call, 'rounding_method') ?? 'round';
  if (layout.length !== 4 || !['N', 'C', 'H', 'W'].every((c) => layout.includes(c))) return ctx.fail(`layout "${layout}" is not a permutation of NCHW`);
  if (method !== 'nearest_neighbor' && method !== 'linear') return ctx.fail(`resize2d method "${method}" is not supported yet (nearest_neighbor and linear are)`);
  if (!['half_pixel', 'align_corners', 'asymmetric', 'pytorch_half_pixel', 'tf_half_pixel_for_nn'].includes(mode)) {
    return ctx.fail(`coordinate_transformation_mode "${mode}" is not supported`);
  }
  if (rounding === '') rounding = mode === 'align_corners' ? 'round' : 'floor';
  const x = ctx.input(0, 'A');
  const outShape = ctx.outShape();
  const outDtype = ctx.outDtype();
  const work = isFloatDtype(x.dtype) ? x.dtype : F;
  const [hi, wi] = [layout.indexOf('H'), layout.indexOf('W')];
  const [H, W] = [x.shape[hi]!, x.shape[wi]!];
  const [OH, OW] = [outShape[hi]!, outShape[wi]!];
  const at = (o: readonly PrimExpr[], y: PrimExpr, xx: PrimExpr): PrimExpr =>
    castTo(work, load(x, o.map((v, i) => (i === hi ? clampIx(y, H) : i === wi ? clampIx(xx, W) : v))));
  const out = compute(outShape, (...o: TirVar[]) => {
    const cy = sourceCoord(o[hi]!, H, OH, mode);
    const cx = sourceCoord(o[wi]!, W, OW, mode);
    if (method === 'nearest_neighbor') return castTo(outDtype, at(o, closest(cy, rounding), closest(cx, rounding)));
    return castTo(outDtype, bilinear(o, cy, cx, work, at));
  }, 'resize', { dtype: outDtype });
  return { name: 'resize2d', inputs: [x], outputs: [out] };
}

/** Bilinear interpolation between the four clamped neighbours of (cy, cx), as TOPI's _lerp. */
function bilinear(
  o: readonly PrimExpr[], cy: PrimExpr, cx: PrimExpr, work: string,
  at: (o: readonly PrimExpr[], y: PrimExpr, x: PrimExpr) => PrimExpr,
): PrimExpr {
  const y0 = castTo('int64', tcall('floor', [cy], F));
  const x0 = castTo('int64', tcall('floor', [cx], F));
  const ly = castTo(work, binary('sub', cy, castTo(F, y0)));
  const lx = castTo(work, binary('sub', cx, castTo(F, x0)));
  const y1 = binary('add', y0, i64(1));
  const x1 = binary('add', x0, i64(1));
  const one = floatImm(1, work);
  const lerp = (a: PrimExpr, b: PrimExpr, t: PrimExpr): PrimExpr => binary('add', binary('mul', a, binary('sub', one, t)), binary('mul', b, t));
  const top = lerp(at(o, y0, x0), at(o, y0, x1), lx);
  const bottom = lerp(at(o, y1, x0), at(o, y1, x1), lx);
  return lerp(top, bottom, ly);
}

registerLegalize('relax.image.resize2d', legalizeResize2d);
