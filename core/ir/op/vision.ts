/**
 * Vision ops (`python/tvm/relax/op/vision/*.py`): non-maximum suppression, valid counts, ROI align/pool and
 * multibox decoding. Registered for parsing, printing and the palette; only ROI align/pool infer shapes (the NMS
 * family has run-time sized outputs and keeps the written annotation).
 */
import type { Call, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import { a, attrIs, attrS, defineOps, dimsOf, F, I, i64, t, tensorArg, tensorOut, UNKNOWN_TENSOR } from './common.js';
import type { InferCtx } from './registry.js';

function roiRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const r = tensorArg(call, 1, ctx, 'rois');
  if (!x || !r) return UNKNOWN_TENSOR;
  const ps = attrIs(call, 'pooled_size') ?? [];
  const [ph, pw] = [ps[0], ps[1] ?? ps[0]];
  const [dx, dr] = [dimsOf(x), dimsOf(r)];
  if (!dx || !dr || ph === undefined || pw === undefined || dx.length !== 4) return SI.tensorNdim(x.dtype, 4);
  const nhwc = attrS(call, 'layout') === 'NHWC';
  const c = nhwc ? dx[3]! : dx[1]!;
  const out = nhwc ? [dr[0]!, i64(ph), i64(pw), c] : [dr[0]!, c, i64(ph), i64(pw)];
  return tensorOut(out, x.dtype, 4, x.vdevice);
}

defineOps('vision', [
  {
    name: 'relax.vision.all_class_non_max_suppression',
    params: [t('boxes'), t('scores'), t('max_output_boxes_per_class'), t('iou_threshold'), t('score_threshold'), a('output_format', 'str', 'onnx', ['onnx', 'tensorflow'])],
    returnsTuple: true, doc: 'Class-wise non-maximum suppression.',
  },
  {
    name: 'relax.vision.get_valid_counts', params: [t('data'), a('score_threshold', 'float', F(0)), a('id_index', 'int', I(0)), a('score_index', 'int', I(1))],
    returnsTuple: true, doc: 'Counts boxes above a score threshold.',
  },
  {
    name: 'relax.vision.non_max_suppression',
    params: [t('data'), t('valid_count'), t('indices'), t('max_output_size', true), a('iou_threshold', 'float', F(0.5)), a('force_suppress', 'bool', false),
      a('top_k', 'int', I(-1)), a('coord_start', 'int', I(2)), a('score_index', 'int', I(1)), a('id_index', 'int', I(0)),
      a('return_indices', 'bool', true), a('invalid_to_bottom', 'bool', false)],
    doc: 'Non-maximum suppression.',
  },
  {
    name: 'relax.vision.roi_align',
    params: [t('data'), t('rois'), a('pooled_size', 'int_or_ints'), a('spatial_scale', 'float'), a('sample_ratio', 'int', I(-1)), a('aligned', 'bool', false),
      a('layout', 'str', 'NCHW', ['NCHW', 'NHWC']), a('mode', 'str', 'avg', ['avg', 'max'])],
    infer: roiRule, doc: 'Region-of-interest align.',
  },
  {
    name: 'relax.vision.roi_pool', params: [t('data'), t('rois'), a('pooled_size', 'int_or_ints'), a('spatial_scale', 'float'), a('layout', 'str', 'NCHW', ['NCHW', 'NHWC'])],
    infer: roiRule, doc: 'Region-of-interest max pooling.',
  },
  {
    name: 'relax.vision.multibox_transform_loc',
    params: [t('cls_prob'), t('loc_pred'), t('anchor'), a('clip', 'bool', true), a('threshold', 'float', F(0.01)), a('variances', 'any', [F(0.1), F(0.1), F(0.2), F(0.2)])],
    returnsTuple: true, doc: 'Decodes multibox locations.',
  },
]);
