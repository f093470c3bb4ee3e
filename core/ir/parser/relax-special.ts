/**
 * Relax call forms that are not plain registry ops (README rules 3-5): `call_tir` (every spelling: `out_ty`,
 * `out_sinfo`, `tir_vars`, the RFC positional shape + dtype, a list of outputs, a callee by bare name or string),
 * `call_tir_inplace`, `call_tir_with_grad`, `call_packed`, `call_pure_packed`, `call_dps_packed`, `R.ExternFunc`,
 * `R.const`, `R.shape`, `R.prim_value`, `R.str`, `R.dtype`, `R.null_value`, `R.tuple`, `R.TupleGetItem`, and
 * the RFC `R.dot` (read as `R.matmul`). `R.match_cast`/`R.match_shape` are bindings, handled in relax-stmt.ts.
 */
import type { PyCall, PyExpr } from './pyast.js';
import type { AttrValue } from '../attrs.js';
import type { Constant, Expr, ExternFunc, GlobalVar, StructInfo } from '../relax/nodes.js';
import type { FnBuilder } from './relax-context.js';
import { attrDict } from '../attrs.js';
import { lookupOp } from '../op/registry.js';
import { call, op } from '../relax/nodes.js';
import { buildDim, buildPrim, isSymbolic, normalizeDtype } from './relax-prim.js';
import { buildSInfo, looksLikeSInfo, tensorSInfo } from './relax-sinfo.js';
import { toAttr } from './relax-attrs.js';
import { buildArg, errorExpr, globalRef, opCall, sinfoList, tupleIndex, tyArgs, unknownOp } from './relax-expr.js';

type Special = (e: PyCall, fb: FnBuilder) => Expr;

const KW_ALIASES: Readonly<Record<string, string>> = { out_sinfo: 'out_ty', sinfo_args: 'ty_args' };

/** Binds a special form's arguments to its parameter names (classic keyword spellings mapped to v0.26 ones). */
function gather(e: PyCall, params: readonly string[], what: string, fb: FnBuilder): Map<string, PyExpr> {
  const out = new Map<string, PyExpr>();
  e.args.forEach((a, i) => {
    const p = params[i];
    if (p) out.set(p, a);
    else fb.error('R204', `${what} takes at most ${params.length} positional arguments (${params.join(', ')}). However, ${e.args.length} were given.`, a.span);
  });
  for (const k of e.keywords) {
    const name = k.name === null ? '**' : (KW_ALIASES[k.name] ?? k.name);
    if (!params.includes(name)) fb.error('R205', `${what} takes the parameters (${params.join(', ')}). However, the keyword \`${k.name ?? '**'}\` was given.`, k.span);
    else if (out.has(name)) fb.error('R206', `Each parameter is given once. However, \`${name}\` of ${what} was given twice.`, k.span);
    else out.set(name, k.value);
  }
  return out;
}

function need(m: Map<string, PyExpr>, name: string, e: PyCall, what: string, fb: FnBuilder): PyExpr | undefined {
  const v = m.get(name);
  if (!v) fb.error('R203', `${what} requires \`${name}\`. However, it was not given.`, e.span);
  return v;
}

/** The callee of call_tir & co: a module function by `cls.f`, `Module.f`, bare name or (RFC) string. */
function tirCallee(e: PyExpr, fb: FnBuilder): GlobalVar | undefined {
  const g = globalRef(e, fb);
  if (g) return g;
  const name = e.kind === 'Name' ? e.id : e.kind === 'Constant' && e.valueKind === 'str' ? (e.value as string) : undefined;
  if (name !== undefined && fb.mod.globals.has(name) && !(e.kind === 'Name' && fb.scope.lookup(name))) {
    return { kind: 'relax.GlobalVar', name, span: e.span };
  }
  const found = name !== undefined ? ` \`${name}\` is not a function of the module` : ` \`${fb.src(e.span)}\` was given`;
  fb.error('R250', `call_tir calls a function of the module (\`cls.f\`). However,${found}.`, e.span);
  return undefined;
}

/** call_tir's argument tuple: a tuple/list literal (symbolic scalars as PrimValues), or a tuple-typed value. */
function argTuple(e: PyExpr, fb: FnBuilder): Expr {
  if (e.kind === 'Tuple' || e.kind === 'List') {
    return { kind: 'relax.Tuple', fields: e.elts.map((x) => (isSymbolic(x, fb) ? primValue(x, fb) : buildArg(x, fb))), span: e.span };
  }
  const v = buildArg(e, fb);
  if (v.kind === 'relax.Tuple') return v;
  const si = fb.infer(v);
  return si.kind === 'si.Tuple' ? v : { kind: 'relax.Tuple', fields: [v], span: e.span };
}

function primValue(x: PyExpr, fb: FnBuilder): Expr {
  return { kind: 'relax.PrimValue', value: buildPrim(x, fb, 'refer', false), span: x.span };
}

/** Appends classic `tir_vars=R.shape([n])` / `(n,)` as trailing PrimValues (README rule 3). */
function appendTirVars(args: Expr, tirVars: PyExpr | undefined, fb: FnBuilder): Expr {
  if (!tirVars || args.kind !== 'relax.Tuple') return args;
  let dims: PyExpr[] | undefined;
  if (tirVars.kind === 'Tuple' || tirVars.kind === 'List') dims = [...tirVars.elts];
  else if (tirVars.kind === 'Call' && fb.mod.aliases.qualName(tirVars.func)?.join('.') === 'R.shape') {
    const a0 = tirVars.args[0];
    if (a0 && (a0.kind === 'List' || a0.kind === 'Tuple')) dims = [...a0.elts];
  }
  if (!dims) {
    fb.error('R251', `tir_vars lists symbolic values, as R.shape([n]) or (n,). However, \`${fb.src(tirVars.span)}\` was given.`, tirVars.span);
    return args;
  }
  const extra = dims.map((d) => ({ kind: 'relax.PrimValue' as const, value: buildDim(d, fb, 'refer'), span: d.span }));
  return { ...args, fields: [...args.fields, ...extra] };
}

/** out_ty: one annotation, a list of them, or the RFC shape (tuple or shape var) with `dtype=`. */
function outTypes(out: PyExpr | undefined, dtype: PyExpr | undefined, e: PyCall, fb: FnBuilder): StructInfo[] {
  if (!out) {
    fb.error('R251', `call_tir needs its output type (\`out_ty=R.Tensor(...)\`). However, none was given.`, e.span);
    return [];
  }
  const isList = out.kind === 'List' || (out.kind === 'Tuple' && out.elts.length > 0 && out.elts.every((x) => looksLikeSInfo(x, fb)));
  if (isList) return sinfoList(out, fb);
  if (looksLikeSInfo(out, fb)) return [buildSInfo(out, fb, 'refer')];
  const item = out.kind === 'Name' ? fb.scope.lookup(out.id) : undefined;
  const bound = item && item.kind !== 'moduleAlias' ? fb.boundValues.get(item) : undefined;
  if (bound?.kind === 'relax.ShapeExpr') {
    // RFC: the output shape is the value of a shape var bound in this function; use its dims, not the (block-local) var.
    const t = tensorSInfo(undefined, dtype, undefined, undefined, fb, 'refer');
    return [{ ...t, shape: { kind: 'relax.ShapeExpr', values: bound.values }, ndim: bound.values.length }];
  }
  return [tensorSInfo(out, dtype, undefined, undefined, fb, 'refer')];
}

const callTir: Special = (e, fb) => {
  const what = 'R.call_tir';
  const m = gather(e, ['gvar', 'args', 'out_ty', 'tir_vars', 'dtype'], what, fb);
  const gvar = need(m, 'gvar', e, what, fb);
  const callee = gvar ? tirCallee(gvar, fb) : undefined;
  const argsW = need(m, 'args', e, what, fb);
  const args = appendTirVars(argsW ? argTuple(argsW, fb) : { kind: 'relax.Tuple', fields: [] }, m.get('tir_vars'), fb);
  const out = outTypes(m.get('out_ty'), m.get('dtype'), e, fb);
  if (!callee) return errorExpr(e.span);
  return call(op('relax.call_tir', e.func.span), [callee, args], null, out, e.span);
};

const callTirInplace: Special = (e, fb) => {
  const what = 'R.call_tir_inplace';
  const m = gather(e, ['gvar', 'args', 'inplace_indices', 'out_ty', 'tir_vars'], what, fb);
  const gvar = need(m, 'gvar', e, what, fb);
  const callee = gvar ? tirCallee(gvar, fb) : undefined;
  const argsW = need(m, 'args', e, what, fb);
  const args = appendTirVars(argsW ? argTuple(argsW, fb) : { kind: 'relax.Tuple', fields: [] }, m.get('tir_vars'), fb);
  const idxW = need(m, 'inplace_indices', e, what, fb);
  let idx: AttrValue = idxW ? toAttr(idxW, fb) : [];
  if (!Array.isArray(idx)) idx = [idx];
  const out = outTypes(m.get('out_ty'), undefined, e, fb);
  if (!callee) return errorExpr(e.span);
  return call(op('relax.call_tir_inplace', e.func.span), [callee, args], attrDict([['inplace_indices', idx]]), out, e.span);
};

const callTirWithGrad: Special = (e, fb) => {
  const what = 'R.call_tir_with_grad';
  const m = gather(e, ['gvar', 'args', 'out_ty', 'te_grad_name', 'te_grad_kwargs', 'tir_vars'], what, fb);
  const gvar = need(m, 'gvar', e, what, fb);
  const callee = gvar ? tirCallee(gvar, fb) : undefined;
  const argsW = need(m, 'args', e, what, fb);
  const args = appendTirVars(argsW ? argTuple(argsW, fb) : { kind: 'relax.Tuple', fields: [] }, m.get('tir_vars'), fb);
  const out = outTypes(m.get('out_ty'), undefined, e, fb);
  const nameW = need(m, 'te_grad_name', e, what, fb);
  const kwW = m.get('te_grad_kwargs');
  const kwargs = kwW && !(kwW.kind === 'Constant' && kwW.valueKind === 'None') ? toAttr(kwW, fb) : attrDict([]);
  if (!callee) return errorExpr(e.span);
  const attrs = attrDict([['te_grad_name', nameW ? toAttr(nameW, fb) : ''], ['te_grad_kwargs', kwargs]]);
  return call(op('relax.call_tir_with_grad', e.func.span), [callee, args], attrs, out, e.span);
};

/** The packed function of call_packed & co: a string, `R.ExternFunc("f")`, or a value (a bound ExternFunc var). */
function packedCallee(e: PyExpr | undefined, what: string, call0: PyCall, fb: FnBuilder): Expr | undefined {
  if (!e) {
    fb.error('R203', `${what} requires the function name. However, it was not given.`, call0.span);
    return undefined;
  }
  if (e.kind === 'Constant' && e.valueKind === 'str') return extern(e.value as string, e);
  return buildArg(e, fb);
}

function extern(name: string, e: PyExpr): ExternFunc {
  return { kind: 'relax.ExternFunc', globalSymbol: name, span: e.span };
}

function checkOnlyTyKeywords(e: PyCall, what: string, fb: FnBuilder): void {
  for (const k of e.keywords) {
    if (k.name !== 'ty_args' && k.name !== 'sinfo_args') {
      fb.error('R205', `${what} takes positional arguments and \`ty_args=\`. However, the keyword \`${k.name ?? '**'}\` was given.`, k.span);
    }
  }
}

const callPacked: Special = (e, fb) => {
  checkOnlyTyKeywords(e, 'R.call_packed', fb);
  const f = packedCallee(e.args[0], 'R.call_packed', e, fb);
  const args = e.args.slice(1).map((a) => buildArg(a, fb));
  if (!f) return errorExpr(e.span);
  const callee = f.kind === 'relax.ExternFunc' || f.kind === 'relax.Var' || f.kind === 'relax.DataflowVar' ? f : undefined;
  if (!callee) {
    fb.error('R250', `R.call_packed calls a packed function by name. However, \`${fb.src(e.args[0]!.span)}\` was given.`, e.args[0]!.span);
    return errorExpr(e.span);
  }
  return call(callee, args, null, tyArgs(e, fb), e.span);
};

const callPurePacked: Special = (e, fb) => {
  checkOnlyTyKeywords(e, 'R.call_pure_packed', fb);
  const f = packedCallee(e.args[0], 'R.call_pure_packed', e, fb);
  const args = e.args.slice(1).map((a) => buildArg(a, fb));
  if (!f) return errorExpr(e.span);
  return call(op('relax.call_pure_packed', e.func.span), [f, ...args], null, tyArgs(e, fb), e.span);
};

const callDpsPacked: Special = (e, fb) => {
  const what = 'R.call_dps_packed';
  const m = gather(e, ['func', 'args', 'out_ty', 'dtype'], what, fb);
  const f = packedCallee(m.get('func'), what, e, fb);
  const argsW = need(m, 'args', e, what, fb);
  const args = argsW ? argTuple(argsW, fb) : { kind: 'relax.Tuple' as const, fields: [] };
  const out = outTypes(m.get('out_ty'), m.get('dtype'), e, fb);
  if (!f) return errorExpr(e.span);
  return call(op('relax.call_dps_packed', e.func.span), [f, args], null, out, e.span);
};

function oneString(e: PyCall, what: string, fb: FnBuilder): string | undefined {
  const a = e.args[0];
  if (e.args.length === 1 && e.keywords.length === 0 && a?.kind === 'Constant' && a.valueKind === 'str') return a.value as string;
  fb.error('R251', `${what} takes one string. However, \`${fb.src(e.span)}\` was written.`, e.span);
  return undefined;
}

const externFunc: Special = (e, fb) => {
  const s = oneString(e, 'R.ExternFunc', fb);
  return s === undefined ? errorExpr(e.span) : extern(s, e);
};

const strImm: Special = (e, fb) => {
  const s = oneString(e, 'R.str', fb);
  return s === undefined ? errorExpr(e.span) : { kind: 'relax.StringImm', value: s, span: e.span };
};

const dtypeImm: Special = (e, fb) => {
  const s = oneString(e, 'R.dtype', fb);
  return s === undefined ? errorExpr(e.span) : { kind: 'relax.DataTypeImm', value: normalizeDtype(s), span: e.span };
};

const shapeValue: Special = (e, fb) => {
  const m = gather(e, ['values'], 'R.shape', fb);
  const v = m.get('values');
  if (!v || (v.kind !== 'List' && v.kind !== 'Tuple')) {
    fb.error('R251', `R.shape takes a list of dims. However, \`${fb.src(e.span)}\` was written.`, e.span);
    return errorExpr(e.span);
  }
  return { kind: 'relax.ShapeExpr', values: v.elts.map((d) => buildDim(d, fb, 'refer')), span: e.span };
};

const primValueForm: Special = (e, fb) => {
  const m = gather(e, ['value'], 'R.prim_value', fb);
  const v = need(m, 'value', e, 'R.prim_value', fb);
  if (!v) return errorExpr(e.span);
  return { kind: 'relax.PrimValue', value: buildPrim(v, fb, 'refer', false), span: e.span };
};

const nullValue: Special = (e, fb) => {
  if (e.args.length || e.keywords.length) fb.error('R204', `R.null_value takes no arguments. However, ${e.args.length + e.keywords.length} were given.`, e.span);
  return call(op('relax.null_value', e.func.span), [], null, [], e.span);
};

const tupleForm: Special = (e, fb) => {
  if (e.keywords.length) fb.error('R205', `R.tuple takes positional fields only. However, a keyword was given.`, e.keywords[0]!.span);
  return { kind: 'relax.Tuple', fields: e.args.map((a) => buildArg(a, fb)), span: e.span };
};

const tupleGetItem: Special = (e, fb) => {
  const m = gather(e, ['tuple_value', 'index'], 'R.TupleGetItem', fb);
  const t = need(m, 'tuple_value', e, 'R.TupleGetItem', fb);
  const i = need(m, 'index', e, 'R.TupleGetItem', fb);
  if (!t || !i) return errorExpr(e.span);
  const tuple = buildArg(t, fb);
  const index = tupleIndex(i, fb);
  return index === undefined ? errorExpr(e.span) : { kind: 'relax.TupleGetItem', tuple, index, span: e.span };
};

/** RFC `R.dot(x, w)` is today's `R.matmul(x, w)`. */
const dot: Special = (e, fb) => {
  fb.warning('R214', `The 2022 RFC's \`R.dot\` is now \`R.matmul\`. However, \`R.dot\` was written; it is read as \`R.matmul\`.`, e.func.span);
  const def = lookupOp('relax.matmul');
  return def ? opCall(def, e, fb) : unknownOp('relax.matmul', e.args, e.keywords, e.span, fb);
};

/** `R.print(*values, format="")`: variadic, so it is not bound to the registry signature positionally. */
const printForm: Special = (e, fb) => {
  let format: AttrValue = '';
  for (const k of e.keywords) {
    if (k.name === 'format') format = toAttr(k.value, fb);
    else fb.error('R205', `R.print takes values and \`format=\`. However, the keyword \`${k.name ?? '**'}\` was given.`, k.span);
  }
  const args = e.args.map((a) => buildArg(a, fb));
  return call(op('relax.print', e.func.span), args, attrDict([['format', format]]), [], e.span);
};

const misplaced: Special = (e, fb) => {
  const name = fb.src(e.func.span);
  fb.error('R251', `\`${name}\` binds a var and is written as \`v = ${name}(...)\`. However, it is used inside an expression here.`, e.span);
  return errorExpr(e.span);
};

const SPECIALS: ReadonlyMap<string, Special> = new Map<string, Special>([
  ['call_tir', callTir],
  ['call_tir_inplace', callTirInplace],
  ['call_tir_with_grad', callTirWithGrad],
  ['call_packed', callPacked],
  ['call_pure_packed', callPurePacked],
  ['call_dps_packed', callDpsPacked],
  ['ExternFunc', externFunc],
  ['const', (e, fb) => buildConst(e, fb)],
  ['shape', shapeValue],
  ['prim_value', primValueForm],
  ['str', strImm],
  ['dtype', dtypeImm],
  ['null_value', nullValue],
  ['tuple', tupleForm],
  ['TupleGetItem', tupleGetItem],
  ['dot', dot],
  ['print', printForm],
  ['match_cast', misplaced],
  ['match_shape', misplaced],
]);

/** Builds `R.<name>(...)` when it is a special form; undefined otherwise (then it is a registry op). */
export function buildSpecial(name: string, e: PyCall, fb: FnBuilder): Expr | undefined {
  const f = SPECIALS.get(name);
  return f ? f(e, fb) : undefined;
}

// ---------------------------------------------------------------- R.const

type Scalar = number | boolean;

const NON_FINITE: Readonly<Record<string, number>> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN };

/** `float("inf")` (what the printer writes) or a bare `"inf"` / `"-inf"` / `"nan"` (what numpy accepts); else undefined. */
function nonFiniteLiteral(x: PyExpr): number | undefined {
  let s: PyExpr = x;
  if (x.kind === 'Call' && x.func.kind === 'Name' && x.func.id === 'float' && x.args.length === 1 && x.keywords.length === 0) s = x.args[0]!;
  if (s.kind !== 'Constant' || s.valueKind !== 'str') return undefined;
  return NON_FINITE[(s.value as string).trim().toLowerCase()];
}

/** Flattens a (nested) literal into row-major data and its shape; undefined when not rectangular/numeric. */
function flattenLiteral(e: PyExpr, data: Scalar[], kinds: Set<string>): number[] | undefined {
  if (e.kind === 'List' || e.kind === 'Tuple') {
    let inner: number[] | undefined;
    for (const x of e.elts) {
      const s = flattenLiteral(x, data, kinds);
      if (!s || (inner && inner.join() !== s.join())) return undefined;
      inner = s;
    }
    return [e.elts.length, ...(inner ?? [])];
  }
  let neg = false;
  let x: PyExpr = e;
  if (x.kind === 'UnaryOp' && x.op === '-') [neg, x] = [true, x.operand];
  const special = nonFiniteLiteral(x);
  if (special !== undefined) {
    kinds.add('float');
    data.push(neg ? -special : special);
    return [];
  }
  if (x.kind !== 'Constant' || !['int', 'float', 'bool'].includes(x.valueKind)) return undefined;
  kinds.add(x.valueKind);
  data.push(x.valueKind === 'bool' ? (x.value as boolean) : (neg ? -1 : 1) * Number(x.value));
  return [];
}

/** `R.const(v, dtype)` (README rule 5): scalar or nested-list data, default dtype int32 / float32 / bool. */
export function buildConst(e: PyCall, fb: FnBuilder): Expr {
  const m = gather(e, ['value', 'dtype'], 'R.const', fb);
  const v = m.get('value');
  const data: Scalar[] = [];
  const kinds = new Set<string>();
  const shape = v ? flattenLiteral(v, data, kinds) : undefined;
  if (!v || !shape) {
    fb.error('R254', `R.const takes a number, a bool or a nested list of them. However, \`${v ? fb.src(v.span) : fb.src(e.span)}\` was given.`, v?.span ?? e.span);
    return errorExpr(e.span);
  }
  const d = m.get('dtype');
  let dtype = kinds.has('float') ? 'float32' : kinds.has('int') ? 'int32' : 'bool';
  if (d && d.kind === 'Constant' && d.valueKind === 'str') dtype = normalizeDtype(d.value as string);
  else if (d && !(d.kind === 'Constant' && d.valueKind === 'None')) fb.error('R254', `R.const's dtype is a string. However, \`${fb.src(d.span)}\` was given.`, d.span);
  const c: Constant = { kind: 'relax.Constant', dtype, shape, data, span: e.span };
  return c;
}

