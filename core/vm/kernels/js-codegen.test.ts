import { describe, expect, it } from 'vitest';
import { parse } from '../../ir/parser/index.js';
import type { PrimFunc } from '../../ir/tir/nodes.js';
import { JsKernelBackend, primFuncToJs } from './js-codegen.js';
import { Tensor } from '../tensor.js';

function prim(src: string, name: string): PrimFunc {
  const r = parse(src);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.module!.functions.get(name) as PrimFunc;
}

const PAIRS = `
@T.prim_func
def k(a: T.handle, b: T.handle):
    n = T.int64()
    A = T.match_buffer(a, (n * 2,))
    B = T.match_buffer(b, (n,))
    for i in range(n):
        with T.sblock("b"):
            vi = T.axis.spatial(n, i)
            B[vi] = A[vi * 2] + A[vi * 2 + 1]
`;

describe('JS kernel codegen', () => {
  it('binds a var from a later buffer before checking an earlier derived dim', () => {
    const f = prim(PAIRS, 'k');
    const out = new Tensor([3], 'float32');
    new JsKernelBackend().compile('k', f).run([Tensor.from([6], 'float32', [1, 2, 3, 4, 5, 6]), out]);
    expect(Array.from(out.data)).toEqual([3, 7, 11]);
    expect(() => new JsKernelBackend().compile('k', f).run([Tensor.from([5], 'float32', [1, 2, 3, 4, 5]), out])).toThrow(
      /k: A.shape\[0\] must be 6, but got 5/,
    );
  });

  it('runs a reduction with T.init, casts and if_then_else', () => {
    const f = prim(`
@T.prim_func
def r(A: T.Buffer((4, 3), "float32"), B: T.Buffer((4,), "int32")):
    for i, k in T.grid(4, 3):
        with T.sblock("acc"):
            vi, vk = T.axis.remap("SR", [i, k])
            with T.init():
                B[vi] = 0
            B[vi] = B[vi] + T.Cast("int32", T.if_then_else(A[vi, vk] > T.float32(0), A[vi, vk], T.float32(0)))
`, 'r');
    const b = new Tensor([4], 'int32');
    new JsKernelBackend().compile('r', f).run([Tensor.from([4, 3], 'float32', [1.5, -2, 3.9, 0, 0, 0, -1, -1, -1, 2, 2, 2]), b]);
    expect(Array.from(b.data)).toEqual([4, 0, 0, 6]);
  });

  it('generates readable source with one loop per TIR loop', () => {
    const src = primFuncToJs('k', prim(PAIRS, 'k'));
    expect(src.match(/for \(let /g)?.length).toBe(1);
    expect(src).toContain('rt.fail');
  });
});
