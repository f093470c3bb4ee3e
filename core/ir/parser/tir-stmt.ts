/**
 * TIR statements: a PrimFunc body (Python statements) -> Stmt, as TVMScript's TIR parser reads it.
 *
 * - Statement sequences become SeqStmt (one statement is not wrapped; an empty body is `T.evaluate(0)`).
 * - Constructs that scope over "the rest of the body" wrap it: `x = expr` (LetStmt), `assert c, msg` and
 *   `T.Assert(c, msg)` (AssertStmt).
 * - Declarations produce no statement: `n = T.int64()`, `A = T.match_buffer(...)`, `B = T.alloc_buffer(...)`,
 *   `T.func_attr`, and the block-frame statements (`T.axis.*`, `T.reads`, `T.writes`, `T.where`, `T.block_attr`,
 *   `with T.init()`), which fill the enclosing block (tir-block.ts).
 * - Loops: `for ... in T.grid/serial/parallel/vectorized/unroll/thread_binding/range(...)` and the RFC
 *   `with T.grid(n) as i:`; the loop var takes the extent's dtype.
 *
 * The function signature and the implicit root block are tir-builder.ts; expressions are tir-expr.ts.
 */
import type { Span } from '../span.js';
import type { AttrValue } from '../attrs.js';
import type { PyCall, PyExpr, PyStmt } from './pyast.js';
import type {
  Buffer, BufferRegion, ForKind, IterVar, MatchBufferRegion, PrimExpr, Range, Stmt, TirVar,
} from '../tir/nodes.js';
import type { ExprEnv, TirBuildContext, TirScope } from './tir-expr.js';
import { attrDict } from '../attrs.js';
import { intImm, primDtype, tvar } from '../tir/nodes.js';
import {
  bindArgs, buildExpr, buildName, castTo, checkArity, checkRank, extentOf, indexExprs, lookupBuffer, promotedDtype,
  readDtype, strConst, symbolicDecl, tCallPath, tPath,
} from './tir-expr.js';
import { bufferFromCall, toAttrValue } from './tir-buffer.js';
import { axisAssign, buildBlock, regionOf, remapAssign, blockFrameStmt } from './tir-block.js';

/** @internal The block being built: what its frame statements have declared so far. */
export interface BlockFrame {
  readonly name: string;
  readonly iterVars: IterVar[];
  readonly iterValues: PrimExpr[];
  reads?: BufferRegion[];
  writes?: BufferRegion[];
  init?: Stmt;
  readonly allocs: Buffer[];
  readonly matchBuffers: MatchBufferRegion[];
  readonly annotations: [string, AttrValue][];
  predicate?: PrimExpr;
}

/** @internal Per-PrimFunc build state. */
export interface FuncState {
  readonly ctx: TirBuildContext;
  readonly funcScope: TirScope;
  /** Handle parameters, which `T.match_buffer` binds. */
  readonly handles: ReadonlySet<TirVar>;
  readonly bufferMap: Map<TirVar, Buffer>;
  readonly attrs: [string, AttrValue][];
  /** `T.alloc_buffer`s outside every block: the root block's allocs (README rule 10). */
  readonly rootAllocs: Buffer[];
  readonly blocks: BlockFrame[];
  readonly loopRanges: Map<TirVar, Range>;
  hasBlock: boolean;
}

/** @internal */
export function newFuncState(ctx: TirBuildContext, funcScope: TirScope, handles: ReadonlySet<TirVar>): FuncState {
  return {
    ctx, funcScope, handles, bufferMap: new Map(), attrs: [], rootAllocs: [], blocks: [], loopRanges: new Map(),
    hasBlock: false,
  };
}

/** @internal The expression environment of a scope. */
export function envOf(scope: TirScope, st: FuncState): ExprEnv {
  return { scope, ctx: st.ctx };
}

/** @internal The environment for shapes: the RFC dialect declares undeclared names there, function-wide. */
export function shapeEnvOf(scope: TirScope, st: FuncState): ExprEnv {
  return st.ctx.implicitVars ? { scope, ctx: st.ctx, implicitScope: st.funcScope } : { scope, ctx: st.ctx };
}

/** A statement, or a construct that wraps the rest of the body (built in `scope`). */
type Built = Stmt | { readonly wrap: (rest: Stmt) => Stmt; readonly scope: TirScope } | undefined;

/** @internal Builds a statement list into one Stmt. */
export function buildBody(stmts: readonly PyStmt[], scope: TirScope, st: FuncState): Stmt {
  return seqOf(buildList(stmts, 0, scope, st));
}

function buildList(stmts: readonly PyStmt[], from: number, scope: TirScope, st: FuncState): Stmt[] {
  const out: Stmt[] = [];
  for (let k = from; k < stmts.length; k++) {
    const r = buildOne(stmts[k]!, scope, st);
    if (r === undefined) continue;
    if ('kind' in r) {
      out.push(r);
      continue;
    }
    out.push(r.wrap(seqOf(buildList(stmts, k + 1, r.scope, st))));
    break;
  }
  return out;
}

/** @internal A sequence: empty -> `T.evaluate(0)`, one -> itself, more -> SeqStmt (nested ones flattened). */
export function seqOf(list: readonly Stmt[], span?: Span): Stmt {
  const flat = list.flatMap((s) => (s.kind === 'tir.SeqStmt' ? s.seq : [s]));
  if (flat.length === 0) return { kind: 'tir.Evaluate', value: intImm(0, 'int32') };
  if (flat.length === 1) return flat[0]!;
  return { kind: 'tir.SeqStmt', seq: flat, ...(span ? { span } : {}) };
}

function buildOne(s: PyStmt, scope: TirScope, st: FuncState): Built {
  switch (s.kind) {
    case 'Expr': return exprStmt(s.value, scope, st);
    case 'Assign': return assignStmt(s, scope, st);
    case 'AnnAssign': return annAssign(s, scope, st);
    case 'AugAssign': return bufferStore(s.target, { kind: 'BinOp', op: s.op, left: s.target, right: s.value, span: s.span }, s.span, scope, st);
    case 'For': return forStmt(s, scope, st);
    case 'With': return withStmt(s, scope, st);
    case 'If': return ifStmt(s, scope, st);
    case 'Assert': return assertWrap(s.test, s.msg, s.span, scope, st);
    case 'Return': return returnStmt(s.value, s.span, scope, st);
    case 'Pass':
    case 'ErrorStmt':
      return undefined;
    default:
      return unsupported(s.span, st, `a ${describeStmt(s)}`);
  }
}

function describeStmt(s: PyStmt): string {
  switch (s.kind) {
    case 'While': return 'while loop';
    case 'FunctionDef': return 'nested function';
    case 'ClassDef': return 'class';
    case 'Import': return 'import';
    default: return s.kind;
  }
}

function unsupported(span: Span, st: FuncState, what: string): undefined {
  st.ctx.diags.error('T309', `TIR bodies contain stores, loops, blocks, ifs, lets, asserts and T.* statements. However, ${what} was found.`, span);
  return undefined;
}

// ---------------------------------------------------------------- expression statements

function exprStmt(e: PyExpr, scope: TirScope, st: FuncState): Built {
  if (e.kind === 'Constant' && e.valueKind === 'str') return undefined; // docstring
  const env = envOf(scope, st);
  const path = e.kind === 'Call' ? tPath(e.func, st.ctx) : undefined;
  if (e.kind === 'Call' && path !== undefined) {
    const handled = callStmt(e, path, scope, st);
    if (handled !== 'value') return handled;
  }
  const value = buildExpr(e, env);
  return value && { kind: 'tir.Evaluate', value, span: e.span };
}

/** T.* calls used as statements; 'value' means "an ordinary expression, evaluate it". */
function callStmt(call: PyCall, path: string, scope: TirScope, st: FuncState): Built | 'value' {
  const env = envOf(scope, st);
  switch (path) {
    case 'func_attr':
      return funcAttr(call, env, st);
    case 'evaluate': {
      if (!checkArity(call, 1, 1, 'T.evaluate', st.ctx.diags)) return undefined;
      const value = buildExpr(call.args[0]!, env);
      return value && { kind: 'tir.Evaluate', value, span: call.span };
    }
    case 'Assert':
      if (!checkArity(call, 1, 2, 'T.Assert', st.ctx.diags)) return undefined;
      return assertWrap(call.args[0]!, call.args[1] ?? null, call.span, scope, st);
    case 'alloc_buffer':
    case 'sblock_alloc_buffer':
      allocBuffer('buf', call, path, scope, st);
      return undefined;
  }
  if (path.startsWith('axis.')) {
    st.ctx.diags.error('T302', `T.${path} binds block iter vars and must be assigned (\`v = T.${path}(...)\`). However, its result is discarded.`, call.span);
    return undefined;
  }
  return blockFrameStmt(call, path, scope, st) ? undefined : 'value';
}

function funcAttr(call: PyCall, env: ExprEnv, st: FuncState): undefined {
  if (!checkArity(call, 1, 1, 'T.func_attr', st.ctx.diags)) return undefined;
  const v = toAttrValue(call.args[0]!, env);
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || !('kind' in v) || v.kind !== 'attr.Dict') {
    st.ctx.diags.error('T302', 'T.func_attr takes a dict of attributes. However, something else was given.', call.args[0]!.span);
    return undefined;
  }
  for (const [k, val] of v.entries) {
    const key = k === 'tirx.noalias' ? 'tir.noalias' : k;
    const i = st.attrs.findIndex(([x]) => x === key);
    if (i >= 0) st.attrs[i] = [key, val];
    else st.attrs.push([key, val]);
  }
  return undefined;
}

function returnStmt(e: PyExpr | null, span: Span, scope: TirScope, st: FuncState): Built {
  const value = e ? buildExpr(e, envOf(scope, st)) : intImm(0, 'int32');
  if (!value) return undefined;
  return { kind: 'tir.Evaluate', value: { kind: 'tir.Call', op: 'ret', args: [value], dtype: primDtype(value), span }, span };
}

function assertWrap(test: PyExpr, msg: PyExpr | null, span: Span, scope: TirScope, st: FuncState): Built {
  const env = envOf(scope, st);
  const cond = buildExpr(test, env, 'bool');
  const message = msg ? buildExpr(msg, env) : { kind: 'tir.StringImm' as const, value: '' };
  if (!cond || !message) return undefined;
  return { wrap: (body) => ({ kind: 'tir.AssertStmt', cond, message, body, span }), scope };
}

// ---------------------------------------------------------------- assignments

function assignStmt(s: Extract<PyStmt, { kind: 'Assign' }>, scope: TirScope, st: FuncState): Built {
  if (s.targets.length !== 1) return unsupported(s.span, st, 'a chained assignment');
  const t = s.targets[0]!;
  if (t.kind === 'Subscript') return bufferStore(t, s.value, s.span, scope, st);
  if (t.kind === 'Tuple' || t.kind === 'List') {
    if (tCallPath(s.value, st.ctx) === 'axis.remap') {
      remapAssign(t.elts, s.value as PyCall, scope, st);
      return undefined;
    }
    return unsupported(s.span, st, 'tuple unpacking of something other than T.axis.remap');
  }
  if (t.kind !== 'Name') {
    st.ctx.diags.error('T306', 'Assignments in TIR bind a name or store into a buffer element. However, the target is neither.', t.span);
    return undefined;
  }
  return assignName(t.id, t.span, s.value, scope, st);
}

function assignName(name: string, nameSpan: Span, value: PyExpr, scope: TirScope, st: FuncState): Built {
  const decl = symbolicDecl(value, st.ctx);
  if (decl !== undefined) {
    scope.define(name, tvar(name, decl, nameSpan));
    return undefined;
  }
  const path = tCallPath(value, st.ctx);
  const call = value as PyCall;
  if (path === 'match_buffer') return matchBuffer(name, call, scope, st);
  if (path === 'alloc_buffer' || path === 'sblock_alloc_buffer' || path === 'decl_buffer') {
    allocBuffer(name, call, path, scope, st);
    return undefined;
  }
  if (path === 'Buffer') {
    const b = bufferFromCall(name, call, [], 'T.Buffer', envOf(scope, st), shapeEnvOf(scope, st));
    if (b) scope.define(name, b.buffer);
    return undefined;
  }
  if (path?.startsWith('axis.')) {
    axisAssign(name, nameSpan, call, path, scope, st);
    return undefined;
  }
  if (value.kind === 'Name' && scope.lookup(value.id)?.kind === 'tir.Buffer') {
    scope.define(name, scope.lookup(value.id)!);
    return undefined;
  }
  return letWrap(name, nameSpan, value, undefined, scope, st);
}

function letWrap(name: string, nameSpan: Span, valueE: PyExpr, dtype: string | undefined, scope: TirScope, st: FuncState): Built {
  const built = buildExpr(valueE, envOf(scope, st), dtype);
  if (!built) return undefined;
  const value = dtype ? castTo(built, dtype) : built;
  const v = tvar(name, primDtype(value), nameSpan);
  const inner = scope.child();
  inner.define(name, v);
  return { wrap: (body) => ({ kind: 'tir.LetStmt', v, value, body, span: valueE.span }), scope: inner };
}

function annAssign(s: Extract<PyStmt, { kind: 'AnnAssign' }>, scope: TirScope, st: FuncState): Built {
  if (s.target.kind !== 'Name') return unsupported(s.span, st, 'an annotated assignment to something other than a name');
  const dtype = readDtype(s.annotation, envOf(scope, st));
  if (!dtype) return undefined;
  if (!s.value) {
    scope.define(s.target.id, tvar(s.target.id, dtype, s.target.span));
    return undefined;
  }
  return letWrap(s.target.id, s.target.span, s.value, dtype, scope, st);
}

function bufferStore(target: PyExpr, valueE: PyExpr, span: Span, scope: TirScope, st: FuncState): Built {
  const env = envOf(scope, st);
  if (target.kind !== 'Subscript') {
    st.ctx.diags.error('T306', 'Augmented assignment in TIR stores into a buffer element. However, the target is not a buffer access.', target.span);
    return undefined;
  }
  const buf = lookupBuffer(target.value, env);
  if (!buf) return notBuffer(target.value, env);
  const idx = indexExprs(target.index);
  if (idx.some((i) => i.kind === 'Slice')) return unsupported(target.span, st, 'a slice store (a vector store)');
  if (!checkRank(buf, idx.length, target.span, env)) return undefined;
  const indices = idx.map((i) => buildExpr(i, env));
  const value = buildExpr(valueE, env, buf.dtype);
  if (!value || indices.some((i) => !i)) return undefined;
  return { kind: 'tir.BufferStore', buffer: buf, value: castTo(value, buf.dtype), indices: indices as PrimExpr[], span };
}

function notBuffer(base: PyExpr, env: ExprEnv): undefined {
  if (base.kind === 'Name' && !env.scope.lookup(base.id)) {
    buildName(base.id, base.span, env);
    return undefined;
  }
  const what = base.kind === 'Name' ? `"${base.id}" is a ${env.scope.lookup(base.id)?.kind === 'tir.Var' ? 'var' : 'name'}` : 'the target is an expression';
  env.ctx.diags.error('T306', `Only buffers can be stored to with \`A[i] = v\`. However, ${what}, not a buffer.`, base.span);
  return undefined;
}

// ---------------------------------------------------------------- buffers

function matchBuffer(name: string, call: PyCall, scope: TirScope, st: FuncState): Built {
  const env = envOf(scope, st);
  const b = bufferFromCall(name, call, ['param'], 'T.match_buffer', env, shapeEnvOf(scope, st));
  if (!b) return undefined;
  const src = b.lead.get('param')!;
  scope.define(name, b.buffer);
  const frame = st.blocks[st.blocks.length - 1];
  if (src.kind === 'Name' && scope.lookup(src.id)?.kind === 'tir.Var') {
    const param = scope.lookup(src.id) as TirVar;
    if (st.handles.has(param) && !frame) {
      st.bufferMap.set(param, b.buffer);
      return undefined;
    }
  }
  const region = frame ? regionOf(src, env) : undefined;
  if (frame && region) frame.matchBuffers.push({ buffer: b.buffer, source: region });
  else if (!frame) st.ctx.diags.error('T302', 'T.match_buffer outside a block binds a handle parameter of the function. However, its first argument is not one.', src.span);
  return undefined;
}

function allocBuffer(name: string, call: PyCall, path: string, scope: TirScope, st: FuncState): void {
  const b = bufferFromCall(name, call, [], `T.${path}`, envOf(scope, st), shapeEnvOf(scope, st));
  if (!b) return;
  scope.define(name, b.buffer);
  const frame = st.blocks[st.blocks.length - 1];
  (frame ? frame.allocs : st.rootAllocs).push(b.buffer);
}

// ---------------------------------------------------------------- control flow

function ifStmt(s: Extract<PyStmt, { kind: 'If' }>, scope: TirScope, st: FuncState): Built {
  const cond = buildExpr(s.test, envOf(scope, st), 'bool');
  const then = buildBody(s.body, scope.child(), st);
  const orelse = s.orelse.length ? buildBody(s.orelse, scope.child(), st) : undefined;
  if (!cond) return undefined;
  return { kind: 'tir.IfThenElse', cond, then, ...(orelse ? { else: orelse } : {}), span: s.span };
}

function withStmt(s: Extract<PyStmt, { kind: 'With' }>, scope: TirScope, st: FuncState): Built {
  if (s.items.length !== 1) return unsupported(s.span, st, 'a with statement over several items');
  const { context, target } = s.items[0]!;
  const path = tCallPath(context, st.ctx);
  const call = context as PyCall;
  if (path === 'block' || path === 'sblock') return buildBlock(call, s.body, s.span, scope, st, buildBody);
  if (path === 'init') return initStmt(call, s.body, scope, st);
  if (path !== undefined && LOOP_KINDS.has(path)) {
    if (!target) return unsupported(s.span, st, `\`with T.${path}(...)\` without \`as\` loop vars`);
    return loopNest(target, call, path, s.body, s.span, scope, st);
  }
  if (path === 'LetStmt' || path === 'let') return withLet(call, target, s.body, s.span, scope, st);
  if (path === 'Assert') {
    if (!checkArity(call, 1, 2, 'T.Assert', st.ctx.diags)) return undefined;
    const w = assertWrap(call.args[0]!, call.args[1] ?? null, s.span, scope, st);
    return w && !('kind' in w) ? w.wrap(buildBody(s.body, scope.child(), st)) : undefined;
  }
  return unsupported(s.span, st, path ? `\`with T.${path}(...)\`` : 'a with statement that is not a T.* frame');
}

function initStmt(call: PyCall, body: readonly PyStmt[], scope: TirScope, st: FuncState): Built {
  const frame = st.blocks[st.blocks.length - 1];
  if (!frame) {
    st.ctx.diags.error('T307', 'T.init() gives the initialization of a reduction block and is valid only inside a block. However, it is used outside any block.', call.span);
    return undefined;
  }
  frame.init = buildBody(body, scope.child(), st);
  return undefined;
}

function withLet(call: PyCall, target: PyExpr | null, body: readonly PyStmt[], span: Span, scope: TirScope, st: FuncState): Built {
  const varKw = call.keywords.find((k) => k.name === 'var');
  const nameE = target ?? varKw?.value;
  if (!checkArity(call, 1, 1, 'T.LetStmt', st.ctx.diags)) return undefined;
  if (!nameE || nameE.kind !== 'Name') return unsupported(span, st, '`with T.LetStmt(value)` without `as name`');
  const w = letWrap(nameE.id, nameE.span, call.args[0]!, undefined, scope, st);
  return w && !('kind' in w) ? w.wrap(buildBody(body, w.scope, st)) : undefined;
}

// ---------------------------------------------------------------- loops

const LOOP_KINDS: ReadonlyMap<string, ForKind> = new Map<string, ForKind>([
  ['grid', 'serial'], ['serial', 'serial'], ['range', 'serial'], ['parallel', 'parallel'],
  ['vectorized', 'vectorized'], ['unroll', 'unroll'], ['thread_binding', 'thread_binding'],
]);

interface LoopSpec {
  readonly min: PrimExpr;
  readonly extent: PrimExpr;
  readonly kind: ForKind;
  readonly thread?: string;
  readonly annotations?: AttrValue;
}

function forStmt(s: Extract<PyStmt, { kind: 'For' }>, scope: TirScope, st: FuncState): Built {
  const it = s.iter;
  let path = tCallPath(it, st.ctx);
  if (it.kind === 'Call' && it.func.kind === 'Name' && it.func.id === 'range' && !scope.lookup('range')) path = 'range';
  if (path === undefined || !LOOP_KINDS.has(path)) return unsupported(it.span, st, 'a for loop over something other than T.grid/T.serial/range/...');
  return loopNest(s.target, it as PyCall, path, s.body, s.span, scope, st);
}

function loopSpecs(call: PyCall, path: string, env: ExprEnv): LoopSpec[] | undefined {
  if (path === 'grid') {
    if (!checkArity(call, 1, Infinity, 'T.grid', env.ctx.diags)) return undefined;
    const specs = call.args.map((a) => startStop(a, undefined, 'serial', env));
    return specs.some((x) => !x) ? undefined : (specs as LoopSpec[]);
  }
  const params = path === 'range' ? ['start', 'stop', 'step'] : path === 'thread_binding' ? ['start', 'stop', 'thread', 'annotations'] : ['start', 'stop', 'annotations'];
  const bound = bindArgs(call, params, `T.${path}`, env.ctx.diags, 1);
  if (!bound) return undefined;
  const a = new Map(bound.args);
  if (path === 'thread_binding' && strConst(a.get('stop')) !== undefined && !a.has('thread')) {
    a.set('thread', a.get('stop')!);
    a.delete('stop');
  }
  const step = a.get('step');
  if (step && !(step.kind === 'Constant' && Number(step.value) === 1)) {
    env.ctx.diags.error('T309', 'TIR loops step by 1. However, range() was given another step.', step.span);
    return undefined;
  }
  const spec = startStop(a.get('start')!, a.get('stop'), LOOP_KINDS.get(path)!, env);
  if (!spec) return undefined;
  return [{ ...spec, ...loopExtras(a, path, call, env) }];
}

function loopExtras(a: ReadonlyMap<string, PyExpr>, path: string, call: PyCall, env: ExprEnv): Partial<LoopSpec> {
  const out: { thread?: string; annotations?: AttrValue } = {};
  if (path === 'thread_binding') {
    const thread = strConst(a.get('thread'));
    if (thread === undefined) env.ctx.diags.error('T302', 'T.thread_binding needs thread="threadIdx.x" (or another thread tag). However, none was given.', call.span);
    else out.thread = thread;
  }
  const ann = a.get('annotations');
  if (ann && !(ann.kind === 'Constant' && ann.valueKind === 'None')) {
    const v = toAttrValue(ann, env);
    if (v !== undefined) out.annotations = v;
  }
  return out;
}

function startStop(startE: PyExpr, stopE: PyExpr | undefined, kind: ForKind, env: ExprEnv): LoopSpec | undefined {
  if (!stopE) {
    const extent = buildExpr(startE, env);
    return extent && { min: intImm(0, primDtype(extent)), extent, kind };
  }
  const hi0 = buildExpr(stopE, env);
  const lo0 = hi0 && buildExpr(startE, env, primDtype(hi0));
  if (!lo0 || !hi0) return undefined;
  const dtype = promotedDtype(primDtype(lo0), primDtype(hi0));
  const lo = castTo(lo0, dtype);
  return { min: lo, extent: extentOf(lo, castTo(hi0, dtype)), kind };
}

function loopNest(
  target: PyExpr, call: PyCall, path: string, body: readonly PyStmt[], span: Span, scope: TirScope, st: FuncState,
): Built {
  const env = envOf(scope, st);
  const specs = loopSpecs(call, path, env);
  if (!specs) return undefined;
  const names = target.kind === 'Tuple' || target.kind === 'List' ? target.elts : [target];
  if (names.some((n) => n.kind !== 'Name') || names.length !== specs.length) {
    st.ctx.diags.error('T302', `T.${path} with ${specs.length} extent(s) binds ${specs.length} loop var name(s). However, ${names.length} target(s) were given.`, target.span);
    return undefined;
  }
  const inner = scope.child();
  const vars = names.map((n, i) => {
    const v = tvar((n as Extract<PyExpr, { kind: 'Name' }>).id, primDtype(specs[i]!.extent), n.span);
    inner.define(v.name, v);
    st.loopRanges.set(v, { min: specs[i]!.min, extent: specs[i]!.extent });
    return v;
  });
  let stmt = buildBody(body, inner, st);
  for (let i = specs.length - 1; i >= 0; i--) {
    const sp = specs[i]!;
    const ann = sp.annotations;
    stmt = {
      kind: 'tir.For', loopVar: vars[i]!, min: sp.min, extent: sp.extent, forKind: sp.kind,
      ...(sp.thread !== undefined ? { threadTag: sp.thread } : {}),
      ...(ann && typeof ann === 'object' && 'kind' in ann && ann.kind === 'attr.Dict' ? { annotations: attrDict(ann.entries) } : {}),
      body: stmt, span,
    };
  }
  return stmt;
}
