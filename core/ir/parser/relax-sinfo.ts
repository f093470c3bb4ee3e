/**
 * Struct-info annotations: every form of tvm-relax.md section 1a plus the 2022 RFC subscript spelling.
 * `R.Tensor(...)`, `R.Tensor[...]`, `R.Shape`, `R.Tuple`, `R.Any`/`R.Object`, `R.Callable`, `R.PackedFunc`,
 * `R.Prim(...)`, `T.<dtype>`. Dims go through relax-prim.ts, which owns symbolic-var declaration rules.
 * Whether an annotation agrees with the value it annotates is inference's and the verifier's concern.
 */
import type { PyCall, PyExpr, PyKeyword, PySubscript } from './pyast.js';
import type { ShapeExpr, StructInfo, TensorSInfo } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import type { FnBuilder } from './relax-context.js';
import type { SymMode } from './relax-prim.js';
import { SI } from '../relax/nodes.js';
import { buildDim, buildPrim, isDtypeName, normalizeDtype } from './relax-prim.js';
import { isValidDtype } from './tir-expr.js';

const ANNOTATION_HEADS = new Set(['Tensor', 'Shape', 'Tuple', 'Any', 'Object', 'Callable', 'PackedFunc', 'Prim']);

/** True when the expression is written as a struct-info annotation (`R.Tensor(...)`, `R.Tuple`, `T.int64`, ...). */
export function looksLikeSInfo(e: PyExpr, fb: FnBuilder): boolean {
  const head = e.kind === 'Call' ? e.func : e.kind === 'Subscript' ? e.value : e;
  const p = fb.mod.aliases.qualName(head);
  if (!p || p.length !== 2) return false;
  return (p[0] === 'R' && ANNOTATION_HEADS.has(p[1]!)) || (p[0] === 'T' && isDtypeName(p[1]!));
}

/** Builds the struct info an annotation denotes; reports R210 and returns `R.Any` for anything else. */
export function buildSInfo(e: PyExpr, fb: FnBuilder, mode: SymMode): StructInfo {
  if (e.kind === 'Constant' && e.valueKind === 'None') return SI.tuple([]);
  if (e.kind === 'Constant' && e.valueKind === 'str') return fromString(e.value as string, e, fb);
  const head = e.kind === 'Call' ? e.func : e.kind === 'Subscript' ? e.value : e;
  const p = fb.mod.aliases.qualName(head);
  const name = p && p.length === 2 ? `${p[0]}.${p[1]}` : null;
  if (name && p && p[0] === 'T' && isDtypeName(p[1]!) && e.kind !== 'Subscript') return SI.prim(p[1]!);
  if (name === 'T.handle') return SI.prim('handle');
  if (!name || !name.startsWith('R.')) return bad(e, fb);
  if (e.kind === 'Call') return fromCall(name.slice(2), e, fb, mode);
  if (e.kind === 'Subscript') return fromSubscript(name.slice(2), e, fb, mode);
  return fromBare(name.slice(2), e, fb);
}

function bad(e: PyExpr, fb: FnBuilder, why = ''): StructInfo {
  fb.error('R210', `An annotation is R.Tensor, R.Shape, R.Tuple, R.Any, R.Callable, R.Prim or T.<dtype>${why}. However, \`${fb.src(e.span)}\` was found.`, e.span);
  return SI.object();
}

/** A quoted annotation (`"R.Tensor"` under `from __future__ import annotations` style): not supported beyond dtype names. */
function fromString(s: string, e: PyExpr, fb: FnBuilder): StructInfo {
  if (isDtypeName(s)) return SI.prim(s);
  return bad(e, fb);
}

function fromBare(head: string, e: PyExpr, fb: FnBuilder): StructInfo {
  switch (head) {
    case 'Tensor':
      return SI.tensorNdim('', -1);
    case 'Shape':
      return SI.shape(undefined, -1);
    case 'Tuple':
      return SI.tuple([]);
    case 'Any':
    case 'Object':
      return SI.object();
    case 'PackedFunc':
      return { kind: 'si.Func', ret: SI.object(), purity: false, packed: true };
    case 'Callable':
      return SI.func(undefined, SI.object(), true);
    default:
      return bad(e, fb);
  }
}

function fromCall(head: string, e: PyCall, fb: FnBuilder, mode: SymMode): StructInfo {
  switch (head) {
    case 'Tensor':
      return tensorCall(e, fb, mode);
    case 'Shape':
      return shapeCall(e, fb, mode);
    case 'Tuple':
      return SI.tuple(tupleFields(e.args, fb, mode));
    case 'Callable':
      return callableCall(e, fb, mode);
    case 'Prim':
      return primCall(e, fb, mode);
    case 'Any':
    case 'Object':
    case 'PackedFunc':
      return fromBare(head, e, fb);
    default:
      return bad(e, fb);
  }
}

function tupleFields(args: readonly PyExpr[], fb: FnBuilder, mode: SymMode): StructInfo[] {
  const one = args.length === 1 ? args[0]! : null;
  const list = one && (one.kind === 'List' || (one.kind === 'Tuple' && !looksLikeSInfo(one, fb))) ? one.elts : args;
  return list.map((a) => buildSInfo(a, fb, mode));
}

function kw(e: PyCall, name: string): PyKeyword | undefined {
  return e.keywords.find((k) => k.name === name);
}

function checkKeywords(e: PyCall, allowed: readonly string[], fb: FnBuilder): void {
  for (const k of e.keywords) {
    if (k.name === null || !allowed.includes(k.name)) {
      fb.error('R210', `This annotation takes the keywords ${allowed.join(', ')}. However, \`${k.name ?? '**'}\` was given.`, k.span);
    }
  }
}

function tensorCall(e: PyCall, fb: FnBuilder, mode: SymMode): StructInfo {
  checkKeywords(e, ['shape', 'dtype', 'ndim', 'vdevice'], fb);
  let [shapeArg, dtypeArg] = e.args;
  if (shapeArg && shapeArg.kind === 'Constant' && shapeArg.valueKind === 'str' && !dtypeArg) [shapeArg, dtypeArg] = [undefined, shapeArg];
  if (e.args.length > 4) fb.error('R210', `R.Tensor takes (shape, dtype, vdevice, ndim). However, ${e.args.length} positional arguments were given.`, e.span);
  const vdevice = e.args[2] ?? kw(e, 'vdevice')?.value;
  const ndim = e.args[3] ?? kw(e, 'ndim')?.value;
  return tensorSInfo(shapeArg ?? kw(e, 'shape')?.value, dtypeArg ?? kw(e, 'dtype')?.value, ndim, vdevice, fb, mode);
}

function fromSubscript(head: string, e: PySubscript, fb: FnBuilder, mode: SymMode): StructInfo {
  const idx = e.index;
  const items = idx.kind === 'Tuple' && !idx.parenthesized ? idx.elts : [idx];
  if (head === 'Tensor') {
    let [shapeArg, dtypeArg] = items;
    if (shapeArg && shapeArg.kind === 'Constant' && shapeArg.valueKind === 'str' && !dtypeArg) [shapeArg, dtypeArg] = [undefined, shapeArg];
    return tensorSInfo(shapeArg, dtypeArg, undefined, undefined, fb, mode);
  }
  if (head === 'Tuple') return SI.tuple(items.map((a) => buildSInfo(a, fb, mode)));
  if (head === 'Shape') return SI.shape(dimList(items.length === 1 ? items[0]! : idx, fb, mode));
  return bad(e, fb);
}

function dtypeOf(e: PyExpr | undefined, fb: FnBuilder): string {
  if (!e || (e.kind === 'Constant' && e.valueKind === 'None')) return '';
  if (e.kind === 'Constant' && e.valueKind === 'str') {
    const d = normalizeDtype(e.value as string);
    if (d === '' || isValidDtype(d)) return d;
    fb.error('R210', `A dtype is a TVM data type such as "float32", "int64" or "bool". However, "${d}" was given.`, e.span);
    return '';
  }
  const p = fb.mod.aliases.qualName(e);
  if (p && p.length === 2 && p[0] === 'T' && isDtypeName(p[1]!)) return p[1]!;
  bad(e, fb, ' with a dtype string');
  return '';
}

function intLiteral(e: PyExpr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.kind === 'UnaryOp' && e.op === '-') {
    const v = intLiteral(e.operand);
    return v === undefined ? undefined : -v;
  }
  return e.kind === 'Constant' && e.valueKind === 'int' ? Number(e.value) : undefined;
}

/** The dims of a tuple/list literal; undefined (after R210) for anything else. */
function dimList(e: PyExpr, fb: FnBuilder, mode: SymMode): PrimExpr[] | undefined {
  if (e.kind === 'Tuple' || e.kind === 'List') return e.elts.map((d) => buildDim(d, fb, mode));
  bad(e, fb, ' whose shape is a tuple or list of dims');
  return undefined;
}

/** Assembles a TensorSInfo from the written pieces. */
export function tensorSInfo(
  shapeArg: PyExpr | undefined,
  dtypeArg: PyExpr | undefined,
  ndimArg: PyExpr | undefined,
  vdeviceArg: PyExpr | undefined,
  fb: FnBuilder,
  mode: SymMode,
): TensorSInfo {
  const dtype = dtypeOf(dtypeArg, fb);
  const vdevice = vdeviceArg && vdeviceArg.kind === 'Constant' && vdeviceArg.valueKind === 'str' ? (vdeviceArg.value as string) : undefined;
  if (vdeviceArg && vdevice === undefined) bad(vdeviceArg, fb, ' with a vdevice string');
  const ndim = intLiteral(ndimArg);
  if (ndimArg && ndim === undefined) bad(ndimArg, fb, ' with an integer ndim');
  const extra = vdevice ? { vdevice } : {};
  if (!shapeArg || (shapeArg.kind === 'Constant' && shapeArg.valueKind === 'None') || (shapeArg.kind === 'Name' && shapeArg.id === '_')) {
    return { kind: 'si.Tensor', dtype, ndim: ndim ?? -1, ...extra };
  }
  if (shapeArg.kind === 'Name') {
    const v = fb.scope.lookup(shapeArg.id);
    if (v && v.kind !== 'moduleAlias') {
      if (v.sinfo.kind !== 'si.Shape') bad(shapeArg, fb, ' whose shape var has R.Shape struct info');
      const n = v.sinfo.kind === 'si.Shape' ? v.sinfo.ndim : -1;
      return { kind: 'si.Tensor', shape: v, dtype, ndim: n, ...extra };
    }
  }
  const dims = dimList(shapeArg, fb, mode);
  if (!dims) return { kind: 'si.Tensor', dtype, ndim: ndim ?? -1, ...extra };
  if (ndim !== undefined && ndim !== dims.length) {
    fb.error('R210', `R.Tensor's ndim must match its shape. However, ndim=${ndim} and the shape has ${dims.length} dims.`, ndimArg!.span);
  }
  const shape: ShapeExpr = { kind: 'relax.ShapeExpr', values: dims, span: shapeArg.span };
  return { kind: 'si.Tensor', shape, dtype, ndim: dims.length, ...extra };
}

function shapeCall(e: PyCall, fb: FnBuilder, mode: SymMode): StructInfo {
  checkKeywords(e, ['values', 'ndim'], fb);
  const values = e.args[0] ?? kw(e, 'values')?.value;
  if (values && !(values.kind === 'Constant' && values.valueKind === 'None')) return SI.shape(dimList(values, fb, mode) ?? undefined, -1);
  const ndimArg = kw(e, 'ndim')?.value;
  const ndim = intLiteral(ndimArg);
  if (ndimArg && ndim === undefined) bad(ndimArg, fb, ' with an integer ndim');
  return SI.shape(undefined, ndim ?? -1);
}

function callableCall(e: PyCall, fb: FnBuilder, mode: SymMode): StructInfo {
  checkKeywords(e, ['params', 'ret', 'purity', 'derive_func'], fb);
  const paramsArg = e.args[0] ?? kw(e, 'params')?.value;
  const retArg = e.args[1] ?? kw(e, 'ret')?.value;
  const purityArg = e.args[2] ?? kw(e, 'purity')?.value;
  let params: StructInfo[] | undefined;
  if (paramsArg && (paramsArg.kind === 'Tuple' || paramsArg.kind === 'List')) params = paramsArg.elts.map((a) => buildSInfo(a, fb, mode));
  else if (paramsArg && !(paramsArg.kind === 'Constant' && paramsArg.valueKind === 'None')) bad(paramsArg, fb, ' whose params are a tuple or list');
  const ret = retArg ? buildSInfo(retArg, fb, mode) : SI.object();
  let purity = true;
  if (purityArg) {
    if (purityArg.kind === 'Constant' && purityArg.valueKind === 'bool') purity = purityArg.value as boolean;
    else bad(purityArg, fb, ' with a bool purity');
  }
  return SI.func(params, ret, purity);
}

function primCall(e: PyCall, fb: FnBuilder, mode: SymMode): StructInfo {
  checkKeywords(e, ['dtype', 'value'], fb);
  const dtypeArg = e.args[0] ?? kw(e, 'dtype')?.value;
  const valueArg = e.args[1] ?? kw(e, 'value')?.value;
  let value: PrimExpr | undefined;
  if (valueArg) {
    const strDefines = mode === 'define' || mode === 'match';
    value = valueArg.kind === 'Constant' && valueArg.valueKind === 'str' ? buildPrim(valueArg, fb, strDefines ? 'define' : mode, true) : buildPrim(valueArg, fb, mode, false);
  }
  let dtype = dtypeArg ? dtypeOf(dtypeArg, fb) : '';
  if (!dtype && value) dtype = value.kind === 'tir.StringImm' ? 'handle' : value.dtype;
  if (!dtype) return bad(e, fb, ' with a dtype');
  return SI.prim(dtype, value);
}
