/**
 * Interval arithmetic over integers, the value-range half of the analyzer (tinygrad's vmin/vmax, TVM's
 * ConstIntBound). An interval is closed, with -Infinity/Infinity for an unbounded side. Every operation here is
 * sound (the true value always lies inside) and as tight as the operands allow without relational facts; the
 * correlations that intervals lose (x - x) are handled earlier, by the canonical form in ./poly.ts.
 */

/** A closed integer interval; -Infinity/Infinity when a side is unbounded. */
export interface Bounds {
  min: number;
  max: number;
}

/** The interval that says nothing. */
export const EVERYTHING: Bounds = Object.freeze({ min: -Infinity, max: Infinity });

/** `[k, k]`. */
export function point(k: number): Bounds {
  return { min: k, max: k };
}

/** Product of two endpoints where 0 * Infinity is 0: a zero factor really is zero. */
function mulNum(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

/** `[a] + [b]`. */
export function addB(a: Bounds, b: Bounds): Bounds {
  return { min: a.min + b.min, max: a.max + b.max };
}

/** `[a] * k` for a constant k. */
export function scaleB(a: Bounds, k: number): Bounds {
  const x = mulNum(a.min, k);
  const y = mulNum(a.max, k);
  return k >= 0 ? { min: x, max: y } : { min: y, max: x };
}

/** `[a] * [b]`: the extremes are at the corners. */
export function mulB(a: Bounds, b: Bounds): Bounds {
  const c = [mulNum(a.min, b.min), mulNum(a.min, b.max), mulNum(a.max, b.min), mulNum(a.max, b.max)];
  return { min: Math.min(...c), max: Math.max(...c) };
}

/** `[a] ** k` for k >= 1; even powers are non-negative. */
export function powB(a: Bounds, k: number): Bounds {
  if (k === 1) return a;
  const lo = a.min ** k;
  const hi = a.max ** k;
  if (k % 2 === 1 || a.min >= 0) return { min: lo, max: hi };
  if (a.max <= 0) return { min: hi, max: lo };
  return { min: 0, max: Math.max(lo, hi) };
}

/** Bounds of `min(a, b)` and `max(a, b)`. */
export function minB(a: Bounds, b: Bounds): Bounds {
  return { min: Math.min(a.min, b.min), max: Math.min(a.max, b.max) };
}
export function maxB(a: Bounds, b: Bounds): Bounds {
  return { min: Math.max(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** The smallest interval holding both (a Select's two branches). */
export function unionB(a: Bounds, b: Bounds): Bounds {
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** Both facts at once; an empty result (contradictory facts) keeps `a`. */
export function intersectB(a: Bounds, b: Bounds): Bounds {
  const r = { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
  return r.min <= r.max ? r : a;
}

/** Floor division of an integer by a positive integer, with floor semantics for negatives. */
export function floorDivNum(a: number, c: number): number {
  return Math.floor(a / c);
}

/** Floor modulo: the result has the divisor's sign (Python `%`). */
export function floorModNum(a: number, c: number): number {
  return a - c * Math.floor(a / c);
}

/** Truncating division and modulo (C semantics, TVM's Div/Mod). */
export function truncDivNum(a: number, c: number): number {
  return Math.trunc(a / c);
}
export function truncModNum(a: number, c: number): number {
  return a - c * Math.trunc(a / c);
}

/** A divisor interval with zero removed from its ends (x // 0 is undefined, so it never happens). */
function nonZero(d: Bounds): Bounds {
  return { min: d.min === 0 ? 1 : d.min, max: d.max === 0 ? -1 : d.max };
}

/** Largest magnitude in an interval. */
function magnitude(a: Bounds): number {
  return Math.max(Math.abs(a.min), Math.abs(a.max));
}

/** The quotients at the corners of a box whose divisor side keeps one sign; Infinity/Infinity spans 0..Infinity. */
function cornerQuotients(a: Bounds, d: Bounds): number[] {
  const out: number[] = [];
  for (const x of [a.min, a.max]) {
    for (const y of [d.min, d.max]) {
      const q = x / y;
      if (Number.isNaN(q)) out.push(0, Math.sign(x) * Math.sign(y) * Infinity);
      else out.push(q);
    }
  }
  return out;
}

/** Bounds of `a // d` (floor). Monotone in a; when d keeps one sign the extremes are at the corners. */
export function floorDivB(a: Bounds, d0: Bounds): Bounds {
  const d = nonZero(d0);
  if (d.min > 0 || d.max < 0) {
    const c = cornerQuotients(a, d);
    return { min: Math.floor(Math.min(...c)), max: Math.floor(Math.max(...c)) };
  }
  return magnitudeB(a);
}

/** `|a // d| <= |a|` whenever |d| >= 1. */
function magnitudeB(a: Bounds): Bounds {
  const m = magnitude(a);
  return { min: -m, max: m };
}

/** Bounds of `a % d` (floor): the divisor's sign, strictly smaller in magnitude, never more than `a` when a >= 0 and d > 0. */
export function floorModB(a: Bounds, d0: Bounds): Bounds {
  const d = nonZero(d0);
  if (d.min > 0) {
    if (a.min >= 0 && a.max < d.min) return a;
    return { min: 0, max: a.min >= 0 ? Math.min(a.max, d.max - 1) : d.max - 1 };
  }
  if (d.max < 0) return { min: d.min + 1, max: 0 };
  return { min: d.min + 1, max: d.max - 1 };
}

/** Bounds of truncating `a / d`: like floor division but rounded toward zero. */
export function truncDivB(a: Bounds, d0: Bounds): Bounds {
  const d = nonZero(d0);
  if (d.min > 0 || d.max < 0) {
    const c = cornerQuotients(a, d);
    return { min: Math.trunc(Math.min(...c)), max: Math.trunc(Math.max(...c)) };
  }
  return magnitudeB(a);
}

/** Bounds of truncating `a % d`: the dividend's sign, magnitude below |d| and no more than |a|. */
export function truncModB(a: Bounds, d0: Bounds): Bounds {
  const lim = magnitude(nonZero(d0)) - 1;
  const lo = a.min >= 0 ? 0 : Math.max(-lim, a.min);
  const hi = a.max <= 0 ? 0 : Math.min(lim, a.max);
  return { min: lo, max: hi };
}

const INT_DTYPES = new Map<string, boolean>();
const DTYPE_BOUNDS = new Map<string, Bounds>();

/** True for integer dtypes (`int64`, `uint8`, ...; not bool). Memoized: dtype strings are few. */
export function isInt(dtype: string): boolean {
  let r = INT_DTYPES.get(dtype);
  if (r === undefined) INT_DTYPES.set(dtype, (r = /^u?int\d+$/.test(dtype)));
  return r;
}

/** The range a value of this integer dtype can hold (int64 and wider: unbounded, as doubles cannot say more). */
export function dtypeRange(dtype: string): Bounds {
  if (dtype === 'bool') return { min: 0, max: 1 };
  const m = /^(u?)int(\d+)$/.exec(dtype);
  if (!m) return EVERYTHING;
  const bits = Number(m[2]);
  if (m[1] === 'u') return { min: 0, max: bits >= 53 ? Infinity : 2 ** bits - 1 };
  if (bits >= 53) return EVERYTHING;
  return { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 };
}

/**
 * The dtype facts worth assuming for an unknown value: bool, unsigned and narrow (< 32 bit) ranges. int32 and
 * int64 values count as unbounded, so an unbound loop variable reports -Infinity/Infinity rather than 2**31.
 */
export function dtypeBounds(dtype: string): Bounds {
  let b = DTYPE_BOUNDS.get(dtype);
  if (!b) {
    const m = /^int(\d+)$/.exec(dtype);
    b = Object.freeze(m && Number(m[1]) >= 32 ? EVERYTHING : dtypeRange(dtype));
    DTYPE_BOUNDS.set(dtype, b);
  }
  return b;
}
