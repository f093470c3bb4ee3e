/**
 * Broadcasting binary ops (`python/tvm/relax/op/binary.py`), as TVM's InferStructInfoBroadcast: both operands must
 * share a dtype (unknown if either is), comparisons and logical ops give bool, shapes broadcast numpy-style
 * (I403 only when a mismatch is proven), and anything not provable degrades to the rank alone. Two PrimValue
 * operands give a Prim. `where` (three-way broadcast) lives in search.ts and reuses `broadcastTensors`.
 */
import type { Call, StructInfo, TensorSInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import {
  broadcastDims, commonDtype, commonVdevice, defineOps, dimsOf, sinfoOf, t, tensorArg, tensorOut, UNKNOWN_TENSOR,
} from './common.js';
import type { InferCtx } from './registry.js';

/** The broadcast result of several tensors with the given dtype (shape, or rank only, or unknown). */
export function broadcastTensors(call: Call, ctx: InferCtx, xs: readonly TensorSInfo[], dtype: string): TensorSInfo {
  const vdevice = commonVdevice(...xs);
  const ndims = xs.map((x) => x.ndim);
  const ndim = ndims.some((n) => n < 0) ? -1 : Math.max(...ndims);
  const first = xs[0];
  if (first?.shape && xs.every((x) => x.shape === first.shape)) return { ...SI.tensorNdim(dtype, first.ndim, vdevice), shape: first.shape };
  let dims: readonly PrimExpr[] | undefined = dimsOf(xs[0]!);
  for (const x of xs.slice(1)) {
    const dx = dimsOf(x);
    dims = dims && dx ? broadcastDims(call, ctx, dims, dx) : undefined;
  }
  return tensorOut(dims, dtype, ndim, vdevice);
}

/** Inference of a broadcasting binary op; `outDtype` is "bool" for comparisons. */
export function binaryRule(outDtype?: string): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const s0 = call.args[0] ? sinfoOf(call.args[0], ctx) : undefined;
    const s1 = call.args[1] ? sinfoOf(call.args[1], ctx) : undefined;
    if (s0?.kind === 'si.Prim' && s1?.kind === 'si.Prim') {
      return SI.prim(outDtype ?? commonDtype(call, ctx, s0.dtype, s1.dtype));
    }
    const x = tensorArg(call, 0, ctx, 'first operand');
    const y = tensorArg(call, 1, ctx, 'second operand');
    if (!x || !y) return UNKNOWN_TENSOR;
    const dtype = commonDtype(call, ctx, x.dtype, y.dtype);
    return broadcastTensors(call, ctx, [x, y], outDtype ?? dtype);
  };
}

const ARITH = [
  'add', 'subtract', 'multiply', 'divide', 'floor_divide', 'floor_mod', 'mod', 'power', 'maximum', 'minimum',
  'atan2', 'log_add_exp', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift',
];
const COMPARE = ['equal', 'not_equal', 'greater', 'greater_equal', 'less', 'less_equal'];
const LOGIC = ['logical_and', 'logical_or', 'logical_xor'];
const SHORT = new Set(['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'floor_divide', 'floor_mod', ...COMPARE]);

defineOps('binary', [
  ...ARITH.map((n) => ({
    name: `relax.${n}`, params: [t('x1'), t('x2')], infer: binaryRule(), shortlist: SHORT.has(n),
    doc: `Elementwise ${n} with numpy broadcasting.`,
  })),
  ...LOGIC.map((n) => ({
    name: `relax.${n}`, params: [t('x1'), t('x2')], infer: binaryRule(), doc: `Elementwise ${n} with broadcasting.`,
  })),
]);

defineOps('compare', COMPARE.map((n) => ({
  name: `relax.${n}`, params: [t('x1'), t('x2')], infer: binaryRule('bool'), shortlist: true,
  doc: `Elementwise ${n} comparison with broadcasting; a bool tensor.`,
})));
