/** cumsum/cumprod and sort/argsort/topk kernels, compared with straight-loop references (NumPy semantics). */
import { describe, expect, it } from 'vitest';
import type { OpCase, RefTensor } from './op-testing.js';
import { expectOp, ref } from './op-testing.js';
import { buildText } from '../build.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import type { Value } from '../../vm/value.js';
import { VirtualMachine } from '../../vm/vm.js';

async function runMain(text: string, args: readonly Value[]): Promise<Value> {
  return new VirtualMachine(buildText(text).exec, { backend: new JsKernelBackend() }).invoke('main', args);
}

/** Positions along `axis` of a row-major shape: calls fn(base, stride, n) once per line. */
function lines(shape: readonly number[], axis: number, fn: (base: number, stride: number, n: number) => void): void {
  const n = shape[axis]!;
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  for (let o = 0; o < outer; o++) for (let s = 0; s < stride; s++) fn(o * n * stride + s, stride, n);
}

function refScan(x: RefTensor, axis: number | null, op: 'sum' | 'prod', exclusive: boolean, dtype = x.dtype): RefTensor {
  const shape = axis === null ? [x.data.length] : x.shape;
  const out = new Array<number>(x.data.length).fill(0);
  lines(shape, axis ?? 0, (base, stride, n) => {
    let acc = op === 'sum' ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const v = ref([1], dtype, [x.data[base + i * stride]!]).data[0]!;
      if (exclusive) out[base + i * stride] = acc;
      acc = op === 'sum' ? acc + v : acc * v;
      if (!exclusive) out[base + i * stride] = acc;
    }
  });
  return ref(shape, dtype, out);
}

/** Stable sort along an axis: values or indices, ascending or descending, the first `k` of each line. */
function refSort(x: RefTensor, axis: number, descending: boolean, what: 'values' | 'indices', k?: number, dtype = x.dtype): RefTensor {
  const shape = [...x.shape];
  const kk = k ?? shape[axis]!;
  shape[axis] = kk;
  const out = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  const outStride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  lines(x.shape, axis, (base, stride, n) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    const at = (i: number): number => x.data[base + i * stride]!;
    idx.sort((a, b) => (descending ? at(b) - at(a) : at(a) - at(b)) || a - b);
    const s = base % stride;
    const o = Math.floor(base / (n * stride));
    for (let j = 0; j < kk; j++) out[o * kk * outStride + j * outStride + s] = what === 'values' ? at(idx[j]!) : idx[j]!;
  });
  return ref(shape, what === 'values' ? x.dtype : dtype, out);
}

describe('cumsum / cumprod', () => {
  it('scan an axis, inclusive and exclusive, symbolic sizes', async () => {
    await expectOp({ call: 'R.cumsum(x, axis=1)', params: [{ name: 'x', shape: ['n', 5], dtype: 'float32' }], ref: ([x]) => refScan(x!, 1, 'sum', false), kernel: 'cumsum' });
    await expectOp({ call: 'R.cumsum(x, axis=0, exclusive=True)', params: [{ name: 'x', shape: ['n', 3], dtype: 'int32' }], ref: ([x]) => refScan(x!, 0, 'sum', true) });
    await expectOp({ call: 'R.cumprod(x, axis=-1)', params: [{ name: 'x', shape: [2, 'n'], dtype: 'float32', gen: [0.5, 1.5] }], ref: ([x]) => refScan(x!, 1, 'prod', false), kernel: 'cumprod', rtol: 1e-4 });
  });

  it('flattens when axis is None and accumulates in the dtype attribute', async () => {
    await expectOp({ call: 'R.cumsum(x)', params: [{ name: 'x', shape: ['n', 2, 3], dtype: 'float32' }], ref: ([x]) => refScan(x!, null, 'sum', false), rtol: 1e-4 });
    await expectOp({ call: 'R.cumsum(x, axis=1, dtype="int64")', params: [{ name: 'x', shape: [2, 'n'], dtype: 'int8', gen: [-100, 100] }], ref: ([x]) => refScan(x!, 1, 'sum', false, 'int64') });
  });
});

describe('sort / argsort / topk', () => {
  const ties: OpCase['params'][number]['gen'] = (r) => Math.floor(r() * 4);
  it('sort and argsort are stable, ascending and descending, along any axis', async () => {
    await expectOp({ call: 'R.sort(x, axis=-1)', params: [{ name: 'x', shape: [3, 'n'], dtype: 'float32' }], ref: ([x]) => refSort(x!, 1, false, 'values'), kernel: 'sort' });
    await expectOp({ call: 'R.sort(x, axis=0, descending=True)', params: [{ name: 'x', shape: ['n', 2], dtype: 'int32', gen: ties }], ref: ([x]) => refSort(x!, 0, true, 'values') });
    await expectOp({ call: 'R.argsort(x, axis=1)', params: [{ name: 'x', shape: [2, 'n'], dtype: 'float32', gen: ties }], ref: ([x]) => refSort(x!, 1, false, 'indices', undefined, 'int32'), kernel: 'argsort' });
    await expectOp({ call: 'R.argsort(x, axis=0, descending=True, dtype="int64")', params: [{ name: 'x', shape: ['n', 3], dtype: 'int32', gen: ties }], ref: ([x]) => refSort(x!, 0, true, 'indices', undefined, 'int64') });
  });

  it('topk returns the k largest (or smallest) values and their indices', async () => {
    const text = (args: string): string => `@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 6), dtype="float32")):
        with R.dataflow():
            gv = R.topk(x, ${args})
            R.output(gv)
        return gv
`;
    const x = Tensor.from([2, 6], 'float32', [5, 1, 9, 9, 0, 3, -1, -4, 2, 8, 2, 7]);
    const both = (await runMain(text('k=3, axis=-1'), [x])) as Tensor[];
    expect(Array.from(both[0]!.data)).toEqual([9, 9, 5, 8, 7, 2]);
    expect(Array.from(both[1]!.data)).toEqual([2, 3, 0, 3, 5, 2]);
    const smallest = (await runMain(text('k=2, axis=1, ret_type="indices", largest=False, dtype="int64"'), [x])) as Tensor;
    expect([smallest.dtype, ...smallest.shape, ...Array.from(smallest.data)]).toEqual(['int64', 2, 2, 4, 1, 1, 0]);
  });
});
