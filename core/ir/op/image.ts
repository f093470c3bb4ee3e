/**
 * Image ops (`python/tvm/relax/op/image/image.py`): `resize2d/resize3d` replace the spatial dims by `size` (a
 * shape argument; one value is used for every spatial dim) in the given layout, `grid_sample` takes its spatial
 * size from the grid, `affine_grid` builds a (N, 2, H, W) grid.
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import {
  a, attrDtype, attrS, checkRank, defineOps, dimsOf, e, F, I, i64, LAYOUTS_2D, LAYOUTS_3D, opLabel, shapeArg, t, tensorArg,
  tensorOut, UNKNOWN_TENSOR,
} from './common.js';
import type { InferCtx } from './registry.js';

function resizeRule(spatial: string): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx, 'data');
    const s = shapeArg(call, 1, ctx);
    if (!x || !s) return UNKNOWN_TENSOR;
    const layout = attrS(call, 'layout') ?? `NC${spatial}`;
    const dtype = attrDtype(call, 'out_dtype') || x.dtype;
    if (!checkRank(call, ctx, x, layout.length, 'data')) return SI.tensorNdim(dtype, layout.length);
    const size = s.dims?.length === 1 ? Array.from({ length: spatial.length }, () => s.dims![0]!) : s.dims;
    if (size && size.length !== spatial.length) {
      ctx.error('I409', `${opLabel(call)} requires size to have ${spatial.length} values (or one). However, it has ${size.length}.`);
      return SI.tensorNdim(dtype, layout.length);
    }
    const dx = dimsOf(x);
    if (!dx || !size || [...`NC${spatial}`].some((c) => !layout.includes(c))) return SI.tensorNdim(dtype, layout.length, x.vdevice);
    const out: PrimExpr[] = [...layout].map((c, i) => {
      const k = spatial.indexOf(c);
      return k >= 0 ? size[k]! : dx[i]!;
    });
    return tensorOut(out, dtype, layout.length, x.vdevice);
  };
}

function gridSampleRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const g = tensorArg(call, 1, ctx, 'grid');
  if (!x || !g) return UNKNOWN_TENSOR;
  const [dx, dg] = [dimsOf(x), dimsOf(g)];
  if (!dx || !dg || dx.length !== 4 || dg.length !== 4) return SI.tensorNdim(x.dtype, x.ndim);
  return tensorOut([dx[0]!, dx[1]!, dg[1]!, dg[2]!], x.dtype, 4, x.vdevice);
}

function affineGridRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const s = shapeArg(call, 1, ctx);
  if (!x) return UNKNOWN_TENSOR;
  const dx = dimsOf(x);
  if (!dx || !s?.dims || s.dims.length !== 2) return SI.tensorNdim(x.dtype, 4);
  return tensorOut([dx[0]!, i64(2), s.dims[0]!, s.dims[1]!], x.dtype, 4, x.vdevice);
}

const resizeParams = (spatial: string, layouts: readonly string[]) => [
  t('data'), e('size', 'shape'), a('roi', 'any', Array.from({ length: 2 * spatial.length }, () => F(0))),
  a('layout', 'str', `NC${spatial}`, layouts), a('method', 'str', 'linear', ['nearest_neighbor', 'linear', 'cubic']),
  a('coordinate_transformation_mode', 'str', 'half_pixel', ['half_pixel', 'align_corners', 'asymmetric', 'pytorch_half_pixel', 'tf_half_pixel_for_nn', 'tf_crop_and_resize']),
  a('rounding_method', 'str', 'round', ['round', 'floor', 'ceil', 'round_prefer_floor', 'round_prefer_ceil']),
  a('cubic_alpha', 'float', F(-0.75)), a('cubic_exclude', 'int', I(0)), a('extrapolation_value', 'float', F(0.0)),
  a('out_dtype', 'dtype', 'void'),
];

defineOps('image', [
  { name: 'relax.image.resize2d', params: resizeParams('HW', LAYOUTS_2D), infer: resizeRule('HW'), shortlist: true, doc: 'Resizes the spatial dims to size.' },
  { name: 'relax.image.resize3d', params: resizeParams('DHW', LAYOUTS_3D), infer: resizeRule('DHW'), doc: 'Resizes the 3 spatial dims to size.' },
  {
    name: 'relax.image.grid_sample',
    params: [t('data'), t('grid'), a('method', 'str', 'bilinear', ['nearest', 'bilinear', 'bicubic']), a('layout', 'str', 'NCHW', LAYOUTS_2D),
      a('padding_mode', 'str', 'zeros', ['zeros', 'border', 'reflection']), a('align_corners', 'bool', true)],
    infer: gridSampleRule, doc: 'Samples data at grid coordinates.',
  },
  { name: 'relax.image.affine_grid', params: [t('data'), e('size', 'shape'), a('align_corners', 'bool', false)], infer: affineGridRule, doc: 'A sampling grid from affine matrices.' },
]);

