/**
 * Shared pieces for the op category files: a compact way to write Python signatures (`t('x')`, `a('axis', ...)`),
 * attribute normalizers (int -> pair, padding -> 4-tuple), and the building blocks of struct-info inference
 * (argument struct info, axis normalization, simplified PrimExpr arithmetic, proofs through `../arith`).
 * It leaves the rules of each op to its category file and the dispatch over expressions to `../relax/infer-impl.ts`.
 */
import type { AttrDict, AttrValue } from '../attrs.js';
import { A, attrDict, attrGet, attrInt, attrIntList, isPrimAttr } from '../attrs.js';
import { canProve, simplify } from '../arith/index.js';
import type { Call, Expr, StructInfo, TensorSInfo } from '../relax/nodes.js';
import { leafSInfo, SI, tensorDims } from '../relax/nodes.js';
import type { BinaryOp, PrimExpr } from '../tir/nodes.js';
import { binary, intImm } from '../tir/nodes.js';
import type { AttrType, InferCtx, OpDef, OpParam } from './registry.js';
import { registerOp } from './registry.js';

// ---------------------------------------------------------------- signatures

/** A tensor parameter (`optional` for `bias=None` style parameters). */
export function t(name: string, optional = false): OpParam {
  return optional ? { name, kind: 'tensor', optional } : { name, kind: 'tensor' };
}

/** An expression parameter of another kind (tensors, shape, prim, prims, expr). */
export function e(name: string, kind: OpParam['kind'], optional = false, dflt?: AttrValue): OpParam {
  return { name, kind, ...(optional ? { optional } : {}), ...(dflt !== undefined ? { default: dflt } : {}) };
}

/** An attribute parameter; `dflt` undefined means required, `null` means Python `None`. */
export function a(name: string, attrType: AttrType, dflt?: AttrValue, choices?: readonly string[]): OpParam {
  return {
    name,
    kind: 'attr',
    attrType,
    ...(dflt !== undefined ? { default: dflt } : {}),
    ...(choices ? { choices } : {}),
  };
}

/** Integer attribute value. */
export const I = (v: number): PrimExpr => A.int(v);
/** Float attribute value. */
export const F = (v: number): PrimExpr => A.float(v);
/** Integer-list attribute value. */
export const IS = (...vs: number[]): AttrValue[] => A.ints(vs);

/** Common layout choices for the editor. */
export const LAYOUTS_1D = ['NCW', 'NWC'] as const;
export const LAYOUTS_2D = ['NCHW', 'NHWC'] as const;
export const LAYOUTS_3D = ['NCDHW', 'NDHWC'] as const;

/** Registers a batch of ops of one category (fills `category` and the purity default). */
export function defineOps(category: string, defs: readonly Omit<OpDef, 'category' | 'pure'>[] & unknown[], pure = true): void {
  for (const d of defs as readonly (Omit<OpDef, 'category' | 'pure'> & { pure?: boolean })[]) {
    registerOp({ ...d, category, pure: d.pure ?? pure });
  }
}

// ---------------------------------------------------------------- attribute normalization

/** Applies attribute rewrites by name: each gets the current value and returns the normalized one. */
export function normalizer(rules: Record<string, (v: AttrValue) => AttrValue>): (attrs: AttrDict) => AttrDict {
  return (attrs) => attrDict(attrs.entries.map(([k, v]) => [k, rules[k] ? rules[k](v) : v] as const));
}

/** int -> [int] * n; a list of length 1 -> repeated n times; anything else unchanged. */
export function toTuple(n: number): (v: AttrValue) => AttrValue {
  return (v) => {
    if (isPrimAttr(v)) return Array.from({ length: n }, () => v);
    if (Array.isArray(v) && v.length === 1) return Array.from({ length: n }, () => v[0] as AttrValue);
    return v;
  };
}

/** Padding for `n` spatial dims: one value -> 2n copies, n values -> begin and end copies, 2n values kept. */
export function completePadding(n: number): (v: AttrValue) => AttrValue {
  return (v) => {
    const list: readonly AttrValue[] | undefined = isPrimAttr(v) ? [v] : Array.isArray(v) ? v : undefined;
    if (!list) return v;
    if (list.length === 1) return Array.from({ length: 2 * n }, () => list[0] as AttrValue);
    if (list.length === n) return [...list, ...list];
    return v;
  };
}

/** A single int -> [int] (TVM stores a list for these axes). */
export const toList = (v: AttrValue): AttrValue => (isPrimAttr(v) ? [v] : v);

// ---------------------------------------------------------------- arithmetic

/** Simplified a + b, a * b, ... : inference results are always simplified, as TVM's analyzer does. */
export function arith(op: BinaryOp, x: PrimExpr, y: PrimExpr): PrimExpr {
  return simplify(binary(op, x, y));
}

export const i64 = (v: number): PrimExpr => intImm(v, 'int64');

/** Product of dims, simplified (1 for an empty list). */
export function product(dims: readonly PrimExpr[]): PrimExpr {
  let acc: PrimExpr = i64(1);
  for (const d of dims) acc = binary('mul', acc, d);
  return simplify(acc);
}

/** Sum of dims, simplified (0 for an empty list). */
export function sum(dims: readonly PrimExpr[]): PrimExpr {
  let acc: PrimExpr = i64(0);
  for (const d of dims) acc = binary('add', acc, d);
  return simplify(acc);
}

/** ceil(x / y) for positive y, as TVM's `ceildiv`: floordiv(x + y - 1, y). */
export function ceildiv(x: PrimExpr, y: PrimExpr): PrimExpr {
  return simplify(binary('floordiv', binary('sub', binary('add', x, y), i64(1)), y));
}

/** The constant integer value of a PrimExpr after simplification, or undefined. */
export function constInt(x: PrimExpr): number | undefined {
  if (x.kind === 'tir.IntImm') return x.value;
  const s = simplify(x);
  return s.kind === 'tir.IntImm' ? s.value : undefined;
}

/** True only when `x != y` is proven (both constant and different, or by the analyzer). */
export function provenNe(x: PrimExpr, y: PrimExpr): boolean {
  if (x.kind === 'tir.IntImm' && y.kind === 'tir.IntImm') return x.value !== y.value;
  return canProve(binary('ne', x, y)) === 'true';
}

/** True only when `x == y` is proven. */
export function provenEq(x: PrimExpr, y: PrimExpr): boolean {
  if (x.kind === 'tir.IntImm' && y.kind === 'tir.IntImm') return x.value === y.value;
  if (x === y) return true;
  return canProve(binary('eq', x, y)) === 'true';
}

/** True only when `cond` is proven. */
export function proven(cond: PrimExpr): boolean {
  if (cond.kind === 'tir.IntImm') return cond.value !== 0;
  return canProve(cond) === 'true';
}

/** Printed form of a dim list for messages: `(n, 4)`. */
export function showDims(dims: readonly PrimExpr[]): string {
  return `(${dims.map(showPrim).join(', ')}${dims.length === 1 ? ',' : ''})`;
}

const OP_TEXT: Partial<Record<BinaryOp, string>> = {
  add: '+', sub: '-', mul: '*', floordiv: '//', floormod: '%', div: '/', mod: '%',
};

/** A short Python-like rendering of a PrimExpr for diagnostics (not the printer: no dependency on it). */
export function showPrim(x: PrimExpr): string {
  switch (x.kind) {
    case 'tir.IntImm':
    case 'tir.FloatImm':
      return String(x.value);
    case 'tir.Var':
      return x.name;
    case 'tir.Binary': {
      const sym = OP_TEXT[x.op];
      return sym ? `${showPrim(x.a)} ${sym} ${showPrim(x.b)}` : `T.${x.op}(${showPrim(x.a)}, ${showPrim(x.b)})`;
    }
    default:
      return '?';
  }
}

// ---------------------------------------------------------------- arguments

/** Struct info of an argument: through the context (nested calls) or, for leaves and tuples, directly. */
export function sinfoOf(arg: Expr, ctx: InferCtx): StructInfo {
  if (ctx.argSInfo) return ctx.argSInfo(arg);
  const leaf = leafSInfo(arg);
  if (leaf) return leaf;
  if (arg.kind === 'relax.Tuple') return SI.tuple(arg.fields.map((f) => sinfoOf(f, ctx)));
  return SI.object();
}

/** The short op name for messages: "relax.nn.conv2d" -> "conv2d". */
export function opLabel(call: Call): string {
  const name = call.op.kind === 'relax.Op' ? call.op.name : 'call';
  return name.replace(/^relax\./, '');
}

/** A tensor of unknown shape and dtype: what a failed inference degrades to. */
export const UNKNOWN_TENSOR: TensorSInfo = SI.tensorNdim('', -1);

/**
 * The i-th argument as a tensor. A PrimValue counts as a 0-d tensor of its dtype; `R.Any` degrades silently to an
 * unknown tensor (TVM would reject it, but here it usually means "not inferred yet"); other kinds are I401 errors.
 */
export function tensorArg(call: Call, i: number, ctx: InferCtx, what = 'input'): TensorSInfo | undefined {
  const arg = call.args[i];
  if (!arg) {
    ctx.error('I411', `${opLabel(call)} expects the ${what} argument (position ${i}). However, it is missing.`);
    return undefined;
  }
  return asTensor(sinfoOf(arg, ctx), call, ctx, what);
}

/** Views a struct info as a tensor (see `tensorArg`). */
export function asTensor(si: StructInfo, call: Call, ctx: InferCtx, what: string): TensorSInfo | undefined {
  if (si.kind === 'si.Tensor') return si;
  if (si.kind === 'si.Object') return UNKNOWN_TENSOR;
  if (si.kind === 'si.Prim') return SI.tensor([], si.dtype);
  ctx.error('I401', `${opLabel(call)} requires the ${what} to be a Tensor. However, the given ${what} is ${kindText(si)}.`);
  return undefined;
}

/** A user-facing name for a struct-info kind. */
export function kindText(si: StructInfo): string {
  switch (si.kind) {
    case 'si.Tensor':
      return 'a Tensor';
    case 'si.Tuple':
      return `a Tuple of ${si.fields.length} fields`;
    case 'si.Shape':
      return 'a Shape';
    case 'si.Prim':
      return `a Prim (${si.dtype})`;
    case 'si.Func':
      return 'a Callable';
    default:
      return 'of unknown type (R.Any)';
  }
}

/** The tensors of a `tensors` argument (a Tuple expression or a tuple-typed var); undefined when unknown. */
export function tensorsArg(call: Call, i: number, ctx: InferCtx): TensorSInfo[] | undefined {
  const arg = call.args[i];
  if (!arg) {
    ctx.error('I411', `${opLabel(call)} expects a tuple of tensors (position ${i}). However, it is missing.`);
    return undefined;
  }
  const si = sinfoOf(arg, ctx);
  if (si.kind === 'si.Object') return undefined;
  if (si.kind !== 'si.Tuple') {
    ctx.error('I401', `${opLabel(call)} requires a tuple of tensors. However, the given input is ${kindText(si)}.`);
    return undefined;
  }
  const out: TensorSInfo[] = [];
  for (const f of si.fields) {
    const ts = asTensor(f, call, ctx, 'tuple field');
    if (!ts) return undefined;
    out.push(ts);
  }
  return out;
}

/**
 * The dims of a `shape` argument (a ShapeExpr or a shape-typed var with known values). `expr` is the argument itself,
 * for ops whose result shape is that expression (TVM keeps a shape var as the tensor's shape).
 */
export function shapeArg(call: Call, i: number, ctx: InferCtx): { dims?: readonly PrimExpr[]; ndim: number; expr?: Expr } | undefined {
  const arg = call.args[i];
  if (!arg) {
    ctx.error('I411', `${opLabel(call)} expects a shape argument (position ${i}). However, it is missing.`);
    return undefined;
  }
  const si = sinfoOf(arg, ctx);
  if (si.kind === 'si.Object') return { ndim: -1 };
  if (si.kind !== 'si.Shape') {
    ctx.error('I401', `${opLabel(call)} requires the shape argument to be a Shape. However, the given argument is ${kindText(si)}.`);
    return undefined;
  }
  return { ...(si.values ? { dims: si.values } : {}), ndim: si.ndim, expr: arg };
}

/** The PrimExpr value of a `prim` argument (from its struct info), when known. */
export function primArg(call: Call, i: number, ctx: InferCtx): PrimExpr | undefined {
  const arg = call.args[i];
  if (!arg) return undefined;
  const si = sinfoOf(arg, ctx);
  return si.kind === 'si.Prim' ? si.value : undefined;
}

/** The values of a `prims` argument (a Tuple of PrimValues); undefined when any is unknown. */
export function primsArg(call: Call, i: number, ctx: InferCtx): PrimExpr[] | undefined {
  const arg = call.args[i];
  if (!arg) return undefined;
  const si = sinfoOf(arg, ctx);
  if (si.kind === 'si.Shape') return si.values ? [...si.values] : undefined;
  if (si.kind !== 'si.Tuple') return undefined;
  const out: PrimExpr[] = [];
  for (const f of si.fields) {
    if (f.kind !== 'si.Prim' || !f.value) return undefined;
    out.push(f.value);
  }
  return out;
}

/** Attribute accessors over `call.attrs`. */
export function attr(call: Call, name: string): AttrValue | undefined {
  return attrGet(call.attrs ?? undefined, name);
}
export function attrI(call: Call, name: string): number | undefined {
  return attrInt(attr(call, name));
}
export function attrIs(call: Call, name: string): number[] | undefined {
  const v = attr(call, name);
  if (isPrimAttr(v)) {
    const n = attrInt(v);
    return n === undefined ? undefined : [n];
  }
  return attrIntList(v);
}
export function attrS(call: Call, name: string): string | undefined {
  const v = attr(call, name);
  return typeof v === 'string' ? v : undefined;
}
export function attrB(call: Call, name: string): boolean | undefined {
  const v = attr(call, name);
  if (typeof v === 'boolean') return v;
  const n = attrInt(v);
  return n === undefined ? undefined : n !== 0;
}
/** A dtype attribute: "" for None / "void" (unknown), else the string. */
export function attrDtype(call: Call, name: string): string {
  const v = attrS(call, name);
  return !v || v === 'void' ? '' : v;
}

// ---------------------------------------------------------------- results and checks

/** The dims of a tensor (ShapeExpr values, or a shape var's known values). */
export const dimsOf = tensorDims;

/** A tensor result: dims known -> shaped (dims simplified); else only the rank. */
export function tensorOut(dims: readonly PrimExpr[] | undefined, dtype: string, ndim = -1, vdevice?: string): TensorSInfo {
  if (dims) return SI.tensor(dims.map((d) => simplify(d)), dtype, vdevice);
  return SI.tensorNdim(dtype, ndim, vdevice);
}

/** The input tensor with another dtype (its shape, var or expression, kept as TVM does). */
export function withDtype(x: TensorSInfo, dtype: string): TensorSInfo {
  const { span: _span, ...rest } = x;
  return { ...rest, dtype };
}

/**
 * Normalizes an axis against a rank: negative counts from the end. Reports I404 and returns undefined when out of
 * range. With an unknown rank the axis is returned as written (callers degrade).
 */
export function normAxis(call: Call, ctx: InferCtx, axis: number, ndim: number): number | undefined {
  if (ndim < 0) return axis;
  if (axis < -ndim || axis >= ndim) {
    ctx.error('I404', `${opLabel(call)} requires the axis to be in [${-ndim}, ${ndim - 1}] for a ${ndim}-D tensor. However, the given axis is ${axis}.`);
    return undefined;
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes several axes, rejecting duplicates (I416). */
export function normAxes(call: Call, ctx: InferCtx, axes: readonly number[], ndim: number): number[] | undefined {
  const out: number[] = [];
  for (const ax of axes) {
    const n = normAxis(call, ctx, ax, ndim);
    if (n === undefined) return undefined;
    if (out.includes(n)) {
      ctx.error('I416', `${opLabel(call)} requires the axes to be distinct. However, axis ${n} appears more than once in [${axes.join(', ')}].`);
      return undefined;
    }
    out.push(n);
  }
  return out;
}

/** Reports I405 when a tensor's known rank is not the required one; true when the rank is acceptable. */
export function checkRank(call: Call, ctx: InferCtx, x: TensorSInfo, ndim: number, what = 'input'): boolean {
  if (x.ndim >= 0 && x.ndim !== ndim) {
    ctx.error('I405', `${opLabel(call)} requires the ${what} to be a ${ndim}-D tensor. However, the given ${what} has ${x.ndim} dimensions.`);
    return false;
  }
  return true;
}

/** The common dtype of operands, as TVM's InferBinaryArithOpOutDtype: unknown if either is; I402 when different. */
export function commonDtype(call: Call, ctx: InferCtx, x: string, y: string): string {
  if (!x || !y) return '';
  if (x !== y) {
    ctx.error('I402', `${opLabel(call)} requires both operands to have the same data type. However, the operands have data types ${x} and ${y}.`);
    return '';
  }
  return x;
}

/** The common vdevice of operands, when they agree. */
export function commonVdevice(...xs: (TensorSInfo | undefined)[]): string | undefined {
  let v: string | undefined;
  for (const x of xs) {
    if (!x?.vdevice) continue;
    if (v && v !== x.vdevice) return undefined;
    v = x.vdevice;
  }
  return v;
}

export function isFloat(dtype: string): boolean {
  return /^(float|bfloat)\d*/.test(dtype) || dtype.startsWith('float8');
}
export function isIntLike(dtype: string): boolean {
  return /^u?int\d+$/.test(dtype);
}

/**
 * Broadcasts two dim lists (numpy rules, aligned right). Returns undefined when some pair is not provably equal and
 * neither is 1 (unknown), and reports I403 when a pair is provably incompatible.
 */
export function broadcastDims(call: Call, ctx: InferCtx, x: readonly PrimExpr[], y: readonly PrimExpr[]): PrimExpr[] | undefined {
  const n = Math.max(x.length, y.length);
  const out: PrimExpr[] = new Array<PrimExpr>(n);
  let known = true;
  for (let i = 1; i <= n; i++) {
    const dx = x[x.length - i];
    const dy = y[y.length - i];
    const d = broadcastDim(call, ctx, dx, dy, x, y);
    if (d === null) return undefined;
    if (d === undefined) known = false;
    else out[n - i] = d;
  }
  return known ? out : undefined;
}

function broadcastDim(
  call: Call, ctx: InferCtx, dx: PrimExpr | undefined, dy: PrimExpr | undefined,
  x: readonly PrimExpr[], y: readonly PrimExpr[],
): PrimExpr | undefined | null {
  if (!dx) return dy;
  if (!dy) return dx;
  if (isOne(dx)) return dy;
  if (isOne(dy)) return dx;
  if (provenEq(dx, dy)) return dx;
  const one = i64(1);
  if (provenNe(dx, dy) && provenNe(dx, one) && provenNe(dy, one)) {
    ctx.error('I403', `${opLabel(call)} requires the operand shapes to be broadcastable. However, the shapes ${showDims(x)} and ${showDims(y)} differ at a dimension (${showPrim(dx)} vs ${showPrim(dy)}) where neither is 1.`);
    return null;
  }
  return undefined;
}

export function isOne(d: PrimExpr): boolean {
  return d.kind === 'tir.IntImm' && d.value === 1;
}

/** `attrs` helper for tests and builders: the op's defaults overridden by `given`, normalized. */
export function makeAttrs(def: OpDef, given: Record<string, AttrValue>): AttrDict | null {
  const params = def.params.filter((p) => p.kind === 'attr');
  if (params.length === 0) return null;
  const entries = params.map((p) => [p.name, p.name in given ? given[p.name]! : (p.default ?? null)] as const);
  const d = attrDict(entries);
  return def.normalizeAttrs ? def.normalizeAttrs(d) : d;
}
