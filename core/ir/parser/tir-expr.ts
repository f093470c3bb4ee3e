/**
 * TIR expressions: Python expression syntax (pyast.ts) -> PrimExpr (../tir/nodes.ts), with TVM's dtype rules.
 *
 * - Operators map as TVMScript does: `/` -> div, `//` -> floordiv, `%` -> floormod, `**` -> pow, chained
 *   comparisons -> `and` of the pairs, unary minus -> `x * -1` (TVM's `__neg__`).
 * - Python literals are "weak": alone an int is int32 (int64 when it does not fit) and a float float32; next to a
 *   typed operand they take its dtype (`n * 2` with int64 `n` is int64). Literal-only arithmetic (`2 * 3`) is folded
 *   first, as Python would. Mismatched operands are promoted (int -> float, narrow -> wide) with folded casts.
 * - `T.<dtype>(v)` is a typed literal or a cast, `T.<dtype>()` a fresh symbolic var; known intrinsics keep their
 *   result dtype rules, and any other `T.xxx(...)` becomes a TirCall named "xxx" (unknown intrinsics are kept).
 *
 * Scopes, the build context and small helpers shared with tir-stmt.ts live here too. Statements, buffers and
 * blocks are tir-stmt.ts; PrimFunc signatures and the root block are tir-builder.ts. No simplification beyond
 * literal folding is done here (that is ../arith).
 */
import type { Span } from '../span.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { PyCall, PyExpr, PyKeyword } from './pyast.js';
import type { BinaryOp, Buffer, DataType, PrimExpr, TirVar } from '../tir/nodes.js';
import { binary, boolImm, floatImm, intImm, isFloatDtype, isIntDtype, primDtype, tvar } from '../tir/nodes.js';

// ---------------------------------------------------------------- scope and context

/** Names visible to TIR code: params, symbolic vars, loop/block/let vars and buffers. Nested per body. */
export interface TirScope {
  lookup(name: string): TirVar | Buffer | undefined;
  define(name: string, v: TirVar | Buffer): void;
  child(): TirScope;
}

class MapScope implements TirScope {
  private readonly names = new Map<string, TirVar | Buffer>();
  constructor(private readonly parent?: TirScope) {}
  lookup(name: string): TirVar | Buffer | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
  define(name: string, v: TirVar | Buffer): void {
    this.names.set(name, v);
  }
  child(): TirScope {
    return new MapScope(this);
  }
}

/** A fresh scope; the Relax builder passes its function-level symbolic vars in through `parent`. */
export function createTirScope(parent?: TirScope): TirScope {
  return new MapScope(parent);
}

/** What the TIR builder needs from its caller (the Relax/module builder). */
export interface TirBuildContext {
  diags: DiagnosticBag;
  /** Names bound to the T namespace: 'T' by default; from `from tvm.script import tir as T` / `tirx as T`. */
  tAliases: ReadonlySet<string>;
  /** RFC dialect: names used in shapes that were never declared become new int64 vars with a warning. */
  implicitVars?: boolean;
  /** The source text, for attribute values kept verbatim (`T.target({...})`); absent in unit tests. */
  text?: string;
}

/** @internal Where an expression is built: its scope, and where undeclared names may be declared (shapes, RFC). */
export interface ExprEnv {
  readonly scope: TirScope;
  readonly ctx: TirBuildContext;
  /** Set only in shape positions of the RFC dialect: undeclared names become int64 vars defined here. */
  readonly implicitScope?: TirScope;
}

// ---------------------------------------------------------------- helpers shared with tir-stmt.ts

/** @internal `T.a.b` -> "a.b" when the root name is bound to the T namespace; undefined otherwise. */
export function tPath(e: PyExpr, ctx: TirBuildContext): string | undefined {
  if (e.kind !== 'Attribute') return undefined;
  if (e.value.kind === 'Name') return ctx.tAliases.has(e.value.id) ? e.attr : undefined;
  const inner = tPath(e.value, ctx);
  return inner === undefined ? undefined : `${inner}.${e.attr}`;
}

/** @internal The T path of a call's callee (`T.grid(...)` -> "grid"). */
export function tCallPath(e: PyExpr, ctx: TirBuildContext): string | undefined {
  return e.kind === 'Call' ? tPath(e.func, ctx) : undefined;
}

const DTYPE_RE =
  /^(bool|handle|void|u?int(1|4|8|16|32|64)|float(8|16|32|64)|bfloat16|float(8|6|4)_e\d+m\d+(fn|fnuz|b11fnuz)?|e4m3_float8|e5m2_float8)(x\d+)?$/;

/** @internal True for a TVM dtype string ("float32", "int64", "bool", "float16x4", "handle", ...). */
export function isValidDtype(s: string): boolean {
  return DTYPE_RE.test(s);
}

/** @internal True for `T.<name>` spellings that are scalar type proxies (`T.int64`, `T.float32`, `T.bool`). */
export function isScalarTypeName(name: string): boolean {
  return name !== 'void' && name !== 'handle' && DTYPE_RE.test(name);
}

/** @internal Positional and keyword arguments of a call, matched to a parameter list as Python would. */
export interface BoundArgs {
  readonly args: ReadonlyMap<string, PyExpr>;
  /** Keywords not in the parameter list, in written order. */
  readonly extra: readonly PyKeyword[];
}

/**
 * @internal Matches a call's arguments to `params` (positional first, then keywords). Reports T302 and returns
 * undefined for too many positionals, a missing required parameter or a duplicate.
 */
export function bindArgs(
  call: PyCall,
  params: readonly string[],
  what: string,
  diags: DiagnosticBag,
  required = 0,
): BoundArgs | undefined {
  if (call.args.length > params.length) {
    diags.error('T302', `${what} takes at most ${params.length} positional argument(s). However, ${call.args.length} were given.`, call.span);
    return undefined;
  }
  const args = new Map<string, PyExpr>();
  call.args.forEach((a, i) => args.set(params[i]!, a));
  const extra: PyKeyword[] = [];
  for (const kw of call.keywords) {
    if (kw.name === null || !params.includes(kw.name)) {
      extra.push(kw);
    } else if (args.has(kw.name)) {
      diags.error('T302', `${what} takes each argument once. However, "${kw.name}" was given twice.`, kw.span);
      return undefined;
    } else {
      args.set(kw.name, kw.value);
    }
  }
  const missing = params.slice(0, required).find((p) => !args.has(p));
  if (missing !== undefined) {
    diags.error('T302', `${what} requires the argument "${missing}". However, it is missing.`, call.span);
    return undefined;
  }
  return { args, extra };
}

/** @internal Reports a wrong argument count of a T.* construct (T302). */
export function checkArity(call: PyCall, min: number, max: number, what: string, diags: DiagnosticBag): boolean {
  const n = call.args.length;
  if (n >= min && n <= max) return true;
  const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  diags.error('T302', `${what} takes ${want} argument(s). However, ${n} were given.`, call.span);
  return false;
}

/** @internal A dtype written as a string (`"float32"`) or a type proxy (`T.float32`); reports T304 when bad. */
export function readDtype(e: PyExpr, env: ExprEnv): DataType | undefined {
  let s: string | undefined;
  if (e.kind === 'Constant' && e.valueKind === 'str') s = String(e.value);
  else s = tPath(e, env.ctx);
  if (s === undefined || !isValidDtype(s)) {
    const found = s === undefined ? 'an expression' : `"${s}"`;
    env.ctx.diags.error('T304', `A dtype must be a TVM data type string such as "float32" or "int64". However, ${found} was given.`, e.span);
    return undefined;
  }
  return s;
}

/** @internal The string of a string literal, else undefined. */
export function strConst(e: PyExpr | undefined): string | undefined {
  return e && e.kind === 'Constant' && e.valueKind === 'str' ? String(e.value) : undefined;
}

/** @internal A Python bool literal's value, else undefined. */
export function boolConst(e: PyExpr | undefined): boolean | undefined {
  return e && e.kind === 'Constant' && e.valueKind === 'bool' ? Boolean(e.value) : undefined;
}

// ---------------------------------------------------------------- literals and dtypes

interface PyNum {
  readonly value: number;
  readonly isFloat: boolean;
}

/** @internal Evaluates literal-only Python arithmetic (`-1`, `2 * 3`, `1 / 2`); undefined for anything else. */
export function evalPyConst(e: PyExpr): PyNum | undefined {
  if (e.kind === 'Constant') {
    if (e.valueKind === 'int') return { value: Number(e.value), isFloat: false };
    if (e.valueKind === 'float') return { value: Number(e.value), isFloat: true };
    return undefined;
  }
  if (e.kind === 'UnaryOp' && (e.op === '-' || e.op === '+')) {
    const v = evalPyConst(e.operand);
    return v && { value: e.op === '-' ? -v.value : v.value, isFloat: v.isFloat };
  }
  if (e.kind === 'BinOp') {
    const a = evalPyConst(e.left);
    const b = evalPyConst(e.right);
    return a && b ? foldPy(e.op, a, b) : undefined;
  }
  return undefined;
}

function foldPy(op: string, a: PyNum, b: PyNum): PyNum | undefined {
  const isFloat = a.isFloat || b.isFloat;
  const x = a.value;
  const y = b.value;
  switch (op) {
    case '+': return { value: x + y, isFloat };
    case '-': return { value: x - y, isFloat };
    case '*': return { value: x * y, isFloat };
    case '/': return y === 0 ? undefined : { value: x / y, isFloat: true };
    case '//': return y === 0 ? undefined : { value: Math.floor(x / y), isFloat };
    case '%': return y === 0 ? undefined : { value: x - Math.floor(x / y) * y, isFloat };
    case '**': return { value: x ** y, isFloat: isFloat || y < 0 };
    default: return undefined;
  }
}

/** @internal A weak literal given the dtype it sits next to (`hint`), or its default (int32/int64, float32). */
export function literal(n: PyNum, hint: DataType | undefined, span?: Span): PrimExpr {
  if (n.isFloat) return floatImm(n.value, hint && isFloatDtype(hint) ? hint : 'float32', span);
  if (hint && isFloatDtype(hint)) return floatImm(n.value, hint, span);
  if (hint && (isIntDtype(hint) || hint === 'bool')) return intImm(n.value, hint, span);
  return intImm(n.value, Math.abs(n.value) < 2 ** 31 ? 'int32' : 'int64', span);
}

function bits(dtype: DataType): number {
  const m = /(\d+)/.exec(dtype);
  return m ? Number(m[1]) : dtype === 'bool' ? 1 : 32;
}

/** @internal The dtype two operands are promoted to: float beats int, wider beats narrower (TVM's rule). */
export function promotedDtype(a: DataType, b: DataType): DataType {
  if (a === b) return a;
  const fa = isFloatDtype(a);
  const fb = isFloatDtype(b);
  if (fa !== fb) return fa ? a : b;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  return bits(b) > bits(a) ? b : a;
}

/** @internal `tvm::cast`: identity for equal dtypes, folded for immediates, a Cast node otherwise. */
export function castTo(e: PrimExpr, dtype: DataType, span?: Span): PrimExpr {
  if (primDtype(e) === dtype) return e;
  if (e.kind === 'tir.IntImm' || e.kind === 'tir.FloatImm') {
    const sp = e.span ?? span;
    if (isFloatDtype(dtype)) return floatImm(e.value, dtype, sp);
    if (dtype === 'bool') return intImm(e.value !== 0 ? 1 : 0, 'bool', sp);
    if (isIntDtype(dtype)) return intImm(Math.trunc(e.value), dtype, sp);
  }
  return { kind: 'tir.Cast', dtype, value: e, ...(span ? { span } : {}) };
}

function promote(a: PrimExpr, b: PrimExpr): [PrimExpr, PrimExpr] {
  const t = promotedDtype(primDtype(a), primDtype(b));
  return [castTo(a, t), castTo(b, t)];
}

/** @internal A binary node with TVM's operand promotion. */
export function promotedBinary(op: BinaryOp, a: PrimExpr, b: PrimExpr, span?: Span): PrimExpr {
  const [x, y] = op === 'and' || op === 'or' ? [a, b] : promote(a, b);
  return binary(op, x, y, span);
}

/**
 * @internal `hi - lo` for loop and slice extents, with the folds that keep printing round-trips stable:
 * literals, `x - 0 -> x`, `x - x -> 0`, `(lo + e) - lo -> e` (the printer writes a region as `lo:lo + extent`).
 */
export function extentOf(lo: PrimExpr, hi: PrimExpr, span?: Span): PrimExpr {
  const [a, b] = promote(hi, lo);
  if (a.kind === 'tir.IntImm' && b.kind === 'tir.IntImm') return intImm(a.value - b.value, a.dtype, span);
  if (b.kind === 'tir.IntImm' && b.value === 0) return a;
  if (same(a, b)) return intImm(0, primDtype(a), span);
  if (a.kind === 'tir.Binary' && a.op === 'add') {
    if (same(a.a, b)) return a.b;
    if (same(a.b, b)) return a.a;
  }
  return binary('sub', a, b, span);
}

/** @internal Syntactic equality with identity for vars and buffers (free vars are not alpha-renamed here). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  const kind = (a as { kind?: string }).kind;
  if (kind === 'tir.Var' || kind === 'tir.Buffer') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => k !== 'span');
  const kb = Object.keys(b).filter((k) => k !== 'span');
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}


// ---------------------------------------------------------------- expressions

const PY_BINOPS: Readonly<Record<string, BinaryOp>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'floormod',
};
const PY_BIT_CALLS: Readonly<Record<string, string>> = {
  '<<': 'shift_left', '>>': 'shift_right', '&': 'bitwise_and', '|': 'bitwise_or', '^': 'bitwise_xor', '**': 'pow',
};
const PY_CMP: Readonly<Record<string, BinaryOp>> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/**
 * @internal Builds a PrimExpr. `hint` is the dtype weak literals take (the other operand's, the buffer's, ...).
 * Reports diagnostics and returns undefined for what cannot be built.
 */
export function buildExpr(e: PyExpr, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  switch (e.kind) {
    case 'Constant': return buildConstant(e, env, hint);
    case 'Name': return buildName(e.id, e.span, env);
    case 'UnaryOp': return buildUnary(e, env, hint);
    case 'BinOp': return buildBinOp(e, env, hint);
    case 'BoolOp': return buildBoolOp(e, env);
    case 'Compare': return buildCompare(e, env);
    case 'IfExp': return buildSelect(e.test, e.body, e.orelse, e.span, env, hint);
    case 'Call': return buildCall(e, env, hint);
    case 'Subscript': return buildLoad(e, env);
    case 'ErrorExpr': return undefined;
    default: return notExpr(e, env, describe(e));
  }
}

function describe(e: PyExpr): string {
  switch (e.kind) {
    case 'Tuple': return 'a tuple';
    case 'List': return 'a list';
    case 'Dict': return 'a dict';
    case 'Lambda': return 'a lambda';
    case 'Attribute': return `the attribute ".${e.attr}"`;
    default: return `a ${e.kind}`;
  }
}

function notExpr(e: PyExpr, env: ExprEnv, what: string): undefined {
  env.ctx.diags.error('T310', `A TIR expression must be a number, var, buffer load, operator or T.* intrinsic. However, ${what} was found.`, e.span);
  return undefined;
}

function buildConstant(e: Extract<PyExpr, { kind: 'Constant' }>, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  if (e.valueKind === 'bool') return boolImm(Boolean(e.value), e.span);
  if (e.valueKind === 'str') return { kind: 'tir.StringImm', value: String(e.value), span: e.span };
  const n = evalPyConst(e);
  if (n) return literal(n, hint, e.span);
  return notExpr(e, env, e.valueKind === 'None' ? 'None' : `the literal ${e.raw}`);
}

/** @internal Resolves a name to a var; undeclared names are T301 errors (or RFC implicit vars in shapes). */
export function buildName(id: string, span: Span, env: ExprEnv): PrimExpr | undefined {
  const found = env.scope.lookup(id);
  if (found?.kind === 'tir.Var') return found;
  if (found?.kind === 'tir.Buffer') {
    env.ctx.diags.error('T310', `A buffer is used in expressions through loads such as "${id}[i]". However, the buffer "${id}" is used as a value.`, span);
    return undefined;
  }
  if (id === 'True' || id === 'False') return boolImm(id === 'True', span);
  if (env.implicitScope) {
    const v = tvar(id, 'int64', span);
    env.implicitScope.define(id, v);
    env.ctx.diags.warning('T308', `Symbolic vars should be declared (\`${id} = T.int64()\`). However, "${id}" is used without a declaration; it is read as a new int64 var.`, span);
    return v;
  }
  env.ctx.diags.error('T301', `A name in a TIR expression must be defined before use. However, "${id}" is not defined.`, span);
  // Building goes on with a placeholder that later uses resolve to, so each undefined name is reported once
  // and loose mode still gets the surrounding IR.
  const placeholder = tvar(id, 'int32', span);
  env.scope.define(id, placeholder);
  return placeholder;
}

function buildUnary(e: Extract<PyExpr, { kind: 'UnaryOp' }>, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const lit = evalPyConst(e);
  if (lit) return literal(lit, hint, e.span);
  const a = buildExpr(e.operand, env, hint);
  if (!a) return undefined;
  switch (e.op) {
    case '+': return a;
    case '-':
      if (a.kind === 'tir.IntImm' || a.kind === 'tir.FloatImm') return { ...a, value: -a.value, span: e.span };
      return binary('mul', a, literal({ value: -1, isFloat: false }, primDtype(a)), e.span);
    case 'not': return { kind: 'tir.Not', a, dtype: 'bool', span: e.span };
    case '~': return { kind: 'tir.Call', op: 'bitwise_not', args: [a], dtype: primDtype(a), span: e.span };
  }
}

/** Builds two operands so that a weak literal on either side takes the other side's dtype. */
function buildPair(l: PyExpr, r: PyExpr, env: ExprEnv, hint?: DataType): [PrimExpr, PrimExpr] | undefined {
  const lw = evalPyConst(l) !== undefined;
  const rw = evalPyConst(r) !== undefined;
  if (lw && !rw) {
    const b = buildExpr(r, env, hint);
    const a = b && buildExpr(l, env, primDtype(b));
    return a && b ? [a, b] : undefined;
  }
  const a = buildExpr(l, env, hint);
  const b = buildExpr(r, env, rw && a ? primDtype(a) : hint);
  return a && b ? [a, b] : undefined;
}

function buildBinOp(e: Extract<PyExpr, { kind: 'BinOp' }>, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const lit = evalPyConst(e);
  if (lit) return literal(lit, hint, e.span);
  if (e.op === '@') return notExpr(e, env, 'the matrix operator "@"');
  const pair = buildPair(e.left, e.right, env, hint);
  if (!pair) return undefined;
  const op = PY_BINOPS[e.op];
  if (op) return promotedBinary(op, pair[0], pair[1], e.span);
  const [a, b] = promote(pair[0], pair[1]);
  return { kind: 'tir.Call', op: PY_BIT_CALLS[e.op]!, args: [a, b], dtype: primDtype(a), span: e.span };
}

function buildBoolOp(e: Extract<PyExpr, { kind: 'BoolOp' }>, env: ExprEnv): PrimExpr | undefined {
  const parts = e.values.map((v) => buildExpr(v, env, 'bool'));
  if (parts.some((p) => !p)) return undefined;
  return (parts as PrimExpr[]).reduce((acc, p) => binary(e.op, acc, p, e.span));
}

function buildCompare(e: Extract<PyExpr, { kind: 'Compare' }>, env: ExprEnv): PrimExpr | undefined {
  let left = e.left;
  let out: PrimExpr | undefined;
  for (let i = 0; i < e.ops.length; i++) {
    const op = PY_CMP[e.ops[i]!];
    const right = e.comparators[i]!;
    if (!op) return notExpr(e, env, `the operator "${e.ops[i]}"`);
    const pair = buildPair(left, right, env);
    if (!pair) return undefined;
    const cmp = promotedBinary(op, pair[0], pair[1], e.span);
    out = out ? binary('and', out, cmp, e.span) : cmp;
    left = right;
  }
  return out;
}

function buildSelect(c: PyExpr, t: PyExpr, f: PyExpr, span: Span, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const cond = buildExpr(c, env, 'bool');
  const pair = buildPair(t, f, env, hint);
  if (!cond || !pair) return undefined;
  const [a, b] = promote(pair[0], pair[1]);
  return { kind: 'tir.Select', cond, t: a, f: b, dtype: primDtype(a), span };
}

/** @internal Builds each index of `A[i, j]`; a Tuple index is several, `()` is none. */
export function indexExprs(index: PyExpr): readonly PyExpr[] {
  return index.kind === 'Tuple' ? index.elts : [index];
}

/** @internal Checks an access's index count against the buffer rank (T303). */
export function checkRank(buf: Buffer, n: number, span: Span, env: ExprEnv): boolean {
  if (buf.shape.length === n) return true;
  env.ctx.diags.error('T303', `An access to buffer "${buf.name}" needs one index per dimension (${buf.shape.length}). However, ${n} were given.`, span);
  return false;
}

/** @internal The buffer a subscript base names, or undefined (with T301/T306-style reporting left to callers). */
export function lookupBuffer(e: PyExpr, env: ExprEnv): Buffer | undefined {
  if (e.kind !== 'Name') return undefined;
  const b = env.scope.lookup(e.id);
  return b?.kind === 'tir.Buffer' ? b : undefined;
}

function buildLoad(e: Extract<PyExpr, { kind: 'Subscript' }>, env: ExprEnv): PrimExpr | undefined {
  const buf = lookupBuffer(e.value, env);
  if (!buf) {
    if (e.value.kind === 'Name' && !env.scope.lookup(e.value.id)) return buildName(e.value.id, e.value.span, env);
    return notExpr(e, env, 'a subscript of something that is not a buffer');
  }
  const idx = indexExprs(e.index);
  if (idx.some((i) => i.kind === 'Slice')) {
    env.ctx.diags.error('T309', 'Buffer loads in expressions take one index per dimension. However, a slice (a vector load) was found.', e.span);
    return undefined;
  }
  if (!checkRank(buf, idx.length, e.span, env)) return undefined;
  const indices = idx.map((i) => buildExpr(i, env));
  if (indices.some((i) => !i)) return undefined;
  return { kind: 'tir.BufferLoad', buffer: buf, indices: indices as PrimExpr[], dtype: buf.dtype, span: e.span };
}

// ---------------------------------------------------------------- calls

const BINARY_CALLS: Readonly<Record<string, BinaryOp>> = {
  max: 'max', min: 'min', Max: 'max', Min: 'min', floordiv: 'floordiv', floormod: 'floormod', truncdiv: 'div',
  truncmod: 'mod', FloorDiv: 'floordiv', FloorMod: 'floormod', Div: 'div', Mod: 'mod', Add: 'add', Sub: 'sub',
  Mul: 'mul', EQ: 'eq', NE: 'ne', LT: 'lt', LE: 'le', GT: 'gt', GE: 'ge', And: 'and', Or: 'or',
};
const UNARY_INTRINSICS = new Set([
  'exp', 'exp2', 'exp10', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'erf', 'fabs', 'abs',
  'floor', 'ceil', 'round', 'nearbyint', 'trunc', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'asin', 'acos', 'atan',
  'asinh', 'acosh', 'atanh', 'isnan', 'isinf', 'isfinite', 'popcount', 'clz', 'bitwise_not',
]);
const BINARY_INTRINSICS = new Set(['pow', 'atan2', 'fmod', 'nextafter', 'hypot', 'copysign', 'ldexp']);
const BOOL_INTRINSICS = new Set(['isnan', 'isinf', 'isfinite']);
/** Intrinsics whose first argument is the result dtype. */
const DTYPE_FIRST = new Set(['call_extern', 'call_pure_extern', 'call_intrin', 'call_llvm_intrin', 'call_llvm_pure_intrin', 'reinterpret']);
/** Constructs that are statements or frames, never values. */
const NOT_VALUES = new Set([
  'grid', 'serial', 'parallel', 'vectorized', 'unroll', 'thread_binding', 'block', 'sblock', 'init', 'reads', 'writes',
  'where', 'block_attr', 'sblock_attr', 'func_attr', 'match_buffer', 'alloc_buffer', 'sblock_alloc_buffer', 'Buffer',
  'prim_func',
]);

function buildCall(call: PyCall, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const path = tPath(call.func, env.ctx);
  if (path === undefined) return buildBuiltinCall(call, env, hint);
  if (path.startsWith('axis.')) {
    env.ctx.diags.error('T307', `Block iter vars (T.${path}) are bound only by an assignment directly inside a block. However, T.${path} is used here as a value.`, call.span);
    return undefined;
  }
  if (NOT_VALUES.has(path)) return notExpr(call, env, `T.${path}(...), which is not a value`);
  if (isScalarTypeName(path)) return buildTyped(call, path, env);
  const bop = BINARY_CALLS[path];
  if (bop) return checkArity(call, 2, 2, `T.${path}`, env.ctx.diags) ? binaryCall(call, bop, env, hint) : undefined;
  switch (path) {
    case 'Not':
      return checkArity(call, 1, 1, 'T.Not', env.ctx.diags) ? notCall(call, env) : undefined;
    case 'Select':
      return checkArity(call, 3, 3, 'T.Select', env.ctx.diags) ? buildSelect(call.args[0]!, call.args[1]!, call.args[2]!, call.span, env, hint) : undefined;
    case 'Cast':
      return castCall(call, env);
    case 'IntImm':
    case 'FloatImm':
      return immCall(call, path, env);
    case 'StringImm':
      return checkArity(call, 1, 1, 'T.StringImm', env.ctx.diags) ? buildExpr(call.args[0]!, env) : undefined;
    case 'Let':
    case 'let':
      return letCall(call, env, hint);
    case 'if_then_else':
      return ifThenElse(call, env, hint);
    case 'call_packed':
    case 'call_cpacked':
      return intrinsic(call, path, call.args, 'int32', env);
  }
  return genericIntrinsic(call, path, env);
}

function buildBuiltinCall(call: PyCall, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const f = call.func;
  if (f.kind === 'Name' && (f.id === 'min' || f.id === 'max') && !env.scope.lookup(f.id)) {
    return checkArity(call, 2, 2, f.id, env.ctx.diags) ? binaryCall(call, f.id, env, hint) : undefined;
  }
  return notExpr(call, env, 'a call to something that is not a T.* intrinsic');
}

function binaryCall(call: PyCall, op: BinaryOp, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const pair = buildPair(call.args[0]!, call.args[1]!, env, hint);
  return pair && promotedBinary(op, pair[0], pair[1], call.span);
}

function notCall(call: PyCall, env: ExprEnv): PrimExpr | undefined {
  const a = buildExpr(call.args[0]!, env, 'bool');
  return a && { kind: 'tir.Not', a, dtype: 'bool', span: call.span };
}

/** `T.int64(4)`, `T.float32("inf")`, `T.int64(n)` (a folded cast), `T.int64()` (a fresh var). */
function buildTyped(call: PyCall, dtype: DataType, env: ExprEnv): PrimExpr | undefined {
  if (call.args.length === 0) return tvar('v', dtype, call.span);
  if (!checkArity(call, 1, 1, `T.${dtype}`, env.ctx.diags)) return undefined;
  const arg = call.args[0]!;
  const special = strConst(arg);
  if (special !== undefined) return specialFloat(special, dtype, arg, env);
  const b = boolConst(arg);
  if (b !== undefined) return castTo(boolImm(b), dtype, call.span);
  const n = evalPyConst(arg);
  if (n) return castTo(literal(n, dtype), dtype, call.span);
  const v = buildExpr(arg, env, dtype);
  return v && castTo(v, dtype, call.span);
}

const SPECIAL_FLOATS: Readonly<Record<string, number>> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN, '-nan': NaN };

function specialFloat(s: string, dtype: DataType, arg: PyExpr, env: ExprEnv): PrimExpr | undefined {
  const v = SPECIAL_FLOATS[s.toLowerCase()] ?? (s.trim() !== '' ? Number(s) : NaN);
  if (!isFloatDtype(dtype) || (Number.isNaN(v) && !s.toLowerCase().includes('nan'))) {
    env.ctx.diags.error('T302', `T.${dtype}("...") takes "inf", "-inf", "nan" or a number for a float dtype. However, "${s}" was given.`, arg.span);
    return undefined;
  }
  return floatImm(v, dtype, arg.span);
}

function castCall(call: PyCall, env: ExprEnv): PrimExpr | undefined {
  if (!checkArity(call, 2, 2, 'T.Cast', env.ctx.diags)) return undefined;
  const dtype = readDtype(call.args[0]!, env);
  const value = buildExpr(call.args[1]!, env);
  return dtype && value ? { kind: 'tir.Cast', dtype, value, span: call.span } : undefined;
}

function immCall(call: PyCall, kind: 'IntImm' | 'FloatImm', env: ExprEnv): PrimExpr | undefined {
  if (!checkArity(call, 2, 2, `T.${kind}`, env.ctx.diags)) return undefined;
  const dtype = readDtype(call.args[0]!, env);
  const arg = call.args[1]!;
  const n = evalPyConst(arg) ?? (boolConst(arg) !== undefined ? { value: Number(boolConst(arg)), isFloat: false } : undefined);
  const special = strConst(arg);
  if (dtype && special !== undefined) return specialFloat(special, dtype, arg, env);
  if (!n) {
    env.ctx.diags.error('T302', `T.${kind}(dtype, value) takes a number literal as its value. However, something else was given.`, arg.span);
    return undefined;
  }
  if (!dtype) return undefined;
  return kind === 'IntImm' ? intImm(Math.trunc(n.value), dtype, call.span) : floatImm(n.value, dtype, call.span);
}

/** `T.Let(v, value, body)` or `T.Let(body, where={v: value})`; a new var takes the value's dtype. */
function letCall(call: PyCall, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  const where = call.keywords.find((k) => k.name === 'where');
  let name: PyExpr | undefined;
  let valueE: PyExpr | undefined;
  let bodyE: PyExpr | undefined;
  if (where && where.value.kind === 'Dict' && where.value.keys.length === 1 && call.args.length === 1) {
    [name, valueE, bodyE] = [where.value.keys[0] ?? undefined, where.value.values[0], call.args[0]];
  } else if (call.args.length === 3 && !where) {
    [name, valueE, bodyE] = call.args;
  }
  if (!name || name.kind !== 'Name' || !valueE || !bodyE) {
    env.ctx.diags.error('T302', 'T.Let takes (var, value, body) or (body, where={var: value}). However, other arguments were given.', call.span);
    return undefined;
  }
  const value = buildExpr(valueE, env);
  if (!value) return undefined;
  const prior = env.scope.lookup(name.id);
  const v = prior?.kind === 'tir.Var' ? prior : tvar(name.id, primDtype(value), name.span);
  const scope = env.scope.child();
  scope.define(name.id, v);
  const body = buildExpr(bodyE, { ...env, scope }, hint);
  return body && { kind: 'tir.Let', v, value, body, dtype: primDtype(body), span: call.span };
}

function ifThenElse(call: PyCall, env: ExprEnv, hint?: DataType): PrimExpr | undefined {
  if (!checkArity(call, 3, 3, 'T.if_then_else', env.ctx.diags)) return undefined;
  const cond = buildExpr(call.args[0]!, env, 'bool');
  const pair = buildPair(call.args[1]!, call.args[2]!, env, hint);
  if (!cond || !pair) return undefined;
  const [a, b] = promote(pair[0], pair[1]);
  return { kind: 'tir.Call', op: 'if_then_else', args: [cond, a, b], dtype: primDtype(a), span: call.span };
}

function intrinsic(call: PyCall, op: string, argsE: readonly PyExpr[], dtype: DataType | undefined, env: ExprEnv): PrimExpr | undefined {
  const args = argsE.map((a) => buildExpr(a, env));
  if (args.some((a) => !a)) return undefined;
  const built = args as PrimExpr[];
  const first = built.find((a) => a.kind !== 'tir.StringImm');
  const out = dtype ?? (first ? primDtype(first) : 'int32');
  return { kind: 'tir.Call', op, args: built, dtype: out, span: call.span };
}

function genericIntrinsic(call: PyCall, op: string, env: ExprEnv): PrimExpr | undefined {
  const dtypeKw = call.keywords.find((k) => k.name === 'dtype');
  let dtype = dtypeKw ? readDtype(dtypeKw.value, env) : undefined;
  if (dtypeKw && !dtype) return undefined;
  let args = call.args;
  if (DTYPE_FIRST.has(op) && !dtypeKw) {
    if (!checkArity(call, 1, Infinity, `T.${op}`, env.ctx.diags)) return undefined;
    dtype = readDtype(args[0]!, env);
    if (!dtype) return undefined;
    args = args.slice(1);
  }
  if (UNARY_INTRINSICS.has(op) && !checkArity(call, 1, 1, `T.${op}`, env.ctx.diags)) return undefined;
  if (BINARY_INTRINSICS.has(op)) {
    if (!checkArity(call, 2, 2, `T.${op}`, env.ctx.diags)) return undefined;
    const pair = buildPair(args[0]!, args[1]!, env);
    if (!pair) return undefined;
    const [a, b] = promote(pair[0], pair[1]);
    return { kind: 'tir.Call', op, args: [a, b], dtype: dtype ?? primDtype(a), span: call.span };
  }
  return intrinsic(call, op, args, BOOL_INTRINSICS.has(op) ? 'bool' : dtype, env);
}

// ---------------------------------------------------------------- public entry points

/** @internal */
export function symbolicDecl(e: PyExpr, ctx: TirBuildContext): string | undefined {
  if (e.kind !== 'Call') return undefined;
  const path = tPath(e.func, ctx);
  if (path === undefined) return undefined;
  if (isScalarTypeName(path)) return e.args.length === 0 ? path : undefined;
  if (path === 'var' || path === 'Var' || path === 'SizeVar' || path === 'size_var') {
    const dt = e.args.map(strConst).find((s) => s !== undefined && isValidDtype(s));
    const kw = strConst(e.keywords.find((k) => k.name === 'dtype')?.value);
    return kw ?? dt ?? 'int32';
  }
  return undefined;
}
