/**
 * Rule-by-rule checks of the analyzer: for each case the simplified text (printed by the tiny printer in
 * ./testing.ts) and the bounds of the input under the default analyzer (int64 vars >= 0).
 */
import { describe, expect, it } from 'vitest';
import type { PrimExpr } from '../tir/nodes.js';
import { floatImm, intImm, primDtype, tvar } from '../tir/nodes.js';
import { Analyzer, bounds, exprEqual, simplify } from './index.js';
import {
  add, and, c, cast, eq, fdiv, fmod, ge, gt, k, le, lt, m, max, min, mul, n, ne, not, or, select, show, sub, tdiv, tmod,
} from './testing.js';

const INF = Infinity;
const i32 = tvar('i', 'int32');

/** [input, expected simplified text, expected bounds [min, max]] */
const CASES: [PrimExpr, string, [number, number]][] = [
  // canonical sums and products
  [mul(n, 1), 'n', [0, INF]], // x*1 -> x
  [mul(n, 0), '0', [0, 0]], // x*0 -> 0
  [add(n, 0), 'n', [0, INF]], // x+0 -> x
  [sub(n, n), '0', [0, 0]], // x-x -> 0
  [add(c(2), c(3)), '5', [5, 5]], // c1+c2 -> folded
  [mul(4, n), 'n * 4', [0, INF]], // coefficient after the atom
  [add(mul(n, 4), mul(4, n)), 'n * 8', [0, INF]], // like terms collected
  [mul(n, m), 'n * m', [0, INF]], // first-appearance order, not alphabetical
  [mul(m, n), 'm * n', [0, INF]],
  [mul(m, mul(n, k)), 'm * n * k', [0, INF]],
  [add(1, n), 'n + 1', [1, INF]], // constants last
  [add(sub(n, 3), 2), 'n - 1', [-1, INF]],
  [sub(n, m), 'n - m', [-INF, INF]], // negative terms as subtraction
  [add(mul(-1, m), n), 'n - m', [-INF, INF]], // a positive term leads
  [sub(5, n), '5 - n', [-INF, 5]],
  [sub(m, add(m, n)), 'n * -1', [-INF, 0]],
  [mul(add(n, 1), sub(m, 1)), 'n * m - n + m - 1', [-INF, INF]], // distribution
  [mul(add(n, 1), add(n, 1)), 'n * n + n * 2 + 1', [1, INF]],
  [mul(sub(n, m), sub(n, m)), 'n * n - n * m * 2 + m * m', [-INF, INF]],
  // floordiv by constants
  [fdiv(n, 1), 'n', [0, INF]], // x // 1 -> x
  [fdiv(mul(n, 4), 2), 'n * 2', [0, INF]], // (x * 4) // 2 -> x * 2
  [fdiv(add(mul(n, 4), m), 4), 'n + m // 4', [0, INF]], // (x * 4 + y) // 4 -> x + y // 4
  [fdiv(add(mul(n, 6), 4), 4), 'n * 3 // 2 + 1', [1, INF]], // constant pulled out, then common factor 2
  [fdiv(fdiv(n, 2), 3), 'n // 6', [0, INF]], // (x // 2) // 3 -> x // 6
  [fdiv(add(fdiv(n, 2), 1), 3), '(n + 2) // 6', [0, INF]], // (x // a + k) // c -> (x + k * a) // (a * c)
  [fdiv(sub(n, 1), 2), '(n + 1) // 2 - 1', [-1, INF]], // constant pulled out with floor semantics
  [fdiv(c(-7), 2), '-4', [-4, -4]], // c1 // c2 folded with floor semantics
  [fdiv(c(7), -2), '-4', [-4, -4]],
  [fdiv(n, -2), 'n * -1 // 2', [-INF, 0]], // x // -c -> (-x) // c
  [fdiv(n, 0), 'n // 0', [-INF, INF]], // undefined: kept
  // floormod by constants
  [fmod(n, 1), '0', [0, 0]], // x % 1 -> 0
  [fmod(add(mul(n, 4), 3), 4), '3', [3, 3]], // (x * 4 + 3) % 4 -> 3
  [fmod(add(mul(n, 4), m), 4), 'm % 4', [0, 3]], // multiples of the divisor dropped
  [fmod(add(n, 9), 4), '(n + 1) % 4', [0, 3]],
  [fmod(mul(n, 6), 4), 'n * 3 % 2 * 2', [0, 2]], // common factor: ((x * a) % c) * d
  [fmod(fmod(n, 8), 4), 'n % 4', [0, 3]], // (x % 8) % 4 -> x % 4
  [fmod(c(-7), 2), '1', [1, 1]], // floor semantics: the divisor's sign
  [fmod(c(7), -2), '-1', [-1, -1]],
  [fmod(n, -4), 'n * -1 % 4 * -1', [-3, 0]],
  [add(mul(fdiv(n, 4), 4), fmod(n, 4)), 'n', [0, INF]], // (x // c) * c + x % c -> x
  [sub(mul(fdiv(add(n, m), 8), 16), mul(fmod(add(n, m), 8), -2)), 'n * 2 + m * 2', [0, INF]],
  [add(mul(fdiv(n, 4), 4), fmod(m, 4)), 'n // 4 * 4 + m % 4', [0, INF]],
  // any divisor
  [fdiv(n, n), 'n // n', [0, INF]], // n may be 0: undefined, so no rewrite
  [fdiv(mul(n, m), m), 'n * m // m', [0, INF]], // m may be 0: stays (see the Analyzer case with m >= 1)
  [fmod(mul(n, m), m), 'n * m % m', [0, INF]],
  [fdiv(0, m), '0', [0, 0]], // 0 // y -> 0 (y = 0 is undefined anyway)
  // truncdiv / truncmod
  [tdiv(n, 4), 'n // 4', [0, INF]], // truncdiv on non-negative operands is floordiv
  [tmod(add(mul(n, 4), 3), 4), '3', [3, 3]],
  [tdiv(c(-7), 2), '-3', [-3, -3]], // truncating constants
  [tmod(c(-7), 2), '-1', [-1, -1]],
  [tdiv(i32, 4), 'T.truncdiv(i, 4)', [-INF, INF]], // int32 vars are not assumed non-negative
  [tmod(i32, 4), 'T.truncmod(i, 4)', [-3, 3]],
  [tdiv(i32, 1), 'i', [-INF, INF]],
  // min / max
  [min(c(3), c(5)), '3', [3, 3]], // constants folded
  [min(n, n), 'n', [0, INF]], // min(x, x) -> x
  [max(add(n, 1), n), 'n + 1', [1, INF]], // max(x + 1, x) -> x + 1
  [min(add(n, 1), n), 'n', [0, INF]],
  [max(n, 0), 'n', [0, INF]], // shape vars are >= 0
  [min(n, m), 'T.min(n, m)', [0, INF]],
  [min(add(n, 1), add(m, 1)), 'T.min(n, m) + 1', [1, INF]], // common terms pulled out
  [min(min(n, m), m), 'T.min(n, m)', [0, INF]], // absorption
  [max(min(n, m), n), 'n', [0, INF]],
  [max(sub(n, m), 0), 'T.max(n - m, 0)', [0, INF]],
  [min(fmod(n, 4), 3), 'n % 4', [0, 3]],
  // select
  [select(lt(n, add(n, 1)), n, m), 'n', [0, INF]], // provable condition
  [select(lt(n, m), n, n), 'n', [0, INF]], // same branches
  [select(lt(n, m), n, m), 'T.Select(n < m, n, m)', [0, INF]],
  // casts
  [cast('int32', c(7)), '7', [7, 7]],
  [cast('int64', cast('int64', n)), 'n', [0, INF]],
  [cast('int32', fdiv(n, 4)), 'T.Cast("int32", n // 4)', [0, 2 ** 31 - 1]],
  [add(cast('int64', i32), cast('int64', i32)), 'T.Cast("int64", i) * 2', [-INF, INF]],
  // comparisons and logic
  [eq(mul(n, 4), mul(4, n)), 'True', [1, 1]], // == by canonical difference
  [eq(n, m), 'n == m', [0, 1]],
  [eq(add(n, 1), n), 'False', [0, 0]],
  [eq(mul(n, 2), 1), 'False', [0, 0]], // no integer solution
  [ne(add(n, 1), n), 'True', [1, 1]],
  [lt(n, add(n, 1)), 'True', [1, 1]], // a < b by bounds of a - b
  [lt(add(n, 1), add(m, 1)), 'n < m', [0, 1]], // common terms cancelled
  [ge(n, 0), 'True', [1, 1]],
  [lt(n, 0), 'False', [0, 0]],
  [le(fmod(n, 4), 3), 'True', [1, 1]],
  [gt(m, add(n, 2)), 'm > n + 2', [0, 1]],
  [and(ge(n, 0), lt(n, m)), 'n < m', [0, 1]],
  [or(lt(n, 0), lt(n, m)), 'n < m', [0, 1]],
  [or(ge(n, 0), lt(n, m)), 'True', [1, 1]],
  [not(lt(n, m)), 'n >= m', [0, 1]],
  [not(not(lt(n, m))), 'n < m', [0, 1]],
  [and(lt(n, m), lt(n, m)), 'n < m', [0, 1]],
];

describe('simplify and bounds, rule by rule', () => {
  it.each(CASES.map(([e, text, b]) => [show(e), e, text, b] as const))('%s', (_, e, text, b) => {
    expect(show(simplify(e))).toBe(text);
    expect(bounds(e)).toEqual({ min: b[0], max: b[1] });
  });
});

describe('dtypes', () => {
  it('keeps int32 and int64', () => {
    const i = tvar('i', 'int32');
    const r = simplify({ kind: 'tir.Binary', op: 'add', a: i, b: intImm(0, 'int32'), dtype: 'int32' });
    expect(r).toBe(i);
    const s = simplify({ kind: 'tir.Binary', op: 'mul', a: intImm(2, 'int32'), b: i, dtype: 'int32' });
    expect(primDtype(s)).toBe('int32');
    expect(s.kind === 'tir.Binary' && primDtype(s.b)).toBe('int32');
    expect(primDtype(simplify(mul(n, 2)))).toBe('int64');
  });

  it('leaves float expressions alone except for constants', () => {
    const x = tvar('x', 'float32');
    const sum = { kind: 'tir.Binary', op: 'add', a: x, b: floatImm(0), dtype: 'float32' } as const;
    expect(simplify(sum)).toBe(sum);
    const folded = simplify({ kind: 'tir.Binary', op: 'mul', a: floatImm(1.5), b: floatImm(2), dtype: 'float32' });
    expect(folded).toMatchObject({ kind: 'tir.FloatImm', value: 3 });
    expect(bounds(sum)).toEqual({ min: -INF, max: INF });
  });

  it('returns a var and a constant unchanged (same object)', () => {
    expect(simplify(n)).toBe(n);
    const five = c(5);
    expect(simplify(five)).toBe(five);
  });
});

describe('Analyzer facts', () => {
  it('uses bound ranges', () => {
    const a = new Analyzer();
    a.bind(m, { min: 0, max: 3 });
    expect(show(a.simplify(fdiv(add(mul(n, 4), m), 4)))).toBe('n'); // y in [0, 4): (x * 4 + y) // 4 -> x
    expect(show(a.simplify(fmod(add(mul(n, 4), m), 4)))).toBe('m');
    expect(a.bounds(add(m, 1))).toEqual({ min: 1, max: 4 });
  });

  it('divides exactly once the divisor is known positive', () => {
    const a = new Analyzer();
    a.bind(m, { min: 1, max: Infinity });
    expect(show(a.simplify(fdiv(mul(n, m), m)))).toBe('n');
    expect(show(a.simplify(fmod(mul(n, m), m)))).toBe('0');
    expect(show(a.simplify(fdiv(m, m)))).toBe('1');
    expect(a.canProve(eq(fdiv(mul(n, m), m), n))).toBe('true');
  });

  it('substitutes bound values', () => {
    const a = new Analyzer();
    a.bind(n, c(4));
    expect(show(a.simplify(add(mul(n, m), n)))).toBe('m * 4 + 4');
    a.bind(n, add(k, 1));
    expect(show(a.simplify(mul(n, 2)))).toBe('k * 2 + 2');
    a.bind(k, { min: 2, max: 5 }); // a later bind of n's value refers to k's range
    expect(a.bounds(n)).toEqual({ min: 3, max: 6 });
  });

  it('survives a self-referential binding', () => {
    const a = new Analyzer();
    a.bind(n, add(n, 1));
    expect(show(a.simplify(mul(n, 2)))).toBe('n * 2 + 2');
  });

  it('can drop the non-negativity assumption', () => {
    const a = new Analyzer({ nonNegativeVars: false });
    expect(a.bounds(n)).toEqual({ min: -INF, max: INF });
    expect(show(a.simplify(max(n, 0)))).toBe('T.max(n, 0)');
    expect(show(a.simplify(tdiv(n, 4)))).toBe('T.truncdiv(n, 4)');
    expect(a.canProve(ge(n, 0))).toBe('unknown');
  });

  it('keeps facts per analyzer', () => {
    const a = new Analyzer();
    const b = new Analyzer();
    a.bind(n, { min: 0, max: 3 });
    expect(a.canProve(lt(n, 4))).toBe('true');
    expect(b.canProve(lt(n, 4))).toBe('unknown');
  });
});

describe('exprEqual', () => {
  it('compares after simplification', () => {
    expect(exprEqual(mul(n, 4), mul(4, n))).toBe(true);
    expect(exprEqual(add(n, m), add(m, n))).toBe(true);
    expect(exprEqual(min(n, m), min(m, n))).toBe(true);
    expect(exprEqual(n, m)).toBe(false);
    expect(exprEqual(n, tvar('n'))).toBe(false); // a different variable with the same name
  });
});
