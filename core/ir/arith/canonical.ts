/**
 * One simplification run: converts TIR expressions to the canonical form (./poly.ts), applies the rule tables
 * (./rules.ts), computes bounds, and converts back to TIR in a stable, readable order. A `Canon` lives for one
 * public call (simplify / canProve / bounds) and is then dropped, so nothing is cached across calls or analyzers.
 *
 * Printing order: atoms in the order they first appear in the input (`n * m` stays `n * m`), coefficients after
 * the atom (`n * 4`), constants last (`n + 1`), negative terms as subtraction (`n - m`). Boolean expressions and
 * three-valued proofs are in ./logic.ts; this file hands them the integer machinery.
 */
import type { BinaryOp, PrimExpr, TirVar } from '../tir/nodes.js';
import { binary, floatImm, intImm, isFloatDtype, primDtype } from '../tir/nodes.js';
import type { Atom, AtomInfo, Term } from './poly.js';
import type { Poly } from './poly.js';
import { addPoly, atomPoly, constPoly, isConst, isExact, isZero, mulPoly, productSize } from './poly.js';
import type { Bounds } from './interval.js';
import * as iv from './interval.js';
import { isInt } from './interval.js';
import type { DivTag, RuleCtx } from './rules.js';
import { divMod, mergeDivMod, minMax } from './rules.js';
import { prove, simplifyBool } from './logic.js';

/** What a run needs to know about variables: the analyzer's facts. */
export interface Env {
  /** Known range of a variable (bind ranges, non-negativity of shape vars, dtype range). */
  range(v: TirVar): Bounds;
  /** A value bound to the variable, substituted wherever it appears. */
  value(v: TirVar): PrimExpr | undefined;
}

/** Above this many monomials a product stays a product atom instead of being expanded (no exponential blow-up). */
const MAX_PRODUCT_TERMS = 16;

const DIV_TAGS: Partial<Record<BinaryOp, DivTag>> = {
  floordiv: 'floordiv', floormod: 'floormod', div: 'truncdiv', mod: 'truncmod',
};
const DIV_OPS: Record<DivTag, BinaryOp> = { floordiv: 'floordiv', floormod: 'floormod', truncdiv: 'div', truncmod: 'mod' };

/** A single simplification run over one analyzer's facts. @internal */
export class Canon implements RuleCtx {
  private readonly atoms = new Map<string, Atom>();
  private readonly order = new Map<string, number>();
  private readonly ids = new Map<object, string>();
  private readonly atomBounds = new Map<string, Bounds>();
  // Rarely needed; made on first use (a run is often a handful of nodes, so allocation matters).
  private expanding: Set<TirVar> | undefined;
  private lets: Map<TirVar, Poly> | undefined;

  constructor(private readonly env: Env) {}

  // ------------------------------------------------------------ public entry points

  /** The simplified expression, same dtype. */
  simplify(e: PrimExpr): PrimExpr {
    const dt = primDtype(e);
    if (isInt(dt)) {
      const p = this.toPoly(e);
      return isExact(p) ? this.fromPoly(p) : e; // beyond 2**53 the arithmetic is not exact: leave it alone
    }
    if (dt === 'bool') return simplifyBool(this, e);
    return this.simplifyChildren(e);
  }

  /** Bounds of an integer expression (bool counts as 0/1, anything else is unbounded). */
  boundsOf(e: PrimExpr): Bounds {
    const dt = primDtype(e);
    if (isInt(dt)) return this.bounds(this.toPoly(e));
    if (dt === 'bool') {
      const p = prove(this, e);
      return p === 'true' ? iv.point(1) : p === 'false' ? iv.point(0) : { min: 0, max: 1 };
    }
    return iv.EVERYTHING;
  }

  /** True when both simplify to the same value: integers by canonical difference 0, others by structure. */
  sameValue(a: PrimExpr, b: PrimExpr): boolean {
    if (isInt(primDtype(a))) return isZero(addPoly(this.toPoly(a), this.toPoly(b), -1));
    return this.keyOf(this.simplify(a)) === this.keyOf(this.simplify(b));
  }

  // ------------------------------------------------------------ to canonical form

  /** The canonical form of an integer expression. */
  toPoly(e: PrimExpr): Poly {
    switch (e.kind) {
      case 'tir.IntImm':
        return constPoly(e.value, e.dtype);
      case 'tir.Var':
        return this.varPoly(e);
      case 'tir.Binary':
        return this.binaryPoly(e.op, e.a, e.b, e);
      case 'tir.Select':
        return this.selectPoly(e.cond, e.t, e.f);
      case 'tir.Cast':
        return this.castPoly(e.dtype, e.value);
      case 'tir.Let':
        return this.letPoly(e.v, e.value, e.body);
      default:
        return this.opaquePoly(e);
    }
  }

  private varPoly(v: TirVar): Poly {
    const local = this.lets?.get(v);
    if (local) return local;
    const value = this.env.value(v);
    if (value && isInt(primDtype(value)) && !this.expanding?.has(v)) {
      const expanding = (this.expanding ??= new Set());
      expanding.add(v);
      try {
        return this.toPoly(value);
      } finally {
        expanding.delete(v);
      }
    }
    const key = this.keyOfVar(v);
    return atomPoly(this.atoms.get(key) ?? this.makeAtom(key, { tag: 'var', v }, v), v.dtype);
  }

  private binaryPoly(op: BinaryOp, ea: PrimExpr, eb: PrimExpr, e: PrimExpr): Poly {
    if (!isInt(primDtype(ea)) || !isInt(primDtype(eb))) return this.opaquePoly(e);
    const a = this.toPoly(ea);
    const b = this.toPoly(eb);
    const div = DIV_TAGS[op];
    if (div) return divMod(this, div, a, b);
    switch (op) {
      case 'add': // x + y: like terms collected, constants folded
        return mergeDivMod(addPoly(a, b));
      case 'sub': // x - y -> x + y * -1
        return mergeDivMod(addPoly(a, b, -1));
      case 'mul': // (x + 1) * y -> x * y + y, unless the expansion would be large
        return productSize(a, b) > MAX_PRODUCT_TERMS ? this.atom({ tag: 'mul', a, b }, a.dtype) : mulPoly(a, b);
      case 'min':
      case 'max':
        return minMax(this, op, a, b);
      default:
        return this.opaquePoly(e);
    }
  }

  private selectPoly(cond: PrimExpr, et: PrimExpr, ef: PrimExpr): Poly {
    const known = prove(this, cond);
    if (known === 'true') return this.toPoly(et); // select(true, x, y) -> x
    if (known === 'false') return this.toPoly(ef); // select(false, x, y) -> y
    const t = this.toPoly(et);
    const f = this.toPoly(ef);
    if (t.key === f.key) return t; // select(c, x, x) -> x
    const c = simplifyBool(this, cond);
    const key = `sel(${this.keyOf(c)},${t.key},${f.key})`;
    const expr = () => ({ kind: 'tir.Select', cond: c, t: this.fromPoly(t), f: this.fromPoly(f), dtype: t.dtype }) as const;
    return atomPoly(this.makeAtom(key, { tag: 'select', t, f }, expr), t.dtype);
  }

  private castPoly(dtype: string, value: PrimExpr): Poly {
    const src = primDtype(value);
    if (isInt(src)) {
      const inner = this.toPoly(value);
      if (src === dtype) return inner; // int64(x: int64) -> x
      if (isConst(inner)) return constPoly(wrapInt(inner.c, dtype), dtype); // int32(5) -> 5
      const expr = () => ({ kind: 'tir.Cast', dtype, value: this.fromPoly(inner) }) as const;
      return atomPoly(this.makeAtom(`cast:${dtype}(${inner.key})`, { tag: 'cast', inner }, expr), dtype);
    }
    const v = this.simplify(value);
    if (v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm') return constPoly(wrapInt(Math.trunc(v.value), dtype), dtype);
    const expr = () => ({ kind: 'tir.Cast', dtype, value: v }) as const;
    return atomPoly(this.makeAtom(`cast:${dtype}(${this.keyOf(v)})`, { tag: 'cast', inner: null }, expr), dtype);
  }

  private letPoly(v: TirVar, value: PrimExpr, body: PrimExpr): Poly {
    if (!isInt(primDtype(value))) return this.opaquePoly({ kind: 'tir.Let', v, value, body, dtype: primDtype(body) });
    const lets = (this.lets ??= new Map());
    const saved = lets.get(v);
    lets.set(v, this.toPoly(value)); // let v = e in body -> body[v := e]
    try {
      return this.toPoly(body);
    } finally {
      if (saved) lets.set(v, saved);
      else lets.delete(v);
    }
  }

  private opaquePoly(e: PrimExpr): Poly {
    const s = this.simplifyChildren(e);
    return atomPoly(this.makeAtom(`op:${this.keyOf(s)}`, { tag: 'opaque' }, s), primDtype(e));
  }

  // ------------------------------------------------------------ atoms

  /** The atom with this key, made once per run; its first appearance fixes its printing order. */
  private makeAtom(key: string, info: AtomInfo, expr: PrimExpr | (() => PrimExpr)): Atom {
    let a = this.atoms.get(key);
    if (!a) {
      a = { key, info, expr: typeof expr === 'function' ? expr() : expr };
      this.atoms.set(key, a);
      this.order.set(key, this.order.size);
    }
    return a;
  }

  /** RuleCtx: an irreducible division, min/max or product. */
  atom(info: AtomInfo, dtype: string): Poly {
    switch (info.tag) {
      case 'floordiv':
      case 'floormod':
      case 'truncdiv':
      case 'truncmod': {
        const { num, den } = info;
        const expr = () => binary(DIV_OPS[info.tag], this.fromPoly(num), this.fromPoly(den));
        return atomPoly(this.makeAtom(`${info.tag}(${num.key}|${den.key})`, info, expr), dtype);
      }
      case 'min':
      case 'max':
      case 'mul': {
        const { a, b } = info;
        const key = `${info.tag}(${[a.key, b.key].sort().join('|')})`; // commutative: min(x, y) is min(y, x)
        return atomPoly(this.makeAtom(key, info, () => binary(info.tag, this.fromPoly(a), this.fromPoly(b))), dtype);
      }
      default:
        throw new Error(`arith: atom() does not build ${info.tag} atoms`);
    }
  }

  private keyOfVar(v: object): string {
    let key = this.ids.get(v);
    if (key === undefined) {
      key = `v${this.ids.size}`;
      this.ids.set(v, key);
    }
    return key;
  }

  /** A structural key for a simplified expression outside the canonical form (calls, loads, floats, bools). */
  keyOf(e: PrimExpr): string {
    switch (e.kind) {
      case 'tir.Var':
        return this.keyOfVar(e);
      case 'tir.IntImm':
      case 'tir.FloatImm':
        return `${e.value}:${e.dtype}`;
      case 'tir.StringImm':
        return JSON.stringify(e.value);
      case 'tir.Binary':
        return `${e.op}(${this.keyOf(e.a)},${this.keyOf(e.b)})`;
      case 'tir.Not':
        return `not(${this.keyOf(e.a)})`;
      case 'tir.Select':
        return `sel(${this.keyOf(e.cond)},${this.keyOf(e.t)},${this.keyOf(e.f)})`;
      case 'tir.Cast':
        return `cast:${e.dtype}(${this.keyOf(e.value)})`;
      case 'tir.Call':
        return `call:${e.op}:${e.dtype}(${e.args.map((x) => this.keyOf(x)).join(',')})`;
      case 'tir.BufferLoad':
        return `load:${this.keyOfVar(e.buffer)}[${e.indices.map((x) => this.keyOf(x)).join(',')}]`;
      case 'tir.Let':
        return `let:${this.keyOfVar(e.v)}=${this.keyOf(e.value)};${this.keyOf(e.body)}`;
    }
  }

  // ------------------------------------------------------------ bounds

  /** RuleCtx: bounds of a canonical expression by interval arithmetic over its monomials. */
  bounds(p: Poly): Bounds {
    let acc = iv.point(p.c);
    for (const t of p.terms.values()) acc = iv.addB(acc, iv.scaleB(this.monomialBounds(t), t.coeff));
    return acc;
  }

  private monomialBounds(t: Term): Bounds {
    let acc = iv.point(1);
    for (let i = 0; i < t.atoms.length; ) {
      let j = i + 1;
      while (j < t.atoms.length && t.atoms[j]!.key === t.atoms[i]!.key) j++;
      acc = iv.mulB(acc, iv.powB(this.atomBoundsOf(t.atoms[i]!), j - i)); // x * x is never negative
      i = j;
    }
    return acc;
  }

  private atomBoundsOf(a: Atom): Bounds {
    let b = this.atomBounds.get(a.key);
    if (!b) {
      b = iv.intersectB(this.computeAtomBounds(a.info, primDtype(a.expr)), iv.dtypeBounds(primDtype(a.expr)));
      this.atomBounds.set(a.key, b);
    }
    return b;
  }

  private computeAtomBounds(info: AtomInfo, dtype: string): Bounds {
    switch (info.tag) {
      case 'var':
        return this.env.range(info.v);
      case 'floordiv':
        return iv.floorDivB(this.bounds(info.num), this.bounds(info.den));
      case 'floormod':
        return iv.floorModB(this.bounds(info.num), this.bounds(info.den));
      case 'truncdiv':
        return iv.truncDivB(this.bounds(info.num), this.bounds(info.den));
      case 'truncmod':
        return iv.truncModB(this.bounds(info.num), this.bounds(info.den));
      case 'min':
        return iv.minB(this.bounds(info.a), this.bounds(info.b));
      case 'max':
        return iv.maxB(this.bounds(info.a), this.bounds(info.b));
      case 'mul':
        return iv.mulB(this.bounds(info.a), this.bounds(info.b));
      case 'select':
        return iv.unionB(this.bounds(info.t), this.bounds(info.f));
      case 'cast':
        return info.inner ? castBounds(this.bounds(info.inner), dtype) : iv.EVERYTHING;
      case 'opaque':
        return iv.EVERYTHING;
    }
  }

  // ------------------------------------------------------------ back to TIR

  /** The readable TIR form of a canonical expression. */
  fromPoly(p: Poly): PrimExpr {
    const terms = this.printOrder(p);
    const leadConst = p.c > 0 && terms.length > 0 && terms.every((t) => t.coeff < 0); // 5 - n, not n * -1 + 5
    let acc: PrimExpr | undefined = leadConst ? intImm(p.c, p.dtype) : undefined;
    for (const t of terms) {
      if (!acc) acc = this.termExpr(t, t.coeff, p.dtype);
      else if (t.coeff > 0) acc = binary('add', acc, this.termExpr(t, t.coeff, p.dtype));
      else acc = binary('sub', acc, this.termExpr(t, -t.coeff, p.dtype)); // x + y * -1 -> x - y
    }
    if (!acc) return intImm(p.c, p.dtype);
    if (leadConst || p.c === 0) return acc;
    return p.c > 0 ? binary('add', acc, intImm(p.c, p.dtype)) : binary('sub', acc, intImm(-p.c, p.dtype));
  }

  /** Terms in first-appearance order, except that a positive term leads when the first one is negative. */
  private printOrder(p: Poly): Term[] {
    const terms = [...p.terms.values()];
    if (terms.length > 1 && terms[0]!.coeff < 0) {
      const i = terms.findIndex((t) => t.coeff > 0);
      if (i > 0) terms.unshift(...terms.splice(i, 1));
    }
    return terms;
  }

  /** `a * b * k`, atoms in first-appearance order. */
  private termExpr(t: Term, k: number, dtype: string): PrimExpr {
    const atoms = t.atoms.length > 1 ? [...t.atoms].sort((x, y) => this.rank(x) - this.rank(y)) : t.atoms;
    let acc = atoms[0]!.expr;
    for (let i = 1; i < atoms.length; i++) acc = binary('mul', acc, atoms[i]!.expr);
    return k === 1 ? acc : binary('mul', acc, intImm(k, dtype));
  }

  private rank(a: Atom): number {
    return this.order.get(a.key) ?? Number.MAX_SAFE_INTEGER;
  }

  // ------------------------------------------------------------ non-integer expressions

  /** Simplifies the children of a float/handle/opaque expression, folding float constants. */
  simplifyChildren(e: PrimExpr): PrimExpr {
    switch (e.kind) {
      case 'tir.Binary': {
        const a = this.simplify(e.a);
        const b = this.simplify(e.b);
        return foldFloat(e.op, a, b, e.dtype) ?? (a === e.a && b === e.b ? e : { ...e, a, b });
      }
      case 'tir.Not':
      case 'tir.Cast':
        return e.kind === 'tir.Not' ? simplifyBool(this, e) : this.castChildren(e.dtype, e.value, e);
      case 'tir.Select': {
        const known = prove(this, e.cond);
        if (known !== 'unknown') return this.simplify(known === 'true' ? e.t : e.f);
        return { ...e, cond: this.simplify(e.cond), t: this.simplify(e.t), f: this.simplify(e.f) };
      }
      case 'tir.Call':
        return { ...e, args: e.args.map((x) => this.simplify(x)) };
      case 'tir.BufferLoad':
        return { ...e, indices: e.indices.map((x) => this.simplify(x)) };
      case 'tir.Let':
        return { ...e, value: this.simplify(e.value), body: this.simplify(e.body) };
      default:
        return e;
    }
  }

  private castChildren(dtype: string, value: PrimExpr, e: PrimExpr): PrimExpr {
    const v = this.simplify(value);
    if ((v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm') && isFloatDtype(dtype)) return floatImm(roundTo(v.value, dtype), dtype);
    return v === value ? e : { kind: 'tir.Cast', dtype, value: v };
  }
}

/** Float constant folding; integer constants mixed in count as their value. */
function foldFloat(op: BinaryOp, a: PrimExpr, b: PrimExpr, dtype: string): PrimExpr | undefined {
  if (!isFloatDtype(dtype) || !isNum(a) || !isNum(b)) return undefined;
  const x = a.value;
  const y = b.value;
  const FOLD: Partial<Record<BinaryOp, number>> = {
    add: x + y, sub: x - y, mul: x * y, div: x / y, min: Math.min(x, y), max: Math.max(x, y),
    floordiv: Math.floor(x / y), floormod: x - y * Math.floor(x / y),
  };
  const r = FOLD[op];
  return r === undefined ? undefined : floatImm(roundTo(r, dtype), dtype);
}

function isNum(e: PrimExpr): e is Extract<PrimExpr, { kind: 'tir.IntImm' | 'tir.FloatImm' }> {
  return e.kind === 'tir.IntImm' || e.kind === 'tir.FloatImm';
}

function roundTo(x: number, dtype: string): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

/** A value converted to a narrower integer dtype wraps (two's complement), as TVM's constant folding does. */
function wrapInt(v: number, dtype: string): number {
  const m = /^(u?)int(\d+)$/.exec(dtype);
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  if (!m || Number(m[2]) > 32) return v;
  const bits = Number(m[2]);
  const span = 2 ** bits;
  const u = ((v % span) + span) % span;
  return m[1] === 'u' || u < span / 2 ? u : u - span;
}

/** A cast assumes the value fits the target dtype (as TVM's ConstIntBound does): the inner bounds, clipped. */
function castBounds(inner: Bounds, dtype: string): Bounds {
  return iv.intersectB(inner, iv.dtypeRange(dtype));
}
