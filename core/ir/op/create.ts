/**
 * Creation ops (`python/tvm/relax/op/create.py`): `zeros/ones/full` take their shape from a shape argument (a shape
 * var stays the result's shape), `*_like` copy their input's shape, `arange` computes its length symbolically,
 * `tril/triu` need at least two dims. Lowering is left to the compiler.
 */
import type { AttrDict } from '../attrs.js';
import { attrDict } from '../attrs.js';
import type { Call, Expr, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { binary, primDtype } from '../tir/nodes.js';
import { simplify } from '../arith/index.js';
import {
  a, attrDtype, ceildiv, defineOps, e, I, opLabel, primArg, shapeArg, t, tensorArg, tensorOut, UNKNOWN_TENSOR, withDtype,
} from './common.js';
import type { InferCtx } from './registry.js';

/** Result of a shape-argument creation op: the ShapeExpr's dims, or a shape var kept as the shape. */
export function fromShapeArg(call: Call, ctx: InferCtx, shapeIndex: number, dtype: string): StructInfo {
  const s = shapeArg(call, shapeIndex, ctx);
  if (!s) return UNKNOWN_TENSOR;
  if (s.expr && (s.expr.kind === 'relax.Var' || s.expr.kind === 'relax.DataflowVar')) {
    return { ...SI.tensorNdim(dtype, s.ndim), shape: s.expr };
  }
  return tensorOut(s.dims, dtype, s.ndim);
}

function inferFull(call: Call, ctx: InferCtx): StructInfo {
  const fill = tensorArg(call, 1, ctx, 'fill value');
  if (fill && fill.ndim > 0) {
    ctx.error('I405', `${opLabel(call)} requires the fill value to be a 0-D tensor. However, the given fill value has ${fill.ndim} dimensions.`);
  }
  return fromShapeArg(call, ctx, 0, attrDtype(call, 'dtype') || (fill?.dtype ?? ''));
}

function inferLike(withFill: boolean): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx);
    if (!x) return UNKNOWN_TENSOR;
    if (withFill) tensorArg(call, 1, ctx, 'fill value');
    // Without a dtype, the result keeps the input's dtype (not the fill value's), as TVM documents.
    return withDtype(x, attrDtype(call, 'dtype') || x.dtype);
  };
}

/** arange length: ceil((end - start) / step); integers when all three are integers. */
function inferArange(call: Call, ctx: InferCtx): StructInfo {
  const [start, end, step] = [0, 1, 2].map((i) => primArg(call, i, ctx));
  const given = attrDtype(call, 'dtype');
  const allInt = [start, end, step].every((v) => !v || /^u?int/.test(primDtype(v)));
  const dtype = given || (allInt ? 'int64' : 'float32');
  if (!start || !end || !step) return SI.tensorNdim(dtype, 1);
  if (allInt) return SI.tensor([arangeLength(start, end, step)], dtype);
  const nums = [start, end, step].map((v) => (v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm' ? v.value : undefined));
  if (nums.every((v) => v !== undefined)) {
    const [s0, e0, st] = nums as number[];
    return SI.tensor([{ kind: 'tir.IntImm', dtype: 'int64', value: Math.max(0, Math.ceil((e0! - s0!) / st!)) }], dtype);
  }
  return SI.tensorNdim(dtype, 1);
}

function arangeLength(start: PrimExpr, end: PrimExpr, step: PrimExpr): PrimExpr {
  if (start.kind === 'tir.IntImm' && end.kind === 'tir.IntImm' && step.kind === 'tir.IntImm' && step.value !== 0) {
    return { kind: 'tir.IntImm', dtype: 'int64', value: Math.max(0, Math.ceil((end.value - start.value) / step.value)) };
  }
  if (step.kind === 'tir.IntImm' && step.value === 1) return simplify(binary('sub', end, start));
  return ceildiv(simplify(binary('sub', end, start)), step);
}

function inferTri(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  if (x.ndim >= 0 && x.ndim < 2) {
    ctx.error('I405', `${opLabel(call)} requires the input to have at least 2 dimensions. However, the given input has ${x.ndim} dimensions.`);
  }
  return withDtype(x, x.dtype);
}

function inferEye(call: Call, ctx: InferCtx): StructInfo {
  const n = primArg(call, 0, ctx);
  const m = primArg(call, 1, ctx) ?? n;
  const dtype = attrDtype(call, 'dtype') || 'float32';
  return n && m ? SI.tensor([n, m], dtype) : SI.tensorNdim(dtype, 2);
}

function inferEyeLike(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return UNKNOWN_TENSOR;
  return withDtype(x, attrDtype(call, 'dtype') || x.dtype);
}

function inferHamming(call: Call, ctx: InferCtx): StructInfo {
  const n = primArg(call, 0, ctx);
  const dtype = attrDtype(call, 'dtype') || 'float32';
  return n ? SI.tensor([n], dtype) : SI.tensorNdim(dtype, 1);
}

/** `dtype=None` of `R.arange` becomes "int64" when every argument is an integer PrimValue, else "float32". */
function resolveArangeDtype(args: readonly Expr[], attrs: AttrDict): AttrDict {
  const given = attrs.entries.find(([k]) => k === 'dtype')?.[1];
  if (typeof given === 'string' && given !== '' && given !== 'void') return attrs;
  const isInt = (x: Expr): boolean => x.kind === 'relax.PrimValue' && /^u?int/.test(primDtype(x.value));
  const dtype = args.length > 0 && args.every(isInt) ? 'int64' : 'float32';
  return attrDict([...attrs.entries.filter(([k]) => k !== 'dtype'), ['dtype', dtype]]);
}

const fromShape = (dtypeAttr: string) => (call: Call, ctx: InferCtx): StructInfo =>
  fromShapeArg(call, ctx, 0, attrDtype(call, dtypeAttr));

defineOps('create', [
  { name: 'relax.zeros', params: [e('shape', 'shape'), a('dtype', 'dtype')], infer: fromShape('dtype'), shortlist: true, doc: 'A tensor of zeros of the given shape.' },
  { name: 'relax.ones', params: [e('shape', 'shape'), a('dtype', 'dtype')], infer: fromShape('dtype'), shortlist: true, doc: 'A tensor of ones of the given shape.' },
  { name: 'relax.full', params: [e('shape', 'shape'), t('fill_value'), a('dtype', 'dtype', 'void')], infer: inferFull, shortlist: true, doc: 'A tensor of the given shape filled with a scalar.' },
  { name: 'relax.zeros_like', params: [t('x'), a('dtype', 'dtype', 'void')], infer: inferLike(false), shortlist: true, doc: 'Zeros shaped like x.' },
  { name: 'relax.ones_like', params: [t('x'), a('dtype', 'dtype', 'void')], infer: inferLike(false), shortlist: true, doc: 'Ones shaped like x.' },
  { name: 'relax.full_like', params: [t('x'), t('fill_value'), a('dtype', 'dtype', 'void')], infer: inferLike(true), shortlist: true, doc: 'A scalar broadcast to the shape of x.' },
  {
    name: 'relax.arange', params: [e('start', 'prim'), e('end', 'prim', true), e('step', 'prim', true, I(1)), a('dtype', 'dtype', null)],
    infer: inferArange, shortlist: true, doc: 'Evenly spaced values in [start, end).',
    // `R.arange(n)` is range(0, n), as in Python and TVM: the IR always holds start, end and step.
    // An unset dtype is resolved as TVM's Python wrapper does: int64 when start, end and step are integers,
    // else float32 (TVM prints the resolved dtype, never None).
    resolveAttrs: resolveArangeDtype,
    normalizeArgs: (args) => (args.length === 1 ? [{ kind: 'relax.PrimValue', value: { kind: 'tir.IntImm', dtype: 'int64', value: 0 } }, args[0]!, { kind: 'relax.PrimValue', value: { kind: 'tir.IntImm', dtype: 'int64', value: 1 } }] : args),
  },
  { name: 'relax.eye', params: [e('n', 'prim'), e('m', 'prim', true), e('k', 'prim', true, I(0)), a('dtype', 'dtype', 'float32')], infer: inferEye, doc: 'An identity-like matrix.' },
  { name: 'relax.eye_like', params: [t('x'), e('k', 'prim', true, I(0)), a('dtype', 'dtype', 'void')], infer: inferEyeLike, doc: 'An identity-like matrix shaped like x.' },
  {
    name: 'relax.hamming_window', params: [e('window_size', 'prim'), e('periodic', 'prim'), e('alpha', 'prim'), e('beta', 'prim'), a('dtype', 'dtype')],
    infer: inferHamming, doc: 'A Hamming window of the given size.',
  },
  { name: 'relax.tril', params: [t('x'), e('k', 'prim', true, I(0))], infer: inferTri, shortlist: true, doc: 'Lower triangle of the last two dims.' },
  { name: 'relax.triu', params: [t('x'), e('k', 'prim', true, I(0))], infer: inferTri, shortlist: true, doc: 'Upper triangle of the last two dims.' },
]);
