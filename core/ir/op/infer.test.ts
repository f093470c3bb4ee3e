/**
 * Shape inference of every shortlist op, table-driven: each row is a call (op, args, attrs), the printed struct
 * info it must infer, and the diagnostic codes it must report (none, a proven mismatch, a bad attribute).
 */
import { describe, expect, it } from 'vitest';
import type { AttrValue } from '../attrs.js';
import { A } from '../attrs.js';
import type { Expr } from '../relax/nodes.js';
import { binary } from '../tir/nodes.js';
import { inferOp, k, m, n, pv, pvs, scalar, shp, tup, tv } from './testing.js';

type Row = [string, Expr[], Record<string, AttrValue>, string, string[]?];

const f32 = (...s: (number | typeof n)[]) => tv(s);
const typed = (dtype: string, ...s: (number | typeof n)[]) => tv(s, dtype);
const I = (...v: number[]): AttrValue => (v.length === 1 ? A.int(v[0]!) : A.ints(v));
const L = (...v: number[]): AttrValue => A.ints(v);

const ELEMENTWISE: Row[] = [
  ['exp', [f32(n, 4)], {}, 'R.Tensor((n, 4), "float32")'],
  ['exp', [typed('int32', 2)], {}, 'R.Tensor((2,), "int32")', ['I412']],
  ['log', [f32(2, 3)], {}, 'R.Tensor((2, 3), "float32")'],
  ['sqrt', [tv(null, 'float16', 3)], {}, 'R.Tensor("float16", ndim=3)'],
  ['rsqrt', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['abs', [typed('int32', n)], {}, 'R.Tensor((n,), "int32")'],
  ['negative', [f32(1)], {}, 'R.Tensor((1,), "float32")'],
  ['sigmoid', [f32(n, m)], {}, 'R.Tensor((n, m), "float32")'],
  ['tanh', [f32(3)], {}, 'R.Tensor((3,), "float32")'],
  ['erf', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['sin', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['cos', [f32(2)], {}, 'R.Tensor((2,), "float32")'],
  ['floor', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['ceil', [f32(2)], {}, 'R.Tensor((2,), "float32")'],
  ['round', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['square', [typed('int64', n)], {}, 'R.Tensor((n,), "int64")'],
  ['isnan', [f32(n, 2)], {}, 'R.Tensor((n, 2), "bool")'],
  ['clip', [f32(n, 2), pv(0), pv(6)], {}, 'R.Tensor((n, 2), "float32")'],
  ['add', [f32(n, 4), f32(4)], {}, 'R.Tensor((n, 4), "float32")'],
  ['add', [f32(2, 1), f32(1, 3)], {}, 'R.Tensor((2, 3), "float32")'],
  ['add', [f32(n, 4), scalar(1)], {}, 'R.Tensor((n, 4), "float32")'],
  ['add', [f32(n, 4), f32(m, 4)], {}, 'R.Tensor("float32", ndim=2)'],
  ['add', [f32(3, 4), f32(5, 4)], {}, 'R.Tensor("float32", ndim=2)', ['I403']],
  ['add', [f32(3), typed('int32', 3)], {}, 'R.Tensor((3,), "")', ['I402']],
  ['add', [tv(null, 'float32', 2), f32(4)], {}, 'R.Tensor("float32", ndim=2)'],
  ['add', [pv(1), pv(2)], {}, 'R.Prim("int64")'],
  ['subtract', [f32(n), f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['multiply', [f32(1, n), f32(m, 1)], {}, 'R.Tensor((m, n), "float32")'],
  ['divide', [f32(2, 3), f32(3)], {}, 'R.Tensor((2, 3), "float32")'],
  ['power', [f32(n), f32(1)], {}, 'R.Tensor((n,), "float32")'],
  ['maximum', [f32(4), f32(4)], {}, 'R.Tensor((4,), "float32")'],
  ['minimum', [f32(n, 1), f32(3)], {}, 'R.Tensor((n, 3), "float32")'],
  ['floor_divide', [typed('int32', n), typed('int32', n)], {}, 'R.Tensor((n,), "int32")'],
  ['floor_mod', [typed('int32', 2), typed('int32', 2)], {}, 'R.Tensor((2,), "int32")'],
  ['equal', [f32(n, 3), f32(3)], {}, 'R.Tensor((n, 3), "bool")'],
  ['greater', [f32(2), f32(2)], {}, 'R.Tensor((2,), "bool")'],
  ['less_equal', [f32(n), f32(n)], {}, 'R.Tensor((n,), "bool")'],
  ['where', [typed('bool', n, 1), f32(1, 4), f32(4)], {}, 'R.Tensor((n, 4), "float32")'],
  ['where', [typed('bool', 2), f32(2), f32(2)], {}, 'R.Tensor((2,), "float32")'],
  ['where', [f32(2), f32(2), f32(2)], {}, 'R.Tensor((2,), "float32")', ['I402']],
  ['astype', [f32(n, 2)], { dtype: 'float16' }, 'R.Tensor((n, 2), "float16")'],
  ['astype', [f32(3)], { dtype: 'int32' }, 'R.Tensor((3,), "int32")'],
];

const LINALG: Row[] = [
  ['matmul', [f32(2, 3), f32(3, 4)], {}, 'R.Tensor((2, 4), "float32")'],
  ['matmul', [f32(n, k), f32(k, m)], {}, 'R.Tensor((n, m), "float32")'],
  ['matmul', [f32(3), f32(3, 4)], {}, 'R.Tensor((4,), "float32")'],
  ['matmul', [f32(n, 3), f32(3)], {}, 'R.Tensor((n,), "float32")'],
  ['matmul', [f32(5, 1, n, 3), f32(2, 3, 4)], {}, 'R.Tensor((5, 2, n, 4), "float32")'],
  ['matmul', [f32(2, 3), f32(4, 5)], {}, 'R.Tensor("float32", ndim=2)', ['I406']],
  ['matmul', [f32(2, n), f32(m, 5)], {}, 'R.Tensor((2, 5), "float32")'],
  ['matmul', [typed('int8', 2, 3), typed('int8', 3, 4)], { out_dtype: 'int32' }, 'R.Tensor((2, 4), "int32")'],
  ['matmul', [tv(null, 'float32', -1), f32(3, 4)], {}, 'R.Tensor("float32", ndim=-1)'],
  ['linear', [f32(n, 8), f32(16, 8), f32(16)], {}, 'R.Tensor((n, 16), "float32")'],
  ['linear', [f32(2, 8), f32(4, 8)], {}, 'R.Tensor((2, 4), "float32")'],
  ['linear', [f32(2, 8), f32(4, 7)], {}, 'R.Tensor("float32", ndim=2)', ['I406']],
  ['einsum', [tup(f32(n, k), f32(k, m))], { subscripts: 'ij,jk->ik' }, 'R.Tensor((n, m), "float32")'],
  ['einsum', [tup(f32(2, 3))], { subscripts: 'ij->ji' }, 'R.Tensor((3, 2), "float32")'],
  ['einsum', [tup(f32(2, 3), f32(3, 4))], { subscripts: 'ij,jk' }, 'R.Tensor((2, 4), "float32")'],
  ['einsum', [tup(f32(2, 3), f32(4, 5))], { subscripts: 'ij,jk->ik' }, 'R.Tensor("float32", ndim=-1)', ['I418']],
];

const NN: Row[] = [
  ['nn.conv2d', [f32(1, 3, 32, 32), f32(16, 3, 3, 3)], {}, 'R.Tensor((1, 16, 30, 30), "float32")'],
  ['nn.conv2d', [f32(n, 3, m, m), f32(8, 3, 3, 3)], { padding: I(1) }, 'R.Tensor((n, 8, m, m), "float32")'],
  ['nn.conv2d', [f32(1, 3, 32, 32), f32(8, 3, 3, 3)], { strides: I(2), padding: L(1, 1) }, 'R.Tensor((1, 8, 16, 16), "float32")'],
  ['nn.conv2d', [f32(1, 3, 32, 32), f32(8, 3, 3, 3)], { dilation: I(2) }, 'R.Tensor((1, 8, 28, 28), "float32")'],
  ['nn.conv2d', [f32(1, 32, 32, 4), f32(8, 4, 3, 3)], { data_layout: 'NHWC' }, 'R.Tensor((1, 30, 30, 8), "float32")'],
  ['nn.conv2d', [f32(1, 32, 32, 4), f32(3, 3, 4, 8)], { data_layout: 'NHWC', kernel_layout: 'HWIO', out_layout: 'NCHW' }, 'R.Tensor((1, 8, 30, 30), "float32")'],
  ['nn.conv2d', [f32(1, 8, 10, 10), f32(8, 2, 3, 3)], { groups: I(4) }, 'R.Tensor((1, 8, 8, 8), "float32")'],
  ['nn.conv2d', [f32(1, 4, 10, 10), f32(8, 3, 3, 3)], {}, 'R.Tensor("float32", ndim=4)', ['I407']],
  ['nn.conv2d', [f32(1, 4, 10), f32(8, 4, 3, 3)], {}, 'R.Tensor("float32", ndim=4)', ['I405']],
  ['nn.conv2d', [typed('int8', 1, 3, 5, 5), typed('int8', 2, 3, 1, 1)], { out_dtype: 'int32' }, 'R.Tensor((1, 2, 5, 5), "int32")'],
  ['nn.conv1d', [f32(n, 4, m), f32(8, 4, 3)], { padding: I(1) }, 'R.Tensor((n, 8, m), "float32")'],
  ['nn.conv1d', [f32(1, 4, 10), f32(8, 4, 3)], { strides: I(2) }, 'R.Tensor((1, 8, 4), "float32")'],
  ['nn.conv2d_transpose', [f32(1, 16, 8, 8), f32(16, 4, 3, 3)], { strides: I(2), padding: I(1), output_padding: I(1) }, 'R.Tensor((1, 4, 16, 16), "float32")'],
  ['nn.conv2d_transpose', [f32(n, 16, m, m), f32(16, 4, 2, 2)], { strides: I(2) }, 'R.Tensor((n, 4, m * 2, m * 2), "float32")'],
  ['nn.conv2d_transpose', [f32(1, 8, 4, 4), f32(16, 4, 2, 2)], {}, 'R.Tensor("float32", ndim=4)', ['I407']],
  ['nn.max_pool2d', [f32(1, 3, 32, 32)], { pool_size: I(2), strides: I(2) }, 'R.Tensor((1, 3, 16, 16), "float32")'],
  ['nn.max_pool2d', [f32(1, 3, 5, 5)], { pool_size: I(2), strides: I(2), ceil_mode: true }, 'R.Tensor((1, 3, 3, 3), "float32")'],
  ['nn.max_pool2d', [f32(1, 3, 5, 5)], { pool_size: I(2), strides: I(2) }, 'R.Tensor((1, 3, 2, 2), "float32")'],
  ['nn.max_pool2d', [f32(n, 3, m, m)], { pool_size: I(3), strides: I(1), padding: I(1) }, 'R.Tensor((n, 3, m, m), "float32")'],
  ['nn.avg_pool2d', [f32(1, 8, 8, 3)], { pool_size: I(2), strides: I(2), layout: 'NHWC' }, 'R.Tensor((1, 4, 4, 3), "float32")'],
  ['nn.avg_pool2d', [f32(n, 3, 8, 8)], { pool_size: I(2), strides: I(2) }, 'R.Tensor((n, 3, 4, 4), "float32")'],
  ['nn.adaptive_avg_pool2d', [f32(n, 3, m, m)], { output_size: I(1) }, 'R.Tensor((n, 3, 1, 1), "float32")'],
  ['nn.adaptive_avg_pool2d', [f32(1, 3, 7, 7)], {}, 'R.Tensor((1, 3, 7, 7), "float32")'],
  ['nn.relu', [f32(n, 4)], {}, 'R.Tensor((n, 4), "float32")'],
  ['nn.relu', [typed('int32', 2)], {}, 'R.Tensor((2,), "int32")'],
  ['nn.gelu', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['nn.gelu', [typed('int32', 2)], {}, 'R.Tensor((2,), "int32")', ['I412']],
  ['nn.gelu_tanh', [f32(2, n)], {}, 'R.Tensor((2, n), "float32")'],
  ['nn.silu', [f32(n)], {}, 'R.Tensor((n,), "float32")'],
  ['nn.leakyrelu', [f32(n, 2)], { alpha: A.float(0.1) }, 'R.Tensor((n, 2), "float32")'],
  ['nn.softmax', [f32(n, 10)], {}, 'R.Tensor((n, 10), "float32")'],
  ['nn.softmax', [f32(2, 10)], { axis: I(2) }, 'R.Tensor((2, 10), "float32")', ['I404']],
  ['nn.log_softmax', [f32(n, 3)], { axis: I(0) }, 'R.Tensor((n, 3), "float32")'],
  ['nn.batch_norm', [f32(n, 3, 4, 4), f32(3), f32(3), f32(3), f32(3)], { axis: I(1) },
    'R.Tuple(R.Tensor((n, 3, 4, 4), "float32"), R.Tensor((3,), "float32"), R.Tensor((3,), "float32"))'],
  ['nn.batch_norm', [f32(1, 3, 4, 4), f32(4), f32(3), f32(3), f32(3)], { axis: I(1) },
    'R.Tuple(R.Tensor((1, 3, 4, 4), "float32"), R.Tensor((3,), "float32"), R.Tensor((3,), "float32"))', ['I413']],
  ['nn.layer_norm', [f32(n, 8), f32(8), f32(8)], { axes: I(-1) }, 'R.Tensor((n, 8), "float32")'],
  ['nn.layer_norm', [f32(2, 8), f32(7), f32(8)], { axes: I(-1) }, 'R.Tensor((2, 8), "float32")', ['I413']],
  ['nn.group_norm', [f32(n, 8, 4), f32(8), f32(8)], { num_groups: I(2), channel_axis: I(1), axes: L(2) }, 'R.Tensor((n, 8, 4), "float32")'],
  ['nn.group_norm', [f32(1, 6, 4), f32(6), f32(6)], { num_groups: I(4), channel_axis: I(1), axes: L(2) }, 'R.Tensor((1, 6, 4), "float32")', ['I407']],
  ['nn.rms_norm', [f32(n, 16), f32(16)], {}, 'R.Tensor((n, 16), "float32")'],
  ['nn.rms_norm', [f32(2, 16), f32(8)], {}, 'R.Tensor((2, 16), "float32")', ['I413']],
  ['nn.dropout', [f32(n, 4)], {}, 'R.Tuple(R.Tensor((n, 4), "float32"), R.Tensor((n, 4), "float32"))'],
  ['nn.pad', [f32(n, 4)], { pad_width: L(0, 0, 1, 2) }, 'R.Tensor((n, 7), "float32")'],
  ['nn.pad', [f32(2, 4)], { pad_width: L(1, 1, 1, 1) }, 'R.Tensor((4, 6), "float32")'],
  ['nn.pad', [f32(2, 4)], { pad_width: L(1, 1) }, 'R.Tensor("float32", ndim=2)', ['I409']],
  ['nn.attention', [f32(n, 8, 4, 16), f32(n, m, 4, 16), f32(n, m, 4, 32)], {}, 'R.Tensor((n, 8, 4, 32), "float32")'],
  ['nn.attention', [f32(2, 8, 4, 16), f32(2, 8, 4, 8), f32(2, 8, 4, 16)], {}, 'R.Tensor("float32", ndim=4)', ['I413']],
];

const SHAPE: Row[] = [
  ['reshape', [f32(n, m), shp(m, n)], {}, 'R.Tensor((m, n), "float32")'],
  ['reshape', [f32(n, m), shp(binary('mul', n, m))], {}, 'R.Tensor((n * m,), "float32")'],
  ['reshape', [f32(2, 3, 4), shp(-1, 4)], {}, 'R.Tensor((6, 4), "float32")'],
  ['reshape', [f32(n, 4), shp(-1, 2)], {}, 'R.Tensor((n * 2, 2), "float32")'],
  ['reshape', [f32(2, 3), shp(4, 2)], {}, 'R.Tensor("float32", ndim=2)', ['I408']],
  ['reshape', [f32(n, 4), shp(n, 2, 2)], {}, 'R.Tensor((n, 2, 2), "float32")'],
  ['permute_dims', [f32(n, m)], { axes: L(1, 0) }, 'R.Tensor((m, n), "float32")'],
  ['permute_dims', [f32(2, 3, 4)], {}, 'R.Tensor((4, 3, 2), "float32")'],
  ['permute_dims', [f32(2, 3, 4)], { axes: L(0, 2, 1) }, 'R.Tensor((2, 4, 3), "float32")'],
  ['permute_dims', [f32(2, 3)], { axes: L(0, 0) }, 'R.Tensor("float32", ndim=2)', ['I416']],
  ['expand_dims', [f32(n, m)], { axis: I(0) }, 'R.Tensor((1, n, m), "float32")'],
  ['expand_dims', [f32(n, m)], { axis: L(1, 3) }, 'R.Tensor((n, 1, m, 1), "float32")'],
  ['expand_dims', [f32(2)], { axis: I(5) }, 'R.Tensor("float32", ndim=2)', ['I404']],
  ['squeeze', [f32(n, 1, m, 1)], { axis: L(1) }, 'R.Tensor((n, m, 1), "float32")'],
  ['squeeze', [f32(2, 1, 3, 1)], {}, 'R.Tensor((2, 3), "float32")'],
  ['squeeze', [f32(n, 1)], {}, 'R.Tensor("float32", ndim=-1)'],
  ['squeeze', [f32(2, 3)], { axis: L(1) }, 'R.Tensor("float32", ndim=1)', ['I413']],
  ['flatten', [f32(n, m)], {}, 'R.Tensor((n * m,), "float32")'],
  ['flatten', [f32(2, 3, 4)], {}, 'R.Tensor((24,), "float32")'],
  ['flatten', [f32(n, 4)], {}, 'R.Tensor((n * 4,), "float32")'],
  ['concat', [tup(f32(n, m), f32(n, 4))], { axis: I(1) }, 'R.Tensor((n, m + 4), "float32")'],
  ['concat', [tup(f32(n, 4), f32(n, 4), f32(n, 4))], {}, 'R.Tensor((n * 3, 4), "float32")'],
  ['concat', [tup(f32(2, 3), f32(4, 3))], {}, 'R.Tensor((6, 3), "float32")'],
  ['concat', [tup(f32(2, 3), f32(2, 4))], {}, 'R.Tensor("float32", ndim=2)', ['I413']],
  ['split', [f32(2, 3, 4)], { indices_or_sections: I(2), axis: I(2) }, 'R.Tuple(R.Tensor((2, 3, 2), "float32"), R.Tensor((2, 3, 2), "float32"))'],
  ['split', [f32(n, 10)], { indices_or_sections: L(2, 5), axis: I(1) },
    'R.Tuple(R.Tensor((n, 2), "float32"), R.Tensor((n, 3), "float32"), R.Tensor((n, 5), "float32"))'],
  ['split', [f32(n, 4)], { indices_or_sections: L(1), axis: I(0) }, 'R.Tuple(R.Tensor((1, 4), "float32"), R.Tensor((n - 1, 4), "float32"))'],
  ['split', [f32(4)], { indices_or_sections: I(0) }, 'R.Any', ['I417']],
  ['stack', [tup(f32(n, 4), f32(n, 4))], { axis: I(1) }, 'R.Tensor((n, 2, 4), "float32")'],
  ['stack', [tup(f32(2), f32(2), f32(2))], {}, 'R.Tensor((3, 2), "float32")'],
  ['broadcast_to', [f32(n, 4), shp(3, n, 4)], {}, 'R.Tensor((3, n, 4), "float32")'],
  ['broadcast_to', [f32(1, 4), shp(2, 4)], {}, 'R.Tensor((2, 4), "float32")'],
  ['broadcast_to', [f32(3, 4), shp(2, 4)], {}, 'R.Tensor("float32", ndim=2)', ['I403']],
  ['tile', [f32(n, 4)], { repeats: L(2, 3) }, 'R.Tensor((n * 2, 12), "float32")'],
  ['tile', [f32(2)], { repeats: L(2, 3) }, 'R.Tensor((2, 6), "float32")'],
  ['repeat', [f32(n, 4)], { repeats: I(2), axis: I(1) }, 'R.Tensor((n, 8), "float32")'],
  ['repeat', [f32(n, 4)], { repeats: I(2) }, 'R.Tensor((n * 8,), "float32")'],
];

const INDEX_REDUCE: Row[] = [
  ['take', [f32(n, 16), typed('int64', m)], { axis: I(0) }, 'R.Tensor((m, 16), "float32")'],
  ['take', [f32(10, 4), typed('int32', 2, 3)], { axis: I(0) }, 'R.Tensor((2, 3, 4), "float32")'],
  ['take', [f32(n), typed('int64', 3)], {}, 'R.Tensor((3,), "float32")'],
  ['take', [f32(4, 5), typed('float32', 2)], { axis: I(1) }, 'R.Tensor((4, 2), "float32")', ['I402']],
  ['strided_slice', [f32(n, 10), pvs(1), pvs(2), pvs(8)], {}, 'R.Tensor((n, 6), "float32")'],
  ['strided_slice', [f32(n, 10), pvs(0), pvs(1), pvs(-1)], {}, 'R.Tensor((T.max(T.min(T.max(n - 1, 0), n) - T.min(1, n), 0), 10), "float32")'],
  ['strided_slice', [f32(6, 10), pvs(0), pvs(1), pvs(-1)], {}, 'R.Tensor((4, 10), "float32")'],
  ['strided_slice', [f32(8, 8), pvs(0, 1), pvs(0, 1), pvs(8, 100), pvs(2, 3)], {}, 'R.Tensor((4, 3), "float32")'],
  ['strided_slice', [f32(n, 4), pvs(0), pvs(0), pvs(m)], {}, 'R.Tensor((T.min(m, n), 4), "float32")'],
  ['strided_slice', [f32(n, 4), pvs(0), pvs(0), pvs(m)], { assume_inbound: true }, 'R.Tensor((m, 4), "float32")'],
  ['strided_slice', [f32(8), pvs(0), pvs(7), pvs(-9), pvs(-1)], {}, 'R.Tensor((8,), "float32")'],
  ['strided_slice', [f32(2, 3), pvs(2), pvs(0), pvs(1)], {}, 'R.Tensor("float32", ndim=2)', ['I404']],
  ['gather_elements', [f32(n, 4), typed('int64', n, 2)], { axis: I(1) }, 'R.Tensor((n, 2), "float32")'],
  ['gather_elements', [f32(3, 4), typed('int64', 2)], {}, 'R.Tensor("float32", ndim=-1)', ['I405']],
  ['sum', [f32(n, m)], { axis: I(1) }, 'R.Tensor((n,), "float32")'],
  ['sum', [f32(n, m)], {}, 'R.Tensor((), "float32")'],
  ['mean', [f32(n, m, 4)], { axis: L(1, 2), keepdims: true }, 'R.Tensor((n, 1, 1), "float32")'],
  ['max', [f32(2, 3)], { axis: I(-1) }, 'R.Tensor((2,), "float32")'],
  ['min', [f32(2, 3)], { axis: I(0), keepdims: true }, 'R.Tensor((1, 3), "float32")'],
  ['prod', [f32(n, 3)], { axis: I(0) }, 'R.Tensor((3,), "float32")'],
  ['variance', [f32(n, 8)], { axis: I(-1), keepdims: true }, 'R.Tensor((n, 1), "float32")'],
  ['std', [f32(4, 8)], { axis: I(1) }, 'R.Tensor((4,), "float32")'],
  ['sum', [f32(2, 3)], { axis: I(3) }, 'R.Tensor("float32", ndim=-1)', ['I404']],
  ['sum', [f32(2, 3)], { axis: L(1, -1) }, 'R.Tensor("float32", ndim=-1)', ['I416']],
  ['argmax', [f32(n, 10)], { axis: I(1) }, 'R.Tensor((n,), "int64")'],
  ['argmax', [f32(2, 3)], {}, 'R.Tensor((), "int64")'],
  ['argmin', [f32(n, 3)], { axis: I(0), keepdims: true }, 'R.Tensor((1, 3), "int64")'],
  ['image.resize2d', [f32(n, 3, 16, 16), shp(32, 32)], {}, 'R.Tensor((n, 3, 32, 32), "float32")'],
  ['image.resize2d', [f32(1, 8, 8, 3), shp(m, m)], { layout: 'NHWC' }, 'R.Tensor((1, m, m, 3), "float32")'],
];

const CREATE: Row[] = [
  ['zeros', [shp(n, 4)], { dtype: 'float32' }, 'R.Tensor((n, 4), "float32")'],
  ['ones', [shp(2, 3)], { dtype: 'int32' }, 'R.Tensor((2, 3), "int32")'],
  ['full', [shp(n), scalar(1.5)], {}, 'R.Tensor((n,), "float32")'],
  ['full', [shp(2), scalar(1.5)], { dtype: 'float16' }, 'R.Tensor((2,), "float16")'],
  ['full', [shp(2), f32(2)], {}, 'R.Tensor((2,), "float32")', ['I405']],
  ['zeros_like', [f32(n, m)], {}, 'R.Tensor((n, m), "float32")'],
  ['ones_like', [f32(2)], { dtype: 'int8' }, 'R.Tensor((2,), "int8")'],
  ['full_like', [f32(n), scalar(0)], {}, 'R.Tensor((n,), "float32")'],
  ['arange', [pv(0), pv(10), pv(1)], {}, 'R.Tensor((10,), "int64")'],
  ['arange', [pv(0), pv(n), pv(1)], {}, 'R.Tensor((n,), "int64")'],
  ['arange', [pv(1), pv(10), pv(3)], { dtype: 'int32' }, 'R.Tensor((3,), "int32")'],
  ['arange', [pv(0, true), pv(1, true), pv(0.25, true)], {}, 'R.Tensor((4,), "float32")'],
  ['tril', [f32(n, n)], {}, 'R.Tensor((n, n), "float32")'],
  ['triu', [f32(3, 3)], {}, 'R.Tensor((3, 3), "float32")'],
  ['triu', [f32(3)], {}, 'R.Tensor((3,), "float32")', ['I405']],
];

const GROUPS: [string, Row[]][] = [
  ['elementwise', ELEMENTWISE], ['linalg', LINALG], ['nn', NN], ['shape', SHAPE], ['index and reduce', INDEX_REDUCE], ['create', CREATE],
];

for (const [group, rows] of GROUPS) {
  describe(`infer: ${group}`, () => {
    it.each(rows.map((r, i) => [`${i}: ${r[0]} -> ${r[3]}`, r] as const))('%s', (_label, row) => {
      const [name, args, attrs, expected, codes] = row;
      const { out, diags } = inferOp(name, args, attrs);
      expect(out).toBe(expected);
      expect(diags.map((d) => d.code)).toEqual(codes ?? []);
    });
  });
}

describe('diagnostic text', () => {
  it('matmul states the rule, then the lengths', () => {
    const { diags } = inferOp('matmul', [f32(2, 3), f32(4, 5)]);
    expect(diags[0]?.message).toBe('Matmul requires the reduction length of the two operands to be equal. However, the reduction lengths are 3 and 4.');
    expect(diags[0]?.severity).toBe('error');
  });
});


