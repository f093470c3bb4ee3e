/**
 * Relax function bodies: assignments (annotated or not, tuple unpacking, `_ = ...`), `R.match_cast` /
 * RFC `R.match_shape`, `n = T.int64()` declarations, `cls = Module` aliases, `R.func_attr`, `with R.dataflow()`
 * with `R.output` (RFC `R.outputs`), if/else (README rule 7), `return`, nested `@R.function`s, and the structural
 * errors of each. A statement that fails is skipped (its target still names a placeholder var so later uses do not
 * cascade); building goes on with the next statement.
 */
import type { PyAssign, PyAnnAssign, PyCall, PyExpr, PyIf, PyStmt, PyWith } from './pyast.js';
import type { Span } from '../span.js';
import type { AttrDict } from '../attrs.js';
import type { Expr, If, RelaxVar, SeqExpr, StructInfo } from '../relax/nodes.js';
import type { FnBuilder, Frame, RelaxScopeItem } from './relax-context.js';
import { Scope } from './relax-context.js';
import { SI } from '../relax/nodes.js';
import { tvar } from '../tir/nodes.js';
import { buildArg, buildValue, errorExpr, normalizeArg } from './relax-expr.js';
import { buildSInfo } from './relax-sinfo.js';
import { buildDim } from './relax-prim.js';
import { dictAttr } from './relax-attrs.js';
import { buildLocalFunction, isRelaxFunctionDef } from './relax-function.js';
import { sinfoMismatch } from '../verify/sinfo-compat.js';

/** Builds a function body; the returned SeqExpr's body is the returned expression (README rule 6). */
export function buildFunctionBody(stmts: readonly PyStmt[], fb: FnBuilder, nameSpan: Span): SeqExpr {
  let ret: Expr | undefined;
  stmts.forEach((s, i) => {
    if (s.kind === 'Return') {
      if (i !== stmts.length - 1) fb.error('R230', 'return must be the last statement of a function body. However, statements follow it.', s.span);
      ret = guard(fb, s.span, () => buildReturn(s.value, fb), ret);
    } else if (s.kind === 'If' && i === stmts.length - 1 && branchReturns(s)) {
      ret = guard(fb, s.span, () => buildReturningIf(s, fb), ret);
    } else {
      guard(fb, s.span, () => buildStmt(s, fb), undefined);
    }
  });
  if (!ret) {
    fb.error('R231', 'A Relax function body must end with `return`. However, there is no return.', nameSpan);
    ret = { kind: 'relax.Tuple', fields: [] };
  }
  fb.flush();
  return { kind: 'relax.SeqExpr', blocks: fb.frame.blocks, body: ret };
}

/** Runs a statement builder; an exception (a builder bug) becomes R299 instead of escaping. */
function guard<T>(fb: FnBuilder, span: Span, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (err) {
    fb.error('R299', `Building a statement must not fail. However, the builder threw: ${err instanceof Error ? err.message : String(err)}.`, span);
    return fallback;
  }
}

function buildReturn(value: PyExpr | null, fb: FnBuilder): Expr {
  if (!value) return { kind: 'relax.Tuple', fields: [] };
  const v = buildValue(value, fb);
  return v.kind === 'relax.Tuple' || v.kind === 'relax.Var' || v.kind === 'relax.DataflowVar' ? v : normalizeArg(v, fb);
}

/** One statement of a body (outside or inside a dataflow block). */
export function buildStmt(s: PyStmt, fb: FnBuilder): void {
  switch (s.kind) {
    case 'Assign':
      return buildAssign(s, fb);
    case 'AnnAssign':
      return buildAnnAssign(s, fb);
    case 'Expr':
      return buildExprStmt(s.value, s.span, fb);
    case 'With':
      return buildWith(s, fb);
    case 'If':
      return buildIfStmt(s, fb);
    case 'FunctionDef':
      if (isRelaxFunctionDef(s, fb.mod)) {
        const { fn, sinfo } = buildLocalFunction(s, fb);
        bindName(s.name, fn, s.nameSpan, fb, sinfo);
        return;
      }
      break;
    case 'Pass':
    case 'ErrorStmt':
      return;
    case 'Return':
      fb.error('R230', 'return must be the last statement of the function body. However, it appears inside a block here.', s.span);
      return;
    default:
      break;
  }
  fb.error('R234', `A Relax function body holds assignments, \`with R.dataflow()\`, if/else and return. However, a Python ${s.kind} statement was found.`, s.span);
}

/** Binds `name` to `value` in the current block and scope; returns the new var. */
export function bindName(name: string, value: Expr, span: Span, fb: FnBuilder, annotation?: StructInfo, varSpan: Span = span): RelaxVar {
  const v = fb.newVar(name, annotation ?? fb.infer(value), varSpan);
  fb.push({ kind: 'relax.VarBinding', v, value, ...(annotation ? { annotated: true } : {}), span });
  fb.scope.define(name, v);
  if (value.kind === 'relax.ShapeExpr') fb.boundValues.set(v, value);
  return v;
}

/** After a failed statement: the target names a placeholder so later uses do not report it again. */
function definePlaceholder(name: string, span: Span, fb: FnBuilder, sinfo: StructInfo = SI.object()): void {
  fb.scope.define(name, fb.newVar(name, sinfo, span));
}

function callPath(e: PyExpr, fb: FnBuilder): string | undefined {
  return e.kind === 'Call' ? fb.mod.aliases.qualName(e.func)?.join('.') : undefined;
}

function buildExprStmt(value: PyExpr, span: Span, fb: FnBuilder): void {
  const path = callPath(value, fb);
  if (path === 'R.func_attr') return funcAttr(value as PyCall, fb);
  if (path === 'R.output' || path === 'R.outputs') {
    fb.error('R221', '`R.output(...)` ends a dataflow block. However, it is used outside `with R.dataflow()`.', span);
    return;
  }
  if (value.kind === 'Constant' && value.valueKind === 'str') return; // a docstring
  const cp = fb.checkpoint();
  const v = buildValue(value, fb);
  if (!fb.failedSince(cp)) bindName('_', v, span, fb);
}

function funcAttr(e: PyCall, fb: FnBuilder): void {
  const d = e.args[0];
  if (e.args.length !== 1 || !d || d.kind !== 'Dict') {
    fb.error('R243', 'R.func_attr takes one dict literal. However, something else was given.', e.span);
    return;
  }
  const attrs = dictAttr(d, fb) as AttrDict;
  fb.funcAttrs = fb.funcAttrs ? { kind: 'attr.Dict', entries: [...fb.funcAttrs.entries, ...attrs.entries] } : attrs;
}

/** `n = T.int64()` (also `T.int32()`, RFC `T.var("int64")`): declares a symbolic var, or reuses a declared one. */
function symbolicDecl(value: PyExpr, fb: FnBuilder): string | undefined {
  if (value.kind !== 'Call') return undefined;
  const p = fb.mod.aliases.qualName(value.func);
  if (!p || p.length !== 2 || p[0] !== 'T') return undefined;
  const name = p[1]!;
  if (/^u?int(8|16|32|64)$/.test(name) && value.args.length === 0 && value.keywords.length === 0) return name;
  if (name === 'var' || name === 'Var' || name === 'size_var' || name === 'SizeVar') {
    const d = value.args[0] ?? value.keywords.find((k) => k.name === 'dtype')?.value;
    return d && d.kind === 'Constant' && d.valueKind === 'str' ? (d.value as string) : 'int32';
  }
  return undefined;
}

function buildAssign(s: PyAssign, fb: FnBuilder): void {
  if (s.targets.length !== 1) {
    fb.error('R235', 'An assignment binds one target. However, a chained assignment `a = b = ...` was found.', s.span);
    return;
  }
  const target = s.targets[0]!;
  if (target.kind === 'Name') return assignName(target.id, target.span, s.value, s.span, undefined, fb);
  if (target.kind === 'Tuple' || target.kind === 'List') return unpack(target.elts, s.value, s.span, fb);
  fb.error('R235', `An assignment target is a name or a tuple of names. However, \`${fb.src(target.span)}\` was found.`, target.span);
}

function buildAnnAssign(s: PyAnnAssign, fb: FnBuilder): void {
  if (s.target.kind !== 'Name') {
    fb.error('R235', `An annotated assignment binds a name. However, \`${fb.src(s.target.span)}\` was found.`, s.target.span);
    return;
  }
  if (!s.value) {
    fb.error('R234', `A binding needs a value. However, \`${s.target.id}\` is only annotated.`, s.span);
    return;
  }
  const ann = buildSInfo(s.annotation, fb, 'refer');
  assignName(s.target.id, s.target.span, s.value, s.span, ann, fb);
}

/** `name = value` / `name: ann = value` with every special right-hand side. */
function assignName(name: string, nameSpan: Span, value: PyExpr, span: Span, ann: StructInfo | undefined, fb: FnBuilder): void {
  if (value.kind === 'Name' && !fb.scope.lookup(value.id) && value.id === fb.mod.moduleName) {
    fb.scope.define(name, { kind: 'moduleAlias' });
    return;
  }
  const symDtype = symbolicDecl(value, fb);
  if (symDtype !== undefined) {
    const known = fb.sym.lookup(name);
    if (!known) fb.sym.define(name, tvar(name, symDtype, nameSpan));
    else if (known.dtype !== symDtype) {
      // TVM reads these declarations before the signature, so the signature's dims would be this dtype.
      fb.error('R212', `Relax shape dims are int64. However, \`${name}\` is a dim of the signature and is declared ${symDtype} here.`, value.span);
    }
    return;
  }
  const path = callPath(value, fb);
  if (path === 'R.match_cast' || path === 'R.match_shape') return matchCast(name, nameSpan, value as PyCall, path, span, ann, fb);
  const cp = fb.checkpoint();
  const v = ann?.kind === 'si.Shape' && (value.kind === 'Tuple' || value.kind === 'List') ? shapeLiteral(value, fb) : buildValue(value, fb);
  if (fb.failedSince(cp)) return definePlaceholder(name, nameSpan, fb, ann);
  if (ann) checkAnnotation(name, ann, v, span, fb);
  bindName(name, v, span, fb, ann, nameSpan);
}

/**
 * TVM rejects an annotation that provably cannot describe the value (its Emit check, kFailL0): a different kind,
 * dtype, rank or constant dim. Anything only unprovable (symbolic dims, unknown dtype) is accepted, as in TVM.
 */
function checkAnnotation(name: string, ann: StructInfo, value: Expr, span: Span, fb: FnBuilder): void {
  const why = sinfoMismatch(ann, fb.infer(value), [`the annotation of \`${name}\``, 'its value']);
  if (why) fb.error('R213', `An annotation must be able to describe the value it annotates. However, ${why}.`, span);
}

function shapeLiteral(value: PyExpr & { kind: 'Tuple' | 'List' }, fb: FnBuilder): Expr {
  return { kind: 'relax.ShapeExpr', values: value.elts.map((d) => buildDim(d, fb, 'refer')), span: value.span };
}

/** `a, b = value`: binds the tuple, then each name to a TupleGetItem of it. */
function unpack(targets: readonly PyExpr[], value: PyExpr, span: Span, fb: FnBuilder): void {
  const cp = fb.checkpoint();
  const built = buildValue(value, fb);
  const ok = targets.every((t) => t.kind === 'Name');
  if (!ok) fb.error('R235', 'Tuple unpacking binds names. However, a target is not a plain name.', span);
  if (fb.failedSince(cp)) {
    for (const t of targets) if (t.kind === 'Name') definePlaceholder(t.id, t.span, fb);
    return;
  }
  const tuple = built.kind === 'relax.Var' || built.kind === 'relax.DataflowVar' ? built : fb.emitFresh(built);
  targets.forEach((t, index) => {
    if (t.kind === 'Name') bindName(t.id, { kind: 'relax.TupleGetItem', tuple, index, span: t.span }, t.span, fb);
  });
}

/** `v = R.match_cast(value, sinfo)` and RFC `v = R.match_shape(value, (k, m))` (README rule 8). */
function matchCast(name: string, nameSpan: Span, e: PyCall, path: string, span: Span, ann: StructInfo | undefined, fb: FnBuilder): void {
  const [valueW, patW] = e.args;
  if (!valueW || !patW || e.args.length !== 2 || e.keywords.length) {
    fb.error('R251', `${path} takes a value and a ${path === 'R.match_cast' ? 'struct info' : 'shape'}. However, \`${fb.src(e.span)}\` was written.`, e.span);
    return definePlaceholder(name, span, fb, ann);
  }
  const cp = fb.checkpoint();
  const value = buildArg(valueW, fb);
  const sinfo = path === 'R.match_cast' ? buildSInfo(patW, fb, 'match') : matchShapeSInfo(value, patW, fb);
  if (fb.failedSince(cp)) return definePlaceholder(name, span, fb, ann ?? sinfo);
  const v = fb.newVar(name, ann ?? sinfo, nameSpan);
  fb.push({ kind: 'relax.MatchCast', v, value, sinfo, span });
  fb.scope.define(name, v);
}

/** RFC match_shape: a tensor value casts to `R.Tensor(dims, <its dtype>)`, a shape value to `R.Shape(dims)`. */
function matchShapeSInfo(value: Expr, pat: PyExpr, fb: FnBuilder): StructInfo {
  fb.warning('R214', 'The 2022 RFC\'s `R.match_shape(v, shape)` is now `R.match_cast(v, R.Tensor(shape, dtype))`. However, `R.match_shape` was written; it is read as that match_cast.', pat.span);
  if (pat.kind !== 'Tuple' && pat.kind !== 'List') {
    fb.error('R251', `R.match_shape's pattern is a tuple of dims. However, \`${fb.src(pat.span)}\` was given.`, pat.span);
    return SI.object();
  }
  const dims = pat.elts.map((d) => buildDim(d, fb, 'match'));
  const si = fb.infer(value);
  if (si.kind === 'si.Shape') return SI.shape(dims);
  return SI.tensor(dims, si.kind === 'si.Tensor' ? si.dtype : '', si.kind === 'si.Tensor' ? si.vdevice : undefined);
}

// ---------------------------------------------------------------- dataflow

function isOutputStmt(s: PyStmt, fb: FnBuilder): boolean {
  if (s.kind !== 'Expr') return false;
  const p = callPath(s.value, fb);
  return p === 'R.output' || p === 'R.outputs';
}

function buildWith(s: PyWith, fb: FnBuilder): void {
  const item = s.items[0];
  const isDataflow = s.items.length === 1 && item && !item.target && callPath(item.context, fb) === 'R.dataflow';
  if (!isDataflow) {
    fb.error('R225', 'The only Relax with-statement is `with R.dataflow():`. However, another with-statement was found.', s.span);
    return;
  }
  if (fb.frame.dataflow !== null) {
    fb.error('R225', 'Dataflow blocks do not nest. However, `with R.dataflow()` appears inside one.', s.span);
    return;
  }
  buildDataflow(s, fb);
}

/** Finds the block's outputs first (so output vars are built as Vars, the rest as DataflowVars). */
function scanOutputs(body: readonly PyStmt[], fb: FnBuilder): { outputs: PyCall | undefined; names: Set<string> } {
  let outputs: PyCall | undefined;
  const names = new Set<string>();
  body.forEach((s, i) => {
    if (!isOutputStmt(s, fb)) return;
    const c = (s as { value: PyCall }).value;
    if (outputs) {
      fb.error('R220', 'A dataflow block has one `R.output(...)`. However, a second one was found.', s.span);
      return;
    }
    outputs = c;
    for (const a of c.args) if (a.kind === 'Name') names.add(a.id);
    for (const later of body.slice(i + 1)) {
      if (!isOutputStmt(later, fb)) fb.error('R222', '`R.output(...)` must be the last statement of its dataflow block. However, a statement follows it.', later.span);
    }
  });
  return { outputs, names };
}

function buildDataflow(s: PyWith, fb: FnBuilder): void {
  const { outputs, names } = scanOutputs(s.body, fb);
  fb.flush();
  const outer = fb.scope;
  const inner = new Scope<RelaxScopeItem>(outer);
  fb.scope = inner;
  fb.frame.dataflow = names;
  try {
    for (const st of s.body) {
      if (isOutputStmt(st, fb)) continue;
      if (st.kind === 'If') fb.error('R224', 'Control flow is not allowed inside a dataflow block. However, an `if` was found.', st.span);
      else guard(fb, st.span, () => buildStmt(st, fb), undefined);
    }
    exportOutputs(outputs, inner, outer, fb);
  } finally {
    fb.flush(true);
    fb.frame.dataflow = null;
    fb.scope = outer;
  }
}

function exportOutputs(outputs: PyCall | undefined, inner: Scope<RelaxScopeItem>, outer: Scope<RelaxScopeItem>, fb: FnBuilder): void {
  if (!outputs) return;
  for (const a of outputs.args) {
    const item = a.kind === 'Name' && inner.has(a.id) ? inner.lookup(a.id) : undefined;
    if (a.kind === 'Name' && item) outer.define(a.id, item);
    else fb.error('R223', `R.output names vars bound in its dataflow block. However, \`${fb.src(a.span)}\` is not bound in this block.`, a.span);
  }
}

// ---------------------------------------------------------------- if/else

interface Branch {
  readonly seq: SeqExpr;
  /** The result var's name (undefined for a returning branch). */
  readonly name?: string;
  readonly ann?: StructInfo;
  readonly span: Span;
}

function branchReturns(s: PyIf): boolean {
  const endsWithReturn = (b: readonly PyStmt[]): boolean => {
    const last = b[b.length - 1];
    return !!last && (last.kind === 'Return' || (last.kind === 'If' && branchReturns(last)));
  };
  return endsWithReturn(s.body) && endsWithReturn(s.orelse);
}

/** Builds the statements of a branch into a fresh frame and child scope; `last` builds the branch value. */
function inBranch(stmts: readonly PyStmt[], fb: FnBuilder, last: (s: PyStmt) => Omit<Branch, 'seq'> & { value: Expr }): Branch {
  const saved: Frame = fb.frame;
  const outer = fb.scope;
  fb.frame = { blocks: [], cur: [], dataflow: null };
  fb.scope = new Scope(outer);
  try {
    stmts.slice(0, -1).forEach((st) => guard(fb, st.span, () => buildStmt(st, fb), undefined));
    const r = last(stmts[stmts.length - 1]!);
    fb.flush();
    for (const [name] of fb.scope.entries()) fb.branchLocals.set(name, r.span);
    return { seq: { kind: 'relax.SeqExpr', blocks: fb.frame.blocks, body: r.value }, name: r.name, ann: r.ann, span: r.span };
  } finally {
    fb.frame = saved;
    fb.scope = outer;
  }
}

/** The last statement of a value branch: `y = value`, `y: ann = value`, or a nested if (elif). */
function branchResult(st: PyStmt, fb: FnBuilder): { value: Expr; name?: string; ann?: StructInfo; span: Span } {
  if (st.kind === 'Assign' && st.targets.length === 1 && st.targets[0]!.kind === 'Name') {
    return { value: buildValue(st.value, fb), name: st.targets[0]!.id, span: st.span };
  }
  if (st.kind === 'AnnAssign' && st.target.kind === 'Name' && st.value) {
    const ann = buildSInfo(st.annotation, fb, 'refer');
    return { value: buildValue(st.value, fb), name: st.target.id, ann, span: st.span };
  }
  if (st.kind === 'If') {
    const r = buildIfExpr(st, fb);
    if (r) return { value: r.expr, name: r.name, ann: r.ann, span: st.span };
    return { value: errorExpr(st.span), span: st.span };
  }
  fb.error('R233', 'Each branch of an if ends by assigning its result var (`y = ...`). However, the branch ends with another statement.', st.span);
  guard(fb, st.span, () => buildStmt(st, fb), undefined);
  return { value: errorExpr(st.span), span: st.span };
}

function buildIfExpr(s: PyIf, fb: FnBuilder): { expr: If; name?: string; ann?: StructInfo } | undefined {
  if (s.orelse.length === 0 || s.body.length === 0) {
    fb.error('R233', 'A Relax if has both branches, each assigning the result var. However, the else branch is missing.', s.span);
    return undefined;
  }
  const cond = buildArg(s.test, fb);
  const t = inBranch(s.body, fb, (st) => branchResult(st, fb));
  const f = inBranch(s.orelse, fb, (st) => branchResult(st, fb));
  if (t.name !== f.name) {
    fb.error('R233', `Both branches of an if assign the same result var. However, they assign \`${t.name ?? '?'}\` and \`${f.name ?? '?'}\`.`, f.span);
  }
  return { expr: { kind: 'relax.If', cond, trueBranch: t.seq, falseBranch: f.seq, span: s.span }, name: t.name, ann: t.ann ?? f.ann };
}

function buildIfStmt(s: PyIf, fb: FnBuilder): void {
  const cp = fb.checkpoint();
  const r = buildIfExpr(s, fb);
  const failed = fb.failedSince(cp);
  if (!r || !r.name) return;
  if (failed) return definePlaceholder(r.name, s.span, fb, r.ann);
  fb.branchLocals.delete(r.name);
  bindName(r.name, r.expr, s.span, fb, r.ann);
}

/** A final `if` whose branches both return: the function returns the If's value. */
function buildReturningIf(s: PyIf, fb: FnBuilder): Expr {
  const cond = buildArg(s.test, fb);
  const returned = (st: PyStmt): { value: Expr; span: Span } => {
    if (st.kind === 'Return') return { value: buildReturn(st.value, fb), span: st.span };
    return { value: buildReturningIf(st as PyIf, fb), span: st.span };
  };
  const t = inBranch(s.body, fb, returned);
  const f = inBranch(s.orelse, fb, returned);
  const ifExpr: If = { kind: 'relax.If', cond, trueBranch: t.seq, falseBranch: f.seq, span: s.span };
  return fb.emitFresh(ifExpr, 'gv');
}
