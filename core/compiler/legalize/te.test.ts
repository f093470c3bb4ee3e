import { describe, expect, it } from 'vitest';
import { compute, load, max, placeholder, primFunc, reduceAxis, sum } from './te.js';
import { binary, intImm, tvar } from '../../ir/tir/nodes.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';

function rand(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

describe('te', () => {
  it('lowers a symbolic matmul that runs for several n with one compilation', () => {
    const n = tvar('n');
    const A = placeholder([n, intImm(3)], 'float32', 'A');
    const B = placeholder([intImm(3), intImm(4)], 'float32', 'B');
    const k = reduceAxis(intImm(3));
    const C = compute([n, intImm(4)], (i, j) => sum(binary('mul', load(A, [i, k.v]), load(B, [k.v, j])), [k]), 'matmul');
    const f = primFunc([A, B, C]);
    const backend = new JsKernelBackend();
    for (const rows of [1, 3, 17]) {
      const a = rand(rows * 3, rows);
      const b = rand(12, 7);
      const out = new Tensor([rows, 4], 'float32');
      backend.compile('matmul', f).run([Tensor.from([rows, 3], 'float32', a), Tensor.from([3, 4], 'float32', b), out]);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < 4; j++) {
          let acc = 0;
          for (let kk = 0; kk < 3; kk++) acc += Math.fround(a[i * 3 + kk]!) * Math.fround(b[kk * 4 + j]!);
          expect(out.data[i * 4 + j]).toBeCloseTo(acc, 5);
        }
    }
    expect(backend.compileCount).toBe(1);
  });

  it('keeps intermediate stages as allocated buffers', () => {
    const n = tvar('n');
    const X = placeholder([n], 'float32', 'X');
    const k = reduceAxis(n);
    const M = compute([], () => max(load(X, [k.v]), [k]), 'maxelem');
    const Y = compute([n], (i) => binary('sub', load(X, [i]), load(M, [])), 'Y');
    const f = primFunc([X, Y]);
    expect(f.body.kind).toBe('tir.BlockRealize');
    if (f.body.kind === 'tir.BlockRealize') expect(f.body.block.allocBuffers.map((b) => b.name)).toEqual(['maxelem']);
    const y = new Tensor([4], 'float32');
    new JsKernelBackend().compile('sub_max', f).run([Tensor.from([4], 'float32', [1, 5, 2, -1]), y]);
    expect(Array.from(y.data)).toEqual([-4, 0, -3, -6]);
  });
});
