/**
 * Random testing, our stand-in for z3: thousands of seeded random expression trees over n, m, k with
 * + - * // % min max (and truncdiv/truncmod/select) and small constants. For each tree, on random variable
 * assignments: the simplified form evaluates to the same value (floor semantics), the bounds contain every value,
 * and canProve is never wrong ('true' holds on every sample, 'false' on none). Samples that divide by zero are
 * undefined in TIR and skipped.
 */
import { describe, expect, it } from 'vitest';
import type { PrimExpr } from '../tir/nodes.js';
import { Analyzer } from './index.js';
import type { E } from './testing.js';
import {
  DivByZero, add, c, eq, evaluate, fdiv, fmod, ge, gt, k, le, lt, m, max, min, mul, n, ne, prng, select, show, sub,
  tdiv, tmod,
} from './testing.js';

type Rand = () => number;
const VARS = [n, m, k];
const ARITH = [add, sub, mul, fdiv, fmod, min, max, add, sub, mul, fdiv, fmod, tdiv, tmod];
const CMPS = [eq, ne, lt, le, gt, ge];

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** A random tree; divisors are mostly non-zero constants so that most samples are defined. */
function gen(r: Rand, depth: number): PrimExpr {
  if (depth === 0 || r() < 0.2) return r() < 0.6 ? pick(r, VARS) : c(int(r, -4, 8));
  if (r() < 0.04) {
    const x = gen(r, depth - 1); // (x // c) * c + x % c, the quotient/remainder recombination
    const d = pick(r, [-3, 2, 4]);
    return add(mul(fdiv(x, d), d * pick(r, [1, 2])), mul(fmod(x, d), pick(r, [1, 2])));
  }
  if (r() < 0.05) return select(pick(r, CMPS)(gen(r, depth - 1), gen(r, depth - 1)), gen(r, depth - 1), gen(r, depth - 1));
  const op = pick(r, ARITH);
  const isDiv = op === fdiv || op === fmod || op === tdiv || op === tmod;
  const rhs: E = isDiv && r() < 0.7 ? pick(r, [-4, -3, -2, -1, 1, 2, 3, 4, 6, 8]) : gen(r, depth - 1);
  return op(gen(r, depth - 1), rhs);
}

/** Random assignments: non-negative (small, zero-heavy, and some large) or of either sign. */
function assignments(r: Rand, count: number, signed: boolean): Map<string, number>[] {
  const value = () => {
    const x = r() < 0.15 ? 0 : r() < 0.8 ? int(r, 0, 12) : int(r, 0, 5000);
    return signed && r() < 0.5 ? -x : x;
  };
  return Array.from({ length: count }, () => new Map(VARS.map((v) => [v.name, value()])));
}

function tryEval(e: PrimExpr, env: Map<string, number>): number | undefined {
  try {
    return evaluate(e, env);
  } catch (err) {
    if (err instanceof DivByZero) return undefined;
    throw err;
  }
}

/** Checks one tree under one analyzer; returns a description of the first problem. */
function checkTree(a: Analyzer, e: PrimExpr, envs: Map<string, number>[]): string | undefined {
  const s = a.simplify(e);
  const b = a.bounds(e);
  const bs = a.bounds(s);
  const proof = a.canProve(e);
  for (const env of envs) {
    const v = tryEval(e, env);
    if (v === undefined) continue;
    const where = `${show(e)} => ${show(s)} at ${JSON.stringify([...env])}`;
    let vs: number;
    try {
      vs = evaluate(s, env);
    } catch {
      return `simplified form fails: ${where}`;
    }
    if (vs !== v) return `value ${v} vs ${vs}: ${where}`;
    if (v < b.min || v > b.max) return `value ${v} outside bounds ${JSON.stringify(b)}: ${where}`;
    if (v < bs.min || v > bs.max) return `value ${v} outside simplified bounds ${JSON.stringify(bs)}: ${where}`;
    if ((proof === 'true' && v === 0) || (proof === 'false' && v !== 0)) return `canProve said ${proof}: ${where}`;
  }
  return undefined;
}

function run(seed: number, trees: number, signed: boolean, cond: boolean): string {
  const r = prng(seed);
  const a = new Analyzer({ nonNegativeVars: !signed });
  const failures: string[] = [];
  for (let i = 0; i < trees && failures.length < 5; i++) {
    const depth = int(r, 1, 4);
    const e = cond ? pick(r, CMPS)(gen(r, depth), gen(r, depth)) : gen(r, depth);
    const problem = checkTree(a, e, assignments(r, 20, signed));
    if (problem) failures.push(problem);
  }
  return failures.join('\n');
}

/** Like `run`, under bound ranges n in [1, 8], m in [0, 3], k in [-5, 5], sampled inside them. */
function runBound(seed: number, trees: number): string {
  const r = prng(seed);
  const a = new Analyzer();
  const ranges: [typeof n, number, number][] = [[n, 1, 8], [m, 0, 3], [k, -5, 5]];
  for (const [v, lo, hi] of ranges) a.bind(v, { min: lo, max: hi });
  const failures: string[] = [];
  for (let i = 0; i < trees && failures.length < 5; i++) {
    const e = r() < 0.3 ? pick(r, CMPS)(gen(r, 2), gen(r, 2)) : gen(r, int(r, 1, 4));
    const envs = Array.from({ length: 20 }, () => new Map(ranges.map(([v, lo, hi]) => [v.name, int(r, lo, hi)])));
    const problem = checkTree(a, e, envs);
    if (problem) failures.push(problem);
  }
  return failures.join('\n');
}

describe('random expressions agree with their simplified forms', () => {
  it('non-negative shape variables (default analyzer)', () => {
    expect(run(1, 3000, false, false)).toBe('');
  });
  it('variables of either sign', () => {
    expect(run(2, 3000, true, false)).toBe('');
  });
  it('conditions: simplify, bounds and canProve are never wrong', () => {
    expect(run(3, 3000, false, true)).toBe('');
    expect(run(4, 2000, true, true)).toBe('');
  });
  it('variables with bound ranges (bounds-driven rules fire often)', () => {
    expect(runBound(6, 3000)).toBe('');
  });
  it('canProve decides a good share of conditions (the oracle is not vacuous)', () => {
    const r = prng(5);
    const a = new Analyzer();
    let decided = 0;
    for (let i = 0; i < 500; i++) if (a.canProve(pick(r, CMPS)(gen(r, 2), gen(r, 2))) !== 'unknown') decided++;
    expect(decided).toBeGreaterThan(50);
  });
});
