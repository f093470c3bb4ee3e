/**
 * What each example model computes, in plain TypeScript over test/reference/ops.ts: inputs by parameter name,
 * outputs flattened in order (as `relax-studio run --save-outputs` writes them).
 */
import type { Arr } from './ops.js';
import * as op from './ops.js';

type Inputs = Readonly<Record<string, Arr>>;

export function mlp(i: Inputs): Arr[] {
  const h = op.relu(op.add(op.matmul(i['x']!, i['w1']!), i['b1']!));
  return [op.softmax(op.add(op.matmul(h, i['w2']!), i['b2']!))];
}

export function cnn(i: Inputs): Arr[] {
  const c1 = op.relu(op.add(op.conv2d(i['x']!, i['w1']!, 1, [1, 1, 1, 1]), i['b1']!));
  const p1 = op.maxPool2d(c1, 2, 2);
  const c2 = op.relu(op.conv2d(p1, i['w2']!, 1, [0, 0, 0, 0]));
  const g = op.reshape(op.globalAvgPool2d(c2), [1, 16]);
  return [op.add(op.matmul(g, i['wf']!), i['bf']!)];
}

export function transformer(i: Inputs): Arr[] {
  const x = i['x']!;
  const h = op.layerNorm(x, i['ln1_g']!, i['ln1_b']!, 1e-5);
  const heads = (t: Arr, axes: number[]): Arr => op.permute(op.reshape(t, [1, 8, 2, 8]), axes);
  const q = heads(op.matmul(h, i['wq']!), [0, 2, 1, 3]);
  const kt = heads(op.matmul(h, i['wk']!), [0, 2, 3, 1]);
  const v = heads(op.matmul(h, i['wv']!), [0, 2, 1, 3]);
  const scores = op.multiply(op.matmul(q, kt), op.arr([], [1 / Math.sqrt(8)]));
  const ctx = op.matmul(op.softmax(scores), v);
  const merged = op.reshape(op.permute(ctx, [0, 2, 1, 3]), [1, 8, 16]);
  const r1 = op.add(x, op.matmul(merged, i['wo']!));
  const h2 = op.layerNorm(r1, i['ln2_g']!, i['ln2_b']!, 1e-5);
  const m = op.add(op.matmul(op.gelu(op.add(op.matmul(h2, i['w1']!), i['b1']!)), i['w2']!), i['b2']!);
  return [op.add(r1, m)];
}

/** call_tir.tvmscript: relu(center_rows(x @ w)), center_rows subtracting each row's mean. */
export function callTir(i: Inputs): Arr[] {
  const y = op.matmul(i['x']!, i['w']!);
  const [n, c] = y.shape as [number, number];
  const out = op.arr(y.shape);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += y.data[r * c + j]!;
    for (let j = 0; j < c; j++) out.data[r * c + j] = y.data[r * c + j]! - s / c;
  }
  return [op.relu(out)];
}

/** control.tvmscript: flag ? relu(x + y) : -(x * y), and its row sums. */
export function control(i: Inputs): Arr[] {
  const r = i['flag']!.data[0] ? op.relu(op.add(i['x']!, i['y']!)) : op.negative(op.multiply(i['x']!, i['y']!));
  return [r, op.sumLast(r)];
}

/** The RFC seed: exp(flatten(x @ w)), then the packed custom_inplace_update (test/fixtures/packed.mjs) in place. */
export function seed(i: Inputs): Arr[] {
  const y = op.exp(op.matmul(i['x']!, i['w']!));
  const flat = op.reshape(y, [y.data.length]);
  return [op.arr(flat.shape, Array.from(flat.data, (v, k) => v * 2 + k))];
}
