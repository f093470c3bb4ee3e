/**
 * Neural-network ops (`python/tvm/relax/op/nn/nn.py`): convolutions and their transposes (any primal layout),
 * pools, activations, normalizations, dropout, pad, attention and losses. Shape rules follow TVM's C++ inference
 * (`src/relax/op/nn/*.cc`): output sizes are simplified symbolic expressions, channel mismatches are errors only
 * when proven (I407), and packed layouts (`NCHW4c`) degrade to the rank alone.
 */
import type { AttrValue } from '../attrs.js';
import type { Call, StructInfo, TensorSInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { binary } from '../tir/nodes.js';
import { simplify } from '../arith/index.js';
import {
  a, arith, attr, attrB, attrDtype, attrI, attrIs, attrS, checkRank, commonDtype, completePadding, defineOps, dimsOf, e, F,
  I, i64, IS, isFloat, LAYOUTS_1D, LAYOUTS_2D, LAYOUTS_3D, normalizer, normAxes, normAxis, opLabel, product, proven,
  provenNe, showDims, showPrim, t, tensorArg, tensorOut, toList, toTuple, UNKNOWN_TENSOR, withDtype,
} from './common.js';
import type { InferCtx } from './registry.js';
import { unaryRule } from './unary.js';

const SPATIAL = ['W', 'HW', 'DHW'] as const;

/** Index of each letter of `expected` in `layout`, or undefined for a layout that is not a permutation of it. */
function layoutIndex(layout: string, expected: string): Map<string, number> | undefined {
  if (layout.length !== expected.length) return undefined;
  const m = new Map<string, number>();
  for (let i = 0; i < layout.length; i++) m.set(layout[i]!, i);
  return [...expected].every((c) => m.has(c)) ? m : undefined;
}

/** Rank of a (possibly packed) layout: one dim per letter. */
function layoutNdim(layout: string): number {
  return layout.replace(/[^A-Za-z]/g, '').length;
}

interface Spatial {
  readonly n: number;
  readonly ints: (name: string) => number[];
}

function spatial(call: Call, n: number): Spatial {
  return {
    n,
    ints: (name) => {
      const v = attrIs(call, name) ?? [];
      if (name === 'padding') {
        if (v.length === 1) return Array.from({ length: 2 * n }, () => v[0]!);
        if (v.length === n) return [...v, ...v];
        return v;
      }
      return v.length === 1 ? Array.from({ length: n }, () => v[0]!) : v;
    },
  };
}

/** Places NC-ordered spatial results into an output layout (`out[layout[i]] = byLetter[layout[i]]`). */
function arrange(layout: string, byLetter: Map<string, PrimExpr>): PrimExpr[] | undefined {
  const out: PrimExpr[] = [];
  for (const c of layout) {
    const d = byLetter.get(c);
    if (!d) return undefined;
    out.push(d);
  }
  return out;
}

function checkLayout(call: Call, ctx: InferCtx, name: string, layout: string, expected: string): Map<string, number> | undefined | null {
  const idx = layoutIndex(layout, expected);
  if (idx) return idx;
  if (/[a-z0-9]/.test(layout) && [...expected].every((c) => layout.includes(c))) return undefined; // packed: degrade
  ctx.error('I409', `${opLabel(call)} requires ${name} to be a permutation of ${expected}. However, the given ${name} is "${layout}".`);
  return null;
}

/** conv{1,2,3}d and conv{1,2,3}d_transpose. */
function convRule(n: number, transpose: boolean): (call: Call, ctx: InferCtx) => StructInfo {
  const sp = SPATIAL[n - 1]!;
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx, 'data');
    const w = tensorArg(call, 1, ctx, 'weight');
    if (!x || !w) return UNKNOWN_TENSOR;
    const dl = attrS(call, 'data_layout') ?? `NC${sp}`;
    const kl = attrS(call, 'kernel_layout') ?? (transpose ? `IO${sp}` : `OI${sp}`);
    const ol = attrS(call, 'out_layout') || dl;
    const dtype = attrDtype(call, 'out_dtype') || commonDtype(call, ctx, x.dtype, w.dtype);
    const di = checkLayout(call, ctx, 'data_layout', dl, `NC${sp}`);
    const ki = checkLayout(call, ctx, 'kernel_layout', kl, `OI${sp}`);
    const oi = checkLayout(call, ctx, 'out_layout', ol, `NC${sp}`);
    if (di === null || ki === null || oi === null) return SI.tensorNdim(dtype, -1);
    if (!checkRank(call, ctx, x, layoutNdim(dl), 'data') || !checkRank(call, ctx, w, layoutNdim(kl), 'weight')) {
      return SI.tensorNdim(dtype, layoutNdim(ol));
    }
    const dx = dimsOf(x);
    const dw = dimsOf(w);
    if (!di || !ki || !oi || !dx || !dw) return SI.tensorNdim(dtype, layoutNdim(ol), x.vdevice);
    const at = (dims: readonly PrimExpr[], idx: Map<string, number>, c: string): PrimExpr => dims[idx.get(c)!]!;
    const groups = attrI(call, 'groups') ?? 1;
    const g = i64(groups);
    const [C, O, Ik] = [at(dx, di, 'C'), at(dw, ki, 'O'), at(dw, ki, 'I')];
    if (!checkChannels(call, ctx, C, O, Ik, g, transpose)) return SI.tensorNdim(dtype, layoutNdim(ol), x.vdevice);
    const s = spatial(call, n);
    const [strides, padding, dilation, outPad] = [s.ints('strides'), s.ints('padding'), s.ints('dilation'), s.ints('output_padding')];
    const res = new Map<string, PrimExpr>([['N', at(dx, di, 'N')], ['C', transpose ? arith('mul', O, g) : O]]);
    for (let i = 0; i < n; i++) {
      const c = sp[i]!;
      const [inp, k] = [at(dx, di, c), at(dw, ki, c)];
      const [st, pb, pe, dil] = [strides[i] ?? 1, padding[i] ?? 0, padding[i + n] ?? 0, dilation[i] ?? 1];
      const span = simplify(binary('mul', i64(dil), binary('sub', k, i64(1))));
      res.set(c, transpose
        ? simplify(binary('add', binary('add', binary('sub', binary('mul', binary('sub', inp, i64(1)), i64(st)), i64(pb + pe)), span), i64((outPad[i] ?? 0) + 1)))
        : simplify(binary('add', binary('floordiv', binary('sub', binary('sub', binary('add', inp, i64(pb + pe)), span), i64(1)), i64(st)), i64(1))));
    }
    return tensorOut(arrange(ol, res), dtype, layoutNdim(ol), x.vdevice);
  };
}

function checkChannels(call: Call, ctx: InferCtx, C: PrimExpr, O: PrimExpr, Ik: PrimExpr, g: PrimExpr, transpose: boolean): boolean {
  if (transpose) {
    if (provenNe(C, Ik)) {
      ctx.error('I407', `${opLabel(call)} requires the channel size of the data to equal the input channel size of the weight. However, the data channel size is ${showPrim(C)} while the weight input channel size is ${showPrim(Ik)}.`);
      return false;
    }
    return true;
  }
  const expected = arith('mul', Ik, g);
  if (provenNe(C, expected)) {
    ctx.error('I407', `${opLabel(call)} requires the channel size of the data to equal the product of the weight's input channel size and the number of groups. However, the data channel size is ${showPrim(C)} while the weight input channel size and number of groups are ${showPrim(Ik)} and ${showPrim(g)}.`);
    return false;
  }
  if (proven(binary('ne', binary('floormod', O, g), i64(0)))) {
    ctx.error('I407', `${opLabel(call)} requires the number of output channels to be divisible by the number of groups. However, the output channel size is ${showPrim(O)} and the number of groups is ${showPrim(g)}.`);
    return false;
  }
  return true;
}

/** max/avg pool{1,2,3}d. */
function poolRule(n: number): (call: Call, ctx: InferCtx) => StructInfo {
  const sp = SPATIAL[n - 1]!;
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx, 'data');
    if (!x) return UNKNOWN_TENSOR;
    const layout = attrS(call, 'layout') ?? `NC${sp}`;
    const ol = attrS(call, 'out_layout') || layout;
    const li = checkLayout(call, ctx, 'layout', layout, `NC${sp}`);
    const oi = checkLayout(call, ctx, 'out_layout', ol, `NC${sp}`);
    if (li === null || oi === null || !checkRank(call, ctx, x, layoutNdim(layout), 'data')) return SI.tensorNdim(x.dtype, -1);
    const dx = dimsOf(x);
    if (!li || !oi || !dx) return SI.tensorNdim(x.dtype, layoutNdim(ol), x.vdevice);
    const s = spatial(call, n);
    const [size, strides, padding, dilation] = [s.ints('pool_size'), s.ints('strides'), s.ints('padding'), s.ints('dilation')];
    const ceil = attrB(call, 'ceil_mode') ?? false;
    const res = new Map<string, PrimExpr>([['N', dx[li.get('N')!]!], ['C', dx[li.get('C')!]!]]);
    for (let i = 0; i < n; i++) {
      const c = sp[i]!;
      const [k, st, dil] = [size[i] ?? 1, strides[i] ?? 1, dilation[i] ?? 1];
      const num = binary('sub', binary('add', dx[li.get(c)!]!, i64((padding[i] ?? 0) + (padding[i + n] ?? 0))), i64(dil * (k - 1) + 1 - (ceil ? st - 1 : 0)));
      res.set(c, simplify(binary('add', binary('floordiv', num, i64(st)), i64(1))));
    }
    return tensorOut(arrange(ol, res), x.dtype, layoutNdim(ol), x.vdevice);
  };
}

function adaptivePoolRule(n: number): (call: Call, ctx: InferCtx) => StructInfo {
  const sp = SPATIAL[n - 1]!;
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx, 'data');
    if (!x) return UNKNOWN_TENSOR;
    const layout = attrS(call, 'layout') ?? `NC${sp}`;
    const ol = attrS(call, 'out_layout') || layout;
    const li = checkLayout(call, ctx, 'layout', layout, `NC${sp}`);
    const oi = checkLayout(call, ctx, 'out_layout', ol, `NC${sp}`);
    if (li === null || oi === null || !checkRank(call, ctx, x, layoutNdim(layout), 'data')) return SI.tensorNdim(x.dtype, -1);
    const dx = dimsOf(x);
    if (!li || !oi || !dx) return SI.tensorNdim(x.dtype, layoutNdim(ol), x.vdevice);
    const size = attr(call, 'output_size');
    const sizes = spatial(call, n).ints('output_size');
    const res = new Map<string, PrimExpr>();
    for (const c of `NC${sp}`) res.set(c, dx[li.get(c)!]!);
    if (size !== null && size !== undefined) [...sp].forEach((c, i) => sizes[i] !== undefined && res.set(c, i64(sizes[i]!)));
    return tensorOut(arrange(ol, res), x.dtype, layoutNdim(ol), x.vdevice);
  };
}

function softmaxRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  if (x.dtype && !isFloat(x.dtype)) {
    ctx.error('I412', `${opLabel(call)} requires the input tensor to have a float dtype. However, the given input dtype is ${x.dtype}.`);
  }
  normAxis(call, ctx, attrI(call, 'axis') ?? -1, x.ndim);
  return withDtype(x, x.dtype);
}

/**
 * The shared check of the normalizations (TVM's NormCheckDtypeAndShape): every parameter tensor has the data's
 * dtype and, per normalized axis, the data's length there. Returns false when a shape is unknown.
 */
function normCheck(call: Call, ctx: InferCtx, x: TensorSInfo, params: readonly (TensorSInfo | undefined)[], axes: readonly number[]): boolean {
  const dx = dimsOf(x);
  let known = !!dx;
  for (const p of params) {
    if (!p) continue;
    if (p.dtype && x.dtype && p.dtype !== x.dtype) {
      ctx.error('I402', `${opLabel(call)} requires the parameter tensors to have the data's dtype ${x.dtype}. However, one has dtype ${p.dtype}.`);
    }
    if (p.ndim >= 0 && p.ndim !== axes.length) {
      ctx.error('I405', `${opLabel(call)} requires each parameter tensor to have ${axes.length} dimension(s), one per normalized axis. However, one has ${p.ndim}.`);
      continue;
    }
    const dp = dimsOf(p);
    if (!dp || !dx) {
      known = false;
      continue;
    }
    axes.forEach((ax, i) => {
      if (provenNe(dp[i]!, dx[ax]!)) {
        ctx.error('I413', `${opLabel(call)} requires each parameter tensor to match the data along the normalized axes. However, the data has length ${showPrim(dx[ax]!)} at axis ${ax} and a parameter has ${showPrim(dp[i]!)} (shape ${showDims(dp)}).`);
      }
    });
  }
  return known;
}

function batchNormRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return SI.tuple([UNKNOWN_TENSOR, UNKNOWN_TENSOR, UNKNOWN_TENSOR]);
  const ps = [1, 2, 3, 4].map((i) => tensorArg(call, i, ctx, 'parameter'));
  const axis = normAxis(call, ctx, attrI(call, 'axis') ?? 1, x.ndim);
  const known = axis !== undefined && x.ndim >= 0 && normCheck(call, ctx, x, ps, [axis]);
  if (!known || !ps[2] || !ps[3]) return SI.tuple([SI.tensorNdim(x.dtype, x.ndim), SI.tensorNdim(x.dtype, 1), SI.tensorNdim(x.dtype, 1)]);
  return SI.tuple([withDtype(x, x.dtype), withDtype(ps[2], ps[2].dtype), withDtype(ps[3], ps[3].dtype)]);
}

function axesNormRule(paramIdx: readonly number[], axesAttr: string): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const x = tensorArg(call, 0, ctx, 'data');
    if (!x) return UNKNOWN_TENSOR;
    const ps = paramIdx.map((i) => (call.args[i] ? tensorArg(call, i, ctx, 'parameter') : undefined));
    const axes = x.ndim >= 0 ? normAxes(call, ctx, attrIs(call, axesAttr) ?? [-1], x.ndim) : undefined;
    if (axes) normCheck(call, ctx, x, ps, axes);
    return withDtype(x, x.dtype);
  };
}

function groupNormRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const ps = [1, 2].map((i) => tensorArg(call, i, ctx, 'parameter'));
  const ch = normAxis(call, ctx, attrI(call, 'channel_axis') ?? 1, x.ndim);
  if (x.ndim >= 0) normAxes(call, ctx, attrIs(call, 'axes') ?? [], x.ndim);
  const dx = dimsOf(x);
  const groups = attrI(call, 'num_groups') ?? 1;
  if (ch !== undefined && dx) {
    normCheck(call, ctx, x, ps, [ch]);
    if (proven(binary('ne', binary('floormod', dx[ch]!, i64(groups)), i64(0)))) {
      ctx.error('I407', `group_norm requires the number of channels to be divisible by num_groups. However, the channel size is ${showPrim(dx[ch]!)} and num_groups is ${groups}.`);
    }
  }
  return withDtype(x, x.dtype);
}

function dropoutRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  const r = x ? withDtype(x, x.dtype) : UNKNOWN_TENSOR;
  return SI.tuple([r, r]);
}

function padRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const pw = attrIs(call, 'pad_width') ?? [];
  if (x.ndim >= 0 && pw.length !== 2 * x.ndim) {
    ctx.error('I409', `pad requires pad_width to hold two values (before, after) per input dimension, ${2 * x.ndim} in all. However, it has ${pw.length}.`);
    return SI.tensorNdim(x.dtype, x.ndim);
  }
  const dx = dimsOf(x);
  return tensorOut(dx?.map((d, i) => arith('add', d, i64(pw[2 * i]! + pw[2 * i + 1]!))), x.dtype, x.ndim, x.vdevice);
}

/** attention(query (B, S, N, H), key (B, S_kv, N_kv, H), value (B, S_kv, N_kv, H_v)) -> (B, S, N, H_v). */
function attentionRule(call: Call, ctx: InferCtx): StructInfo {
  const [q, k, v] = [0, 1, 2].map((i) => tensorArg(call, i, ctx, ['query', 'key', 'value'][i]));
  if (!q || !k || !v) return UNKNOWN_TENSOR;
  const dtype = commonDtype(call, ctx, commonDtype(call, ctx, q.dtype, k.dtype), v.dtype);
  for (const [x, name] of [[q, 'query'], [k, 'key'], [v, 'value']] as const) {
    if (!checkRank(call, ctx, x, 4, name)) return SI.tensorNdim(dtype, 4);
  }
  const [dq, dk, dv] = [dimsOf(q), dimsOf(k), dimsOf(v)];
  if (!dq || !dk || !dv) return SI.tensorNdim(dtype, 4, q.vdevice);
  const rules: [PrimExpr, PrimExpr, string][] = [
    [dq[0]!, dk[0]!, 'the batch size of query and key'], [dk[0]!, dv[0]!, 'the batch size of key and value'],
    [dq[3]!, dk[3]!, 'the head dim of query and key'], [dk[1]!, dv[1]!, 'the sequence length of key and value'],
    [dk[2]!, dv[2]!, 'the number of heads of key and value'],
  ];
  for (const [l, r, what] of rules) {
    if (provenNe(l, r)) {
      ctx.error('I413', `attention requires ${what} to be equal. However, they are ${showPrim(l)} and ${showPrim(r)}.`);
      return SI.tensorNdim(dtype, 4, q.vdevice);
    }
  }
  return tensorOut([dq[0]!, dq[1]!, dq[2]!, dv[3]!], dtype, 4, q.vdevice);
}

function pixelShuffleRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const r = attrI(call, 'upscale_factor') ?? 1;
  const dx = dimsOf(x);
  if (!checkRank(call, ctx, x, 4, 'data') || !dx) return SI.tensorNdim(x.dtype, 4);
  const [n, c, h, w] = dx as [PrimExpr, PrimExpr, PrimExpr, PrimExpr];
  return tensorOut([n, arith('floordiv', c, i64(r * r)), arith('mul', h, i64(r)), arith('mul', w, i64(r))], x.dtype, 4);
}

function batchFlattenRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx, 'data');
  if (!x) return UNKNOWN_TENSOR;
  const dx = dimsOf(x);
  return dx && dx.length >= 1 ? tensorOut([dx[0]!, product(dx.slice(1))], x.dtype) : SI.tensorNdim(x.dtype, 2);
}

function scalarLossRule(call: Call, ctx: InferCtx): StructInfo {
  const p = tensorArg(call, 0, ctx, 'predictions');
  const reduction = attrS(call, 'reduction') ?? 'mean';
  if (reduction === 'none' && call.args[1]) {
    const tgt = tensorArg(call, 1, ctx, 'targets');
    return tgt ? withDtype(tgt, p?.dtype ?? '') : UNKNOWN_TENSOR;
  }
  return SI.tensor([], p?.dtype ?? '');
}

const unaryAny = unaryRule(false);
const unaryFloat = unaryRule(true);

const convParams = (n: number, transpose: boolean) => {
  const sp = SPATIAL[n - 1]!;
  const one = n === 1 ? I(1) : IS(...Array.from({ length: n }, () => 1));
  const zero = n === 1 ? I(0) : IS(...Array.from({ length: n }, () => 0));
  const layouts = [LAYOUTS_1D, LAYOUTS_2D, LAYOUTS_3D][n - 1]!;
  return [
    t('data'), t('weight'), a('strides', 'int_or_ints', one), a('padding', 'int_or_ints', zero),
    ...(transpose ? [a('output_padding', 'int_or_ints', zero)] : []),
    a('dilation', 'int_or_ints', one), a('groups', 'int', I(1)),
    a('data_layout', 'str', `NC${sp}`, layouts), a('kernel_layout', 'str', transpose ? `IO${sp}` : `OI${sp}`),
    a('out_layout', 'str_or_none', null), a('out_dtype', 'dtype', 'void'),
  ];
};

const convNorm = (n: number) =>
  normalizer({ strides: toTuple(n), dilation: toTuple(n), padding: completePadding(n), output_padding: toTuple(n) });

const poolParams = (n: number) => {
  const sp = SPATIAL[n - 1]!;
  const ones = IS(...Array.from({ length: n }, () => 1));
  const layouts = [LAYOUTS_1D, LAYOUTS_2D, LAYOUTS_3D][n - 1]!;
  return [
    t('data'), a('pool_size', 'int_or_ints', ones), a('strides', 'int_or_ints', ones),
    a('padding', 'int_or_ints', IS(...Array.from({ length: n }, () => 0))), a('dilation', 'int_or_ints', ones),
    a('ceil_mode', 'bool', false), a('count_include_pad', 'bool', false), a('layout', 'str', `NC${sp}`, layouts),
    a('out_layout', 'str_or_none', null),
  ];
};
const poolNorm = (n: number) =>
  normalizer({ pool_size: toTuple(n), strides: toTuple(n), dilation: toTuple(n), padding: completePadding(n) });

const adaptiveParams = (n: number) => [
  t('data'), a('output_size', 'int_or_ints', null), a('layout', 'str', `NC${SPATIAL[n - 1]!}`, [LAYOUTS_1D, LAYOUTS_2D, LAYOUTS_3D][n - 1]!),
  a('out_layout', 'str_or_none', null),
];
const adaptiveNorm = (n: number) => normalizer({ output_size: (v: AttrValue) => (v === null ? v : toTuple(n)(v)) });

const DIMS = ['1d', '2d', '3d'];
const SHORT = new Set(['conv1d', 'conv2d', 'conv2d_transpose', 'max_pool2d', 'avg_pool2d', 'adaptive_avg_pool2d']);

defineOps('nn', [
  ...[1, 2, 3].flatMap((n) => [false, true].map((tr) => {
    const name = `conv${DIMS[n - 1]}${tr ? '_transpose' : ''}`;
    return {
      name: `relax.nn.${name}`, params: convParams(n, tr), normalizeAttrs: convNorm(n), infer: convRule(n, tr),
      shortlist: SHORT.has(name), doc: `${n}-D ${tr ? 'transposed ' : ''}convolution.`,
    };
  })),
  ...[1, 2, 3].flatMap((n) => ['max', 'avg'].map((kind) => ({
    name: `relax.nn.${kind}_pool${DIMS[n - 1]}`, params: poolParams(n), normalizeAttrs: poolNorm(n), infer: poolRule(n),
    shortlist: SHORT.has(`${kind}_pool${DIMS[n - 1]}`), doc: `${n}-D ${kind} pooling.`,
  }))),
  ...[1, 2, 3].map((n) => ({
    name: `relax.nn.adaptive_avg_pool${DIMS[n - 1]}`, params: adaptiveParams(n), normalizeAttrs: adaptiveNorm(n),
    infer: adaptivePoolRule(n), shortlist: n === 2, doc: `${n}-D adaptive average pooling to output_size.`,
  })),
  { name: 'relax.nn.relu', params: [t('data')], infer: unaryAny, shortlist: true, doc: 'max(x, 0).' },
  { name: 'relax.nn.relu6', params: [t('data')], infer: unaryAny, doc: 'clip(x, 0, 6) (a Python composition in TVM).' },
  { name: 'relax.nn.leakyrelu', params: [t('data'), a('alpha', 'float', F(0.01))], infer: unaryAny, shortlist: true, doc: 'x if x > 0 else alpha * x.' },
  { name: 'relax.nn.gelu', params: [t('data')], infer: unaryFloat, shortlist: true, doc: 'Gaussian error linear unit (erf form).' },
  { name: 'relax.nn.gelu_tanh', params: [t('data')], infer: unaryFloat, shortlist: true, doc: 'Gaussian error linear unit (tanh approximation).' },
  { name: 'relax.nn.selu', params: [t('data')], infer: unaryFloat, doc: 'Scaled exponential linear unit.' },
  { name: 'relax.nn.silu', params: [t('data')], infer: unaryFloat, shortlist: true, doc: 'x * sigmoid(x).' },
  { name: 'relax.nn.softplus', params: [t('data'), a('beta', 'float', F(1.0)), a('threshold', 'float', F(20.0))], infer: unaryFloat, doc: 'log(1 + exp(beta * x)) / beta.' },
  { name: 'relax.nn.softmax', params: [t('data'), a('axis', 'axis', I(-1))], infer: softmaxRule, shortlist: true, doc: 'Softmax along axis.' },
  { name: 'relax.nn.log_softmax', params: [t('data'), a('axis', 'axis', I(-1))], infer: softmaxRule, shortlist: true, doc: 'Log of softmax along axis.' },
  { name: 'relax.nn.prelu', params: [t('data'), t('alpha'), a('axis', 'axis', I(1))], infer: unaryAny, doc: 'Leaky ReLU with a learned slope per channel.' },
  {
    name: 'relax.nn.batch_norm',
    params: [t('data'), t('gamma'), t('beta'), t('moving_mean'), t('moving_var'), a('axis', 'axis'), a('epsilon', 'float', F(1e-5)),
      a('center', 'bool', true), a('scale', 'bool', true), a('momentum', 'float', F(0.1)), a('training', 'bool', true)],
    infer: batchNormRule, shortlist: true, returnsTuple: true, doc: 'Batch normalization; (output, new mean, new var).',
  },
  {
    name: 'relax.nn.layer_norm',
    params: [t('data'), t('gamma'), t('beta'), a('axes', 'axes'), a('epsilon', 'float', F(1e-5)), a('center', 'bool', true), a('scale', 'bool', true)],
    normalizeAttrs: normalizer({ axes: toList }), infer: axesNormRule([1, 2], 'axes'), shortlist: true, doc: 'Layer normalization over axes.',
  },
  {
    name: 'relax.nn.group_norm',
    params: [t('data'), t('gamma'), t('beta'), a('num_groups', 'int'), a('channel_axis', 'axis'), a('axes', 'axes'),
      a('epsilon', 'float', F(1e-5)), a('center', 'bool', true), a('scale', 'bool', true)],
    normalizeAttrs: normalizer({ axes: toList }), infer: groupNormRule, shortlist: true, doc: 'Group normalization.',
  },
  {
    name: 'relax.nn.instance_norm',
    params: [t('data'), t('gamma'), t('beta'), a('channel_axis', 'axis'), a('axes', 'axes'), a('epsilon', 'float', F(1e-5)),
      a('center', 'bool', true), a('scale', 'bool', true)],
    normalizeAttrs: normalizer({ axes: toList }), infer: axesNormRule([], 'axes'),
    doc: 'Instance normalization.',
  },
  {
    name: 'relax.nn.rms_norm', params: [t('data'), t('weight'), a('axes', 'axes', IS(-1)), a('epsilon', 'float', F(1e-5))],
    normalizeAttrs: normalizer({ axes: toList }), infer: axesNormRule([1], 'axes'), shortlist: true, doc: 'Root-mean-square normalization.',
  },
  { name: 'relax.nn.dropout', params: [t('data'), a('rate', 'float', F(0.5))], infer: dropoutRule, shortlist: true, returnsTuple: true, doc: 'Dropout; (output, mask).' },
  {
    name: 'relax.nn.pad', params: [t('data'), a('pad_width', 'ints'), a('pad_mode', 'str', 'constant', ['constant', 'reflect', 'edge', 'replicate']), a('pad_value', 'float', F(0.0))],
    infer: padRule, shortlist: true, doc: 'Pads each dim by (before, after) pairs.',
  },
  { name: 'relax.nn.pixel_shuffle', params: [t('data'), a('upscale_factor', 'int')], infer: pixelShuffleRule, doc: 'Rearranges channels into space.' },
  {
    name: 'relax.nn.attention',
    params: [t('query'), t('key'), t('value'), t('bias', true), a('scale', 'float_or_none', null), a('causal_mask', 'str_or_none', null, ['TopLeft', 'BottomRight']), a('window_size', 'int_or_none', null)],
    infer: attentionRule, shortlist: true, doc: 'Multi-head attention over BSNH tensors.',
  },
  {
    name: 'relax.nn.attention_bias',
    params: [t('query'), t('key'), t('value'), t('bias', true), a('scale', 'float_or_none', null), a('causal_mask', 'str_or_none', null, ['TopLeft', 'BottomRight']), a('window_size', 'int_or_none', null)],
    infer: attentionRule, doc: 'Attention with an additive bias.',
  },
  {
    name: 'relax.nn.attention_var_len',
    params: [t('queries'), t('keys'), t('values'), t('seqstart_q'), t('seqstart_k'), e('max_seqlen_q', 'prim'), e('max_seqlen_k', 'prim'),
      a('scale', 'float_or_none', null), a('causal_mask', 'str_or_none', null), a('window_size', 'int_or_none', null)],
    doc: 'Variable-length attention over packed sequences.',
  },
  { name: 'relax.nn.batch_flatten', params: [t('data')], infer: batchFlattenRule, doc: 'Flattens all but the first dim.' },
  { name: 'relax.nn.cross_entropy_with_logits', params: [t('predictions'), t('labels')], infer: scalarLossRule, doc: 'Cross entropy over logits.' },
  {
    name: 'relax.nn.nll_loss',
    params: [t('predictions'), t('targets'), t('weights', true), a('reduction', 'str', 'mean', ['mean', 'sum', 'none']), a('ignore_index', 'int', I(-100))],
    infer: scalarLossRule, doc: 'Negative log-likelihood loss.',
  },
]);

