/**
 * PrimExpr and attribute-value printing with Python precedence and minimal parentheses. Used by both printers:
 * TIR prints int32 immediates plain and others typed (`T.int64(4)`); Relax shapes print int64 plain (`n * 4`).
 * Leaves variable naming to the caller through `PrimEnv` (the Relax printer quotes signature dims, the TIR
 * printer declares free vars).
 */
import type { AttrValue } from '../attrs.js';
import { isPrimAttr } from '../attrs.js';
import type { Binary, Buffer, DataType, Let, PrimExpr, TirCall, TirVar } from '../tir/nodes.js';
import { isFloatDtype, isIntDtype, primDtype } from '../tir/nodes.js';
import { pyFloatRepr, pyStr } from './pyfloat.js';

/** How the caller names vars and buffers, and which int dtype prints as a bare Python int. */
export interface PrimEnv {
  varName(v: TirVar): string;
  bufferName(b: Buffer): string;
  /** "int32" in TIR, "int64" in Relax (shapes). */
  readonly plainInt: DataType;
  /** `T.<name>`, marking the T prefix as used. */
  t(name: string): string;
  /** Names a var bound inside the expression (`T.Let`); defaults to `varName`. */
  defineVar?(v: TirVar): string;
}

/** Precedence levels, loosest first (Python's table). */
const enum P {
  Or = 1,
  And = 2,
  Not = 3,
  Cmp = 4,
  Add = 5,
  Mul = 6,
  Unary = 7,
  Atom = 8,
}

interface Printed {
  readonly text: string;
  readonly prec: number;
}

const INFIX: Partial<Record<Binary['op'], readonly [string, P]>> = {
  add: ['+', P.Add],
  sub: ['-', P.Add],
  mul: ['*', P.Mul],
  floordiv: ['//', P.Mul],
  floormod: ['%', P.Mul],
  eq: ['==', P.Cmp],
  ne: ['!=', P.Cmp],
  lt: ['<', P.Cmp],
  le: ['<=', P.Cmp],
  gt: ['>', P.Cmp],
  ge: ['>=', P.Cmp],
  and: ['and', P.And],
  or: ['or', P.Or],
};

/** A PrimExpr as Python source with minimal parentheses: both printers and the standalone `printPrimExpr` use it. */
export function printPrim(e: PrimExpr, env: PrimEnv): string {
  return prim(e, env).text;
}

function atom(text: string): Printed {
  return { text, prec: P.Atom };
}

function prim(e: PrimExpr, env: PrimEnv): Printed {
  switch (e.kind) {
    case 'tir.Var':
      return atom(env.varName(e));
    case 'tir.IntImm':
      return intImm(e.value, e.dtype, env);
    case 'tir.FloatImm':
      return atom(typedFloat(e.value, e.dtype, env));
    case 'tir.StringImm':
      return atom(pyStr(e.value));
    case 'tir.Binary':
      return binaryExpr(e, env);
    case 'tir.Not':
      return { text: `not ${wrap(prim(e.a, env), P.Not)}`, prec: P.Not };
    case 'tir.Select':
      return atom(`${env.t('Select')}(${list([e.cond, e.t, e.f], env)})`);
    case 'tir.Cast':
      return atom(`${env.t('Cast')}(${pyStr(e.dtype)}, ${printPrim(e.value, env)})`);
    case 'tir.Call':
      return atom(intrinsicCall(e, env));
    case 'tir.BufferLoad':
      return atom(`${env.bufferName(e.buffer)}[${indexList(e.indices, env)}]`);
    case 'tir.Let':
      return letExpr(e, env);
  }
}

/** `T.Let(body, where={v: value})`: the var is named before the body uses it. */
function letExpr(e: Let, env: PrimEnv): Printed {
  const value = printPrim(e.value, env);
  const name = env.defineVar ? env.defineVar(e.v) : env.varName(e.v);
  return atom(`${env.t('Let')}(${printPrim(e.body, env)}, where={${name}: ${value}})`);
}

/** Intrinsics whose first argument is the result dtype (`T.call_extern("float32", "f", x)`). */
const DTYPE_FIRST = new Set(['call_extern', 'call_pure_extern', 'call_intrin', 'call_llvm_intrin', 'call_llvm_pure_intrin', 'reinterpret']);
const BOOL_RESULT = new Set(['isnan', 'isinf', 'isfinite']);
const INT32_RESULT = new Set(['call_packed', 'call_cpacked']);

/** `T.exp(x)`; the result dtype is written (`dtype="..."`) only when it differs from what the arguments imply. */
function intrinsicCall(e: TirCall, env: PrimEnv): string {
  const fn = env.t(e.op);
  if (DTYPE_FIRST.has(e.op)) return `${fn}(${[pyStr(e.dtype), ...e.args.map((a) => printPrim(a, env))].join(', ')})`;
  const first = e.op === 'if_then_else' ? e.args[1] : e.args.find((a) => a.kind !== 'tir.StringImm');
  const implied = BOOL_RESULT.has(e.op) ? 'bool' : INT32_RESULT.has(e.op) ? 'int32' : first ? primDtype(first) : 'int32';
  const args = e.args.map((a) => printPrim(a, env));
  if (e.dtype !== implied) args.push(`dtype=${pyStr(e.dtype)}`);
  return `${fn}(${args.join(', ')})`;
}

function list(es: readonly PrimExpr[], env: PrimEnv): string {
  return es.map((x) => printPrim(x, env)).join(', ');
}

/** Subscript contents: `i, j`, and `()` for a 0-d buffer. */
export function indexList(es: readonly PrimExpr[], env: PrimEnv): string {
  return es.length === 0 ? '()' : list(es, env);
}

function intImm(value: number, dtype: DataType, env: PrimEnv): Printed {
  if (dtype === 'bool') return atom(`${env.t('bool')}(${value ? 'True' : 'False'})`);
  const text = intText(value, dtype);
  if (dtype === env.plainInt) return { text, prec: value < 0 ? P.Unary : P.Atom };
  return atom(`${env.t(dtype)}(${text})`);
}

/**
 * An integer as Python writes it. Values beyond 2^53 are doubles here, so the nearest double of INT64_MAX is 2^63:
 * it is clamped back into the dtype's range, which restores the sentinels TVM uses (INT64_MAX / INT64_MIN).
 */
export function intText(value: number, dtype: DataType = 'int64'): string {
  if (Number.isSafeInteger(value)) return String(value);
  let v = BigInt(Math.trunc(value));
  const m = /^(u?)int(\d+)$/.exec(dtype);
  if (m) {
    const bits = BigInt(m[2]!);
    const [lo, hi] = m[1] ? [BigInt(0), (BigInt(1) << bits) - BigInt(1)] : [-(BigInt(1) << (bits - BigInt(1))), (BigInt(1) << (bits - BigInt(1))) - BigInt(1)];
    v = v < lo ? lo : v > hi ? hi : v;
  }
  return v.toString();
}

/** `T.float32(0.5)`; non-finite values as strings (`T.float32("inf")`), which TVMScript accepts. */
function typedFloat(value: number, dtype: DataType, env: PrimEnv): string {
  const r = pyFloatRepr(value);
  const arg = Number.isFinite(value) ? r : pyStr(r);
  return `${env.t(dtype)}(${arg})`;
}

function binaryExpr(e: Binary, env: PrimEnv): Printed {
  const infix = INFIX[e.op];
  if (infix) return infixExpr(e, infix[0], infix[1], env);
  const integer = isIntDtype(e.dtype) || !isFloatDtype(e.dtype);
  if (e.op === 'div' && !integer) return infixExpr(e, '/', P.Mul, env);
  const fn = e.op === 'div' ? 'truncdiv' : e.op === 'mod' ? 'truncmod' : e.op;
  return atom(`${env.t(fn)}(${printPrim(e.a, env)}, ${printPrim(e.b, env)})`);
}

/** Left-associative: the right operand of an equal-precedence op needs parentheses; comparisons never chain. */
function infixExpr(e: Binary, sym: string, prec: P, env: PrimEnv): Printed {
  const a = prim(e.a, env);
  const b = prim(e.b, env);
  const left = prec === P.Cmp ? wrap(a, prec + 1) : wrap(a, prec);
  const right = wrap(b, prec + 1);
  return { text: `${left} ${sym} ${right}`, prec };
}

function wrap(p: Printed, min: number): string {
  return p.prec < min ? `(${p.text})` : p.text;
}

/**
 * An attribute value (`axis=[1]`, `R.func_attr({...})`, block annotations): ints plain, floats as Python repr,
 * strings double-quoted, None/True/False, lists and dicts, symbolic values through the prim printer.
 */
export function printAttrValue(v: AttrValue, env: PrimEnv): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${(v as readonly AttrValue[]).map((x) => printAttrValue(x, env)).join(', ')}]`;
  if (isPrimAttr(v)) return attrPrim(v, env);
  const node = v as Exclude<AttrValue, null | boolean | string | readonly AttrValue[] | PrimExpr>;
  if (node.kind === 'attr.Opaque') return node.text;
  return `{${node.entries.map(([k, x]) => `${pyStr(k)}: ${printAttrValue(x, env)}`).join(', ')}}`;
}

/** Python literals read back as int64/float64/bool (relax-attrs.ts), so other dtypes print typed. */
function attrPrim(v: PrimExpr, env: PrimEnv): string {
  if (v.kind === 'tir.IntImm' && v.dtype === 'int64') return intText(v.value);
  if (v.kind === 'tir.FloatImm' && v.dtype === 'float64' && Number.isFinite(v.value)) return pyFloatRepr(v.value);
  if (v.kind === 'tir.IntImm' || v.kind === 'tir.FloatImm') return printPrim(v, { ...env, plainInt: 'int64' });
  return printPrim(v, env);
}
