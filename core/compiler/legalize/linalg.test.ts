import { describe, it } from 'vitest';
import type { ParamSpec, RefTensor } from './op-testing.js';
import { at, build, expectOp, f32 } from './op-testing.js';

/** NumPy matmul (1-D promotion, batch broadcasting). */
function refMatmul(a: RefTensor, b: RefTensor, dtype = a.dtype): RefTensor {
  const A = a.shape.length === 1 ? { ...a, shape: [1, a.shape[0]!] } : a;
  const B = b.shape.length === 1 ? { ...b, shape: [b.shape[0]!, 1] } : b;
  const ab = A.shape.slice(0, -2);
  const bb = B.shape.slice(0, -2);
  const nb = Math.max(ab.length, bb.length);
  const batch = Array.from({ length: nb }, (_, i) => Math.max(ab[ab.length - nb + i] ?? 1, bb[bb.length - nb + i] ?? 1));
  const [M, K] = A.shape.slice(-2) as [number, number];
  const N = B.shape[B.shape.length - 1]!;
  const full = [...batch, M, N];
  const pick = (t: RefTensor, bix: number[], r: number, c: number): number => {
    const own = t.shape.slice(0, -2);
    const ix = own.map((d, i) => (d === 1 ? 0 : bix[nb - own.length + i]!));
    return at(t, [...ix, r, c]);
  };
  const res = build(full, dtype, (ix) => {
    const bix = ix.slice(0, nb);
    let s = 0;
    for (let k = 0; k < K; k++) s += pick(A, bix, ix[nb]!, k) * pick(B, bix, k, ix[nb + 1]!);
    return s;
  });
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [M]), ...(b.shape.length === 1 ? [] : [N])];
  return { ...res, shape };
}

describe('linalg legalization (compared with plain TypeScript references, n = 1, 3, 17)', () => {
  it('matmul: 2-D, symbolic rows', () =>
    expectOp({ call: 'R.matmul(a, b)', params: [f32('a', ['n', 5]), f32('b', [5, 7])], ref: ([a, b]) => refMatmul(a!, b!), kernel: 'matmul' }));

  it('matmul: symbolic reduction length and batch broadcasting', () =>
    expectOp({ call: 'R.matmul(a, b)', params: [f32('a', [2, 1, 3, 'n']), f32('b', [4, 'n', 6])], ref: ([a, b]) => refMatmul(a!, b!), rtol: 1e-4 }));

  it('matmul: 1-D operands on either side', async () => {
    await expectOp({ call: 'R.matmul(a, b)', params: [f32('a', ['n']), f32('b', [2, 'n', 3])], ref: ([a, b]) => refMatmul(a!, b!) });
    await expectOp({ call: 'R.matmul(a, b)', params: [f32('a', [4, 'n']), f32('b', ['n'])], ref: ([a, b]) => refMatmul(a!, b!) });
    await expectOp({ call: 'R.matmul(a, b)', params: [f32('a', ['n']), f32('b', ['n'])], ref: ([a, b]) => refMatmul(a!, b!) });
  });

  it('matmul: out_dtype casts the operands', () =>
    expectOp({
      call: 'R.matmul(a, b, out_dtype="float64")', params: [f32('a', ['n', 3]), f32('b', [3, 2])],
      ref: ([a, b]) => refMatmul(a!, b!, 'float64'),
    }));

  it('matmul: int32', () =>
    expectOp({
      call: 'R.matmul(a, b)', params: [{ name: 'a', shape: ['n', 3], dtype: 'int32' }, { name: 'b', shape: [3, 'n'], dtype: 'int32' }],
      ref: ([a, b]) => refMatmul(a!, b!),
    }));

  it('linear: x @ W^T + b, with and without bias', async () => {
    const lin = (x: RefTensor, w: RefTensor, b?: RefTensor): RefTensor => {
      const [O, I] = w.shape as [number, number];
      const lead = x.shape.slice(0, -1);
      return build([...lead, O], x.dtype, (ix) => {
        let s = 0;
        for (let k = 0; k < I; k++) s += at(x, [...ix.slice(0, -1), k]) * at(w, [ix[ix.length - 1]!, k]);
        return s + (b ? at(b, [ix[ix.length - 1]!]) : 0);
      });
    };
    await expectOp({ call: 'R.linear(x, w, b)', params: [f32('x', [2, 'n', 6]), f32('w', [4, 6]), f32('b', [4])], ref: ([x, w, b]) => lin(x!, w!, b!), kernel: 'linear' });
    await expectOp({ call: 'R.linear(x, w)', params: [f32('x', ['n', 6]), f32('w', [3, 6])], ref: ([x, w]) => lin(x!, w!) });
  });

  describe('einsum', () => {
    /** A plain einsum over explicit subscripts without "..." (loops over every label). */
    const einsum = (spec: string, xs: readonly RefTensor[]): RefTensor => {
      const [lhs, rhs] = spec.split('->') as [string, string];
      const terms = lhs.split(',');
      const size = new Map<string, number>();
      terms.forEach((t, i) => [...t].forEach((l, j) => size.set(l, Math.max(size.get(l) ?? 1, xs[i]!.shape[j]!))));
      const red = [...size.keys()].filter((l) => !rhs.includes(l));
      return build([...rhs].map((l) => size.get(l)!), xs[0]!.dtype, (ix) => {
        const val = new Map([...rhs].map((l, i) => [l, ix[i]!]));
        const redSizes = red.map((l) => size.get(l)!);
        const total = redSizes.reduce((a, b) => a * b, 1);
        let s = 0;
        for (let f = 0; f < total; f++) {
          let r = f;
          for (let i = red.length - 1; i >= 0; i--) {
            val.set(red[i]!, r % redSizes[i]!);
            r = Math.floor(r / redSizes[i]!);
          }
          let p = 1;
          terms.forEach((t, i) => (p *= at(xs[i]!, [...t].map((l, j) => (xs[i]!.shape[j] === 1 ? 0 : val.get(l)!)))));
          s += p;
        }
        return s;
      });
    };
    const cases: [string, ParamSpec[], string][] = [
      ['ij,jk->ik', [f32('a', ['n', 4]), f32('b', [4, 3])], 'ij,jk->ik'],
      ['bij,bjk->bik', [f32('a', [2, 'n', 3]), f32('b', [2, 3, 4])], 'bij,bjk->bik'],
      ['ij->ji', [f32('a', ['n', 3])], 'ij->ji'],
      ['ii->i', [f32('a', [4, 4])], 'ii->i'],
      ['ij->', [f32('a', ['n', 3])], 'ij->'],
      ['i,j->ij', [f32('a', ['n']), f32('b', [3])], 'i,j->ij'],
      ['ij,ij->i', [f32('a', ['n', 3]), f32('b', ['n', 3])], 'ij,ij->i'],
      ['ij,jk', [f32('a', ['n', 4]), f32('b', [4, 3])], 'ij,jk->ik'],
      ['ijk,ikl,il->jl', [f32('a', [2, 'n', 3]), f32('b', [2, 3, 2]), f32('c', [2, 2])], 'ijk,ikl,il->jl'],
    ];
    for (const [sub, params, explicit] of cases) {
      it(sub, () =>
        expectOp({ call: `R.einsum((${params.map((p) => p.name).join(', ')}${params.length === 1 ? ',' : ''}), "${sub}")`, params, ref: (xs) => einsum(explicit, xs), kernel: 'einsum' }));
    }
    it('broadcasting ellipsis: ...ij,...jk->...ik', () =>
      expectOp({
        call: 'R.einsum((a, b), "...ij,...jk->...ik")', params: [f32('a', [2, 1, 'n', 3]), f32('b', [4, 3, 2])],
        ref: ([a, b]) => refMatmul(a!, b!),
      }));
  });
});
