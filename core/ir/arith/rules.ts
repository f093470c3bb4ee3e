/**
 * Rewrite rules over the canonical form (./poly.ts) for the operators that are not polynomial: floordiv/floormod,
 * truncdiv/truncmod and min/max. Each table is tried in order and the first rule that answers wins; a rule answers
 * `undefined` when it does not apply. When no rule applies the operation becomes an atom. The comment on each rule is
 * its algebra (floor semantics unless said otherwise). Rules consult bounds through `RuleCtx`, never the Analyzer.
 *
 * Division by zero is undefined in TIR, so rules may assume a divisor is non-zero but never simplify `x // 0`.
 */
import type { AtomInfo, Poly } from './poly.js';
import {
  addPoly, commonPart, constPoly, divideByMonomial, isConst, isZero, mapTerms, onlyTerm, scalePoly, singleAtom,
  termGcd, gcd, withoutTerms,
} from './poly.js';
import type { Bounds } from './interval.js';
import { floorDivNum, floorModNum, truncDivNum, truncModNum } from './interval.js';

/** What a rule may ask of the simplifier running it. */
export interface RuleCtx {
  /** Value bounds of a canonical expression under the analyzer's facts. */
  bounds(p: Poly): Bounds;
  /** The Poly `1 * atom` for an operation no rule could reduce. */
  atom(info: AtomInfo, dtype: string): Poly;
}

/** A division-like operation as the tables see it. */
export type DivTag = 'floordiv' | 'floormod' | 'truncdiv' | 'truncmod';
type ConstRule = (cx: RuleCtx, x: Poly, c: number) => Poly | undefined;
type PolyRule = (cx: RuleCtx, x: Poly, y: Poly) => Poly | undefined;

const k0 = (p: Poly, k: number): Poly => constPoly(k, p.dtype);

/** `j` when the bounds of `x` fall inside one interval `[j * c, (j + 1) * c)`. */
function sameQuotient(cx: RuleCtx, x: Poly, c: number): number | undefined {
  const b = cx.bounds(x);
  const lo = floorDivNum(b.min, c);
  return Number.isFinite(lo) && lo === floorDivNum(b.max, c) ? lo : undefined;
}

/** True when the divisor can be proven non-zero. */
function nonZero(cx: RuleCtx, y: Poly): boolean {
  const b = cx.bounds(y);
  return b.min > 0 || b.max < 0;
}

/** The floordiv atom `x // y` of the nested form `x // a` (a > 0 constant) when `p` is exactly `1 * atom + k`. */
function innerFloorDiv(p: Poly): { x: Poly; a: number } | undefined {
  if (p.terms.size !== 1) return undefined;
  const t = p.terms.values().next().value!;
  const info = t.coeff === 1 && t.atoms.length === 1 ? t.atoms[0]!.info : undefined;
  if (info?.tag !== 'floordiv' || !isConst(info.den) || info.den.c <= 0) return undefined;
  return { x: info.num, a: info.den.c };
}

// ---------------------------------------------------------------- floordiv by a constant

const FLOORDIV_BY_CONST: readonly ConstRule[] = [
  // x // 1 -> x
  (_, x, c) => (c === 1 ? x : undefined),
  // x // -c -> (-x) // c
  (cx, x, c) => (c < 0 ? floorDivConst(cx, scalePoly(x, -1), -c) : undefined),
  // c1 // c2 -> floor(c1 / c2)
  (_, x, c) => (isConst(x) ? k0(x, floorDivNum(x.c, c)) : undefined),
  // (x * c * k + y + c * j + r) // c -> x * k + j + (y + r) // c   (0 <= r < c)
  (cx, x, c) => {
    const q = mapTerms(x, (k) => (k % c === 0 ? k / c : undefined), floorDivNum(x.c, c));
    if (isZero(q)) return undefined;
    const r = mapTerms(x, (k) => (k % c === 0 ? undefined : k), floorModNum(x.c, c));
    return addPoly(q, floorDivConst(cx, r, c));
  },
  // (x * d * a + k) // (d * c) -> (x * a + k // d) // c
  (cx, x, c) => {
    const g = gcd(termGcd(x), c);
    if (g <= 1) return undefined;
    return floorDivConst(cx, mapTerms(x, (k) => k / g, floorDivNum(x.c, g)), c / g);
  },
  // x // c -> j when x is known to lie in [j * c, (j + 1) * c)
  (cx, x, c) => {
    const j = sameQuotient(cx, x, c);
    return j === undefined ? undefined : k0(x, j);
  },
  // (x // a + k) // c -> (x + k * a) // (a * c)   (a > 0)
  (cx, x, c) => {
    const inner = innerFloorDiv(x);
    return inner ? floorDivConst(cx, addPoly(inner.x, k0(x, x.c * inner.a)), inner.a * c) : undefined;
  },
];

// ---------------------------------------------------------------- floormod by a constant

const FLOORMOD_BY_CONST: readonly ConstRule[] = [
  // x % 1 -> 0, x % -1 -> 0
  (_, x, c) => (c === 1 || c === -1 ? k0(x, 0) : undefined),
  // x % -c -> -((-x) % c)
  (cx, x, c) => (c < 0 ? scalePoly(floorModConst(cx, scalePoly(x, -1), -c), -1) : undefined),
  // c1 % c2 -> c1 - c2 * floor(c1 / c2)
  (_, x, c) => (isConst(x) ? k0(x, floorModNum(x.c, c)) : undefined),
  // (x * c * k + y + c * j + r) % c -> (y + r) % c   (0 <= r < c)
  (cx, x, c) => {
    const r = mapTerms(x, (k) => (k % c === 0 ? undefined : k), floorModNum(x.c, c));
    return r.terms.size === x.terms.size && r.c === x.c ? undefined : floorModConst(cx, r, c);
  },
  // (x * d * a + k) % (d * c) -> ((x * a + k // d) % c) * d + k % d
  (cx, x, c) => {
    const g = gcd(termGcd(x), c);
    if (g <= 1) return undefined;
    const inner = floorModConst(cx, mapTerms(x, (k) => k / g, floorDivNum(x.c, g)), c / g);
    return addPoly(scalePoly(inner, g), k0(x, floorModNum(x.c, g)));
  },
  // x % c -> x - j * c when x is known to lie in [j * c, (j + 1) * c)   (so x % c -> x for 0 <= x < c)
  (cx, x, c) => {
    const j = sameQuotient(cx, x, c);
    return j === undefined ? undefined : addPoly(x, k0(x, -j * c));
  },
  // (x % (c * m)) % c -> x % c
  (cx, x, c) => {
    const info = singleAtom(x)?.info;
    if (info?.tag !== 'floormod' || !isConst(info.den) || info.den.c % c !== 0) return undefined;
    return floorModConst(cx, info.num, c);
  },
];

// ---------------------------------------------------------------- any divisor

const FLOORDIV_BY_POLY: readonly PolyRule[] = [
  // 0 // y -> 0   (y = 0 is undefined)
  (_, x) => (isZero(x) ? x : undefined),
  // (y * x) // y -> x   (y != 0; also y // y -> 1)
  (cx, x, y) => exactQuotient(cx, x, y),
  // x // y -> 0 when 0 <= x < y
  (cx, x, y) => (belowDivisor(cx, x, y) ? k0(x, 0) : undefined),
];

const FLOORMOD_BY_POLY: readonly PolyRule[] = [
  // 0 % y -> 0
  (_, x) => (isZero(x) ? x : undefined),
  // (y * x) % y -> 0   (y != 0)
  (cx, x, y) => (exactQuotient(cx, x, y) ? k0(x, 0) : undefined),
  // x % y -> x when 0 <= x < y
  (cx, x, y) => (belowDivisor(cx, x, y) ? x : undefined),
];

const TRUNCDIV_RULES: readonly PolyRule[] = [
  // truncdiv(0, y) -> 0
  (_, x) => (isZero(x) ? x : undefined),
  // truncdiv(x, 1) -> x
  (_, x, y) => (isConst(y) && y.c === 1 ? x : undefined),
  // truncdiv(c1, c2) -> trunc(c1 / c2)
  (_, x, y) => (isConst(x) && isConst(y) && y.c !== 0 ? k0(x, truncDivNum(x.c, y.c)) : undefined),
  // truncdiv(x, y) -> x // y when x >= 0 and y >= 0 (y = 0 is undefined)
  (cx, x, y) => (bothNonNegative(cx, x, y) ? floorDiv(cx, x, y) : undefined),
  // truncdiv(y * x, y) -> x   (y != 0)
  (cx, x, y) => exactQuotient(cx, x, y),
];

const TRUNCMOD_RULES: readonly PolyRule[] = [
  // truncmod(0, y) -> 0
  (_, x) => (isZero(x) ? x : undefined),
  // truncmod(x, 1) -> 0
  (_, x, y) => (isConst(y) && Math.abs(y.c) === 1 ? k0(x, 0) : undefined),
  // truncmod(c1, c2) -> c1 - c2 * trunc(c1 / c2)
  (_, x, y) => (isConst(x) && isConst(y) && y.c !== 0 ? k0(x, truncModNum(x.c, y.c)) : undefined),
  // truncmod(x, y) -> x % y when x >= 0 and y >= 0
  (cx, x, y) => (bothNonNegative(cx, x, y) ? floorMod(cx, x, y) : undefined),
  // truncmod(y * x, y) -> 0   (y != 0)
  (cx, x, y) => (exactQuotient(cx, x, y) ? k0(x, 0) : undefined),
];

/** `x / y` when y is one monomial that divides every term of x, and y is provably non-zero. */
function exactQuotient(cx: RuleCtx, x: Poly, y: Poly): Poly | undefined {
  const t = onlyTerm(y);
  if (!t) return undefined;
  const q = divideByMonomial(x, t);
  return q && nonZero(cx, y) ? q : undefined;
}

/** `0 <= x < y` from bounds alone. */
function belowDivisor(cx: RuleCtx, x: Poly, y: Poly): boolean {
  const bx = cx.bounds(x);
  return bx.min >= 0 && cx.bounds(y).min > bx.max;
}

function bothNonNegative(cx: RuleCtx, x: Poly, y: Poly): boolean {
  return cx.bounds(x).min >= 0 && cx.bounds(y).min >= 0;
}

function firstAnswer<A>(rules: readonly ((cx: RuleCtx, x: Poly, a: A) => Poly | undefined)[], cx: RuleCtx, x: Poly, a: A) {
  for (const rule of rules) {
    const r = rule(cx, x, a);
    if (r) return r;
  }
  return undefined;
}

function floorDivConst(cx: RuleCtx, x: Poly, c: number): Poly {
  return firstAnswer(FLOORDIV_BY_CONST, cx, x, c) ?? cx.atom({ tag: 'floordiv', num: x, den: k0(x, c) }, x.dtype);
}

function floorModConst(cx: RuleCtx, x: Poly, c: number): Poly {
  return firstAnswer(FLOORMOD_BY_CONST, cx, x, c) ?? cx.atom({ tag: 'floormod', num: x, den: k0(x, c) }, x.dtype);
}

/** `x // y` (floor) in canonical form. */
export function floorDiv(cx: RuleCtx, x: Poly, y: Poly): Poly {
  if (isConst(y) && y.c !== 0) return floorDivConst(cx, x, y.c);
  return firstAnswer(FLOORDIV_BY_POLY, cx, x, y) ?? cx.atom({ tag: 'floordiv', num: x, den: y }, x.dtype);
}

/** `x % y` (floor) in canonical form. */
export function floorMod(cx: RuleCtx, x: Poly, y: Poly): Poly {
  if (isConst(y) && y.c !== 0) return floorModConst(cx, x, y.c);
  return firstAnswer(FLOORMOD_BY_POLY, cx, x, y) ?? cx.atom({ tag: 'floormod', num: x, den: y }, x.dtype);
}

/** Any of the four division operators in canonical form. */
export function divMod(cx: RuleCtx, tag: DivTag, x: Poly, y: Poly): Poly {
  switch (tag) {
    case 'floordiv':
      return floorDiv(cx, x, y);
    case 'floormod':
      return floorMod(cx, x, y);
    case 'truncdiv':
      return firstAnswer(TRUNCDIV_RULES, cx, x, y) ?? cx.atom({ tag, num: x, den: y }, x.dtype);
    case 'truncmod':
      return firstAnswer(TRUNCMOD_RULES, cx, x, y) ?? cx.atom({ tag, num: x, den: y }, x.dtype);
  }
}

// ---------------------------------------------------------------- sums

/**
 * `(x // c) * c * a + (x % c) * a -> x * a` (floor, any c != 0): the quotient and remainder of one division recombine.
 * Applied to sums after each addition; cheap when no floormod atom is present.
 */
export function mergeDivMod(p: Poly): Poly {
  for (const t of p.terms.values()) {
    const info = t.atoms.length === 1 ? t.atoms[0]!.info : undefined;
    if (info?.tag !== 'floormod' || !isConst(info.den)) continue;
    const divKey = `floordiv(${info.num.key}|${info.den.key})`;
    if (p.terms.get(divKey)?.coeff !== t.coeff * info.den.c) continue;
    return mergeDivMod(addPoly(withoutTerms(p, [divKey, t.key]), scalePoly(info.num, t.coeff)));
  }
  return p;
}

// ---------------------------------------------------------------- min / max

type MinMax = 'min' | 'max';

/** The two operands of a min/max atom when `p` is exactly that atom. */
function minMaxArgs(p: Poly, tag: MinMax): [Poly, Poly] | undefined {
  const info = singleAtom(p)?.info;
  return info?.tag === tag ? [info.a, info.b] : undefined;
}

const MIN_MAX_RULES: readonly ((cx: RuleCtx, tag: MinMax, a: Poly, b: Poly) => Poly | undefined)[] = [
  // min(x, y) -> x when x - y <= 0; max(x, y) -> x when x - y >= 0   (min(x, x) -> x, min(c1, c2) folded)
  (cx, tag, a, b) => {
    const d = cx.bounds(addPoly(a, b, -1));
    if (d.max <= 0) return tag === 'min' ? a : b;
    if (d.min >= 0) return tag === 'min' ? b : a;
    return undefined;
  },
  // min(x + z, y + z) -> min(x, y) + z
  (cx, tag, a, b) => {
    const z = commonPart(a, b);
    if (isZero(z)) return undefined;
    return addPoly(minMax(cx, tag, addPoly(a, z, -1), addPoly(b, z, -1)), z);
  },
  // min(min(x, y), y) -> min(x, y); min(y, min(x, y)) -> min(x, y)
  (_, tag, a, b) => (absorbs(a, tag, b) ? a : absorbs(b, tag, a) ? b : undefined),
  // min(max(x, y), y) -> y; min(y, max(x, y)) -> y   (and max(min(x, y), y) -> y)
  (_, tag, a, b) => {
    const dual = tag === 'min' ? 'max' : 'min';
    return absorbs(a, dual, b) ? b : absorbs(b, dual, a) ? a : undefined;
  },
];

/** True when `p` is the `tag` atom with `q` as one of its operands. */
function absorbs(p: Poly, tag: MinMax, q: Poly): boolean {
  const args = minMaxArgs(p, tag);
  return !!args && (args[0].key === q.key || args[1].key === q.key);
}

/** `min(a, b)` or `max(a, b)` in canonical form. */
export function minMax(cx: RuleCtx, tag: MinMax, a: Poly, b: Poly): Poly {
  for (const rule of MIN_MAX_RULES) {
    const r = rule(cx, tag, a, b);
    if (r) return r;
  }
  return cx.atom({ tag, a, b }, a.dtype);
}
