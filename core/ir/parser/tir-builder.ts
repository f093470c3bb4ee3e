/**
 * The TIR half of the TVMScript parser: a `@T.prim_func` FunctionDef (Python AST) -> PrimFunc, and PrimExprs
 * anywhere (Relax shapes call `buildPrimExpr`). Reads every dialect: classic `tir` (`T.block`, `T.alloc_buffer`,
 * "tir.noalias"), v0.24+ `tirx` (`T.sblock`, `T.sblock_alloc_buffer`, "tirx.noalias", `s_tir=True`) and the 2022 RFC
 * (`T.Buffer[...]`, `T.var("int64")`, undeclared shape names, `with T.grid(n) as i:`).
 *
 * This file handles the decorator, the signature and README rule 10 (the implicit root block); statements are
 * tir-stmt.ts / tir-block.ts, buffers tir-buffer.ts, expressions tir-expr.ts. Deciding which functions are
 * PrimFuncs, module-level names and alias resolution (`tAliases`) are the Relax/module builder's job.
 */
import type { PyExpr, PyFunctionDef, PyArg } from './pyast.js';
import type { Buffer, DataType, PrimExpr, PrimFunc, Stmt, TirVar } from '../tir/nodes.js';
import type { TirBuildContext, TirScope } from './tir-expr.js';
import type { FuncState } from './tir-stmt.js';
import { attrDict } from '../attrs.js';
import { boolImm, tvar } from '../tir/nodes.js';
import { boolConst, buildExpr, createTirScope, isScalarTypeName, readDtype, symbolicDecl, tPath } from './tir-expr.js';
import { bufferFromCall, bufferFromSubscript } from './tir-buffer.js';
import { buildBody, newFuncState, shapeEnvOf } from './tir-stmt.js';

export type { TirScope, TirBuildContext } from './tir-expr.js';
export { createTirScope } from './tir-expr.js';

/**
 * Builds a PrimFunc from a function decorated with `@T.prim_func`. Reports T3xx diagnostics into `ctx.diags`
 * and still returns what it could build (loose mode); undefined only when nothing sensible can be built.
 */
export function buildPrimFunc(def: PyFunctionDef, ctx: TirBuildContext): PrimFunc | undefined {
  const flags = decoratorFlags(def, ctx);
  const funcScope = createTirScope();
  const params = def.args.map((a) => paramVar(a, ctx));
  const handles = new Set(params.filter((p): p is TirVar => !!p && p.dtype === 'handle'));
  const st = newFuncState(ctx, funcScope, handles);
  def.args.forEach((a, i) => {
    const p = params[i];
    if (p && !isBufferAnnotation(a.annotation, ctx)) funcScope.define(a.name, p);
  });
  def.args.forEach((a, i) => {
    const p = params[i];
    if (!p || !isBufferAnnotation(a.annotation, ctx)) return;
    const b = bufferParam(a, funcScope, st);
    if (!b) return;
    funcScope.define(a.name, b);
    st.bufferMap.set(p, b);
  });
  const body = withRootBlock(buildBody(def.body, funcScope, st), st);
  const retType = def.returns ? returnDtype(def.returns, ctx) : undefined;
  return {
    kind: 'tir.PrimFunc',
    params: params.filter((p): p is TirVar => !!p),
    bufferMap: st.bufferMap,
    body,
    ...(retType ? { retType } : {}),
    ...(st.attrs.length ? { attrs: attrDict(st.attrs) } : {}),
    isPrivate: flags.private,
    ...(flags.sTir ? { sTir: true } : {}),
    span: def.span,
  };
}

/**
 * Builds a PrimExpr outside a PrimFunc: Relax shapes like `n * 2`, `T.int64(4)`, `T.max(a, b)`. `hint` is the dtype
 * bare Python literals take (pass "int64" for shape dims; without it a lone `4` is int32, as in TVM). With
 * `ctx.implicitVars` undeclared names become int64 vars defined in `scope` (with a T308 warning).
 */
export function buildPrimExpr(e: PyExpr, scope: TirScope, ctx: TirBuildContext, hint?: DataType): PrimExpr | undefined {
  return buildExpr(e, ctx.implicitVars ? { scope, ctx, implicitScope: scope } : { scope, ctx }, hint);
}

/** True if `e` is `T.int64()`/`T.int32()`/`T.var("int64")` etc.: a symbolic var declaration; returns its dtype. */
export function symbolicVarDecl(e: PyExpr, ctx: TirBuildContext): string | undefined {
  return symbolicDecl(e, ctx);
}

// ---------------------------------------------------------------- decorator and signature

interface Flags {
  private: boolean;
  sTir: boolean;
}

const FLAG_NAMES = new Set(['private', 's_tir', 'check_well_formed']);

function decoratorFlags(def: PyFunctionDef, ctx: TirBuildContext): Flags {
  const flags: Flags = { private: false, sTir: false };
  for (const d of def.decorators) {
    const e = d.expr;
    if (e.kind !== 'Call' || tPath(e.func, ctx) !== 'prim_func') continue;
    for (const kw of e.keywords) {
      const v = boolConst(kw.value);
      if (kw.name === null || !FLAG_NAMES.has(kw.name) || v === undefined) {
        ctx.diags.error('T312', `@T.prim_func takes private=, s_tir= and check_well_formed= with True/False. However, ${kw.name === null ? '**kwargs' : `"${kw.name}"`}${v === undefined && kw.name !== null ? ' with a non-bool value' : ''} was given.`, kw.span);
        continue;
      }
      if (kw.name === 'private') flags.private = v;
      if (kw.name === 's_tir') flags.sTir = v;
    }
    if (e.args.length) ctx.diags.error('T312', '@T.prim_func takes only keyword flags. However, a positional argument was given.', e.args[0]!.span);
  }
  return flags;
}

function isBufferAnnotation(a: PyExpr | null, ctx: TirBuildContext): boolean {
  if (!a) return false;
  const head = a.kind === 'Call' ? a.func : a.kind === 'Subscript' ? a.value : a;
  return tPath(head, ctx) === 'Buffer' && (a.kind === 'Call' || a.kind === 'Subscript');
}

/** The parameter's var: a handle for `T.handle` and buffer params, a scalar var for `T.int64`/`T.float32`/... */
function paramVar(a: PyArg, ctx: TirBuildContext): TirVar | undefined {
  const ann = a.annotation;
  if (a.star || !ann) {
    ctx.diags.error('T311', `A PrimFunc parameter is annotated with T.handle, a scalar type or T.Buffer(...). However, "${a.name}" ${a.star ? 'is a star parameter' : 'has no annotation'}.`, a.span);
    return undefined;
  }
  if (isBufferAnnotation(ann, ctx)) return tvar(a.name, 'handle', a.span);
  const head = ann.kind === 'Call' ? ann.func : ann;
  const path = tPath(head, ctx);
  if (path === 'handle' || path === 'Ptr') return tvar(a.name, 'handle', a.span);
  if (path !== undefined && isScalarTypeName(path)) return tvar(a.name, path, a.span);
  if (ann.kind === 'Constant' && ann.valueKind === 'str') {
    const dt = readDtype(ann, { scope: createTirScope(), ctx });
    return dt ? tvar(a.name, dt, a.span) : undefined;
  }
  ctx.diags.error('T311', `A PrimFunc parameter is annotated with T.handle, a scalar type or T.Buffer(...). However, the annotation of "${a.name}" is none of these.`, ann.span);
  return undefined;
}

function bufferParam(a: PyArg, scope: TirScope, st: FuncState): Buffer | undefined {
  const ann = a.annotation!;
  const env = { scope, ctx: st.ctx };
  const shapeEnv = shapeEnvOf(scope, st);
  if (ann.kind === 'Subscript') return bufferFromSubscript(a.name, ann.index, ann.span, env, shapeEnv);
  if (ann.kind !== 'Call') return undefined;
  return bufferFromCall(a.name, ann, [], 'T.Buffer', env, shapeEnv)?.buffer;
}

function returnDtype(e: PyExpr, ctx: TirBuildContext): DataType | undefined {
  if (e.kind === 'Constant' && e.valueKind === 'None') return undefined;
  const path = tPath(e, ctx);
  if (path === 'void') return undefined;
  return readDtype(e, { scope: createTirScope(), ctx });
}

// ---------------------------------------------------------------- root block (README rule 10)

/**
 * Wraps the body in the implicit root block when it contains a block or the function allocates buffers outside
 * every block, unless the body already is an explicit root block.
 */
function withRootBlock(body: Stmt, st: FuncState): Stmt {
  if (!st.hasBlock && st.rootAllocs.length === 0) return body;
  if (st.rootAllocs.length === 0 && isRootRealize(body)) return body;
  return {
    kind: 'tir.BlockRealize',
    iterValues: [],
    predicate: boolImm(true),
    block: {
      kind: 'tir.Block', name: 'root', iterVars: [], reads: [], writes: [], allocBuffers: st.rootAllocs, matchBuffers: [],
      body,
    },
  };
}

function isRootRealize(s: Stmt): boolean {
  return s.kind === 'tir.BlockRealize' && s.block.name === 'root' && s.block.iterVars.length === 0;
}
