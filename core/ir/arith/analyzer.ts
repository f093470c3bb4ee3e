/**
 * The public arithmetic analyzer, as TVM's `arith::Analyzer`: facts about variables (ranges, substituted values)
 * plus three queries over integer PrimExprs: `simplify`, `canProve` (three-valued) and `bounds`. Shape inference
 * uses it to decide `n * 4 == 4 * n`, to print `(n * m,)` simply, and to report a mismatch only when it is proven.
 *
 * Each query runs a fresh `Canon` (./canonical.ts), so nothing is cached across calls or analyzers. Symbolic int64
 * variables are assumed non-negative by default (they are shape dimensions, as Relax assumes); other integer
 * variables are unbounded unless bound. Division by a value that may be zero is left alone; `(n * m) // m` is `n`
 * only once `m >= 1` is known (bind it), because TIR leaves `x // 0` undefined rather than 0.
 */
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import { binary, primDtype } from '../tir/nodes.js';
import type { Env } from './canonical.js';
import { Canon } from './canonical.js';
import type { Bounds } from './interval.js';
import { dtypeBounds, intersectB } from './interval.js';
import type { Proof } from './logic.js';
import { prove } from './logic.js';

export type { Bounds } from './interval.js';
export type { Proof } from './logic.js';

const NON_NEGATIVE: Bounds = Object.freeze({ min: 0, max: Infinity });

/** Options of an analyzer. */
export interface AnalyzerOptions {
  /** Assume int64 variables (symbolic shape dims) are >= 0. Default true. */
  nonNegativeVars?: boolean;
}

/** Holds facts about variables and answers simplification, proof and bounds queries under them. */
export class Analyzer {
  private readonly nonNegativeVars: boolean;
  private readonly ranges = new Map<TirVar, Bounds>();
  private readonly values = new Map<TirVar, PrimExpr>();
  private readonly env: Env;

  constructor(opts: AnalyzerOptions = {}) {
    this.nonNegativeVars = opts.nonNegativeVars ?? true;
    this.env = { range: (v) => this.rangeOf(v), value: (v) => this.values.get(v) };
  }

  /**
   * Records a fact: a range `{min, max}` (inclusive; +-Infinity for open sides) or a value to substitute for the
   * variable. A later bind of the same variable replaces the earlier one, and a range replaces the default
   * non-negativity assumption (binding `{min: -5, max: 5}` allows negative values).
   */
  bind(v: TirVar, range: { min: number; max: number } | PrimExpr): void {
    if ('kind' in range) {
      this.values.set(v, range);
      this.ranges.delete(v);
    } else {
      this.ranges.set(v, { min: range.min, max: range.max });
      this.values.delete(v);
    }
  }

  /** The canonical, readable form of `e` (same dtype): `4 * n + n -> n * 5`, `(x * 4 + 3) % 4 -> 3`. */
  simplify(e: PrimExpr): PrimExpr {
    if (e.kind === 'tir.IntImm') return e;
    if (e.kind === 'tir.Var' && !this.values.has(e)) return e;
    return new Canon(this.env).simplify(e);
  }

  /** Whether `cond` always holds ('true'), never holds ('false'), or is not known either way. */
  canProve(cond: PrimExpr): Proof {
    return prove(new Canon(this.env), cond);
  }

  /** Value bounds of an integer expression (a bool counts as 0/1); +-Infinity where unbounded. */
  bounds(e: PrimExpr): Bounds {
    return new Canon(this.env).boundsOf(e);
  }

  private rangeOf(v: TirVar): Bounds {
    const known = this.ranges.get(v);
    if (known) return intersectB(known, dtypeBounds(v.dtype)); // a bound range replaces the default assumption
    return this.nonNegativeVars && v.dtype === 'int64' ? NON_NEGATIVE : dtypeBounds(v.dtype);
  }

  /** True when `a` and `b` simplify to the same thing (integers: their canonical difference is 0). */
  equal(a: PrimExpr, b: PrimExpr): boolean {
    return a === b || (primDtype(a) === primDtype(b) && new Canon(this.env).sameValue(a, b));
  }
}

/** The analyzer with no facts beyond the defaults; it holds no state, so sharing it leaks nothing. */
const DEFAULT = new Analyzer();

/** Simplifies with the default analyzer (int64 vars >= 0, nothing else known). */
export function simplify(e: PrimExpr): PrimExpr {
  return DEFAULT.simplify(e);
}

/** Proves with the default analyzer. */
export function canProve(cond: PrimExpr): Proof {
  return DEFAULT.canProve(cond);
}

/** Bounds with the default analyzer. */
export function bounds(e: PrimExpr): Bounds {
  return DEFAULT.bounds(e);
}

/** `a == b`? 'true' when the canonical forms agree, 'false' when a difference is proven. */
export function proveEqual(a: PrimExpr, b: PrimExpr): Proof {
  return DEFAULT.canProve(binary('eq', a, b));
}

/** `a != b`? 'true' only when a difference is proven: the condition for reporting a shape mismatch. */
export function proveNotEqual(a: PrimExpr, b: PrimExpr): Proof {
  return DEFAULT.canProve(binary('ne', a, b));
}

/**
 * True when `a` and `b` are the same after simplification: integers by canonical difference 0, other
 * expressions by the equality of their simplified forms (variables by identity).
 */
export function exprEqual(a: PrimExpr, b: PrimExpr): boolean {
  return DEFAULT.equal(a, b);
}
