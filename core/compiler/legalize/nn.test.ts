import { describe, it } from 'vitest';
import type { RefTensor } from './op-testing.js';
import { at, build, erf, expectOp, f32, indices, ref } from './op-testing.js';

// ---------------------------------------------------------------- convolution references

interface ConvOpts {
  readonly dl: string;
  readonly kl: string;
  readonly strides: number[];
  readonly pad: number[];
  readonly dil: number[];
  readonly groups: number;
  readonly outPad?: number[];
}

/** Direct convolution (cross-correlation) over letter-addressed layouts. */
function refConv(x: RefTensor, w: RefTensor, o: ConvOpts): RefTensor {
  const sp = [...o.dl].filter((c) => c !== 'N' && c !== 'C');
  const n = sp.length;
  const xd = (c: string): number => x.shape[o.dl.indexOf(c)]!;
  const wd = (c: string): number => w.shape[o.kl.indexOf(c)]!;
  const [O, I] = [wd('O'), wd('I')];
  const outBy = new Map<string, number>([['N', xd('N')], ['C', O]]);
  sp.forEach((c, i) => outBy.set(c, Math.floor((xd(c) + o.pad[i]! + o.pad[i + n]! - o.dil[i]! * (wd(c) - 1) - 1) / o.strides[i]!) + 1));
  const outShape = [...o.dl].map((c) => outBy.get(c)!);
  const kShape = sp.map((c) => wd(c));
  return build(outShape, x.dtype, (ix) => {
    const v = new Map([...o.dl].map((c, i) => [c, ix[i]!]));
    const oc = v.get('C')!;
    const g = Math.floor(oc / (O / o.groups));
    let s = 0;
    for (let ic = 0; ic < I; ic++) {
      for (const k of indices(kShape)) {
        const pos = sp.map((c, i) => v.get(c)! * o.strides[i]! - o.pad[i]! + k[i]! * o.dil[i]!);
        if (pos.some((p, i) => p < 0 || p >= xd(sp[i]!))) continue;
        const xv = new Map<string, number>([['N', v.get('N')!], ['C', g * I + ic], ...sp.map((c, i) => [c, pos[i]!] as [string, number])]);
        const wv = new Map<string, number>([['O', oc], ['I', ic], ...sp.map((c, i) => [c, k[i]!] as [string, number])]);
        s += at(x, [...o.dl].map((c) => xv.get(c)!)) * at(w, [...o.kl].map((c) => wv.get(c)!));
      }
    }
    return s;
  });
}

/** Transposed convolution as a scatter: every input element adds x * w into the outputs it reaches (NC*, IO*). */
function refConvTranspose(x: RefTensor, w: RefTensor, o: ConvOpts): RefTensor {
  const n = x.shape.length - 2;
  const [N, Cin] = x.shape as [number, number];
  const [, Opg] = w.shape as [number, number];
  const K = w.shape.slice(2);
  const ipg = Cin / o.groups;
  const outSp = x.shape.slice(2).map((h, i) => (h - 1) * o.strides[i]! - o.pad[i]! - o.pad[i + n]! + o.dil[i]! * (K[i]! - 1) + (o.outPad?.[i] ?? 0) + 1);
  const outShape = [N, Opg * o.groups, ...outSp];
  const acc = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  for (const xi of indices(x.shape)) {
    const [b, ic, ...hs] = xi as [number, number, ...number[]];
    const g = Math.floor(ic / ipg);
    for (let ocg = 0; ocg < Opg; ocg++) {
      for (const k of indices(K)) {
        const pos = hs.map((h, i) => h * o.strides[i]! - o.pad[i]! + k[i]! * o.dil[i]!);
        if (pos.some((p, i) => p < 0 || p >= outSp[i]!)) continue;
        let f = 0;
        [b, g * Opg + ocg, ...pos].forEach((v, i) => (f = f * outShape[i]! + v));
        acc[f] = acc[f]! + at(x, xi) * at(w, [ic, ocg, ...k]);
      }
    }
  }
  return ref(outShape, x.dtype, acc);
}

// ---------------------------------------------------------------- pooling references

/** PyTorch-style pooling over NC + spatial (layout NC...), output sizes by TVM's formula. */
function refPool(x: RefTensor, kind: 'max' | 'avg', o: { k: number[]; s: number[]; pad: number[]; dil: number[]; ceil: boolean; includePad: boolean }): RefTensor {
  const n = x.shape.length - 2;
  const sp = x.shape.slice(2);
  const outSp = sp.map((h, i) => Math.floor((h + o.pad[i]! + o.pad[i + n]! - o.dil[i]! * (o.k[i]! - 1) - 1 + (o.ceil ? o.s[i]! - 1 : 0)) / o.s[i]!) + 1);
  return build([x.shape[0]!, x.shape[1]!, ...outSp], x.dtype, (ix) => {
    const [b, c, ...os] = ix as [number, number, ...number[]];
    let best = -Infinity;
    let s = 0;
    let cnt = 0;
    for (const k of indices(o.k)) {
      const pos = os.map((v, i) => v * o.s[i]! - o.pad[i]! + k[i]! * o.dil[i]!);
      if (pos.some((p, i) => p < 0 || p >= sp[i]!)) continue;
      const v = at(x, [b, c, ...pos]);
      best = Math.max(best, v);
      s += v;
      cnt++;
    }
    if (kind === 'max') return best;
    if (!o.includePad) return s / Math.max(cnt, 1);
    let div = 1;
    os.forEach((v, i) => {
      const start = v * o.s[i]! - o.pad[i]!;
      const end = Math.min(start + o.k[i]!, sp[i]! + o.pad[i + n]!);
      div *= end - start;
    });
    return s / div;
  });
}

function refAdaptiveAvg(x: RefTensor, out: number[]): RefTensor {
  const sp = x.shape.slice(2);
  return build([x.shape[0]!, x.shape[1]!, ...out], x.dtype, (ix) => {
    const [b, c, ...os] = ix as [number, number, ...number[]];
    const lo = os.map((v, i) => Math.floor((v * sp[i]!) / out[i]!));
    const hi = os.map((v, i) => Math.ceil(((v + 1) * sp[i]!) / out[i]!));
    let s = 0;
    let cnt = 0;
    for (const k of indices(hi.map((h, i) => h - lo[i]!))) {
      s += at(x, [b, c, ...k.map((v, i) => v + lo[i]!)]);
      cnt++;
    }
    return s / cnt;
  });
}

// ---------------------------------------------------------------- softmax and normalization references

/** Applies `fn` to every 1-D lane of `x` along `axis`. */
function lanes(x: RefTensor, axis: number, fn: (lane: number[]) => number[]): RefTensor {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const out = new Array<number>(x.data.length).fill(0);
  const outer = x.shape.slice(0, a).reduce((p, q) => p * q, 1);
  const len = x.shape[a]!;
  const inner = x.shape.slice(a + 1).reduce((p, q) => p * q, 1);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const lane = Array.from({ length: len }, (_, k) => x.data[(o * len + k) * inner + i]!);
      fn(lane).forEach((v, k) => (out[(o * len + k) * inner + i] = v));
    }
  }
  return ref(x.shape, x.dtype, out);
}
const softmax = (l: number[]): number[] => {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** Normalizes over the trailing `k` dims: (x - mean) / sqrt(var + eps) * g + b. */
function refLayerNorm(x: RefTensor, g: RefTensor, b: RefTensor, k: number, eps: number): RefTensor {
  const inner = x.shape.slice(-k).reduce((p, q) => p * q, 1);
  const out: number[] = [];
  for (let o = 0; o < x.data.length / inner; o++) {
    const lane = x.data.slice(o * inner, (o + 1) * inner);
    const m = lane.reduce((a, v) => a + v, 0) / inner;
    const v = lane.reduce((a, q) => a + (q - m) * (q - m), 0) / inner;
    lane.forEach((q, i) => out.push(((q - m) / Math.sqrt(v + eps)) * g.data[i]! + b.data[i]!));
  }
  return ref(x.shape, x.dtype, out);
}

// ---------------------------------------------------------------- tests

describe('nn legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  describe('conv', () => {
    const base: ConvOpts = { dl: 'NCHW', kl: 'OIHW', strides: [1, 1], pad: [0, 0, 0, 0], dil: [1, 1], groups: 1 };
    it('conv2d NCHW: plain, symbolic batch', () =>
      expectOp({ call: 'R.nn.conv2d(x, w)', params: [f32('x', ['n', 3, 6, 5]), f32('w', [4, 3, 3, 2])], ref: ([x, w]) => refConv(x!, w!, base), kernel: 'conv2d', rtol: 1e-4 }));
    it('conv2d: strides, 4-value padding, dilation, symbolic height', () =>
      expectOp({
        call: 'R.nn.conv2d(x, w, strides=(2, 1), padding=(1, 2, 0, 1), dilation=(1, 2))', params: [f32('x', [2, 3, 'n', 7]), f32('w', [4, 3, 3, 2])],
        ref: ([x, w]) => refConv(x!, w!, { ...base, strides: [2, 1], pad: [1, 2, 0, 1], dil: [1, 2] }), rtol: 1e-4, sizes: [3, 4, 17],
      }));
    it('conv2d: groups (depthwise and grouped)', async () => {
      await expectOp({
        call: 'R.nn.conv2d(x, w, padding=1, groups=4)', params: [f32('x', ['n', 4, 5, 5]), f32('w', [8, 1, 3, 3])],
        ref: ([x, w]) => refConv(x!, w!, { ...base, pad: [1, 1, 1, 1], groups: 4 }), rtol: 1e-4,
      });
      await expectOp({
        call: 'R.nn.conv2d(x, w, groups=2)', params: [f32('x', ['n', 4, 4, 4]), f32('w', [6, 2, 2, 2])],
        ref: ([x, w]) => refConv(x!, w!, { ...base, groups: 2 }), rtol: 1e-4,
      });
    });
    it('conv2d NHWC / HWIO', () =>
      expectOp({
        call: 'R.nn.conv2d(x, w, padding=1, data_layout="NHWC", kernel_layout="HWIO")', params: [f32('x', ['n', 5, 6, 3]), f32('w', [3, 3, 3, 4])],
        ref: ([x, w]) => refConv(x!, w!, { ...base, dl: 'NHWC', kl: 'HWIO', pad: [1, 1, 1, 1] }), rtol: 1e-4,
      }));
    it('conv1d NCW with stride, padding and dilation', () =>
      expectOp({
        call: 'R.nn.conv1d(x, w, strides=2, padding=(2, 1), dilation=2)', params: [f32('x', [2, 3, 'n']), f32('w', [5, 3, 3])],
        ref: ([x, w]) => refConv(x!, w!, { dl: 'NCW', kl: 'OIW', strides: [2], pad: [2, 1], dil: [2], groups: 1 }), kernel: 'conv1d', rtol: 1e-4, sizes: [2, 3, 17],
      }));
    it('conv2d_transpose: strides, padding, output_padding, groups', async () => {
      await expectOp({
        call: 'R.nn.conv2d_transpose(x, w)', params: [f32('x', ['n', 3, 4, 5]), f32('w', [3, 2, 3, 3])],
        ref: ([x, w]) => refConvTranspose(x!, w!, { ...base, kl: 'IOHW' }), kernel: 'conv2d_transpose', rtol: 1e-4,
      });
      await expectOp({
        call: 'R.nn.conv2d_transpose(x, w, strides=(2, 3), padding=(1, 0, 2, 1), output_padding=(1, 2), dilation=(1, 2), groups=2)',
        params: [f32('x', [2, 4, 'n', 4]), f32('w', [4, 3, 3, 2])],
        ref: ([x, w]) => refConvTranspose(x!, w!, { ...base, kl: 'IOHW', strides: [2, 3], pad: [1, 0, 2, 1], dil: [1, 2], groups: 2, outPad: [1, 2] }), rtol: 1e-4,
      });
    });
  });

  describe('pools', () => {
    const p = { k: [2, 2], s: [2, 2], pad: [0, 0, 0, 0], dil: [1, 1], ceil: false, includePad: false };
    it('max_pool2d: plain, padding with dilation, ceil_mode', async () => {
      await expectOp({ call: 'R.nn.max_pool2d(x, pool_size=(2, 2), strides=(2, 2))', params: [f32('x', ['n', 2, 6, 6])], ref: ([x]) => refPool(x!, 'max', p), kernel: 'max_pool2d' });
      await expectOp({
        call: 'R.nn.max_pool2d(x, pool_size=(3, 2), strides=(1, 2), padding=(1, 1, 1, 0), dilation=(2, 1))', params: [f32('x', [1, 2, 'n', 6])],
        ref: ([x]) => refPool(x!, 'max', { ...p, k: [3, 2], s: [1, 2], pad: [1, 1, 1, 0], dil: [2, 1] }), sizes: [3, 5, 17],
      });
      await expectOp({
        call: 'R.nn.max_pool2d(x, pool_size=(3, 3), strides=(2, 2), ceil_mode=True)', params: [f32('x', [1, 2, 'n', 6])],
        ref: ([x]) => refPool(x!, 'max', { ...p, k: [3, 3], ceil: true }), sizes: [4, 6, 17],
      });
    });
    it('max_pool2d NHWC', () =>
      expectOp({
        call: 'R.nn.max_pool2d(x, pool_size=(2, 2), strides=(2, 2), layout="NHWC")', params: [f32('x', ['n', 4, 4, 3])],
        ref: ([x]) => {
          const nchw = build([x!.shape[0]!, 3, 4, 4], 'float32', ([b, c, h, w]) => at(x!, [b!, h!, w!, c!]));
          const r = refPool(nchw, 'max', p);
          return build([x!.shape[0]!, 2, 2, 3], 'float32', ([b, h, w, c]) => at(r, [b!, c!, h!, w!]));
        },
      }));
    it('avg_pool2d: count_include_pad both ways, ceil_mode', async () => {
      const call = (inc: boolean, ceil: boolean): string => `R.nn.avg_pool2d(x, pool_size=(3, 3), strides=(2, 2), padding=(1, 1, 1, 1), ceil_mode=${ceil ? 'True' : 'False'}, count_include_pad=${inc ? 'True' : 'False'})`;
      for (const inc of [false, true]) {
        for (const ceil of [false, true]) {
          await expectOp({ call: call(inc, ceil), params: [f32('x', [1, 2, 'n', 6])], ref: ([x]) => refPool(x!, 'avg', { ...p, k: [3, 3], pad: [1, 1, 1, 1], ceil, includePad: inc }), kernel: 'avg_pool2d', sizes: [4, 5, 17] });
        }
      }
    });
    it('adaptive_avg_pool2d: uneven windows, symbolic input, output_size None', async () => {
      await expectOp({ call: 'R.nn.adaptive_avg_pool2d(x, output_size=(3, 2))', params: [f32('x', [2, 2, 'n', 5])], ref: ([x]) => refAdaptiveAvg(x!, [3, 2]), kernel: 'adaptive_avg_pool2d', sizes: [3, 7, 17] });
      await expectOp({ call: 'R.nn.adaptive_avg_pool2d(x, output_size=(1, 1))', params: [f32('x', ['n', 3, 5, 4])], ref: ([x]) => refAdaptiveAvg(x!, [1, 1]) });
      await expectOp({ call: 'R.nn.adaptive_avg_pool2d(x)', params: [f32('x', [1, 2, 'n', 3])], ref: ([x]) => refAdaptiveAvg(x!, [x!.shape[2]!, 3]) });
    });
  });

  describe('activations', () => {
    const act = (op: string, fn: (v: number) => number, kernel: string) =>
      it(op, () => expectOp({ call: `R.nn.${op}(x)`, params: [f32('x', ['n', 5], [-4, 4])], ref: ([x]) => ({ ...x!, data: x!.data.map((v) => Math.fround(fn(v))) }), kernel }));
    act('relu', (v) => Math.max(v, 0), 'relu');
    it('relu6 (inputs on both sides of 0 and 6)', () =>
      expectOp({ call: 'R.nn.relu6(x)', params: [f32('x', ['n', 5], [-3, 9])], ref: ([x]) => ({ ...x!, data: x!.data.map((v) => Math.min(Math.max(v, 0), 6)) }), kernel: 'relu6' }));
    act('gelu', (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)), 'gelu');
    act('gelu_tanh', (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))), 'gelu_tanh');
    act('silu', (v) => v / (1 + Math.exp(-v)), 'silu');
    act('leakyrelu', (v) => (v > 0 ? v : 0.01 * v), 'leaky_relu');
    it('leakyrelu with alpha', () =>
      expectOp({ call: 'R.nn.leakyrelu(x, alpha=0.2)', params: [f32('x', ['n', 3])], ref: ([x]) => ({ ...x!, data: x!.data.map((v) => Math.fround(v > 0 ? v : 0.2 * v)) }) }));
  });

  describe('softmax', () => {
    it('softmax over the last and a middle axis', async () => {
      await expectOp({ call: 'R.nn.softmax(x)', params: [f32('x', [2, 'n', 7], [-5, 5])], ref: ([x]) => lanes(x!, -1, softmax), kernel: 'softmax' });
      await expectOp({ call: 'R.nn.softmax(x, axis=1)', params: [f32('x', [2, 'n', 3], [-5, 5])], ref: ([x]) => lanes(x!, 1, softmax) });
    });
    it('log_softmax', () =>
      expectOp({ call: 'R.nn.log_softmax(x, axis=0)', params: [f32('x', ['n', 4], [-5, 5])], ref: ([x]) => lanes(x!, 0, (l) => softmax(l).map(Math.log)), kernel: 'log_softmax' }));
  });

  describe('normalization', () => {
    it('layer_norm over the last axis and over two axes', async () => {
      await expectOp({
        call: 'R.nn.layer_norm(x, g, b, axes=[-1])', params: [f32('x', [2, 'n', 8]), f32('g', [8]), f32('b', [8])],
        ref: ([x, g, b]) => refLayerNorm(x!, g!, b!, 1, 1e-5), kernel: 'layer_norm', rtol: 1e-4,
      });
      await expectOp({
        call: 'R.nn.layer_norm(x, g, b, axes=[1, 2], epsilon=0.001)', params: [f32('x', ['n', 3, 4]), f32('g', [3, 4]), f32('b', [3, 4])],
        ref: ([x, g, b]) => refLayerNorm(x!, g!, b!, 2, 1e-3), rtol: 1e-4,
      });
    });
    it('rms_norm', () =>
      expectOp({
        call: 'R.nn.rms_norm(x, w, axes=[-1])', params: [f32('x', ['n', 2, 6]), f32('w', [6])], kernel: 'rms_norm', rtol: 1e-4,
        ref: ([x, w]) => {
          const out: number[] = [];
          for (let o = 0; o < x!.data.length / 6; o++) {
            const l = x!.data.slice(o * 6, o * 6 + 6);
            const r = Math.sqrt(l.reduce((a, v) => a + v * v, 0) / 6 + 1e-5);
            l.forEach((v, i) => out.push((v / r) * w!.data[i]!));
          }
          return ref(x!.shape, 'float32', out);
        },
      }));
    it('group_norm', () =>
      expectOp({
        call: 'R.nn.group_norm(x, g, b, num_groups=2, channel_axis=1, axes=[2, 3])', params: [f32('x', ['n', 6, 3, 2]), f32('g', [6]), f32('b', [6])],
        kernel: 'group_norm', rtol: 1e-4,
        ref: ([x, g, b]) => {
          const [N, C, H, W] = x!.shape as [number, number, number, number];
          const per = (C / 2) * H * W;
          const out = new Array<number>(x!.data.length);
          for (let bi = 0; bi < N; bi++) {
            for (let gi = 0; gi < 2; gi++) {
              const base = (bi * C + gi * (C / 2)) * H * W;
              const l = x!.data.slice(base, base + per);
              const m = l.reduce((a, v) => a + v, 0) / per;
              const v = l.reduce((a, q) => a + (q - m) ** 2, 0) / per;
              l.forEach((q, i) => {
                const c = gi * (C / 2) + Math.floor(i / (H * W));
                out[base + i] = ((q - m) / Math.sqrt(v + 1e-5)) * g!.data[c]! + b!.data[c]!;
              });
            }
          }
          return ref(x!.shape, 'float32', out);
        },
      }));
    it('batch_norm (inference) returns (out, moving_mean, moving_var)', () =>
      expectOp({ call: 'R.nn.batch_norm(x, g, b, m, v, axis=1, training=False)',
        params: [f32('x', ['n', 3, 2]), f32('g', [3]), f32('b', [3]), f32('m', [3]), f32('v', [3], [0.5, 2])],
        ref: ([x, g, b, m, v]) => [
          build(x!.shape, 'float32', ([i, c, j]) => ((at(x!, [i!, c!, j!]) - m!.data[c!]!) / Math.sqrt(v!.data[c!]! + 1e-5)) * g!.data[c!]! + b!.data[c!]!),
          m!, v!,
        ], kernel: 'batch_norm', seed: 99 }));
    it('batch_norm (training) normalizes with batch statistics and updates the moving ones', () =>
      expectOp({ call: 'R.nn.batch_norm(x, g, b, m, v, axis=1, training=True, momentum=0.25)',
        params: [f32('x', ['n', 3, 4]), f32('g', [3]), f32('b', [3]), f32('m', [3]), f32('v', [3], [0.5, 2])],
        ref: ([x, g, b, m, v]) => {
          const [N, C, L] = x!.shape as [number, number, number];
          const mean = Array.from({ length: C }, (_, c) => {
            let s = 0;
            for (let i = 0; i < N; i++) for (let j = 0; j < L; j++) s += at(x!, [i, c, j]);
            return s / (N * L);
          });
          const vr = Array.from({ length: C }, (_, c) => {
            let s = 0;
            for (let i = 0; i < N; i++) for (let j = 0; j < L; j++) s += (at(x!, [i, c, j]) - mean[c]!) ** 2;
            return s / (N * L);
          });
          return [
            build(x!.shape, 'float32', ([i, c, j]) => ((at(x!, [i!, c!, j!]) - mean[c!]!) / Math.sqrt(vr[c!]! + 1e-5)) * g!.data[c!]! + b!.data[c!]!),
            ref([C], 'float32', m!.data.map((q, c) => q * 0.75 + mean[c]! * 0.25)),
            ref([C], 'float32', v!.data.map((q, c) => q * 0.75 + vr[c]! * 0.25)),
          ];
        }, kernel: 'batch_norm', seed: 99 }));
  });

  it('dropout is the identity at inference, with a mask of ones', () =>
    expectOp({ call: 'R.nn.dropout(x, rate=0.3)', params: [f32('x', ['n', 4])], ref: ([x]) => [x!, ref(x!.shape, 'float32', x!.data.map(() => 1))], kernel: 'dropout', seed: 99 }));

  describe('pad', () => {
    const refPad = (x: RefTensor, pw: number[], mode: string, value = 0): RefTensor => {
      const shape = x.shape.map((d, i) => d + pw[2 * i]! + pw[2 * i + 1]!);
      return build(shape, x.dtype, (ix) => {
        const src = ix.map((v, i) => v - pw[2 * i]!);
        if (mode === 'constant') return src.some((s, i) => s < 0 || s >= x.shape[i]!) ? value : at(x, src);
        return at(x, src.map((s, i) => {
          const d = x.shape[i]!;
          if (mode === 'edge') return Math.min(Math.max(s, 0), d - 1);
          let r = s < 0 ? -s : s;
          if (r > d - 1) r = 2 * (d - 1) - r;
          return r;
        }));
      });
    };
    it('constant, reflect and edge', async () => {
      await expectOp({ call: 'R.nn.pad(x, pad_width=[0, 1, 2, 0], pad_value=1.5)', params: [f32('x', ['n', 3])], ref: ([x]) => refPad(x!, [0, 1, 2, 0], 'constant', 1.5), kernel: 'pad' });
      await expectOp({ call: 'R.nn.pad(x, pad_width=[1, 2, 2, 1], pad_mode="reflect")', params: [f32('x', ['n', 4])], ref: ([x]) => refPad(x!, [1, 2, 2, 1], 'reflect'), sizes: [3, 5, 17] });
      await expectOp({ call: 'R.nn.pad(x, pad_width=[1, 2, 2, 1], pad_mode="edge")', params: [f32('x', ['n', 4])], ref: ([x]) => refPad(x!, [1, 2, 2, 1], 'edge') });
    });
  });

  describe('attention', () => {
    /** softmax(Q K^T * scale + bias, masked) V over BSNH. */
    const refAttention = (q: RefTensor, k: RefTensor, v: RefTensor, opts: { scale?: number; bias?: RefTensor; causal?: string }): RefTensor => {
      const [B, S, N, H] = q.shape as [number, number, number, number];
      const T = k.shape[1]!;
      const Hv = v.shape[3]!;
      const scale = opts.scale ?? 1 / Math.sqrt(H);
      const offset = opts.causal === 'BottomRight' ? Math.abs(S - T) : 0;
      const out = new Array<number>(B * S * N * Hv).fill(0);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < N; h++) {
          for (let s = 0; s < S; s++) {
            const logits: number[] = [];
            for (let t = 0; t < T; t++) {
              let d = 0;
              for (let e = 0; e < H; e++) d += at(q, [b, s, h, e]) * at(k, [b, t, h, e]);
              let p = d * scale;
              if (opts.bias) p += at(opts.bias, opts.bias.shape.map((dim, i) => (dim === 1 ? 0 : [b, h, s, t][i]!)));
              logits.push(opts.causal && t > s + offset ? -Infinity : p);
            }
            const w = softmax(logits);
            for (let j = 0; j < Hv; j++) {
              let acc = 0;
              for (let t = 0; t < T; t++) acc += w[t]! * at(v, [b, t, h, j]);
              out[((b * S + s) * N + h) * Hv + j] = acc;
            }
          }
        }
      }
      return ref([B, S, N, Hv], q.dtype, out);
    };
    it('plain attention with a symbolic sequence length', () =>
      expectOp({
        call: 'R.nn.attention(q, k, v)', params: [f32('q', [2, 'n', 2, 4]), f32('k', [2, 5, 2, 4]), f32('v', [2, 5, 2, 3])],
        ref: ([q, k, v]) => refAttention(q!, k!, v!, {}), kernel: 'attention', rtol: 1e-4,
      }));
    it('scale, 4-D bias and causal masks', async () => {
      await expectOp({
        call: 'R.nn.attention(q, k, v, bias, scale=0.3)', params: [f32('q', [1, 'n', 2, 4]), f32('k', [1, 'n', 2, 4]), f32('v', [1, 'n', 2, 4]), f32('bias', [1, 2, 'n', 'n'])],
        ref: ([q, k, v, bias]) => refAttention(q!, k!, v!, { scale: 0.3, bias: bias! }), rtol: 1e-4,
      });
      await expectOp({
        call: 'R.nn.attention(q, k, v, causal_mask="TopLeft")', params: [f32('q', [2, 'n', 1, 4]), f32('k', [2, 'n', 1, 4]), f32('v', [2, 'n', 1, 4])],
        ref: ([q, k, v]) => refAttention(q!, k!, v!, { causal: 'TopLeft' }), rtol: 1e-4,
      });
      await expectOp({
        call: 'R.nn.attention(q, k, v, causal_mask="BottomRight")', params: [f32('q', [1, 3, 2, 4]), f32('k', [1, 'n', 2, 4]), f32('v', [1, 'n', 2, 4])],
        ref: ([q, k, v]) => refAttention(q!, k!, v!, { causal: 'BottomRight' }), rtol: 1e-4, sizes: [3, 5, 17],
      });
    });
  });
});
