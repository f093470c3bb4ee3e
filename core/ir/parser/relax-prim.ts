/**
 * Symbolic (TIR) expressions inside Relax code: shape dims (`n`, `"m * 2"`, `T.int64(4)`), `R.prim_value(...)`,
 * `R.Prim(value=...)`, symbolic scalars in call arguments. Resolves names against the function's symbolic-var
 * table (README rule 9: one TirVar per name per function) and decides where a new name may be defined.
 * Full TIR expressions (buffer loads, intrinsics) belong to tir-builder.ts; this file reads the arithmetic subset
 * shapes use plus `T.max`/`T.min`/typed literals.
 */
import type { PyExpr, PyBinOpKind, PyCmpOp } from './pyast.js';
import type { Span } from '../span.js';
import type { BinaryOp, PrimExpr, TirVar } from '../tir/nodes.js';
import type { FnBuilder } from './relax-context.js';
import { binary, floatImm, intImm, tvar } from '../tir/nodes.js';
import { parsePython } from './py-parser.js';

/**
 * Where a symbolic name is being read:
 * - `define`: a function signature; a string dim defines a new var, a bare undeclared name is an error (RFC: warning).
 * - `refer`: a body annotation or expression; undeclared names are an error (RFC: warning, then defined).
 * - `match`: `R.match_cast` / `R.match_shape`; new names are defined there silently.
 */
export type SymMode = 'define' | 'refer' | 'match';

const BIN: Partial<Record<PyBinOpKind, BinaryOp>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '//': 'floordiv', '%': 'floormod', '/': 'div',
};
const CMP: Partial<Record<PyCmpOp, BinaryOp>> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/** Shorthand dtypes of the RFC and common spellings, expanded to TVM names. */
const DTYPE_SHORT: Readonly<Record<string, string>> = {
  f16: 'float16', f32: 'float32', f64: 'float64', bf16: 'bfloat16', i8: 'int8', i16: 'int16', i32: 'int32',
  i64: 'int64', u8: 'uint8', u16: 'uint16', u32: 'uint32', u64: 'uint64', b: 'bool',
};

/** Expands dtype shorthands ("f32" -> "float32"); other strings are returned as written. */
export function normalizeDtype(s: string): string {
  return DTYPE_SHORT[s] ?? s;
}

const TYPED_LITERALS = /^(u?int(8|16|32|64)|float(16|32|64)|bfloat16|bool)$/;

/** True for `T.int64`, `T.float32`, `T.bool`, ...: the `T.<dtype>` names. */
export function isDtypeName(s: string): boolean {
  return TYPED_LITERALS.test(s);
}

/** Resolves a symbolic name, declaring it per `mode`; returns undefined only when it cannot be made a var. */
export function lookupSym(name: string, span: Span, fb: FnBuilder, mode: SymMode, fromString: boolean): TirVar {
  const found = fb.sym.lookup(name);
  if (found) return found;
  const v = tvar(name, 'int64', span);
  if (fb.mod.typeVarNames.has(name) || mode === 'match' || (fromString && mode === 'define')) {
    fb.sym.define(name, v);
    return v;
  }
  if (fb.mod.rfc) {
    fb.warning('R211', `Symbolic shape vars must be declared (a string dim, \`${name} = T.int64()\` or \`def f[${name}]\`). However, \`${name}\` is undeclared; it is read as a new symbolic var, as the 2022 RFC did.`, span);
  } else {
    fb.error('R201', `A name in a shape must be a declared symbolic var. However, \`${name}\` is not defined.`, span);
  }
  fb.sym.define(name, v);
  return v;
}

/** Builds one shape dim (int64); a non-int64 var is an error (shapes are int64 in Relax). */
export function buildDim(e: PyExpr, fb: FnBuilder, mode: SymMode): PrimExpr {
  const d = buildPrim(e, fb, mode, false);
  if (d.kind === 'tir.Var' && d.dtype !== 'int64') {
    fb.error('R212', `Relax shape dims are int64. However, \`${d.name}\` is ${d.dtype}.`, e.span);
  }
  return d;
}

/** Builds a PrimExpr from Python: literals, symbolic names, strings holding an expression, arithmetic, T.* literals. */
export function buildPrim(e: PyExpr, fb: FnBuilder, mode: SymMode, fromString: boolean, strSpan?: Span): PrimExpr {
  const span = strSpan ?? e.span;
  switch (e.kind) {
    case 'Constant':
      if (isBadLiteral(e)) fb.failSilently(); // malformed literal, already reported
      return primConstant(e.value, e.valueKind, span, fb, mode);
    case 'Name':
      return lookupSym(e.id, span, fb, mode, fromString);
    case 'BinOp': {
      const op = BIN[e.op];
      if (!op) break;
      return binary(op, buildPrim(e.left, fb, mode, fromString, strSpan), buildPrim(e.right, fb, mode, fromString, strSpan), span);
    }
    case 'UnaryOp':
      return primUnary(e.op, buildPrim(e.operand, fb, mode, fromString, strSpan), span);
    case 'Compare': {
      const op = CMP[e.ops[0]!];
      if (!op || e.ops.length !== 1) break;
      return binary(op, buildPrim(e.left, fb, mode, fromString, strSpan), buildPrim(e.comparators[0]!, fb, mode, fromString, strSpan), span);
    }
    case 'Call':
      return primCall(e, fb, mode, fromString, strSpan);
    default:
      break;
  }
  fb.error('R255', `A symbolic expression is built from ints, symbolic vars and + - * // %. However, \`${fb.src(e.span)}\` is not one.`, span);
  return intImm(0, 'int64', span);
}

function primConstant(value: unknown, vk: string, span: Span, fb: FnBuilder, mode: SymMode): PrimExpr {
  if (vk === 'int') return intImm(Number(value), 'int64', span);
  if (vk === 'float') return floatImm(Number(value), 'float64', span);
  if (vk === 'bool') return intImm(value ? 1 : 0, 'bool', span);
  if (vk === 'str') return primFromString(String(value), span, fb, mode);
  fb.error('R255', `A symbolic expression is built from ints and symbolic vars. However, a ${vk} literal was found.`, span);
  return intImm(0, 'int64', span);
}

function primUnary(op: string, a: PrimExpr, span: Span): PrimExpr {
  if (op === '-') {
    if (a.kind === 'tir.IntImm' || a.kind === 'tir.FloatImm') return { ...a, value: -a.value, span };
    return binary('sub', intImm(0, a.kind === 'tir.StringImm' ? 'int64' : a.dtype), a, span);
  }
  if (op === 'not') return { kind: 'tir.Not', a, dtype: 'bool', span };
  return a;
}

/** A string dim such as `"n * 2"`: parsed as a Python expression; names in it get the string's span. */
function primFromString(s: string, span: Span, fb: FnBuilder, mode: SymMode): PrimExpr {
  const parsed = parsePython(s, { loose: true });
  const stmt = parsed.module.body[0];
  if (parsed.diagnostics.length > 0 || parsed.module.body.length !== 1 || !stmt || stmt.kind !== 'Expr') {
    fb.error('R210', `A string dim holds one symbolic expression. However, "${s}" is not one.`, span);
    return intImm(0, 'int64', span);
  }
  return buildPrim(stmt.value, fb, mode, true, span);
}

function primCall(e: PyExpr & { kind: 'Call' }, fb: FnBuilder, mode: SymMode, fromString: boolean, strSpan?: Span): PrimExpr {
  const span = strSpan ?? e.span;
  const path = fb.mod.aliases.qualName(e.func);
  const name = path && path.length === 2 && path[0] === 'T' ? path[1]! : null;
  const args = e.args.map((a) => buildPrim(a, fb, mode, fromString, strSpan));
  if (name && isDtypeName(name) && args.length === 1) return castLiteral(args[0]!, name, span);
  if ((name === 'max' || name === 'min' || name === 'floordiv' || name === 'floormod') && args.length === 2) {
    return binary(name, args[0]!, args[1]!, span);
  }
  if (name === 'truncdiv' && args.length === 2) return binary('div', args[0]!, args[1]!, span);
  if (name === 'truncmod' && args.length === 2) return binary('mod', args[0]!, args[1]!, span);
  if (name && args.length >= 1) {
    const dtype = args[0]!.kind === 'tir.StringImm' ? 'int64' : args[0]!.dtype;
    return { kind: 'tir.Call', op: name, args, dtype, span };
  }
  fb.error('R255', `A symbolic expression may call T.<dtype>(v), T.max, T.min and TIR intrinsics. However, \`${fb.src(e.span)}\` is not one.`, span);
  return intImm(0, 'int64', span);
}

/** `T.int64(4)` -> IntImm(4, int64); `T.float32(x)` of a non-literal -> Cast. */
function castLiteral(a: PrimExpr, dtype: string, span: Span): PrimExpr {
  const isFloat = dtype.startsWith('float') || dtype.startsWith('bfloat');
  if (a.kind === 'tir.IntImm' || a.kind === 'tir.FloatImm') {
    if (isFloat) return floatImm(a.value, dtype, span);
    if (dtype === 'bool') return intImm(a.value ? 1 : 0, 'bool', span);
    return intImm(Math.trunc(a.value), dtype, span);
  }
  return { kind: 'tir.Cast', dtype, value: a, span };
}

/** True when the expression reads as symbolic arithmetic with at least one symbolic name (e.g. `(n * m,)` dims). */
export function isSymbolic(e: PyExpr, fb: FnBuilder): boolean {
  switch (e.kind) {
    case 'Name':
      return fb.scope.lookup(e.id) === undefined && (fb.sym.lookup(e.id) !== undefined || fb.mod.typeVarNames.has(e.id));
    case 'BinOp': {
      if (!BIN[e.op]) return false;
      const l = isSymbolic(e.left, fb);
      const r = isSymbolic(e.right, fb);
      return (l || isIntLit(e.left)) && (r || isIntLit(e.right)) && (l || r);
    }
    case 'UnaryOp':
      return isSymbolic(e.operand, fb);
    default:
      return false;
  }
}

/** A literal the Python parser could not read (`1def` gives NaN; P1xx already reported). */
export function isBadLiteral(e: PyExpr & { kind: 'Constant' }): boolean {
  return (typeof e.value === 'number' && Number.isNaN(e.value)) || (e.value === null && e.valueKind !== 'None');
}

/** An int literal (possibly negated). */
export function isIntLit(e: PyExpr): boolean {
  if (e.kind === 'UnaryOp' && e.op === '-') return isIntLit(e.operand);
  return e.kind === 'Constant' && e.valueKind === 'int';
}
