/**
 * Legalization of the neural-network ops (`R.nn.*`): convolutions (1-3 D, any permutation layout, groups,
 * dilation, 2n-value padding) and their transposes, max/avg/adaptive pools, activations, softmax/log_softmax,
 * the normalizations (batch/layer/group/rms), dropout (identity), pad and attention.
 *
 * Preconditions: attributes are normalized by the op registry (padding has 2n values, strides/dilation n) and the
 * result struct info is inferred (ctx.outShape). Padding never materializes: a load outside the input reads the
 * pad value through `T.if_then_else`, which is lazy, so the untaken branch may index out of bounds.
 * Semantics follow TOPI; where TOPI's choice is only numerical (attention's masked max, layer_norm's one-pass
 * variance) the kernel takes the more accurate form with the same mathematical result.
 * Left to others: packed layouts (`NCHW4c`) and training-only losses are declined with a reason.
 */
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, floatImm } from '../../ir/tir/nodes.js';
import { attrNumber } from '../../ir/attrs.js';
import { attr, attrB, attrI, attrIs, attrS } from '../../ir/op/common.js';
import { simplify } from '../../ir/arith/index.js';
import type { LegalizeCtx, LegalizedKernel } from './registry.js';
import { registerLegalize } from './registry.js';
import type { ReduceAxis, TeTensor } from './te.js';
import { compute, load, lowest, max, reduceAxis, sum } from './te.js';
import { broadcastLoad, unaryKernel } from './common.js';
import { allOf, castTo, constOf, i64, ifThenElse, tcall } from './linalg.js';

const SPATIAL = ['W', 'HW', 'DHW'] as const;

const add = (a: PrimExpr, b: PrimExpr): PrimExpr => binary('add', a, b);
const sub = (a: PrimExpr, b: PrimExpr): PrimExpr => binary('sub', a, b);
const mul = (a: PrimExpr, b: PrimExpr): PrimExpr => binary('mul', a, b);
const div = (a: PrimExpr, b: PrimExpr): PrimExpr => binary('div', a, b);
const idx = (e: PrimExpr): PrimExpr => simplify(e);

/** Position of each letter of `expected` in `layout`; undefined unless layout is a permutation of it. */
function layoutIndex(layout: string, expected: string): Map<string, number> | undefined {
  if (layout.length !== expected.length) return undefined;
  const m = new Map<string, number>();
  for (let i = 0; i < layout.length; i++) m.set(layout[i]!, i);
  return [...expected].every((c) => m.has(c)) ? m : undefined;
}

/** Places per-letter index expressions in a layout's order. */
function byLayout(layout: string, at: ReadonlyMap<string, PrimExpr>): PrimExpr[] {
  return [...layout].map((c) => at.get(c)!);
}

/** An int-list attribute padded to `n` values by repetition (normalized attrs already have n; this is defensive). */
function ints(ctx: LegalizeCtx, name: string, n: number, dflt: number): number[] {
  const v = attrIs(ctx.call, name) ?? [];
  if (v.length === 0) return Array.from({ length: n }, () => dflt);
  if (v.length === 1) return Array.from({ length: n }, () => v[0]!);
  if (name === 'padding' && v.length === n / 2) return [...v, ...v];
  return v;
}

function normAxis(axis: number, ndim: number): number {
  return axis < 0 ? axis + ndim : axis;
}

// ---------------------------------------------------------------- convolution

interface ConvSetup {
  readonly sp: string;
  readonly dl: string;
  readonly kl: string;
  readonly ol: string;
  readonly di: Map<string, number>;
  readonly ki: Map<string, number>;
  readonly strides: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly groups: number;
}

function convSetup(ctx: LegalizeCtx, n: number, transpose: boolean): ConvSetup | string {
  const sp = SPATIAL[n - 1]!;
  const dl = attrS(ctx.call, 'data_layout') ?? `NC${sp}`;
  const kl = attrS(ctx.call, 'kernel_layout') ?? (transpose ? `IO${sp}` : `OI${sp}`);
  const ol = attrS(ctx.call, 'out_layout') || dl;
  const di = layoutIndex(dl, `NC${sp}`);
  const ki = layoutIndex(kl, `OI${sp}`);
  if (!di || !ki || !layoutIndex(ol, `NC${sp}`)) return `layouts ${dl}/${kl}/${ol} are not permutations of NC${sp}/OI${sp} (packed layouts are not supported)`;
  return {
    sp, dl, kl, ol, di, ki,
    strides: ints(ctx, 'strides', n, 1), padding: ints(ctx, 'padding', 2 * n, 0), dilation: ints(ctx, 'dilation', n, 1),
    groups: attrI(ctx.call, 'groups') ?? 1,
  };
}

function legalizeConv(n: number): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const s = convSetup(ctx, n, false);
    if (typeof s === 'string') return ctx.fail(s);
    const x = ctx.input(0, 'A');
    const w = ctx.input(1, 'B');
    const dtype = ctx.outDtype();
    const { sp, di, ki, ol } = s;
    const oi = layoutIndex(ol, `NC${sp}`)!;
    const ik = w.shape[ki.get('I')!]!;
    const O = w.shape[ki.get('O')!]!;
    const rc = reduceAxis(ik, 'rc');
    const rs = [...sp].map((c) => reduceAxis(w.shape[ki.get(c)!]!, `r${c.toLowerCase()}`));
    const opg = s.groups === 1 ? undefined : idx(binary('floordiv', O, i64(s.groups)));
    const out = compute(ctx.outShape(), (...o: TirVar[]) => {
      const oc = o[oi.get('C')!]!;
      const chan = opg ? idx(add(mul(binary('floordiv', oc, opg), ik), rc.v)) : rc.v;
      const dAt = new Map<string, PrimExpr>([['N', o[oi.get('N')!]!], ['C', chan]]);
      const conds: PrimExpr[] = [];
      [...sp].forEach((c, i) => {
        const pos = idx(sub(add(mul(o[oi.get(c)!]!, i64(s.strides[i]!)), mul(rs[i]!.v, i64(s.dilation[i]!))), i64(s.padding[i]!)));
        dAt.set(c, pos);
        if (s.padding[i]! > 0) conds.push(binary('le', i64(0), pos));
        if (s.padding[i + n]! > 0) conds.push(binary('lt', pos, x.shape[di.get(c)!]!));
      });
      const wAt = new Map<string, PrimExpr>([['O', oc], ['I', rc.v], ...[...sp].map((c, i) => [c, rs[i]!.v] as [string, PrimExpr])]);
      const xv = load(x, byLayout(s.dl, dAt));
      const cond = allOf(conds);
      const dv = cond ? ifThenElse(cond, castTo(dtype, xv), constOf(0, dtype)) : castTo(dtype, xv);
      return sum(mul(dv, castTo(dtype, load(w, byLayout(s.kl, wAt)))), [rc, ...rs]);
    }, `conv${n}d_${s.dl.toLowerCase()}`, { axisNames: [...ol.toLowerCase()].map((c) => `${c}`), dtype });
    return { name: `conv${n}d`, inputs: [x, w], outputs: [out] };
  };
}

/**
 * Transposed convolution as a gather: out[o] sums data[(o + pad - r * dil) / stride] * w[ic, oc, r] over the
 * positions where that quotient is exact and in range (TOPI dilates, pads and flips; the result is the same).
 */
function legalizeConvTranspose(n: number): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const s = convSetup(ctx, n, true);
    if (typeof s === 'string') return ctx.fail(s);
    const x = ctx.input(0, 'A');
    const w = ctx.input(1, 'B');
    const dtype = ctx.outDtype();
    const { sp, di, ki, ol } = s;
    const oi = layoutIndex(ol, `NC${sp}`)!;
    const cin = x.shape[di.get('C')!]!;
    const opg = w.shape[ki.get('O')!]!;
    const ipg = s.groups === 1 ? cin : idx(binary('floordiv', cin, i64(s.groups)));
    const rc = reduceAxis(ipg, 'rc');
    const rs = [...sp].map((c) => reduceAxis(w.shape[ki.get(c)!]!, `r${c.toLowerCase()}`));
    const out = compute(ctx.outShape(), (...o: TirVar[]) => {
      const oc = o[oi.get('C')!]!;
      const ic = s.groups === 1 ? rc.v : idx(add(mul(binary('floordiv', oc, opg), ipg), rc.v));
      const ocg = s.groups === 1 ? oc : idx(binary('floormod', oc, opg));
      const dAt = new Map<string, PrimExpr>([['N', o[oi.get('N')!]!], ['C', ic]]);
      const conds: PrimExpr[] = [];
      [...sp].forEach((c, i) => {
        const t = idx(sub(add(o[oi.get(c)!]!, i64(s.padding[i]!)), mul(rs[i]!.v, i64(s.dilation[i]!))));
        const st = s.strides[i]!;
        conds.push(binary('le', i64(0), t));
        if (st > 1) conds.push(binary('eq', binary('floormod', t, i64(st)), i64(0)));
        const q = st > 1 ? idx(binary('floordiv', t, i64(st))) : t;
        conds.push(binary('lt', q, x.shape[di.get(c)!]!));
        dAt.set(c, q);
      });
      const wAt = new Map<string, PrimExpr>([['I', ic], ['O', ocg], ...[...sp].map((c, i) => [c, rs[i]!.v] as [string, PrimExpr])]);
      const prod = mul(castTo(dtype, load(x, byLayout(s.dl, dAt))), castTo(dtype, load(w, byLayout(s.kl, wAt))));
      return sum(ifThenElse(allOf(conds)!, prod, constOf(0, dtype)), [rc, ...rs]);
    }, `conv${n}d_transpose_${s.dl.toLowerCase()}`, { axisNames: [...ol.toLowerCase()], dtype });
    return { name: `conv${n}d_transpose`, inputs: [x, w], outputs: [out] };
  };
}

// ---------------------------------------------------------------- pooling

/** max_pool / avg_pool over any permutation of NC + spatial; ceil_mode windows past the end read padding. */
function legalizePool(n: number, kind: 'max' | 'avg'): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const sp = SPATIAL[n - 1]!;
    const layout = attrS(ctx.call, 'layout') ?? `NC${sp}`;
    const ol = attrS(ctx.call, 'out_layout') || layout;
    const li = layoutIndex(layout, `NC${sp}`);
    const oi = layoutIndex(ol, `NC${sp}`);
    if (!li || !oi) return ctx.fail(`layout ${layout}/${ol} is not a permutation of NC${sp} (packed layouts are not supported)`);
    const size = ints(ctx, 'pool_size', n, 1);
    const strides = ints(ctx, 'strides', n, 1);
    const padding = ints(ctx, 'padding', 2 * n, 0);
    const dilation = ints(ctx, 'dilation', n, 1);
    const includePad = attrB(ctx.call, 'count_include_pad') ?? false;
    const ceil = attrB(ctx.call, 'ceil_mode') ?? false;
    const x = ctx.input(0, 'A');
    const dtype = x.dtype;
    const outShape = ctx.outShape();
    const rs = [...sp].map((c, i) => reduceAxis(i64(size[i]!), `rv${i}`));
    /** Input position and in-range condition per spatial dim, at output index o and window offset r. */
    const window = (o: readonly PrimExpr[], r: readonly PrimExpr[]): { at: Map<string, PrimExpr>; cond: PrimExpr | undefined } => {
      const at = new Map<string, PrimExpr>([['N', o[oi.get('N')!]!], ['C', o[oi.get('C')!]!]]);
      const conds: PrimExpr[] = [];
      [...sp].forEach((c, i) => {
        const pos = idx(sub(add(mul(o[oi.get(c)!]!, i64(strides[i]!)), mul(r[i]!, i64(dilation[i]!))), i64(padding[i]!)));
        at.set(c, pos);
        if (padding[i]! > 0) conds.push(binary('le', i64(0), pos));
        if (padding[i + n]! > 0 || ceil) conds.push(binary('lt', pos, x.shape[li.get(c)!]!));
      });
      return { at, cond: allOf(conds) };
    };
    const axisNames = [...ol.toLowerCase()];
    if (kind === 'max') {
      const out = compute(outShape, (...o: TirVar[]) => {
        const { at, cond } = window(o, rs.map((r) => r.v));
        const v = load(x, byLayout(layout, at));
        return max(cond ? ifThenElse(cond, v, lowest(dtype)) : v, rs);
      }, 'pool_max', { axisNames, dtype });
      return { name: `max_pool${n}d`, inputs: [x], outputs: [out] };
    }
    const total = compute(outShape, (...o: TirVar[]) => {
      const { at, cond } = window(o, rs.map((r) => r.v));
      const v = load(x, byLayout(layout, at));
      return sum(cond ? ifThenElse(cond, v, constOf(0, dtype)) : v, rs);
    }, 'pool_sum', { axisNames, dtype });
    const out = compute(outShape, (...o: TirVar[]) => {
      let count: PrimExpr = i64(1);
      [...sp].forEach((c, i) => {
        const start = idx(sub(mul(o[oi.get(c)!]!, i64(strides[i]!)), i64(padding[i]!)));
        const extent = x.shape[li.get(c)!]!;
        count = mul(count, windowCount(start, extent, size[i]!, dilation[i]!, includePad ? padding[i + n]! : undefined));
      });
      const cnt = idx(binary('max', count, i64(1)));
      return div(load(total, o), castTo(dtype, cnt));
    }, 'pool_avg', { axisNames, dtype });
    return { name: `avg_pool${n}d`, inputs: [x], outputs: [out] };
  };
}

/**
 * Elements of a pooling window counted in the average: with `padAfter` (count_include_pad) every position up to
 * extent + padAfter - 1, padding included; else only positions inside [0, extent).
 */
function windowCount(start: PrimExpr, extent: PrimExpr, k: number, d: number, padAfter: number | undefined): PrimExpr {
  if (padAfter !== undefined) {
    const end = binary('min', add(start, i64((k - 1) * d)), sub(add(extent, i64(padAfter)), i64(1)));
    return idx(add(binary('floordiv', sub(end, start), i64(d)), i64(1)));
  }
  const kmin = binary('max', i64(0), binary('floordiv', add(sub(i64(0), start), i64(d - 1)), i64(d)));
  const kmax = binary('min', i64(k - 1), binary('floordiv', sub(sub(extent, i64(1)), start), i64(d)));
  return idx(binary('max', add(sub(kmax, kmin), i64(1)), i64(0)));
}

/** adaptive_avg_pool: window [floor(o*H/OH), ceil((o+1)*H/OH)) per spatial dim. */
function legalizeAdaptivePool(n: number): (ctx: LegalizeCtx) => LegalizedKernel | undefined {
  return (ctx) => {
    const sp = SPATIAL[n - 1]!;
    const layout = attrS(ctx.call, 'layout') ?? `NC${sp}`;
    const ol = attrS(ctx.call, 'out_layout') || layout;
    const li = layoutIndex(layout, `NC${sp}`);
    const oi = layoutIndex(ol, `NC${sp}`);
    if (!li || !oi) return ctx.fail(`layout ${layout}/${ol} is not a permutation of NC${sp}`);
    const x = ctx.input(0, 'A');
    const dtype = x.dtype;
    const outShape = ctx.outShape();
    const ins = [...sp].map((c) => x.shape[li.get(c)!]!);
    const outs = [...sp].map((c) => outShape[oi.get(c)!]!);
    const bounds = ins.map((h, i) => maxWindow(h, outs[i]!));
    const rs = bounds.map((b, i) => reduceAxis(b.extent, `rv${i}`));
    const startEnd = (o: readonly PrimExpr[], i: number): [PrimExpr, PrimExpr] => {
      const oo = o[oi.get(sp[i]!)!]!;
      const start = idx(binary('floordiv', mul(oo, ins[i]!), outs[i]!));
      const end = idx(binary('floordiv', sub(add(mul(add(oo, i64(1)), ins[i]!), outs[i]!), i64(1)), outs[i]!));
      return [start, end];
    };
    const axisNames = [...ol.toLowerCase()];
    const total = compute(outShape, (...o: TirVar[]) => {
      const at = new Map<string, PrimExpr>([['N', o[oi.get('N')!]!], ['C', o[oi.get('C')!]!]]);
      const conds: PrimExpr[] = [];
      [...sp].forEach((c, i) => {
        const [start, end] = startEnd(o, i);
        at.set(c, idx(add(start, rs[i]!.v)));
        if (!bounds[i]!.exact) conds.push(binary('lt', rs[i]!.v, sub(end, start)));
      });
      const v = load(x, byLayout(layout, at));
      const cond = allOf(conds);
      return sum(cond ? ifThenElse(cond, v, constOf(0, dtype)) : v, rs);
    }, 'adaptive_pool_sum', { axisNames, dtype });
    const out = compute(outShape, (...o: TirVar[]) => {
      let count: PrimExpr = i64(1);
      [...sp].forEach((_, i) => {
        const [start, end] = startEnd(o, i);
        count = mul(count, sub(end, start));
      });
      return div(load(total, o), castTo(dtype, idx(count)));
    }, 'adaptive_pool_avg', { axisNames, dtype });
    return { name: `adaptive_avg_pool${n}d`, inputs: [x], outputs: [out] };
  };
}

/** The largest adaptive window along one dim: exact for constant sizes, else ceil(H / OH) + 1 (a bound). */
function maxWindow(h: PrimExpr, oh: PrimExpr): { extent: PrimExpr; exact: boolean } {
  if (h.kind === 'tir.IntImm' && oh.kind === 'tir.IntImm' && oh.value > 0) {
    let m = 0;
    let uniform = true;
    for (let o = 0; o < oh.value; o++) {
      const len = Math.ceil(((o + 1) * h.value) / oh.value) - Math.floor((o * h.value) / oh.value);
      if (o > 0 && len !== m) uniform = false;
      m = Math.max(m, len);
    }
    return { extent: i64(m), exact: uniform };
  }
  if (h === oh) return { extent: i64(1), exact: true };
  return { extent: idx(add(binary('floordiv', sub(add(h, oh), i64(1)), oh), i64(1))), exact: false };
}

// ---------------------------------------------------------------- activations

function activations(): void {
  registerLegalize('relax.nn.relu', (ctx) => unaryKernel(ctx, 'relu', (x, dt) => binary('max', x, constOf(0, dt))));
  // TVM's relu6 is clip(x, 0, 6): TOPI clip's `max(min(x, 6), 0)`.
  registerLegalize('relax.nn.relu6', (ctx) => unaryKernel(ctx, 'relu6', (x, dt) => binary('max', binary('min', x, constOf(6, dt)), constOf(0, dt))));
  registerLegalize('relax.nn.leakyrelu', (ctx) => {
    const alpha = attrNumber(ctx.attr('alpha')) ?? 0.01;
    return unaryKernel(ctx, 'leaky_relu', (x, dt) => ({ kind: 'tir.Select', cond: binary('gt', x, constOf(0, dt)), t: x, f: mul(x, constOf(alpha, dt)), dtype: dt }));
  });
  registerLegalize('relax.nn.gelu', (ctx) => unaryKernel(ctx, 'gelu', (x, dt) =>
    mul(x, add(floatImm(0.5, dt), mul(tcall('erf', [mul(x, floatImm(Math.SQRT1_2, dt))], dt), floatImm(0.5, dt))))));
  registerLegalize('relax.nn.gelu_tanh', (ctx) => unaryKernel(ctx, 'gelu_tanh', (x, dt) => {
    const inner = mul(floatImm(Math.sqrt(2 / Math.PI), dt), add(x, mul(floatImm(0.044715, dt), mul(mul(x, x), x))));
    return mul(mul(floatImm(0.5, dt), x), add(floatImm(1, dt), tcall('tanh', [inner], dt)));
  }));
  registerLegalize('relax.nn.silu', (ctx) => unaryKernel(ctx, 'silu', (x, dt) => mul(x, tcall('sigmoid', [x], dt))));
}

// ---------------------------------------------------------------- softmax

/** Indices of `full` with position `axis` removed (the reduced shape) or replaced. */
function without(ix: readonly PrimExpr[], axis: number): PrimExpr[] {
  return ix.filter((_, i) => i !== axis);
}
function withAt(ix: readonly PrimExpr[], axis: number, v: PrimExpr): PrimExpr[] {
  const out = [...ix];
  out.splice(axis, 0, v);
  return out;
}

function legalizeSoftmax(log: boolean): (ctx: LegalizeCtx) => LegalizedKernel {
  return (ctx) => {
    const x = ctx.input(0, 'A');
    const dtype = x.dtype;
    const nd = x.shape.length;
    const axis = normAxis(attrI(ctx.call, 'axis') ?? -1, nd);
    const red = without(x.shape, axis);
    const pre = log ? 'T_log_softmax' : 'T_softmax';
    const k1 = reduceAxis(x.shape[axis]!, 'k');
    const mx = compute(red, (...r: TirVar[]) => max(load(x, withAt(r, axis, k1.v)), [k1]), `${pre}_maxelem`, { dtype });
    if (log) {
      const k2 = reduceAxis(x.shape[axis]!, 'k');
      const es = compute(red, (...r: TirVar[]) => sum(tcall('exp', [sub(load(x, withAt(r, axis, k2.v)), load(mx, r))], dtype), [k2]), `${pre}_expsum`, { dtype });
      const out = compute(x.shape, (...i: TirVar[]) => {
        const r = without(i, axis);
        return sub(sub(load(x, i), load(mx, r)), tcall('log', [load(es, r)], dtype));
      }, `${pre}_norm`, { dtype });
      return { name: 'log_softmax', inputs: [x], outputs: [out] };
    }
    const ex = compute(x.shape, (...i: TirVar[]) => tcall('exp', [sub(load(x, i), load(mx, without(i, axis)))], dtype), `${pre}_exp`, { dtype });
    const k2 = reduceAxis(x.shape[axis]!, 'k');
    const es = compute(red, (...r: TirVar[]) => sum(load(ex, withAt(r, axis, k2.v)), [k2]), `${pre}_expsum`, { dtype });
    const out = compute(x.shape, (...i: TirVar[]) => div(load(ex, i), load(es, without(i, axis))), `${pre}_norm`, { dtype });
    return { name: 'softmax', inputs: [x], outputs: [out] };
  };
}

// ---------------------------------------------------------------- normalizations

/** The float product of dims (the element count of a reduction), as a `dtype` expression. */
function countOf(dims: readonly PrimExpr[], dtype: string): PrimExpr {
  let acc: PrimExpr = i64(1);
  for (const d of dims) acc = mul(acc, d);
  return castTo(dtype, idx(acc));
}

/**
 * Mean and (biased) variance of `x` over `axes`, as two reduction stages over the kept dims (two passes: the
 * variance sums squared deviations from the mean). `pos(kept, red)` rebuilds a full index.
 */
function meanVar(x: TeTensor, axes: readonly number[], pre: string): { mean: TeTensor; rstdOf: (eps: number) => TeTensor; kept: number[] } {
  const nd = x.shape.length;
  const dtype = x.dtype;
  const kept = [...Array(nd).keys()].filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  const n = countOf(axes.map((a) => x.shape[a]!), dtype);
  const full = (k: readonly PrimExpr[], r: readonly ReduceAxis[]): PrimExpr[] => {
    const ix: PrimExpr[] = new Array<PrimExpr>(nd);
    kept.forEach((a, i) => (ix[a] = k[i]!));
    axes.forEach((a, i) => (ix[a] = r[i]!.v));
    return ix;
  };
  const r1 = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
  const s = compute(keptShape, (...k: TirVar[]) => sum(load(x, full(k, r1)), r1), `${pre}_sum`, { dtype });
  const mean = compute(keptShape, (...k: TirVar[]) => div(load(s, k), n), `${pre}_mean`, { dtype });
  const rstdOf = (eps: number): TeTensor => {
    const r2 = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
    const sq = compute(keptShape, (...k: TirVar[]) => {
      const d = sub(load(x, full(k, r2)), load(mean, k));
      return sum(mul(d, d), r2);
    }, `${pre}_sqsum`, { dtype });
    return compute(keptShape, (...k: TirVar[]) => tcall('rsqrt', [add(div(load(sq, k), n), floatImm(eps, dtype))], dtype), `${pre}_rstd`, { dtype });
  };
  return { mean, rstdOf, kept };
}

function epsilonOf(ctx: LegalizeCtx): number {
  return attrNumber(ctx.attr('epsilon')) ?? 1e-5;
}

function legalizeLayerNorm(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const gamma = ctx.input(1, 'B');
  const beta = ctx.input(2, 'C');
  const nd = x.shape.length;
  const axes = (attrIs(ctx.call, 'axes') ?? [-1]).map((a) => normAxis(a, nd));
  const scale = attrB(ctx.call, 'scale') ?? true;
  const center = attrB(ctx.call, 'center') ?? true;
  const { mean, rstdOf, kept } = meanVar(x, axes, 'T_layer_norm');
  const rstd = rstdOf(epsilonOf(ctx));
  const out = compute(x.shape, (...i: TirVar[]) => {
    const k = kept.map((a) => i[a]!);
    const p = axes.map((a) => i[a]!);
    let v = mul(sub(load(x, i), load(mean, k)), load(rstd, k));
    if (scale) v = mul(v, load(gamma, p));
    if (center) v = add(v, load(beta, p));
    return v;
  }, 'T_layer_norm', { dtype: x.dtype });
  return { name: 'layer_norm', inputs: [x, gamma, beta], outputs: [out] };
}

function legalizeRmsNorm(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const w = ctx.input(1, 'B');
  const nd = x.shape.length;
  const dtype = x.dtype;
  const axes = (attrIs(ctx.call, 'axes') ?? [-1]).map((a) => normAxis(a, nd));
  const kept = [...Array(nd).keys()].filter((i) => !axes.includes(i));
  const r = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
  const sq = compute(kept.map((a) => x.shape[a]!), (...k: TirVar[]) => {
    const ix: PrimExpr[] = new Array<PrimExpr>(nd);
    kept.forEach((a, i) => (ix[a] = k[i]!));
    axes.forEach((a, i) => (ix[a] = r[i]!.v));
    const v = load(x, ix);
    return sum(mul(v, v), r);
  }, 'T_rms_norm_sqsum', { dtype });
  const n = countOf(axes.map((a) => x.shape[a]!), dtype);
  const eps = epsilonOf(ctx);
  const out = compute(x.shape, (...i: TirVar[]) => {
    const rs = tcall('rsqrt', [add(div(load(sq, kept.map((a) => i[a]!)), n), floatImm(eps, dtype))], dtype);
    return mul(mul(load(x, i), rs), load(w, axes.map((a) => i[a]!)));
  }, 'T_rms_norm', { dtype });
  return { name: 'rms_norm', inputs: [x, w], outputs: [out] };
}

/** group_norm: channels split into num_groups; statistics over the group's channels and `axes`. */
function legalizeGroupNorm(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const gamma = ctx.input(1, 'B');
  const beta = ctx.input(2, 'C');
  const nd = x.shape.length;
  const dtype = x.dtype;
  const G = attrI(ctx.call, 'num_groups') ?? 1;
  const ch = normAxis(attrI(ctx.call, 'channel_axis') ?? 1, nd);
  const axes = (attrIs(ctx.call, 'axes') ?? []).map((a) => normAxis(a, nd)).filter((a) => a !== ch);
  const cpg = idx(binary('floordiv', x.shape[ch]!, i64(G)));
  const kept = [...Array(nd).keys()].filter((i) => i !== ch && !axes.includes(i));
  // Stats shape: kept dims, then the group index.
  const statShape = [...kept.map((a) => x.shape[a]!), i64(G)];
  const n = countOf([cpg, ...axes.map((a) => x.shape[a]!)], dtype);
  const full = (k: readonly PrimExpr[], rc: PrimExpr, r: readonly ReduceAxis[]): PrimExpr[] => {
    const ix: PrimExpr[] = new Array<PrimExpr>(nd);
    kept.forEach((a, i) => (ix[a] = k[i]!));
    ix[ch] = idx(add(mul(k[kept.length]!, cpg), rc));
    axes.forEach((a, i) => (ix[a] = r[i]!.v));
    return ix;
  };
  const rc1 = reduceAxis(cpg, 'rc');
  const r1 = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
  const s = compute(statShape, (...k: TirVar[]) => sum(load(x, full(k, rc1.v, r1)), [rc1, ...r1]), 'T_group_norm_sum', { dtype });
  const mean = compute(statShape, (...k: TirVar[]) => div(load(s, k), n), 'T_group_norm_mean', { dtype });
  const rc2 = reduceAxis(cpg, 'rc');
  const r2 = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
  const sq = compute(statShape, (...k: TirVar[]) => {
    const d = sub(load(x, full(k, rc2.v, r2)), load(mean, k));
    return sum(mul(d, d), [rc2, ...r2]);
  }, 'T_group_norm_sqsum', { dtype });
  const eps = epsilonOf(ctx);
  const scale = attrB(ctx.call, 'scale') ?? true;
  const center = attrB(ctx.call, 'center') ?? true;
  const out = compute(x.shape, (...i: TirVar[]) => {
    const k = [...kept.map((a) => i[a]!), idx(binary('floordiv', i[ch]!, cpg))];
    let v = mul(sub(load(x, i), load(mean, k)), tcall('rsqrt', [add(div(load(sq, k), n), floatImm(eps, dtype))], dtype));
    if (scale) v = mul(v, load(gamma, [i[ch]!]));
    if (center) v = add(v, load(beta, [i[ch]!]));
    return v;
  }, 'T_group_norm', { dtype });
  return { name: 'group_norm', inputs: [x, gamma, beta], outputs: [out] };
}

/**
 * batch_norm -> (out, new moving mean, new moving var). Inference (training=False) normalizes with the moving
 * statistics and returns them unchanged; training normalizes with the batch statistics and returns the
 * momentum-updated moving ones (TOPI's batch_norm).
 */
function legalizeBatchNorm(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const [gamma, beta, mm, mv] = [ctx.input(1, 'B'), ctx.input(2, 'C'), ctx.input(3, 'D'), ctx.input(4, 'E')];
  const nd = x.shape.length;
  const dtype = x.dtype;
  const axis = normAxis(attrI(ctx.call, 'axis') ?? 1, nd);
  const eps = attrNumber(ctx.attr('epsilon')) ?? 1e-5;
  const scale = attrB(ctx.call, 'scale') ?? true;
  const center = attrB(ctx.call, 'center') ?? true;
  const training = attrB(ctx.call, 'training') ?? false;
  const momentum = attrNumber(ctx.attr('momentum')) ?? 0.1;
  let meanT = mm;
  let varT = mv;
  if (training) {
    const axes = [...Array(nd).keys()].filter((i) => i !== axis);
    const mvs = meanVar(x, axes, 'T_batch_norm');
    meanT = mvs.mean;
    const n = countOf(axes.map((a) => x.shape[a]!), dtype);
    const r = axes.map((a, i) => reduceAxis(x.shape[a]!, `k${i}`));
    const sq = compute([x.shape[axis]!], (c: TirVar) => {
      const ix = withAt(r.map((q) => q.v), axis, c);
      const d = sub(load(x, ix), load(mvs.mean, [c]));
      return sum(mul(d, d), r);
    }, 'T_batch_norm_sqsum', { dtype });
    varT = compute([x.shape[axis]!], (c: TirVar) => div(load(sq, [c]), n), 'T_batch_norm_var', { dtype });
  }
  const out = compute(x.shape, (...i: TirVar[]) => {
    const c = [i[axis]!];
    let v = div(sub(load(x, i), load(meanT, c)), tcall('sqrt', [add(load(varT, c), floatImm(eps, dtype))], dtype));
    if (scale) v = mul(v, load(gamma, c));
    if (center) v = add(v, load(beta, c));
    return v;
  }, 'T_batch_norm', { dtype });
  const update = (moving: TeTensor, batch: TeTensor, name: string): TeTensor =>
    compute(moving.shape, (c: TirVar) => (training
      ? add(mul(load(moving, [c]), floatImm(1 - momentum, dtype)), mul(load(batch, [c]), floatImm(momentum, dtype)))
      : load(moving, [c])), name, { dtype });
  return {
    name: 'batch_norm', inputs: [x, gamma, beta, mm, mv],
    outputs: [out, update(mm, meanT, 'T_batch_norm_moving_mean'), update(mv, varT, 'T_batch_norm_moving_var')],
  };
}

// ---------------------------------------------------------------- dropout, pad

function legalizeDropout(ctx: LegalizeCtx): LegalizedKernel {
  const x = ctx.input(0, 'A');
  const out = compute(x.shape, (...i: TirVar[]) => load(x, i), 'T_dropout', { dtype: x.dtype });
  const mask = compute(ctx.outShape(1), () => constOf(1, ctx.outDtype(1)), 'T_dropout_mask', { dtype: ctx.outDtype(1) });
  return { name: 'dropout', inputs: [x], outputs: [out, mask] };
}

function legalizePad(ctx: LegalizeCtx): LegalizedKernel | undefined {
  const x = ctx.input(0, 'A');
  const nd = x.shape.length;
  const pw = attrIs(ctx.call, 'pad_width') ?? [];
  if (pw.length !== 2 * nd) return ctx.fail(`pad_width has ${pw.length} values for a ${nd}-D input (expected ${2 * nd})`);
  if (pw.some((p) => p < 0)) return ctx.fail('negative pad widths are not supported');
  const mode = attrS(ctx.call, 'pad_mode') ?? 'constant';
  if (!['constant', 'reflect', 'edge', 'replicate'].includes(mode)) return ctx.fail(`pad_mode "${mode}" is not supported`);
  const dtype = x.dtype;
  const value = attrNumber(ctx.attr('pad_value')) ?? 0;
  const out = compute(ctx.outShape(), (...i: TirVar[]) => {
    const src = i.map((v, k) => idx(sub(v, i64(pw[2 * k]!))));
    if (mode === 'constant') {
      const conds: PrimExpr[] = [];
      src.forEach((s, k) => {
        if (pw[2 * k]! > 0) conds.push(binary('le', i64(0), s));
        if (pw[2 * k + 1]! > 0) conds.push(binary('lt', s, x.shape[k]!));
      });
      const cond = allOf(conds);
      return cond ? ifThenElse(cond, load(x, src), constOf(value, dtype)) : load(x, src);
    }
    const at = src.map((s, k) => {
      if (pw[2 * k] === 0 && pw[2 * k + 1] === 0) return s;
      const last = sub(x.shape[k]!, i64(1));
      if (mode === 'reflect') {
        const lo: PrimExpr = { kind: 'tir.Select', cond: binary('lt', s, i64(0)), t: sub(i64(0), s), f: s, dtype: 'int64' };
        return { kind: 'tir.Select', cond: binary('gt', lo, last), t: sub(mul(i64(2), last), lo), f: lo, dtype: 'int64' } as PrimExpr;
      }
      return binary('min', binary('max', s, i64(0)), last);
    });
    return load(x, at);
  }, 'T_pad', { dtype });
  return { name: 'pad', inputs: [x], outputs: [out] };
}

// ---------------------------------------------------------------- attention

/**
 * attention over BSNH tensors: softmax(Q K^T * scale (+ bias), causal mask) V, computed per (b, n, s, t) as
 * TVM's legalization (scores, max, exp, sum, then the weighted sum written straight into BSNH). A causal mask keeps
 * t <= s + offset, offset 0 (TopLeft) or |S - T| (BottomRight). Grouped heads (fewer KV heads) share KV head
 * h // (N / N_kv).
 */
function legalizeAttention(ctx: LegalizeCtx): LegalizedKernel {
  const q = ctx.input(0, 'Q');
  const k = ctx.input(1, 'K');
  const v = ctx.input(2, 'V');
  const hasBias = ctx.argCount > 3 && ctx.argSInfo(3).kind === 'si.Tensor';
  const bias = hasBias ? ctx.input(3, 'Bias') : undefined;
  const dtype = ctx.outDtype();
  const [B, S, N, H] = q.shape as [PrimExpr, PrimExpr, PrimExpr, PrimExpr];
  const T = k.shape[1]!;
  const Nkv = k.shape[2]!;
  const scaleAttr = attrNumber(ctx.attr('scale') ?? undefined);
  const scale = scaleAttr !== undefined ? floatImm(scaleAttr, dtype) : div(floatImm(1, dtype), tcall('sqrt', [castTo(dtype, H)], dtype));
  const causal = attr(ctx.call, 'causal_mask');
  const kvHead = (h: PrimExpr): PrimExpr => (N === Nkv || (N.kind === 'tir.IntImm' && Nkv.kind === 'tir.IntImm' && N.value === Nkv.value) ? h : idx(binary('floordiv', h, binary('floordiv', N, Nkv))));
  const offset: PrimExpr = causal === 'BottomRight' ? idx(binary('max', sub(S, T), sub(T, S))) : i64(0);
  const visible = (s: PrimExpr, t: PrimExpr): PrimExpr | undefined => (typeof causal === 'string' ? binary('le', t, add(s, offset)) : undefined);
  const rk = reduceAxis(H, 'k');
  const score = compute([B, N, S, T], (b, h, s, t) => {
    const dot = sum(mul(castTo(dtype, load(q, [b, s, h, rk.v])), castTo(dtype, load(k, [b, t, kvHead(h), rk.v]))), [rk]);
    return dot;
  }, 'T_batch_matmul_NT', { dtype });
  const scaled = compute([B, N, S, T], (b, h, s, t) => {
    let p = mul(load(score, [b, h, s, t]), scale);
    if (bias) p = add(p, castTo(dtype, biasLoad(bias, b, h, s, t)));
    const vis = visible(s, t);
    return vis ? ifThenElse(vis, p, lowest(dtype)) : p;
  }, 'T_attention_scores', { dtype });
  const r1 = reduceAxis(T, 'k');
  const mx = compute([B, N, S], (b, h, s) => max(load(scaled, [b, h, s, r1.v]), [r1]), 'T_softmax_maxelem', { dtype });
  const ex = compute([B, N, S, T], (b, h, s, t) => {
    const e = tcall('exp', [sub(load(scaled, [b, h, s, t]), load(mx, [b, h, s]))], dtype);
    const vis = visible(s, t);
    return vis ? ifThenElse(vis, e, constOf(0, dtype)) : e;
  }, 'T_softmax_exp', { dtype });
  const r2 = reduceAxis(T, 'k');
  const es = compute([B, N, S], (b, h, s) => sum(load(ex, [b, h, s, r2.v]), [r2]), 'T_softmax_expsum', { dtype });
  const rt = reduceAxis(T, 'k');
  const out = compute(ctx.outShape(), (b, s, h, j) =>
    sum(mul(div(load(ex, [b, h, s, rt.v]), load(es, [b, h, s])), castTo(dtype, load(v, [b, rt.v, kvHead(h), j]))), [rt]), 'T_batch_matmul_NN', { dtype });
  return { name: 'attention', inputs: bias ? [q, k, v, bias] : [q, k, v], outputs: [out] };
}

/** The bias of attention at (b, h, s, t): 4-D (B, N, S, T) broadcast, 3-D (B, S, T), 2-D (B, T). */
function biasLoad(bias: TeTensor, b: PrimExpr, h: PrimExpr, s: PrimExpr, t: PrimExpr): PrimExpr {
  const r = bias.shape.length;
  const full = r === 2 ? [b, t] : r === 3 ? [b, s, t] : [b, h, s, t];
  return broadcastLoad(bias, full.length === r ? full : full.slice(full.length - r));
}

// ---------------------------------------------------------------- registrations

for (const n of [1, 2, 3]) {
  registerLegalize(`relax.nn.conv${n}d`, legalizeConv(n));
  registerLegalize(`relax.nn.conv${n}d_transpose`, legalizeConvTranspose(n));
  registerLegalize(`relax.nn.max_pool${n}d`, legalizePool(n, 'max'));
  registerLegalize(`relax.nn.avg_pool${n}d`, legalizePool(n, 'avg'));
  registerLegalize(`relax.nn.adaptive_avg_pool${n}d`, legalizeAdaptivePool(n));
}
activations();
registerLegalize('relax.nn.softmax', legalizeSoftmax(false));
registerLegalize('relax.nn.log_softmax', legalizeSoftmax(true));
registerLegalize('relax.nn.layer_norm', legalizeLayerNorm);
registerLegalize('relax.nn.rms_norm', legalizeRmsNorm);
registerLegalize('relax.nn.group_norm', legalizeGroupNorm);
registerLegalize('relax.nn.batch_norm', legalizeBatchNorm);
registerLegalize('relax.nn.dropout', legalizeDropout);
registerLegalize('relax.nn.pad', legalizePad);
registerLegalize('relax.nn.attention', legalizeAttention);
