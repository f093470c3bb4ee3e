/**
 * Plain TypeScript reference implementations of the ops the example models use, written from the ops' definitions
 * (straightforward loops over row-major arrays), independent of the compiler and its TIR. Each op computes in
 * double precision and rounds its result to float32, as a float32 kernel would at its output.
 */

/** A row-major float32 array with a shape. */
export interface Arr {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function arr(shape: readonly number[], data?: ArrayLike<number>): Arr {
  const out = new Float32Array(size(shape));
  if (data) for (let i = 0; i < out.length; i++) out[i] = data[i]!;
  return { shape: [...shape], data: out };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

/** Element-wise binary op with NumPy broadcasting. */
export function broadcast(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const nd = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array<number>(nd - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array<number>(nd - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]!));
  const sa = strides(pa);
  const sb = strides(pb);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    let ia = 0;
    let ib = 0;
    idx.forEach((v, d) => {
      ia += (pa[d] === 1 ? 0 : v) * sa[d]!;
      ib += (pb[d] === 1 ? 0 : v) * sb[d]!;
    });
    out.data[i] = f(a.data[ia]!, b.data[ib]!);
  }
  return out;
}

export const add = (a: Arr, b: Arr): Arr => broadcast(a, b, (x, y) => x + y);
export const multiply = (a: Arr, b: Arr): Arr => broadcast(a, b, (x, y) => x * y);

export function map(a: Arr, f: (x: number) => number): Arr {
  return arr(a.shape, Array.from(a.data, f));
}

export const relu = (a: Arr): Arr => map(a, (x) => (x > 0 ? x : 0));
export const negative = (a: Arr): Arr => map(a, (x) => -x);
export const exp = (a: Arr): Arr => map(a, Math.exp);

/** erf by its Maclaurin series (|x| < 4; ±1 beyond, where 1 - |erf| < 2e-8). */
export function erf(x: number): number {
  if (Math.abs(x) >= 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** gelu(x) = x * Φ(x) = 0.5 x (1 + erf(x / √2)). */
export const gelu = (a: Arr): Arr => map(a, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));

/** Batched matmul over the last two dims; a 1-D operand is a vector; leading dims broadcast. */
export function matmul(a: Arr, b: Arr): Arr {
  const a2 = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a;
  const b2 = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b;
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b2.shape.slice(-2) as [number, number];
  if (k !== k2) throw new Error(`matmul: inner dims ${k} and ${k2} differ`);
  const ba = a2.shape.slice(0, -2);
  const bb = b2.shape.slice(0, -2);
  const nd = Math.max(ba.length, bb.length);
  const pa = [...new Array<number>(nd - ba.length).fill(1), ...ba];
  const pb = [...new Array<number>(nd - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const out = arr([...batch, m, n]);
  const sa = strides(pa);
  const sb = strides(pb);
  for (let bi = 0; bi < size(batch); bi++) {
    const idx = unravel(bi, batch);
    let oa = 0;
    let ob = 0;
    idx.forEach((v, d) => {
      oa += (pa[d] === 1 ? 0 : v) * sa[d]!;
      ob += (pb[d] === 1 ? 0 : v) * sb[d]!;
    });
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a2.data[oa * m * k + i * k + p]! * b2.data[ob * k * n + p * n + j]!;
        out.data[bi * m * n + i * n + j] = s;
      }
  }
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { shape, data: out.data };
}

/** Softmax over the last axis (max-subtracted). */
export function softmax(a: Arr): Arr {
  const n = a.shape[a.shape.length - 1]!;
  const out = arr(a.shape);
  for (let r = 0; r < a.data.length / n; r++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, a.data[r * n + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(a.data[r * n + j]! - mx);
    for (let j = 0; j < n; j++) out.data[r * n + j] = Math.exp(a.data[r * n + j]! - mx) / s;
  }
  return out;
}

/** Layer norm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta (biased variance). */
export function layerNorm(a: Arr, gamma: Arr, beta: Arr, eps: number): Arr {
  const n = a.shape[a.shape.length - 1]!;
  const out = arr(a.shape);
  for (let r = 0; r < a.data.length / n; r++) {
    let mean = 0;
    for (let j = 0; j < n; j++) mean += a.data[r * n + j]!;
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (a.data[r * n + j]! - mean) ** 2;
    v /= n;
    for (let j = 0; j < n; j++) out.data[r * n + j] = ((a.data[r * n + j]! - mean) / Math.sqrt(v + eps)) * gamma.data[j]! + beta.data[j]!;
  }
  return out;
}

/** NCHW / OIHW 2-D convolution, groups 1, zero padding [top, left, bottom, right]. */
export function conv2d(x: Arr, w: Arr, stride: number, pad: readonly [number, number, number, number]): Arr {
  const [nb, c, h, wd] = x.shape as [number, number, number, number];
  const [o, ci, kh, kw] = w.shape as [number, number, number, number];
  if (ci !== c) throw new Error('conv2d: channel mismatch');
  const oh = Math.floor((h + pad[0] + pad[2] - kh) / stride) + 1;
  const ow = Math.floor((wd + pad[1] + pad[3] - kw) / stride) + 1;
  const out = arr([nb, o, oh, ow]);
  for (let b = 0; b < nb; b++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let ic = 0; ic < c; ic++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const y = i * stride + p - pad[0];
                const z = j * stride + q - pad[1];
                if (y < 0 || y >= h || z < 0 || z >= wd) continue;
                s += x.data[((b * c + ic) * h + y) * wd + z]! * w.data[((oc * c + ic) * kh + p) * kw + q]!;
              }
          out.data[((b * o + oc) * oh + i) * ow + j] = s;
        }
  return out;
}

/** NCHW max pooling, no padding. */
export function maxPool2d(x: Arr, k: number, stride: number): Arr {
  const [nb, c, h, w] = x.shape as [number, number, number, number];
  const oh = Math.floor((h - k) / stride) + 1;
  const ow = Math.floor((w - k) / stride) + 1;
  const out = arr([nb, c, oh, ow]);
  for (let b = 0; b < nb * c; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let m = -Infinity;
        for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) m = Math.max(m, x.data[(b * h + i * stride + p) * w + j * stride + q]!);
        out.data[(b * oh + i) * ow + j] = m;
      }
  return out;
}

/** NCHW global average pooling to 1x1. */
export function globalAvgPool2d(x: Arr): Arr {
  const [nb, c, h, w] = x.shape as [number, number, number, number];
  const out = arr([nb, c, 1, 1]);
  for (let b = 0; b < nb * c; b++) {
    let s = 0;
    for (let i = 0; i < h * w; i++) s += x.data[b * h * w + i]!;
    out.data[b] = s / (h * w);
  }
  return out;
}

export function reshape(a: Arr, shape: readonly number[]): Arr {
  if (size(shape) !== a.data.length) throw new Error('reshape: size mismatch');
  return { shape: [...shape], data: a.data };
}

/** Transposes by `axes` (out dim i is in dim axes[i]). */
export function permute(a: Arr, axes: readonly number[]): Arr {
  const shape = axes.map((ax) => a.shape[ax]!);
  const sa = strides(a.shape);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    let src = 0;
    idx.forEach((v, d) => (src += v * sa[axes[d]!]!));
    out.data[i] = a.data[src]!;
  }
  return out;
}

/** Sum over the last axis (keepdims false). */
export function sumLast(a: Arr): Arr {
  const n = a.shape[a.shape.length - 1]!;
  const out = arr(a.shape.slice(0, -1));
  for (let r = 0; r < out.data.length; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a.data[r * n + j]!;
    out.data[r] = s;
  }
  return out;
}
