/**
 * Relax expressions from Python: names, literals (README rule 5), tuples, indexing, metadata references, Python
 * operators on Relax values, and calls: registered ops bound to their signature (rule 1), unknown ops (rule 2),
 * GlobalVar and local-function calls (rule 4). Nested non-leaf expressions are bound to fresh vars placed before
 * the binding that uses them, as TVM's BlockBuilder normalizes. The special forms (call_tir, call_packed,
 * R.const, ...) are in relax-special.ts; statements and binding placement in relax-stmt.ts.
 */
import type { PyCall, PyExpr, PyKeyword } from './pyast.js';
import type { Span } from '../span.js';
import type { AttrDict, AttrValue } from '../attrs.js';
import type { OpDef, OpParam } from '../op/registry.js';
import type { Constant, Expr, GlobalVar, StructInfo, Tuple } from '../relax/nodes.js';
import type { FnBuilder } from './relax-context.js';
import { attrDict, isPrimAttr } from '../attrs.js';
import { lookupOp } from '../op/registry.js';
import { call, op, relaxVar, SI } from '../relax/nodes.js';
import { floatImm, intImm } from '../tir/nodes.js';
import { buildDim, buildPrim, isBadLiteral, isSymbolic, isIntLit } from './relax-prim.js';
import { buildSInfo, looksLikeSInfo } from './relax-sinfo.js';
import { toAttr } from './relax-attrs.js';
import { buildSpecial } from './relax-special.js';
import '../op/all.js';

/** Kinds TVM keeps inline as call arguments; anything else is bound to a fresh var first. */
const LEAF_KINDS = new Set([
  'relax.Var', 'relax.DataflowVar', 'relax.GlobalVar', 'relax.Op', 'relax.ExternFunc', 'relax.Constant',
  'relax.ShapeExpr', 'relax.PrimValue', 'relax.StringImm', 'relax.DataTypeImm', 'relax.Tuple',
]);

/** A stand-in for an expression that could not be built (its diagnostic is already reported). */
export function errorExpr(span?: Span): Expr {
  return relaxVar('_error', SI.object(), false, span);
}

/** Binds a non-leaf expression to a fresh var so it can be used as an argument. */
export function normalizeArg(e: Expr, fb: FnBuilder): Expr {
  return LEAF_KINDS.has(e.kind) ? e : fb.emitFresh(e);
}

/** An expression in argument position (leaf or tuple of leaves). */
export function buildArg(e: PyExpr, fb: FnBuilder): Expr {
  return normalizeArg(buildValue(e, fb), fb);
}

/** An expression in binding-value position: a call stays a call; its nested calls are bound first. */
export function buildValue(e: PyExpr, fb: FnBuilder): Expr {
  switch (e.kind) {
    case 'Name':
      return buildName(e.id, e.span, fb);
    case 'Attribute':
      return buildAttribute(e, fb);
    case 'Constant':
      if (isMalformed(e, fb)) return errorExpr(e.span);
      return literal(e, fb);
    case 'Call':
      return buildCall(e, fb);
    case 'Tuple':
    case 'List':
      return buildTuple(e.elts, e, fb);
    case 'Subscript':
      return buildSubscript(e, fb);
    case 'BinOp':
    case 'UnaryOp':
    case 'Compare':
      return buildOperator(e, fb);
    case 'ErrorExpr':
      fb.failSilently();
      return errorExpr(e.span);
    default:
      fb.error('R255', `A Relax expression is a name, literal, tuple, index or call. However, \`${fb.src(e.span)}\` is a Python ${e.kind}.`, e.span);
      return errorExpr(e.span);
  }
}

/** A literal the Python parser could not read (`1def`: value null, P1xx already reported) fails its statement. */
export function isMalformed(e: PyExpr & { kind: 'Constant' }, fb: FnBuilder): boolean {
  if (!isBadLiteral(e)) return false;
  fb.failSilently();
  return true;
}

/** A name: a Relax var, a module function, or a symbolic var (as a PrimValue). */
export function buildName(id: string, span: Span, fb: FnBuilder): Expr {
  const item = fb.scope.lookup(id);
  if (item && item.kind !== 'moduleAlias') return item;
  if (fb.mod.globals.has(id)) return gv(id, span);
  const sym = fb.sym.lookup(id);
  if (sym) return { kind: 'relax.PrimValue', value: sym, span };
  const local = fb.branchLocals.get(id);
  if (local) {
    fb.error('R232', `A var bound inside an if-branch is not visible after the if. However, \`${id}\` is used here.`, span);
  } else {
    fb.error('R201', `A name must be defined before it is used. However, \`${id}\` is not defined.`, span);
  }
  return errorExpr(span);
}

function gv(name: string, span?: Span): GlobalVar {
  return { kind: 'relax.GlobalVar', name, ...(span ? { span } : {}) };
}

/** The module function `cls.f` / `Module.f` names, or undefined when `e` is not such a reference. */
export function globalRef(e: PyExpr, fb: FnBuilder): GlobalVar | undefined {
  if (e.kind !== 'Attribute' || e.value.kind !== 'Name') return undefined;
  const head = e.value.id;
  const isAlias = fb.scope.lookup(head)?.kind === 'moduleAlias' || (head === fb.mod.moduleName && !fb.scope.lookup(head));
  if (!isAlias) return undefined;
  if (!fb.mod.globals.has(e.attr)) {
    fb.error('R201', `A module reference names a function of the module. However, the module has no \`${e.attr}\`.`, e.span);
  }
  return gv(e.attr, e.span);
}

function buildAttribute(e: PyExpr & { kind: 'Attribute' }, fb: FnBuilder): Expr {
  const g = globalRef(e, fb);
  if (g) return g;
  const p = fb.mod.aliases.qualName(e);
  if (p && p[0] === 'R' && p.length >= 2) {
    const name = p.slice(1).join('.');
    if (lookupOp(`relax.${name}`)) return op(`relax.${name}`, e.span);
  }
  fb.error('R255', `An attribute in a Relax expression is a module function (\`cls.f\`). However, \`${fb.src(e.span)}\` was found.`, e.span);
  return errorExpr(e.span);
}

/** README rule 5: ints are int64 PrimValues, floats float64, bools bool; strings are StringImms. */
export function literal(e: PyExpr & { kind: 'Constant' }, fb: FnBuilder): Expr {
  switch (e.valueKind) {
    case 'int':
      return { kind: 'relax.PrimValue', value: intImm(Number(e.value), 'int64', e.span), span: e.span };
    case 'float':
      return { kind: 'relax.PrimValue', value: floatImm(Number(e.value), 'float64', e.span), span: e.span };
    case 'bool':
      return { kind: 'relax.PrimValue', value: intImm(e.value ? 1 : 0, 'bool', e.span), span: e.span };
    case 'str':
      return { kind: 'relax.StringImm', value: e.value as string, span: e.span };
    default:
      fb.error('R255', `A Relax literal is an int, float, bool or string. However, \`${fb.src(e.span)}\` was found.`, e.span);
      return errorExpr(e.span);
  }
}

/** A tuple literal; all-symbolic elements like `(n * m,)` make a shape instead (the RFC writes shapes that way). */
export function buildTuple(elts: readonly PyExpr[], e: PyExpr, fb: FnBuilder): Expr {
  if (elts.length > 0 && elts.every((x) => isSymbolic(x, fb) || isIntLit(x)) && elts.some((x) => isSymbolic(x, fb))) {
    return { kind: 'relax.ShapeExpr', values: elts.map((x) => buildDim(x, fb, 'refer')), span: e.span };
  }
  const t: Tuple = { kind: 'relax.Tuple', fields: elts.map((x) => buildArg(x, fb)), span: e.span };
  return t;
}

function buildSubscript(e: PyExpr & { kind: 'Subscript' }, fb: FnBuilder): Expr {
  const meta = metadataRef(e, fb);
  if (meta) return meta;
  const idx = tupleIndex(e.index, fb);
  const tuple = buildArg(e.value, fb);
  if (idx === undefined) return errorExpr(e.span);
  return { kind: 'relax.TupleGetItem', tuple, index: idx, span: e.span };
}

/** An int-literal tuple index (R252 otherwise). */
export function tupleIndex(e: PyExpr, fb: FnBuilder): number | undefined {
  if (isIntLit(e)) {
    const v = e.kind === 'Constant' ? Number(e.value) : -Number((e as { operand: { value: unknown } }).operand.value);
    if (v >= 0) return v;
  }
  fb.error('R252', `A tuple index is a non-negative integer literal. However, \`${fb.src(e.span)}\` was found.`, e.span);
  return undefined;
}

/** `metadata["relax.expr.Constant"][i]`: a constant kept verbatim (README rule 5). */
function metadataRef(e: PyExpr & { kind: 'Subscript' }, fb: FnBuilder): Constant | undefined {
  const inner = e.value;
  if (inner.kind !== 'Subscript' || inner.value.kind !== 'Name' || inner.value.id !== 'metadata') return undefined;
  if (fb.scope.lookup('metadata')) return undefined;
  const key = inner.index;
  const idx = e.index;
  if (key.kind !== 'Constant' || key.valueKind !== 'str' || idx.kind !== 'Constant' || idx.valueKind !== 'int') {
    fb.error('R256', `A metadata reference is metadata["key"][index]. However, \`${fb.src(e.span)}\` was found.`, e.span);
    return { kind: 'relax.Constant', dtype: '', metaRef: { key: '', index: 0 }, span: e.span };
  }
  return { kind: 'relax.Constant', dtype: '', metaRef: { key: key.value as string, index: Number(idx.value) }, span: e.span };
}

const BIN_OPS: Readonly<Record<string, string>> = {
  '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '//': 'floor_divide', '%': 'floor_mod',
  '**': 'power', '@': 'matmul', '&': 'bitwise_and', '|': 'bitwise_or', '^': 'bitwise_xor',
  '<<': 'left_shift', '>>': 'right_shift',
  '<': 'less', '<=': 'less_equal', '>': 'greater', '>=': 'greater_equal', '==': 'equal', '!=': 'not_equal',
};
const UN_OPS: Readonly<Record<string, string>> = { '-': 'negative', not: 'logical_not', '~': 'bitwise_not' };

/** Python operators: symbolic arithmetic is a PrimValue; on Relax values they are the ops TVM's Expr overloads. */
function buildOperator(e: PyExpr & { kind: 'BinOp' | 'UnaryOp' | 'Compare' }, fb: FnBuilder): Expr {
  if (isSymbolic(e, fb) || (e.kind === 'UnaryOp' && isIntLit(e))) {
    return { kind: 'relax.PrimValue', value: buildPrim(e, fb, 'refer', false), span: e.span };
  }
  let name: string | undefined;
  let operands: PyExpr[] = [];
  if (e.kind === 'BinOp') [name, operands] = [BIN_OPS[e.op], [e.left, e.right]];
  else if (e.kind === 'UnaryOp') [name, operands] = [UN_OPS[e.op], [e.operand]];
  else if (e.ops.length === 1) [name, operands] = [BIN_OPS[e.ops[0]!], [e.left, e.comparators[0]!]];
  if (!name) {
    fb.error('R255', `Python operators on Relax values are arithmetic and single comparisons. However, \`${fb.src(e.span)}\` was found.`, e.span);
    return errorExpr(e.span);
  }
  const def = lookupOp(`relax.${name}`);
  if (!def) return unknownOp(`relax.${name}`, operands, [], e.span, fb);
  return opCall(def, { kind: 'Call', func: e, args: operands, keywords: [], span: e.span }, fb);
}

// ---------------------------------------------------------------- calls

/** Any call in Relax expression position. */
export function buildCall(e: PyCall, fb: FnBuilder): Expr {
  const g = globalRef(e.func, fb);
  if (g) return call(g, e.args.map((a) => buildArg(a, fb)), null, tyArgs(e, fb), e.span);
  const p = fb.mod.aliases.qualName(e.func);
  if (p && p[0] === 'R' && p.length >= 2) return buildRCall(p.slice(1).join('.'), e, fb);
  if (p && p[0] === 'T' && p.length >= 2) return { kind: 'relax.PrimValue', value: buildPrim(e, fb, 'refer', false), span: e.span };
  if (e.func.kind === 'Name') return callByName(e.func.id, e, fb);
  fb.error('R250', `A call's callee is an op (\`R.add\`), a module function or a local function. However, \`${fb.src(e.func.span)}\` was found.`, e.func.span);
  return errorExpr(e.span);
}

function callByName(id: string, e: PyCall, fb: FnBuilder): Expr {
  const item = fb.scope.lookup(id);
  let callee: Expr | undefined;
  if (item && item.kind !== 'moduleAlias') callee = item;
  else if (fb.mod.globals.has(id)) callee = gv(id, e.func.span);
  if (!callee) {
    fb.error('R201', `A called name must be a function. However, \`${id}\` is not defined.`, e.func.span);
    return errorExpr(e.span);
  }
  const args = e.args.map((a) => buildArg(a, fb));
  return call(callee as GlobalVar, args, null, tyArgs(e, fb), e.span);
}

/** `R.<name>(...)`: special forms first, then the registry, then an unknown op. */
function buildRCall(name: string, e: PyCall, fb: FnBuilder): Expr {
  const special = buildSpecial(name, e, fb);
  if (special) return special;
  const def = lookupOp(`relax.${name}`);
  if (def) return opCall(def, e, fb);
  return unknownOp(`relax.${name}`, e.args, e.keywords, e.span, fb);
}

const TY_KEYS = new Set(['ty_args', 'sinfo_args']);

/** `ty_args=` / `sinfo_args=` (a single annotation or a list of them). */
export function tyArgs(e: PyCall, fb: FnBuilder): StructInfo[] {
  const k = e.keywords.find((x) => x.name !== null && TY_KEYS.has(x.name));
  return k ? sinfoList(k.value, fb) : [];
}

/** One annotation, or a list/tuple of them. */
export function sinfoList(v: PyExpr, fb: FnBuilder): StructInfo[] {
  if ((v.kind === 'List' || v.kind === 'Tuple') && !looksLikeSInfo(v, fb)) return v.elts.map((x) => buildSInfo(x, fb, 'refer'));
  return [buildSInfo(v, fb, 'refer')];
}

/** README rule 2: an op the registry does not know, kept as written, with a warning. */
export function unknownOp(name: string, args: readonly PyExpr[], keywords: readonly PyKeyword[], span: Span, fb: FnBuilder): Expr {
  fb.warning('R202', `Ops are checked against the registry. However, \`${name}\` is not a known op; it is kept as written and its result type is unknown unless annotated.`, span);
  const built = args.map((a) => buildArg(a, fb));
  const entries: [string, AttrValue][] = [];
  let ty: StructInfo[] = [];
  for (const k of keywords) {
    if (k.name !== null && TY_KEYS.has(k.name)) ty = sinfoList(k.value, fb);
    else entries.push([k.name ?? '**', toAttr(k.value, fb)]);
  }
  return call(op(name, span), built, entries.length ? attrDict(entries) : null, ty, span);
}

/** Matches written arguments to an op's parameters; reports R203-R206. `complete` is false when a required one is missing. */
function bindParams(def: OpDef, e: PyCall, fb: FnBuilder): { bound: Map<string, PyExpr>; complete: boolean } {
  let complete = true;
  const bound = new Map<string, PyExpr>();
  e.args.forEach((a, i) => {
    const p = def.params[i];
    if (a.kind === 'Starred') fb.error('R207', `Op arguments are written out. However, a *-argument was given to \`${def.name}\`.`, a.span);
    else if (!p) fb.error('R204', `\`${def.name}\` takes at most ${def.params.length} positional arguments. However, ${e.args.length} were given.`, a.span);
    else bound.set(p.name, a);
  });
  for (const k of e.keywords) {
    if (k.name === null || (!def.params.some((p) => p.name === k.name) && TY_KEYS.has(k.name))) continue;
    if (!def.params.some((p) => p.name === k.name)) {
      const names = def.params.map((p) => p.name).join(', ');
      fb.error('R205', `\`${def.name}\` takes the parameters (${names}). However, the keyword \`${k.name}\` was given.`, k.span);
    } else if (bound.has(k.name)) {
      fb.error('R206', `Each parameter is given once. However, \`${k.name}\` of \`${def.name}\` was given twice.`, k.span);
    } else bound.set(k.name, k.value);
  }
  for (const p of def.params) {
    if (!bound.has(p.name) && p.default === undefined && !p.optional) {
      fb.error('R203', `\`${def.name}\` requires the parameter \`${p.name}\`. However, it was not given.`, e.span);
      complete = false;
    }
  }
  return { bound, complete };
}

/** README rule 1: a registered op call, args in signature order, every attr filled and normalized. */
export function opCall(def: OpDef, e: PyCall, fb: FnBuilder): Expr {
  const { bound, complete } = bindParams(def, e, fb);
  const args: Expr[] = [];
  const entries: [string, AttrValue][] = [];
  let hasAttrs = false;
  let hole: OpParam | undefined; // the first omitted expression param: later ones must be omitted too (README rule 1)
  for (const p of def.params) {
    const w = bound.get(p.name);
    if (p.kind === 'attr') {
      hasAttrs = true;
      // TVM stores an unset dtype attribute as void and prints `out_dtype="void"`: None reads the same way.
      const none = w?.kind === 'Constant' && w.valueKind === 'None';
      if (w && !(none && p.default === 'void')) entries.push([p.name, toAttr(w, fb)]);
      else if (p.default !== undefined) entries.push([p.name, p.default]);
      continue;
    }
    if (!w || (w.kind === 'Constant' && w.valueKind === 'None')) {
      if (!hole && p.default !== undefined && p.default !== null) args.push(defaultArg(p.default));
      else hole ??= p;
      continue;
    }
    if (hole) {
      fb.error('R207', `Only trailing expression parameters of \`${def.name}\` may be omitted. However, \`${hole.name}\` is omitted and \`${p.name}\` is given.`, w.span);
    }
    args.push(convertParam(p, w, fb));
  }
  if (!complete) return errorExpr(e.span); // a call missing a required parameter never reaches inference
  let attrs = hasAttrs ? attrDict(entries) : null;
  if (attrs && def.normalizeAttrs) attrs = normalize(def, attrs, e, fb);
  const normArgs = def.normalizeArgs ? def.normalizeArgs(args) : args;
  if (attrs && def.resolveAttrs) attrs = def.resolveAttrs(normArgs, attrs);
  return call(op(def.name, e.span), normArgs, attrs, tyArgs(e, fb), e.span);
}

/** Applies the op's attr normalizer; a throw there (a bad attr value it did not expect) becomes R208, not a crash. */
function normalize(def: OpDef, attrs: AttrDict, e: PyCall, fb: FnBuilder): AttrDict {
  try {
    return def.normalizeAttrs!(attrs);
  } catch (err) {
    fb.error('R208', `The attributes of \`${def.name}\` must have the types its signature gives. However, normalizing them failed: ${err instanceof Error ? err.message : String(err)}.`, e.span);
    return attrs;
  }
}

function defaultArg(v: AttrValue): Expr {
  if (isPrimAttr(v)) return { kind: 'relax.PrimValue', value: v };
  if (typeof v === 'string') return { kind: 'relax.StringImm', value: v };
  return { kind: 'relax.PrimValue', value: intImm(v ? 1 : 0, 'bool') };
}

/** Converts one written argument per its parameter kind (see registry.ts ParamKind). */
function convertParam(p: OpParam, w: PyExpr, fb: FnBuilder): Expr {
  switch (p.kind) {
    case 'tensor':
      return scalarConst(w) ?? buildArg(w, fb);
    case 'tensors':
      if (w.kind === 'List' || w.kind === 'Tuple') return { kind: 'relax.Tuple', fields: w.elts.map((x) => scalarConst(x) ?? buildArg(x, fb)), span: w.span };
      return buildArg(w, fb);
    case 'shape':
      if (w.kind === 'List' || w.kind === 'Tuple') return { kind: 'relax.ShapeExpr', values: w.elts.map((x) => buildDim(x, fb, 'refer')), span: w.span };
      if (isIntLit(w) || isSymbolic(w, fb)) return { kind: 'relax.ShapeExpr', values: [buildDim(w, fb, 'refer')], span: w.span };
      return buildArg(w, fb);
    case 'prim':
      return primArg(w, fb);
    case 'prims':
      if (w.kind === 'List' || w.kind === 'Tuple') return { kind: 'relax.Tuple', fields: w.elts.map((x) => primArg(x, fb)), span: w.span };
      return buildArg(w, fb);
    default:
      // A packed function given by name (`R.call_builtin_with_ctx("vm.builtin.x", ...)`) is an ExternFunc, as TVM converts it.
      if (p.name === 'func' && w.kind === 'Constant' && w.valueKind === 'str') return { kind: 'relax.ExternFunc', globalSymbol: w.value as string, span: w.span };
      return buildArg(w, fb);
  }
}

/** A scalar argument: numbers and symbolic expressions become PrimValues, anything else a Relax expression. */
export function primArg(w: PyExpr, fb: FnBuilder): Expr {
  if (w.kind === 'Constant' && (w.valueKind === 'int' || w.valueKind === 'float' || w.valueKind === 'bool')) return literal(w, fb);
  if (isIntLit(w) || isFloatLit(w) || isSymbolic(w, fb)) return { kind: 'relax.PrimValue', value: buildPrim(w, fb, 'refer', false), span: w.span };
  return buildArg(w, fb);
}

function isFloatLit(e: PyExpr): boolean {
  if (e.kind === 'UnaryOp' && e.op === '-') return isFloatLit(e.operand);
  return e.kind === 'Constant' && e.valueKind === 'float';
}

/** README rule 5: a number literal for a tensor parameter is a scalar R.const (int32 / float32 / bool). */
function scalarConst(w: PyExpr): Constant | undefined {
  let neg = false;
  let x = w;
  if (x.kind === 'UnaryOp' && x.op === '-') [neg, x] = [true, x.operand];
  if (x.kind !== 'Constant') return undefined;
  const dtype = x.valueKind === 'int' ? 'int32' : x.valueKind === 'float' ? 'float32' : x.valueKind === 'bool' && !neg ? 'bool' : null;
  if (!dtype) return undefined;
  const v = dtype === 'bool' ? (x.value as boolean) : (neg ? -1 : 1) * Number(x.value);
  return { kind: 'relax.Constant', dtype, shape: [], data: [v], span: w.span };
}
