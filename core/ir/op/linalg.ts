/**
 * Linear algebra (`python/tvm/relax/op/linear_algebra.py`). `matmul` follows TVM's MatmulInferStructInfo: 1-D
 * operands are promoted (and the promoted dim dropped from the result), batch dims broadcast, the reduction
 * lengths must not be provably different (I406), `out_dtype` overrides the operands' common dtype. `linear` is
 * TVM's Python composition `matmul(data, permute_dims(weight)) + bias`, inferred as such. `einsum` covers explicit
 * and implicit subscripts with `...`.
 */
import type { Call, StructInfo, TensorSInfo } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { SI } from '../relax/nodes.js';
import {
  a, attrDtype, attrS, broadcastDims, commonDtype, commonVdevice, defineOps, dimsOf, opLabel, provenEq, provenNe,
  showPrim, t, e, tensorArg, tensorOut, tensorsArg, UNKNOWN_TENSOR,
} from './common.js';
import { broadcastTensors } from './binary.js';
import type { InferCtx } from './registry.js';

/** matmul of two tensor struct infos (shared by matmul and linear). */
export function matmulSInfo(call: Call, ctx: InferCtx, x: TensorSInfo, y: TensorSInfo, outDtype: string): TensorSInfo {
  const dtype = outDtype || commonDtype(call, ctx, x.dtype, y.dtype);
  const vdevice = commonVdevice(x, y);
  if (x.ndim === 0 || y.ndim === 0) {
    ctx.error('I405', `${opLabel(call)} requires both inputs to have at least 1 dimension. However, ${x.ndim === 0 ? 'the first' : 'the second'} input is 0-D.`);
    return SI.tensorNdim(dtype, -1);
  }
  if (x.ndim < 0 || y.ndim < 0) return SI.tensorNdim(dtype, -1, vdevice);
  const prepend = x.ndim === 1;
  const append = y.ndim === 1;
  const ndim = Math.max(prepend ? 2 : x.ndim, append ? 2 : y.ndim) - (prepend ? 1 : 0) - (append ? 1 : 0);
  const dx = dimsOf(x);
  const dy = dimsOf(y);
  if (!dx || !dy) return SI.tensorNdim(dtype, ndim, vdevice);
  const batch = broadcastDims(call, ctx, dx.slice(0, Math.max(0, dx.length - 2)), dy.slice(0, Math.max(0, dy.length - 2)));
  const kx = dx[dx.length - 1]!;
  const ky = append ? dy[0]! : dy[dy.length - 2]!;
  if (provenNe(kx, ky)) {
    ctx.error('I406', `Matmul requires the reduction length of the two operands to be equal. However, the reduction lengths are ${showPrim(kx)} and ${showPrim(ky)}.`);
    return SI.tensorNdim(dtype, ndim, vdevice);
  }
  if (!batch) return SI.tensorNdim(dtype, ndim, vdevice);
  const out: PrimExpr[] = [...batch];
  if (!prepend) out.push(dx[dx.length - 2]!);
  if (!append) out.push(dy[dy.length - 1]!);
  return tensorOut(out, dtype, ndim, vdevice);
}

function inferMatmul(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'first operand');
  const y = tensorArg(call, 1, ctx, 'second operand');
  if (!x || !y) return UNKNOWN_TENSOR;
  return matmulSInfo(call, ctx, x, y, attrDtype(call, 'out_dtype'));
}

/** The transpose (reversed dims) of a tensor struct info. */
function transposed(w: TensorSInfo): TensorSInfo {
  const d = dimsOf(w);
  return d ? tensorOut([...d].reverse(), w.dtype, w.ndim, w.vdevice) : SI.tensorNdim(w.dtype, w.ndim, w.vdevice);
}

function inferLinear(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const w = tensorArg(call, 1, ctx, 'weight');
  if (!x || !w) return UNKNOWN_TENSOR;
  const out = matmulSInfo(call, ctx, x, transposed(w), attrDtype(call, 'out_dtype'));
  if (!call.args[2]) return out;
  const b = tensorArg(call, 2, ctx, 'bias');
  if (!b) return out;
  return broadcastTensors(call, ctx, [out, b], commonDtype(call, ctx, out.dtype, b.dtype));
}

function inferOuter(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'first operand');
  const y = tensorArg(call, 1, ctx, 'second operand');
  if (!x || !y) return UNKNOWN_TENSOR;
  const dtype = commonDtype(call, ctx, x.dtype, y.dtype);
  for (const v of [x, y]) {
    if (v.ndim >= 0 && v.ndim !== 1) {
      ctx.error('I405', `${opLabel(call)} requires 1-D inputs. However, an input has ${v.ndim} dimensions.`);
      return SI.tensorNdim(dtype, 2);
    }
  }
  const dx = dimsOf(x);
  const dy = dimsOf(y);
  return dx && dy ? tensorOut([dx[0]!, dy[0]!], dtype) : SI.tensorNdim(dtype, 2);
}

// ---------------------------------------------------------------- einsum

interface Subscripts {
  readonly inputs: string[];
  readonly output: string | undefined;
}

function parseSubscripts(s: string): Subscripts | undefined {
  const text = s.replace(/\s+/g, '');
  const [lhs, out, extra] = text.split('->');
  if (lhs === undefined || extra !== undefined) return undefined;
  if (!/^[A-Za-z.,]*$/.test(lhs) || (out !== undefined && !/^[A-Za-z.]*$/.test(out))) return undefined;
  return { inputs: lhs.split(','), output: out };
}

/** Splits "ab...c" into labels, with "..." as one label. */
function labels(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      out.push('...');
      i += 2;
    } else out.push(term[i]!);
  }
  return out;
}

function inferEinsum(call: Call, ctx: InferCtx): StructInfo {
  const xs = tensorsArg(call, 0, ctx);
  const sub = parseSubscripts(attrS(call, 'subscripts') ?? '');
  if (!sub) {
    ctx.error('I418', `einsum requires subscripts of the form "ij,jk->ik". However, the given subscripts are "${attrS(call, 'subscripts') ?? ''}".`);
    return UNKNOWN_TENSOR;
  }
  if (!xs) return UNKNOWN_TENSOR;
  if (sub.inputs.length !== xs.length) {
    ctx.error('I418', `einsum requires one subscript term per operand. However, there are ${sub.inputs.length} terms and ${xs.length} operands.`);
    return UNKNOWN_TENSOR;
  }
  let dtype = xs[0]?.dtype ?? '';
  for (const x of xs.slice(1)) dtype = commonDtype(call, ctx, dtype, x.dtype);
  const sizes = new Map<string, PrimExpr>();
  let ellipsis: PrimExpr[] | undefined = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < xs.length; i++) {
    const dims = dimsOf(xs[i]!);
    if (!dims) return SI.tensorNdim(dtype, -1);
    const ls = labels(sub.inputs[i]!);
    const ell = dims.length - (ls.length - (ls.includes('...') ? 1 : 0));
    let j = 0;
    for (const l of ls) {
      if (l === '...') {
        const part = dims.slice(j, j + ell);
        ellipsis = ellipsis && broadcastDims(call, ctx, ellipsis, part);
        j += ell;
        continue;
      }
      counts.set(l, (counts.get(l) ?? 0) + 1);
      const d = dims[j++]!;
      const prev = sizes.get(l);
      if (prev && provenNe(prev, d) && !(prev.kind === 'tir.IntImm' && prev.value === 1)) {
        ctx.error('I418', `einsum requires every use of a subscript label to have the same length. However, label "${l}" has lengths ${showPrim(prev)} and ${showPrim(d)}.`);
        return SI.tensorNdim(dtype, -1);
      }
      if (!prev || !provenEq(prev, d)) sizes.set(l, d);
    }
  }
  const outLabels = sub.output !== undefined
    ? labels(sub.output)
    : [...(sub.inputs.some((s) => s.includes('...')) ? ['...'] : []), ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  const out: PrimExpr[] = [];
  for (const l of outLabels) {
    if (l === '...') {
      if (!ellipsis) return SI.tensorNdim(dtype, -1);
      out.push(...ellipsis);
      continue;
    }
    const d = sizes.get(l);
    if (!d) {
      ctx.error('I418', `einsum requires every output label to appear in an input. However, "${l}" does not.`);
      return SI.tensorNdim(dtype, -1);
    }
    out.push(d);
  }
  return tensorOut(out, dtype);
}

defineOps('linalg', [
  { name: 'relax.matmul', params: [t('x1'), t('x2'), a('out_dtype', 'dtype', 'void')], infer: inferMatmul, shortlist: true, doc: 'Matrix product with numpy semantics (batched, broadcasting).' },
  {
    name: 'relax.linear', params: [t('data'), t('weight'), t('bias', true), a('out_dtype', 'dtype', 'void')], infer: inferLinear, shortlist: true,
    doc: 'data @ weight.T + bias (a Python composition in TVM).',
  },
  { name: 'relax.einsum', params: [e('operands', 'tensors'), a('subscripts', 'str')], infer: inferEinsum, shortlist: true, doc: 'Einstein summation over the operands.' },
  { name: 'relax.outer', params: [t('x1'), t('x2')], infer: inferOuter, doc: 'Outer product of two vectors.' },
]);
