/**
 * Conditions: three-valued proofs (`canProve`) and the simplification of boolean expressions. An integer comparison
 * `a op b` is decided on the canonical difference `a - b` (./poly.ts): by its bounds, by its being exactly 0, or by
 * divisibility (`n * 2 == 1` is false). Undecided comparisons are rebuilt with common terms cancelled
 * (`n + 1 < m + 1 -> n < m`). Float comparisons are only constant-folded.
 */
import type { BinaryOp, PrimExpr } from '../tir/nodes.js';
import { binary, boolImm, primDtype } from '../tir/nodes.js';
import { isInt } from './interval.js';
import type { Canon } from './canonical.js';
import type { Poly } from './poly.js';
import { addPoly, isZero, mapTerms, termGcd } from './poly.js';

/** The answer to "does this always hold?": proven, disproven (never holds), or not known. */
export type Proof = 'true' | 'false' | 'unknown';

type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const CMP_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const NEGATED: Record<CmpOp, CmpOp> = { eq: 'ne', ne: 'eq', lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };

function isCmp(op: BinaryOp): op is CmpOp {
  return CMP_OPS.has(op);
}

/** `not` in three-valued logic. */
export function negate(p: Proof): Proof {
  return p === 'true' ? 'false' : p === 'false' ? 'true' : 'unknown';
}

/** `x == 0` for a canonical difference. */
function equalsZero(cx: Canon, d: Poly): Proof {
  if (isZero(d)) return 'true'; // x - x == 0 -> true
  const b = cx.bounds(d);
  if (b.min > 0 || b.max < 0) return 'false'; // n + 1 == n -> false
  const g = termGcd(d);
  if (g > 1 && d.c % g !== 0) return 'false'; // n * 2 == 1 -> false (no integer solution)
  return 'unknown';
}

/** Decides `d op 0` where `d = a - b` is canonical. */
const COMPARE_RULES: Record<CmpOp, (cx: Canon, d: Poly) => Proof> = {
  // a < b: true when max(a - b) < 0, false when min(a - b) >= 0
  lt: (cx, d) => decide(cx.bounds(d).max < 0, cx.bounds(d).min >= 0),
  // a <= b: true when max(a - b) <= 0, false when min(a - b) > 0
  le: (cx, d) => decide(cx.bounds(d).max <= 0, cx.bounds(d).min > 0),
  // a > b: true when min(a - b) > 0, false when max(a - b) <= 0
  gt: (cx, d) => decide(cx.bounds(d).min > 0, cx.bounds(d).max <= 0),
  // a >= b: true when min(a - b) >= 0, false when max(a - b) < 0
  ge: (cx, d) => decide(cx.bounds(d).min >= 0, cx.bounds(d).max < 0),
  // a == b: canonical difference is 0 (n * 4 == 4 * n), or provably non-zero
  eq: (cx, d) => equalsZero(cx, d),
  // a != b: the negation of a == b
  ne: (cx, d) => negate(equalsZero(cx, d)),
};

function decide(isTrue: boolean, isFalse: boolean): Proof {
  return isTrue ? 'true' : isFalse ? 'false' : 'unknown';
}

function intOperands(a: PrimExpr, b: PrimExpr): boolean {
  return isInt(primDtype(a)) && isInt(primDtype(b));
}

function difference(cx: Canon, a: PrimExpr, b: PrimExpr): Poly {
  return addPoly(cx.toPoly(a), cx.toPoly(b), -1);
}

/** Whether a condition always holds, never holds, or neither is known. */
export function prove(cx: Canon, e: PrimExpr): Proof {
  switch (e.kind) {
    case 'tir.IntImm':
      return e.value !== 0 ? 'true' : 'false';
    case 'tir.Not':
      return negate(prove(cx, e.a));
    case 'tir.Select': {
      const c = prove(cx, e.cond);
      if (c !== 'unknown') return prove(cx, c === 'true' ? e.t : e.f);
      const t = prove(cx, e.t);
      return t === prove(cx, e.f) ? t : 'unknown';
    }
    case 'tir.Binary':
      if (e.op === 'and') return proveAnd(cx, e.a, e.b);
      if (e.op === 'or') return negate(proveAnd(cx, { kind: 'tir.Not', a: e.a, dtype: 'bool' }, { kind: 'tir.Not', a: e.b, dtype: 'bool' }));
      if (isCmp(e.op) && intOperands(e.a, e.b)) return COMPARE_RULES[e.op](cx, difference(cx, e.a, e.b));
      break;
    default:
      break;
  }
  if (isInt(primDtype(e))) return negate(equalsZero(cx, cx.toPoly(e))); // an integer condition: x != 0
  const s = cx.simplify(e);
  return s.kind === 'tir.IntImm' || s.kind === 'tir.FloatImm' ? (s.value !== 0 ? 'true' : 'false') : 'unknown';
}

/** `a && b`: false as soon as one side is false, true when both are. */
function proveAnd(cx: Canon, a: PrimExpr, b: PrimExpr): Proof {
  const pa = prove(cx, a);
  if (pa === 'false') return 'false';
  const pb = prove(cx, b);
  if (pb === 'false') return 'false';
  return pa === 'true' && pb === 'true' ? 'true' : 'unknown';
}

/** The simplified form of a boolean expression. */
export function simplifyBool(cx: Canon, e: PrimExpr): PrimExpr {
  if (e.kind === 'tir.Binary') {
    if (e.op === 'and' || e.op === 'or') return simplifyLogic(cx, e.op, cx.simplify(e.a), cx.simplify(e.b));
    if (isCmp(e.op)) return simplifyCompare(cx, e.op, e.a, e.b);
  }
  if (e.kind === 'tir.Not') return simplifyNot(cx.simplify(e.a));
  return cx.simplifyChildren(e);
}

function constBool(e: PrimExpr): boolean | undefined {
  return e.kind === 'tir.IntImm' ? e.value !== 0 : undefined;
}

function simplifyLogic(cx: Canon, op: 'and' | 'or', x: PrimExpr, y: PrimExpr): PrimExpr {
  const absorbing = op === 'or'; // true absorbs `or`, false absorbs `and`
  const cxv = constBool(x);
  const cyv = constBool(y);
  if (cxv === absorbing || cyv === absorbing) return boolImm(absorbing); // false && y -> false; true || y -> true
  if (cxv !== undefined) return y; // true && y -> y; false || y -> y
  if (cyv !== undefined) return x; // x && true -> x; x || false -> x
  if (cx.keyOf(x) === cx.keyOf(y)) return x; // x && x -> x
  return binary(op, x, y);
}

/** Decides an integer comparison, or rebuilds it with common terms cancelled: `n + 1 < m + 1 -> n < m`. */
function simplifyCompare(cx: Canon, op: CmpOp, a: PrimExpr, b: PrimExpr): PrimExpr {
  if (!intOperands(a, b)) {
    const x = cx.simplify(a);
    const y = cx.simplify(b);
    const folded = foldCompare(op, x, y);
    return folded === undefined ? binary(op, x, y) : boolImm(folded);
  }
  const d = difference(cx, a, b);
  const p = COMPARE_RULES[op](cx, d);
  if (p !== 'unknown') return boolImm(p === 'true');
  const lhs = mapTerms(d, (k) => (k > 0 ? k : undefined), Math.max(d.c, 0));
  const rhs = mapTerms(d, (k) => (k < 0 ? -k : undefined), Math.max(-d.c, 0));
  return binary(op, cx.fromPoly(lhs), cx.fromPoly(rhs));
}

function foldCompare(op: CmpOp, x: PrimExpr, y: PrimExpr): boolean | undefined {
  const isNum = (e: PrimExpr) => e.kind === 'tir.IntImm' || e.kind === 'tir.FloatImm';
  if (!isNum(x) || !isNum(y)) return undefined;
  const u = (x as { value: number }).value;
  const v = (y as { value: number }).value;
  const R: Record<CmpOp, boolean> = { eq: u === v, ne: u !== v, lt: u < v, le: u <= v, gt: u > v, ge: u >= v };
  return R[op];
}

/** `not true -> false`, `not not x -> x`, `not (a < b) -> a >= b` (integers only: NaN breaks it for floats). */
function simplifyNot(x: PrimExpr): PrimExpr {
  if (x.kind === 'tir.IntImm') return boolImm(x.value === 0);
  if (x.kind === 'tir.Not') return x.a;
  if (x.kind === 'tir.Binary' && isCmp(x.op) && intOperands(x.a, x.b)) return binary(NEGATED[x.op], x.a, x.b);
  return { kind: 'tir.Not', a: x, dtype: 'bool' };
}
