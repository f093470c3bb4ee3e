/**
 * Test support for the arith tests (not part of the public surface): terse builders, a tiny infix printer in
 * TVMScript's Python style, a reference evaluator with floor semantics (the oracle for the random tests), and a
 * seeded PRNG. @internal
 */
import type { BinaryOp, PrimExpr } from '../tir/nodes.js';
import { binary, intImm, primDtype, tvar } from '../tir/nodes.js';

/** A PrimExpr or a number (an int64 constant). */
export type E = PrimExpr | number;

const lift = (x: E): PrimExpr => (typeof x === 'number' ? intImm(x, 'int64') : x);
const bin = (op: BinaryOp) => (a: E, b: E): PrimExpr => binary(op, lift(a), lift(b));

/** Builders named after their operators. @internal */
export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const fdiv = bin('floordiv');
export const fmod = bin('floormod');
export const tdiv = bin('div');
export const tmod = bin('mod');
export const min = bin('min');
export const max = bin('max');
export const eq = bin('eq');
export const ne = bin('ne');
export const lt = bin('lt');
export const le = bin('le');
export const gt = bin('gt');
export const ge = bin('ge');
export const and = bin('and');
export const or = bin('or');
export const not = (a: PrimExpr): PrimExpr => ({ kind: 'tir.Not', a, dtype: 'bool' });
export const select = (c: PrimExpr, t: E, f: E): PrimExpr => ({ kind: 'tir.Select', cond: c, t: lift(t), f: lift(f), dtype: primDtype(lift(t)) });
export const cast = (dtype: string, v: E): PrimExpr => ({ kind: 'tir.Cast', dtype, value: lift(v) });
export const c = lift;

/** int64 shape variables used throughout the tests. @internal */
export const n = tvar('n');
export const m = tvar('m');
export const k = tvar('k');

const INFIX: Partial<Record<BinaryOp, [string, number]>> = {
  or: ['or', 1], and: ['and', 2],
  eq: ['==', 4], ne: ['!=', 4], lt: ['<', 4], le: ['<=', 4], gt: ['>', 4], ge: ['>=', 4],
  add: ['+', 5], sub: ['-', 5], mul: ['*', 6], floordiv: ['//', 6], floormod: ['%', 6],
};
const CALLS: Partial<Record<BinaryOp, string>> = { min: 'T.min', max: 'T.max', div: 'T.truncdiv', mod: 'T.truncmod' };

/** Python-style text of an expression, with the parentheses the precedence needs. @internal */
export function show(e: PrimExpr, outer = 0, right = false): string {
  switch (e.kind) {
    case 'tir.Var':
      return e.name;
    case 'tir.IntImm':
      return e.dtype === 'bool' ? (e.value ? 'True' : 'False') : String(e.value);
    case 'tir.FloatImm':
      return String(e.value);
    case 'tir.Not':
      return wrap(`not ${show(e.a, 3)}`, 3, outer, right);
    case 'tir.Select':
      return `T.Select(${show(e.cond)}, ${show(e.t)}, ${show(e.f)})`;
    case 'tir.Cast':
      return `T.Cast("${e.dtype}", ${show(e.value)})`;
    case 'tir.Binary': {
      const call = CALLS[e.op];
      if (call) return `${call}(${show(e.a)}, ${show(e.b)})`;
      const [sym, prec] = INFIX[e.op]!;
      return wrap(`${show(e.a, prec)} ${sym} ${show(e.b, prec, true)}`, prec, outer, right);
    }
    default:
      return `<${e.kind}>`;
  }
}

function wrap(text: string, prec: number, outer: number, right: boolean): string {
  return prec < outer || (right && prec === outer) ? `(${text})` : text;
}

/** Raised by `evaluate` on a zero divisor: such samples are undefined and skipped. @internal */
export class DivByZero extends Error {}

/** Reference semantics: floor `//` and `%`, truncating T.truncdiv/T.truncmod, booleans as 0/1. @internal */
export function evaluate(e: PrimExpr, env: ReadonlyMap<string, number>): number {
  switch (e.kind) {
    case 'tir.Var': {
      const v = env.get(e.name);
      if (v === undefined) throw new Error(`unbound ${e.name}`);
      return v;
    }
    case 'tir.IntImm':
    case 'tir.FloatImm':
      return e.value;
    case 'tir.Not':
      return evaluate(e.a, env) ? 0 : 1;
    case 'tir.Select':
      return evaluate(e.cond, env) ? evaluate(e.t, env) : evaluate(e.f, env);
    case 'tir.Cast':
      return evaluate(e.value, env);
    case 'tir.Binary':
      return evalBinary(e.op, evaluate(e.a, env), evaluate(e.b, env));
    default:
      throw new Error(`cannot evaluate ${e.kind}`);
  }
}

function evalBinary(op: BinaryOp, x: number, y: number): number {
  if ((op === 'floordiv' || op === 'floormod' || op === 'div' || op === 'mod') && y === 0) throw new DivByZero();
  const R: Record<BinaryOp, () => number> = {
    add: () => x + y, sub: () => x - y, mul: () => x * y,
    floordiv: () => Math.floor(x / y), floormod: () => x - y * Math.floor(x / y),
    div: () => Math.trunc(x / y), mod: () => x - y * Math.trunc(x / y),
    min: () => Math.min(x, y), max: () => Math.max(x, y),
    eq: () => +(x === y), ne: () => +(x !== y), lt: () => +(x < y), le: () => +(x <= y), gt: () => +(x > y), ge: () => +(x >= y),
    and: () => +(!!x && !!y), or: () => +(!!x || !!y),
  };
  return R[op]();
}

/** mulberry32: a small seeded PRNG, so random tests are reproducible. @internal */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
