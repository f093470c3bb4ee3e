/** R.quantize / R.dequantize kernels (per-tensor and per-channel), compared with straight-loop references. */
import { describe, it } from 'vitest';
import type { RefTensor } from './op-testing.js';
import { expectOp, ref, roundEven } from './op-testing.js';

const RANGE: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255], int32: [-(2 ** 31), 2 ** 31 - 1] };

/** The scale/zero point of element `f` (row-major in `shape`): the scalar, or the entry at its `axis` coordinate. */
function paramAt(p: RefTensor, shape: readonly number[], axis: number, f: number): number {
  if (p.data.length === 1) return p.data[0]!;
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return p.data[Math.floor(f / stride) % shape[axis]!]!;
}

function refQuantize(x: RefTensor, s: RefTensor, z: RefTensor, axis: number, dtype: string): RefTensor {
  const [lo, hi] = RANGE[dtype]!;
  return ref(x.shape, dtype, x.data.map((v, f) => {
    const q = roundEven(Math.fround(v / paramAt(s, x.shape, axis, f))) + paramAt(z, x.shape, axis, f);
    return Math.min(Math.max(q, lo), hi);
  }));
}

function refDequantize(x: RefTensor, s: RefTensor, z: RefTensor, axis: number): RefTensor {
  return ref(x.shape, 'float32', x.data.map((v, f) => (v - paramAt(z, x.shape, axis, f)) * paramAt(s, x.shape, axis, f)));
}

describe('quantize / dequantize', () => {
  it('quantizes per tensor and per channel, rounding half to even and saturating', async () => {
    await expectOp({
      call: 'R.quantize(x, s, z, axis=-1, out_dtype="int8")',
      params: [{ name: 'x', shape: ['n', 4], dtype: 'float32', gen: [-80, 80] }, { name: 's', shape: [], dtype: 'float32', gen: [0.25, 0.5] }, { name: 'z', shape: [], dtype: 'int8', gen: [-3, 3] }],
      ref: ([x, s, z]) => refQuantize(x!, s!, z!, 1, 'int8'), kernel: 'quantize',
    });
    await expectOp({
      call: 'R.quantize(x, s, z, axis=1, out_dtype="uint8")',
      params: [{ name: 'x', shape: ['n', 3], dtype: 'float32', gen: [-4, 40] }, { name: 's', shape: [3], dtype: 'float32', gen: [0.1, 1] }, { name: 'z', shape: [3], dtype: 'uint8', gen: [0, 10] }],
      ref: ([x, s, z]) => refQuantize(x!, s!, z!, 1, 'uint8'),
    });
  });

  it('dequantizes int8 per channel along axis 0', async () => {
    await expectOp({
      call: 'R.dequantize(x, s, z, axis=0, out_dtype="float32")',
      params: [{ name: 'x', shape: [3, 'n'], dtype: 'int8', gen: [-128, 128] }, { name: 's', shape: [3], dtype: 'float32', gen: [0.01, 0.5] }, { name: 'z', shape: [3], dtype: 'int8', gen: [-5, 5] }],
      ref: ([x, s, z]) => refDequantize(x!, s!, z!, 0), kernel: 'dequantize',
    });
  });
});
