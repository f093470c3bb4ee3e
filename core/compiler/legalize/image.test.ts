import { describe, expect, it } from 'vitest';
import type { ParamSpec, RefTensor } from './op-testing.js';
import { at, build, expectOp, ref, roundEven } from './op-testing.js';

/** Source coordinate of output position o (TOPI/ONNX coordinate transformation modes). */
function source(o: number, size: number, target: number, mode: string): number {
  const scale = size / target;
  switch (mode) {
    case 'align_corners':
      return target > 1 ? (o * (size - 1)) / (target - 1) : 0;
    case 'asymmetric':
      return o * scale;
    case 'pytorch_half_pixel':
      return target > 1 ? (o + 0.5) * scale - 0.5 : 0;
    case 'tf_half_pixel_for_nn':
      return (o + 0.5) * scale;
    default:
      return (o + 0.5) * scale - 0.5;
  }
}

function nearest(c: number, rounding: string): number {
  switch (rounding) {
    case 'floor':
      return Math.floor(c + 1e-5);
    case 'ceil':
      return Math.ceil(c - 1e-5);
    case 'round_prefer_floor':
      return Math.ceil(c - 0.5);
    case 'round_prefer_ceil':
      return Math.floor(c + 0.5);
    default:
      return roundEven(c);
  }
}

/** resize2d over NCHW (or NHWC when `nhwc`), clamping source pixels to the image. */
function refResize(x: RefTensor, oh: number, ow: number, o: { method: string; mode: string; rounding: string; nhwc?: boolean }): RefTensor {
  const [N, A, B, C] = x.shape as [number, number, number, number];
  const [ch, H, W] = o.nhwc ? [C, A, B] : [A, B, C];
  const px = (n: number, c: number, y: number, xx: number): number => {
    const yy = Math.min(Math.max(y, 0), H - 1);
    const xc = Math.min(Math.max(xx, 0), W - 1);
    return o.nhwc ? at(x, [n, yy, xc, c]) : at(x, [n, c, yy, xc]);
  };
  const shape = o.nhwc ? [N, oh, ow, ch] : [N, ch, oh, ow];
  return build(shape, x.dtype, (ix) => {
    const [n, c, y, xx] = o.nhwc ? [ix[0]!, ix[3]!, ix[1]!, ix[2]!] : (ix as [number, number, number, number]);
    const cy = source(y, H, oh, o.mode);
    const cx = source(xx, W, ow, o.mode);
    if (o.method === 'nearest_neighbor') return px(n, c, nearest(cy, o.rounding), nearest(cx, o.rounding));
    const [y0, x0] = [Math.floor(cy), Math.floor(cx)];
    const [ly, lx] = [cy - y0, cx - x0];
    const top = px(n, c, y0, x0) * (1 - lx) + px(n, c, y0, x0 + 1) * lx;
    const bottom = px(n, c, y0 + 1, x0) * (1 - lx) + px(n, c, y0 + 1, x0 + 1) * lx;
    return top * (1 - ly) + bottom * ly;
  });
}

const x = (shape: (number | string)[]): ParamSpec[] => [{ name: 'x', shape, dtype: 'float32' }];

describe('image legalization: resize2d (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  it('linear, half_pixel (the defaults), symbolic input height, up and down', async () => {
    await expectOp({ call: 'R.image.resize2d(x, R.shape([8, 3]))', params: x([1, 2, 'n', 5]), ref: ([t]) => refResize(t!, 8, 3, { method: 'linear', mode: 'half_pixel', rounding: 'round' }), kernel: 'resize2d' });
  });
  it('linear matches PyTorch bilinear (align_corners=False) on a known input', async () => {
    const known = ref([1, 1, 2, 2], 'float32', [0, 1, 2, 3]);
    const got = refResize(known, 4, 4, { method: 'linear', mode: 'half_pixel', rounding: 'round' });
    expect(got.data.slice(0, 4)).toEqual([0, 0.25, 0.75, 1]);
    let k = 0;
    const params: ParamSpec[] = [{ name: 'x', shape: [1, 1, 2, 2], dtype: 'float32', gen: () => k++ % 4 }];
    await expectOp({ call: 'R.image.resize2d(x, R.shape([4, 4]))', params, ref: () => got, sizes: [1] });
  });
  it('linear, align_corners and asymmetric, NHWC', async () => {
    await expectOp({
      call: 'R.image.resize2d(x, R.shape([5, 7]), coordinate_transformation_mode="align_corners")', params: x(['n', 2, 3, 4]),
      ref: ([t]) => refResize(t!, 5, 7, { method: 'linear', mode: 'align_corners', rounding: 'round' }),
    });
    await expectOp({
      call: 'R.image.resize2d(x, R.shape([6, 4]), layout="NHWC", coordinate_transformation_mode="asymmetric")', params: x([1, 'n', 3, 2]),
      ref: ([t]) => refResize(t!, 6, 4, { method: 'linear', mode: 'asymmetric', rounding: 'round', nhwc: true }),
    });
  });
  it('nearest_neighbor with each rounding method', async () => {
    for (const [mode, rounding] of [['asymmetric', 'floor'], ['half_pixel', 'round'], ['align_corners', 'round_prefer_ceil'], ['pytorch_half_pixel', 'round_prefer_floor'], ['tf_half_pixel_for_nn', 'ceil']] as const) {
      await expectOp({
        call: `R.image.resize2d(x, R.shape([7, 4]), method="nearest_neighbor", coordinate_transformation_mode="${mode}", rounding_method="${rounding}")`,
        params: x([1, 2, 'n', 3]), ref: ([t]) => refResize(t!, 7, 4, { method: 'nearest_neighbor', mode, rounding }),
      });
    }
  });
  it('nearest 2x upsampling (asymmetric, floor) repeats pixels', async () => {
    const up = (t: RefTensor): RefTensor => build([1, 1, t.shape[2]! * 2, 6], 'float32', ([, , y, xx]) => at(t, [0, 0, Math.floor(y! / 2), Math.floor(xx! / 2)]));
    await expectOp({
      call: 'R.image.resize2d(x, R.shape([n * 2, 6]), method="nearest_neighbor", coordinate_transformation_mode="asymmetric", rounding_method="floor")',
      params: x([1, 1, 'n', 3]), ref: ([t]) => up(t!),
    });
  });
});
