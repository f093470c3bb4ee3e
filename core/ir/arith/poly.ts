/**
 * The canonical form of an integer expression: a sum of monomials with integer coefficients plus a constant, where
 * a monomial is a product of atoms (variables and irreducible floordiv/floormod/min/max/select/cast/calls/loads).
 * Like terms are collected by key, so `n * 4` and `4 * n` are the same Poly and `x - x` is 0. A Poly is immutable;
 * its Map keeps terms in the order they first appeared, which is the order they print in (see ./canonical.ts).
 *
 * This file is pure algebra: it never looks at bounds or TIR nodes beyond holding them; the rules that need
 * bounds (division, min/max) live in ./rules.ts.
 */
import type { PrimExpr, TirVar } from '../tir/nodes.js';

/** What an atom stands for; the rules look inside floordiv/floormod/min/max atoms to rewrite nested forms. */
export type AtomInfo =
  | { readonly tag: 'var'; readonly v: TirVar }
  | { readonly tag: 'floordiv' | 'floormod' | 'truncdiv' | 'truncmod'; readonly num: Poly; readonly den: Poly }
  | { readonly tag: 'min' | 'max' | 'mul'; readonly a: Poly; readonly b: Poly }
  | { readonly tag: 'select'; readonly t: Poly; readonly f: Poly }
  | { readonly tag: 'cast'; readonly inner: Poly | null }
  | { readonly tag: 'opaque' };

/** An irreducible integer value: its identity (`key`), what it is, and the expression it prints as. */
export interface Atom {
  readonly key: string;
  readonly info: AtomInfo;
  readonly expr: PrimExpr;
}

/** `coeff * atoms[0] * atoms[1] * ...`; atoms sorted by key (with repeats), so equal monomials share `key`. */
export interface Term {
  readonly key: string;
  readonly atoms: readonly Atom[];
  readonly coeff: number;
}

/** `sum(terms) + c`, in dtype `dtype`. */
export class Poly {
  private cachedKey: string | undefined;
  constructor(
    readonly dtype: string,
    readonly terms: ReadonlyMap<string, Term>,
    readonly c: number,
  ) {}

  /** A canonical string: equal Polys (up to term order) have equal keys; used for atom identity. */
  get key(): string {
    if (this.cachedKey === undefined) {
      const parts = [...this.terms.values()].map((t) => `${t.coeff}*${t.key}`).sort();
      parts.push(String(this.c));
      this.cachedKey = parts.join('+');
    }
    return this.cachedKey;
  }
}

const NO_TERMS: ReadonlyMap<string, Term> = new Map();

/** The constant `k`. */
export function constPoly(k: number, dtype: string): Poly {
  return new Poly(dtype, NO_TERMS, k);
}

/** `1 * atom`. */
export function atomPoly(atom: Atom, dtype: string): Poly {
  return new Poly(dtype, new Map([[atom.key, { key: atom.key, atoms: [atom], coeff: 1 }]]), 0);
}

/** True when the Poly has no terms (it is its constant). */
export function isConst(p: Poly): boolean {
  return p.terms.size === 0;
}

/** True when the Poly is exactly 0. */
export function isZero(p: Poly): boolean {
  return p.terms.size === 0 && p.c === 0;
}

/** The atom when `p` is exactly `1 * atom + 0`. */
export function singleAtom(p: Poly): Atom | undefined {
  if (p.c !== 0 || p.terms.size !== 1) return undefined;
  const t = p.terms.values().next().value as Term;
  return t.coeff === 1 && t.atoms.length === 1 ? t.atoms[0] : undefined;
}

/** Adds `k * t` into `into`, dropping the term when the coefficients cancel (`x - x -> 0`). */
function addTerm(into: Map<string, Term>, t: Term, k: number): void {
  const old = into.get(t.key);
  const coeff = (old ? old.coeff : 0) + k * t.coeff;
  if (coeff === 0) into.delete(t.key);
  else into.set(t.key, { key: t.key, atoms: t.atoms, coeff });
}

/** `a + k * b`; `k = -1` is subtraction. Terms of `a` keep their place, new terms of `b` follow. */
export function addPoly(a: Poly, b: Poly, k = 1): Poly {
  if (isZero(b)) return a;
  const terms = new Map(a.terms);
  for (const t of b.terms.values()) addTerm(terms, t, k);
  return new Poly(a.dtype, terms, a.c + k * b.c);
}

/** `p * k`: `x * 1 -> x`, `x * 0 -> 0`. */
export function scalePoly(p: Poly, k: number): Poly {
  if (k === 1) return p;
  if (k === 0) return constPoly(0, p.dtype);
  const terms = new Map<string, Term>();
  for (const t of p.terms.values()) terms.set(t.key, { key: t.key, atoms: t.atoms, coeff: t.coeff * k });
  return new Poly(p.dtype, terms, p.c * k);
}

/** The product of two monomials: atoms merged in key order, coefficients multiplied. */
function mulTerms(a: Term, b: Term): Term {
  if (a.atoms.length === 1 && b.atoms.length === 1) {
    const [x, y] = a.key <= b.key ? [a.atoms[0]!, b.atoms[0]!] : [b.atoms[0]!, a.atoms[0]!];
    return { key: `${x.key}*${y.key}`, atoms: [x, y], coeff: a.coeff * b.coeff };
  }
  const atoms = [...a.atoms, ...b.atoms].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { key: atoms.map((x) => x.key).join('*'), atoms, coeff: a.coeff * b.coeff };
}

/** Number of monomials the expanded product `a * b` would have at most: the blow-up guard's measure. */
export function productSize(a: Poly, b: Poly): number {
  return (a.terms.size + (a.c !== 0 ? 1 : 0)) * (b.terms.size + (b.c !== 0 ? 1 : 0));
}

/** `a * b`, fully expanded (distribution): `(x + 1) * y -> x * y + y`. */
export function mulPoly(a: Poly, b: Poly): Poly {
  if (isConst(a)) return scalePoly(b, a.c);
  if (isConst(b)) return scalePoly(a, b.c);
  const terms = new Map<string, Term>();
  for (const ta of a.terms.values()) {
    for (const tb of b.terms.values()) addTerm(terms, mulTerms(ta, tb), 1);
    if (b.c !== 0) addTerm(terms, ta, b.c);
  }
  if (a.c !== 0) for (const tb of b.terms.values()) addTerm(terms, tb, a.c);
  return new Poly(a.dtype, terms, a.c * b.c);
}

/** Greatest common divisor of two integers (non-negative result). */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

/** gcd of the term coefficients (the constant left out); 0 for a constant Poly. */
export function termGcd(p: Poly): number {
  let g = 0;
  for (const t of p.terms.values()) g = gcd(g, t.coeff);
  return g;
}

/** The terms whose coefficient `f(coeff)` keeps, with the new coefficient; the constant is `c`. */
export function mapTerms(p: Poly, f: (coeff: number) => number | undefined, c: number): Poly {
  const terms = new Map<string, Term>();
  for (const t of p.terms.values()) {
    const k = f(t.coeff);
    if (k !== undefined && k !== 0) terms.set(t.key, { key: t.key, atoms: t.atoms, coeff: k });
  }
  return new Poly(p.dtype, terms, c);
}

/** `p` without the terms under these keys. */
export function withoutTerms(p: Poly, keys: readonly string[]): Poly {
  const terms = new Map(p.terms);
  for (const key of keys) terms.delete(key);
  return new Poly(p.dtype, terms, p.c);
}

/** The terms both Polys have with the same coefficient (and the constant when equal): `min(x + z, y + z)`'s `z`. */
export function commonPart(a: Poly, b: Poly): Poly {
  const terms = new Map<string, Term>();
  for (const t of a.terms.values()) if (b.terms.get(t.key)?.coeff === t.coeff) terms.set(t.key, t);
  return new Poly(a.dtype, terms, a.c === b.c ? a.c : 0);
}

/** The monomial quotient `p / (k * atoms)` when every term (and the constant, which must be 0) divides exactly. */
export function divideByMonomial(p: Poly, d: Term): Poly | undefined {
  if (p.c !== 0) return undefined;
  const terms = new Map<string, Term>();
  let c = 0;
  for (const t of p.terms.values()) {
    const q = divideTerm(t, d);
    if (!q) return undefined;
    if (q.atoms.length === 0) c += q.coeff; // (n * m) / (n * m) -> 1
    else addTerm(terms, q, 1);
  }
  return new Poly(p.dtype, terms, c);
}

/** `t / d` for monomials, when d's atoms are a sub-multiset of t's and its coefficient divides. */
function divideTerm(t: Term, d: Term): Term | undefined {
  if (t.coeff % d.coeff !== 0) return undefined;
  const rest = [...t.atoms];
  for (const a of d.atoms) {
    const i = rest.findIndex((x) => x.key === a.key);
    if (i < 0) return undefined;
    rest.splice(i, 1);
  }
  return { key: rest.map((x) => x.key).join('*'), atoms: rest, coeff: t.coeff / d.coeff };
}

/** The only term of a single-monomial, constant-free Poly. */
export function onlyTerm(p: Poly): Term | undefined {
  if (p.c !== 0 || p.terms.size !== 1) return undefined;
  return p.terms.values().next().value as Term;
}

/** True when every coefficient and the constant are exact integers (beyond 2**53 we stop simplifying). */
export function isExact(p: Poly): boolean {
  if (!Number.isSafeInteger(p.c)) return false;
  for (const t of p.terms.values()) if (!Number.isSafeInteger(t.coeff)) return false;
  return true;
}
