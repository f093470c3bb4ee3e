/**
 * Struct-info utilities, as TVM's `struct_info_functor` helpers: equality up to arithmetic (`sinfoEqual`), the
 * subtyping check (`isBaseOf` / `baseCheck`), the least common ancestor of two branches (`unifySInfo`, used for
 * `If`), erasure of symbolic vars that are out of scope (`eraseToWellDefined`), and substitution of a callee's
 * symbolic vars by the caller's dims (`substituteShapeVars`, `bindShapeVars`). Dims are compared through `../arith`.
 */
import { canProve, simplify } from '../arith/index.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import { binary } from '../tir/nodes.js';
import type { RelaxVar, StructInfo, TensorSInfo } from './nodes.js';
import { SI, tensorDims } from './nodes.js';

/** Three-valued answer of a check over possibly symbolic dims. */
export type Check = 'pass' | 'fail' | 'unknown';

function dimCheck(a: PrimExpr, b: PrimExpr): Check {
  if (a === b) return 'pass';
  if (a.kind === 'tir.IntImm' && b.kind === 'tir.IntImm') return a.value === b.value ? 'pass' : 'fail';
  const p = canProve(binary('eq', a, b));
  if (p === 'true') return 'pass';
  return canProve(binary('ne', a, b)) === 'true' ? 'fail' : 'unknown';
}

function dimsCheck(a: readonly PrimExpr[], b: readonly PrimExpr[]): Check {
  if (a.length !== b.length) return 'fail';
  let out: Check = 'pass';
  for (let i = 0; i < a.length; i++) {
    const c = dimCheck(a[i]!, b[i]!);
    if (c === 'fail') return 'fail';
    if (c === 'unknown') out = 'unknown';
  }
  return out;
}

function and(a: Check, b: Check): Check {
  if (a === 'fail' || b === 'fail') return 'fail';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'pass';
}

/** True when the two struct infos describe the same set of values (dims compared by proof, shape vars by identity). */
export function sinfoEqual(a: StructInfo, b: StructInfo): boolean {
  return baseCheck(a, b) === 'pass' && baseCheck(b, a) === 'pass';
}

/** True when every value of `derived` is provably also a value of `base` (TVM's IsBaseOf). */
export function isBaseOf(base: StructInfo, derived: StructInfo): boolean {
  return baseCheck(base, derived) === 'pass';
}

/**
 * Whether `base` contains `derived`: 'pass' (provably), 'fail' (provably not, e.g. different dtype or rank or a
 * constant dim), 'unknown' (depends on symbolic values: a match_cast would check it at run time).
 */
export function baseCheck(base: StructInfo, derived: StructInfo): Check {
  if (base.kind === 'si.Object') return 'pass';
  if (base.kind !== derived.kind) return derived.kind === 'si.Object' ? 'unknown' : 'fail';
  switch (base.kind) {
    case 'si.Prim': {
      const d = derived as typeof base;
      if (base.dtype !== d.dtype) return 'fail';
      if (!base.value) return 'pass';
      return d.value ? dimCheck(base.value, d.value) : 'unknown';
    }
    case 'si.Shape': {
      const d = derived as typeof base;
      if (base.ndim >= 0 && d.ndim >= 0 && base.ndim !== d.ndim) return 'fail';
      if (base.ndim >= 0 && d.ndim < 0) return 'unknown';
      if (!base.values) return 'pass';
      return d.values ? dimsCheck(base.values, d.values) : 'unknown';
    }
    case 'si.Tensor':
      return tensorBase(base, derived as TensorSInfo);
    case 'si.Tuple': {
      const d = derived as typeof base;
      if (base.fields.length !== d.fields.length) return 'fail';
      return base.fields.reduce<Check>((acc, f, i) => and(acc, baseCheck(f, d.fields[i]!)), 'pass');
    }
    case 'si.Func': {
      const d = derived as typeof base;
      if (!base.params) return baseCheck(base.ret, d.ret) === 'fail' ? 'fail' : baseCheck(base.ret, d.ret);
      if (!d.params) return 'unknown';
      if (base.params.length !== d.params.length) return 'fail';
      const params = base.params.reduce<Check>((acc, p, i) => and(acc, baseCheck(d.params![i]!, p)), 'pass');
      return and(params, baseCheck(base.ret, d.ret));
    }
    default:
      return 'unknown';
  }
}

function tensorBase(base: TensorSInfo, d: TensorSInfo): Check {
  let out: Check = 'pass';
  if (base.dtype) {
    if (!d.dtype) out = 'unknown';
    else if (base.dtype !== d.dtype) return 'fail';
  }
  if (base.ndim >= 0) {
    if (d.ndim < 0) out = 'unknown';
    else if (d.ndim !== base.ndim) return 'fail';
  }
  if (base.vdevice && d.vdevice && base.vdevice !== d.vdevice) return 'fail';
  if (!base.shape) return out;
  if (base.shape === d.shape) return out;
  const [bd, dd] = [tensorDims(base), tensorDims(d)];
  if (!bd) return base.shape.kind !== 'relax.ShapeExpr' && d.shape && d.shape === base.shape ? out : 'unknown';
  if (!dd) return and(out, 'unknown');
  return and(out, dimsCheck(bd, dd));
}

/**
 * The least common ancestor of two struct infos: what is known of a value that is one or the other (the result
 * of an `If`). Different kinds give `R.Any`; tensors keep what they agree on (dtype, rank, dims).
 */
export function unifySInfo(a: StructInfo, b: StructInfo): StructInfo {
  if (a === b) return a;
  if (a.kind !== b.kind || a.kind === 'si.Object') return SI.object();
  switch (a.kind) {
    case 'si.Prim': {
      const y = b as typeof a;
      if (a.dtype !== y.dtype) return SI.object();
      return a.value && y.value && dimCheck(a.value, y.value) === 'pass' ? a : SI.prim(a.dtype);
    }
    case 'si.Shape': {
      const y = b as typeof a;
      if (a.values && y.values && dimsCheck(a.values, y.values) === 'pass') return a;
      return SI.shape(undefined, a.ndim === y.ndim ? a.ndim : -1);
    }
    case 'si.Tensor':
      return unifyTensor(a, b as TensorSInfo);
    case 'si.Tuple': {
      const y = b as typeof a;
      if (a.fields.length !== y.fields.length) return SI.object();
      return SI.tuple(a.fields.map((f, i) => unifySInfo(f, y.fields[i]!)));
    }
    case 'si.Func': {
      const y = b as typeof a;
      if (sinfoEqual(a, y)) return a;
      return { kind: 'si.Func', ret: unifySInfo(a.ret, y.ret), purity: a.purity && y.purity };
    }
    default:
      return SI.object();
  }
}

function unifyTensor(a: TensorSInfo, b: TensorSInfo): TensorSInfo {
  const dtype = a.dtype === b.dtype ? a.dtype : '';
  const ndim = a.ndim === b.ndim ? a.ndim : -1;
  const vdevice = a.vdevice === b.vdevice ? a.vdevice : undefined;
  if (a.shape && a.shape === b.shape) return { ...SI.tensorNdim(dtype, ndim, vdevice), shape: a.shape };
  const [da, db] = [tensorDims(a), tensorDims(b)];
  if (da && db && dimsCheck(da, db) === 'pass') return SI.tensor(da, dtype, vdevice);
  return SI.tensorNdim(dtype, ndim, vdevice);
}

/** Visits every TIR var of a PrimExpr. */
export function primVars(e: PrimExpr, out: TirVar[] = []): TirVar[] {
  switch (e.kind) {
    case 'tir.Var':
      out.push(e);
      break;
    case 'tir.Binary':
      primVars(e.a, out);
      primVars(e.b, out);
      break;
    case 'tir.Not':
    case 'tir.Cast':
      primVars(e.kind === 'tir.Not' ? e.a : e.value, out);
      break;
    case 'tir.Select':
      [e.cond, e.t, e.f].forEach((x) => primVars(x, out));
      break;
    case 'tir.Call':
      e.args.forEach((x) => primVars(x, out));
      break;
    case 'tir.Let':
      primVars(e.value, out);
      primVars(e.body, out);
      break;
    case 'tir.BufferLoad':
      e.indices.forEach((x) => primVars(x, out));
      break;
    default:
      break;
  }
  return out;
}

/**
 * Drops what refers to symbolic vars (or shape vars) that are not defined in the current scope, as TVM's
 * EraseToWellDefined: a tensor with an undefined dim keeps only its rank; a Prim value is dropped.
 */
export function eraseToWellDefined(
  si: StructInfo, isDefined: (v: TirVar) => boolean, isDefinedRelax: (v: RelaxVar) => boolean = () => true,
): StructInfo {
  const ok = (e: PrimExpr): boolean => primVars(e).every(isDefined);
  switch (si.kind) {
    case 'si.Prim':
      return si.value && !ok(si.value) ? SI.prim(si.dtype) : si;
    case 'si.Shape':
      return si.values && !si.values.every(ok) ? SI.shape(undefined, si.ndim) : si;
    case 'si.Tensor': {
      if (!si.shape) return si;
      if (si.shape.kind === 'relax.ShapeExpr') return si.shape.values.every(ok) ? si : SI.tensorNdim(si.dtype, si.ndim, si.vdevice);
      return isDefinedRelax(si.shape) ? si : SI.tensorNdim(si.dtype, si.ndim, si.vdevice);
    }
    case 'si.Tuple':
      return SI.tuple(si.fields.map((f) => eraseToWellDefined(f, isDefined, isDefinedRelax)));
    case 'si.Func':
      return si;
    default:
      return si;
  }
}

/** Replaces TIR vars in a PrimExpr by the mapped expressions (no simplification). */
export function substitutePrim(e: PrimExpr, map: ReadonlyMap<TirVar, PrimExpr>): PrimExpr {
  switch (e.kind) {
    case 'tir.Var':
      return map.get(e) ?? e;
    case 'tir.Binary': {
      const [x, y] = [substitutePrim(e.a, map), substitutePrim(e.b, map)];
      return x === e.a && y === e.b ? e : { ...e, a: x, b: y };
    }
    case 'tir.Not':
      return { ...e, a: substitutePrim(e.a, map) };
    case 'tir.Cast':
      return { ...e, value: substitutePrim(e.value, map) };
    case 'tir.Select':
      return { ...e, cond: substitutePrim(e.cond, map), t: substitutePrim(e.t, map), f: substitutePrim(e.f, map) };
    case 'tir.Call':
      return { ...e, args: e.args.map((x) => substitutePrim(x, map)) };
    default:
      return e;
  }
}

/** Substitutes symbolic vars throughout a struct info, simplifying the dims that changed. */
export function substituteShapeVars(si: StructInfo, map: ReadonlyMap<TirVar, PrimExpr>): StructInfo {
  if (map.size === 0) return si;
  const sub = (e: PrimExpr): PrimExpr => {
    const r = substitutePrim(e, map);
    return r === e ? e : simplify(r);
  };
  switch (si.kind) {
    case 'si.Prim':
      return si.value ? SI.prim(si.dtype, sub(si.value)) : si;
    case 'si.Shape':
      return si.values ? SI.shape(si.values.map(sub)) : si;
    case 'si.Tensor':
      return si.shape?.kind === 'relax.ShapeExpr' ? SI.tensor(si.shape.values.map(sub), si.dtype, si.vdevice) : si;
    case 'si.Tuple':
      return SI.tuple(si.fields.map((f) => substituteShapeVars(f, map)));
    case 'si.Func':
      return { ...si, ...(si.params ? { params: si.params.map((p) => substituteShapeVars(p, map)) } : {}), ret: substituteShapeVars(si.ret, map) };
    default:
      return si;
  }
}

/**
 * Binds the symbolic vars of a parameter struct info to what the argument has at the same place (dims that are a
 * bare var: `n` <- 4). Returns false when a var would be bound to two provably different values.
 */
export function bindShapeVars(param: StructInfo, arg: StructInfo, map: Map<TirVar, PrimExpr>): boolean {
  if (param.kind === 'si.Tuple' && arg.kind === 'si.Tuple') {
    return param.fields.every((p, i) => (arg.fields[i] ? bindShapeVars(p, arg.fields[i]!, map) : true));
  }
  let pd: readonly PrimExpr[] | undefined;
  let ad: readonly PrimExpr[] | undefined;
  if (param.kind === 'si.Tensor' && arg.kind === 'si.Tensor') [pd, ad] = [tensorDims(param), tensorDims(arg)];
  else if (param.kind === 'si.Shape' && arg.kind === 'si.Shape') [pd, ad] = [param.values, arg.values];
  else if (param.kind === 'si.Prim' && arg.kind === 'si.Prim' && param.value && arg.value) [pd, ad] = [[param.value], [arg.value]];
  if (!pd || !ad || pd.length !== ad.length) return true;
  for (let i = 0; i < pd.length; i++) {
    const p = pd[i]!;
    if (p.kind !== 'tir.Var') continue;
    const prev = map.get(p);
    if (prev && dimCheck(prev, ad[i]!) === 'fail') return false;
    if (!prev) map.set(p, ad[i]!);
  }
  return true;
}
