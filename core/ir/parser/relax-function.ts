/**
 * Relax functions: the `@R.function(...)` decorator (RFC `@R.func`), the signature (PEP 695 type params,
 * annotated params, return annotation) and the body. Signatures are built first for every module function so
 * callers' inference sees each callee's FuncSInfo (forward references); bodies are built afterwards with the
 * same builder, so symbolic vars declared by string dims in the signature are the ones the body uses.
 */
import type { PyFunctionDef, PyStmt } from './pyast.js';
import type { Expr, FuncSInfo, RelaxFunction, RelaxVar, SeqExpr, StructInfo } from '../relax/nodes.js';
import { lookupOp } from '../op/registry.js';
import type { TirVar } from '../tir/nodes.js';
import type { ModuleCtx } from './relax-context.js';
import { FnBuilder } from './relax-context.js';
import { SI, relaxVar } from '../relax/nodes.js';
import { tvar } from '../tir/nodes.js';
import { buildSInfo } from './relax-sinfo.js';
import { buildFunctionBody } from './relax-stmt.js';
import { eraseToWellDefined } from '../relax/sinfo.js';
import { freeSymbolicVars } from '../relax/visit.js';

/** A function whose signature is built and whose body is still to build. */
export interface RelaxSig {
  readonly def: PyFunctionDef;
  readonly fb: FnBuilder;
  readonly params: readonly RelaxVar[];
  readonly ret?: StructInfo;
  readonly typeParams: readonly TirVar[];
  readonly pure: boolean;
  /** `pure=` was written on the decorator. */
  readonly pureWritten: boolean;
  readonly isPrivate: boolean;
}

const RELAX_DECORATORS = new Set(['R.function', 'R.func']);

/** The decorator path of a def (`R.function`, `T.prim_func`, ...), call or bare. */
export function decoratorPath(def: PyFunctionDef, mod: ModuleCtx): string | undefined {
  let first: string | undefined;
  for (const d of def.decorators) {
    const head = d.expr.kind === 'Call' ? d.expr.func : d.expr;
    const p = mod.aliases.qualName(head)?.join('.');
    if (p && (RELAX_DECORATORS.has(p) || p === 'T.prim_func')) return p;
    first ??= p;
  }
  return first;
}

/** True for a def decorated `@R.function` (or the RFC `@R.func`). */
export function isRelaxFunctionDef(def: PyStmt, mod: ModuleCtx): def is PyFunctionDef {
  return def.kind === 'FunctionDef' && RELAX_DECORATORS.has(decoratorPath(def, mod) ?? '');
}

/** Reads `pure=`, `private=` (and accepts `check_well_formed=`) from the decorator. */
function decoratorOptions(def: PyFunctionDef, fb: FnBuilder): { pure: boolean; isPrivate: boolean; pureWritten: boolean } {
  const out = { pure: true, isPrivate: false, pureWritten: false };
  for (const d of def.decorators) {
    if (d.expr.kind !== 'Call' || !RELAX_DECORATORS.has(fb.mod.aliases.qualName(d.expr.func)?.join('.') ?? '')) continue;
    if (d.expr.args.length) fb.error('R251', '@R.function takes keyword options only (pure=, private=, check_well_formed=). However, a positional argument was given.', d.expr.args[0]!.span);
    for (const k of d.expr.keywords) {
      const v = k.value.kind === 'Constant' && k.value.valueKind === 'bool' ? (k.value.value as boolean) : undefined;
      if (k.name === 'pure' && v !== undefined) [out.pure, out.pureWritten] = [v, true];
      else if (k.name === 'private' && v !== undefined) out.isPrivate = v;
      else if (k.name === 'check_well_formed' && v !== undefined) continue;
      else fb.error('R205', `@R.function takes pure=, private= and check_well_formed= with a bool. However, \`${fb.src(k.span)}\` was given.`, k.span);
    }
  }
  return out;
}

/** Every name the body assigns, so fresh names (`lv`, `lv1`, ...) never collide with written ones. */
function collectNames(stmts: readonly PyStmt[], out: Set<string>): Set<string> {
  for (const s of stmts) {
    if (s.kind === 'Assign') for (const t of s.targets) addTargetNames(t, out);
    else if (s.kind === 'AnnAssign') addTargetNames(s.target, out);
    else if (s.kind === 'FunctionDef') {
      out.add(s.name);
      for (const a of s.args) out.add(a.name);
      collectNames(s.body, out);
    } else if (s.kind === 'If') {
      collectNames(s.body, out);
      collectNames(s.orelse, out);
    } else if (s.kind === 'With' || s.kind === 'For' || s.kind === 'While') collectNames(s.body, out);
  }
  return out;
}

function addTargetNames(t: import('./pyast.js').PyExpr, out: Set<string>): void {
  if (t.kind === 'Name') out.add(t.id);
  else if (t.kind === 'Tuple' || t.kind === 'List') for (const e of t.elts) addTargetNames(e, out);
}

/** Builds the signature of a Relax function (module-level when `parent` is absent, local otherwise). */
export function buildRelaxSignature(def: PyFunctionDef, mod: ModuleCtx, parent?: FnBuilder): RelaxSig {
  const used = collectNames(def.body, new Set(def.args.map((a) => a.name)));
  const fb = new FnBuilder(mod, parent, used);
  const { pure, isPrivate, pureWritten } = decoratorOptions(def, fb);
  const typeParams = def.typeParams.map((n) => {
    const v = tvar(n.id, 'int64', n.span);
    fb.sym.define(n.id, v);
    return v;
  });
  const params = def.args.map((a) => {
    if (a.star) fb.error('R234', `Relax function parameters are plain names. However, \`${a.star}${a.name}\` was found.`, a.span);
    let sinfo: StructInfo = SI.object();
    if (a.annotation) sinfo = buildSInfo(a.annotation, fb, 'define');
    else fb.error('R210', `A Relax function parameter needs a struct-info annotation. However, \`${a.name}\` has none.`, a.span);
    const v = relaxVar(a.name, sinfo, false, a.span);
    fb.scope.define(a.name, v);
    return v;
  });
  const ret = def.returns ? buildSInfo(def.returns, fb, 'define') : undefined;
  return { def, fb, params, ret, typeParams, pure, pureWritten, isPrivate };
}

/** True when a body (outside nested functions) calls a packed function or an op registered as impure. */
function hasImpureCall(seq: SeqExpr): boolean {
  const impure = (e: Expr): boolean => {
    if (e.kind === 'relax.If') return hasImpureCall(e.trueBranch) || hasImpureCall(e.falseBranch);
    if (e.kind !== 'relax.Call') return false;
    if (e.op.kind === 'relax.ExternFunc') return true;
    return e.op.kind === 'relax.Op' && lookupOp(e.op.name)?.pure === false;
  };
  return seq.blocks.some((b) => b.bindings.some((x) => impure(x.value)));
}

/** What callers see of a function before its body is built. */
export function signatureSInfo(sig: RelaxSig): FuncSInfo {
  return SI.func(sig.params.map((p) => p.sinfo), sig.ret ?? SI.object(), sig.pure);
}

/** A predicate for the symbolic vars the signature defines (parameter annotations and PEP 695 params). */
function signatureVars(sig: RelaxSig): (v: TirVar) => boolean {
  const defined = new Set<TirVar>(sig.typeParams);
  for (const p of sig.params) for (const v of freeSymbolicVars(p.sinfo)) defined.add(v);
  return (v) => defined.has(v);
}

/** Builds the body of a function whose signature was built. */
export function buildRelaxBody(sig: RelaxSig): RelaxFunction {
  const { def, fb } = sig;
  const body = buildFunctionBody(def.body, fb, def.nameSpan);
  // An inferred return type may name only what the signature defines (TVM's EraseToWellDefined).
  const retSInfo = sig.ret ?? eraseToWellDefined(fb.infer(body.body), signatureVars(sig), (v) => sig.params.includes(v));
  let isPure = sig.pure;
  if (fb.mod.rfc && !sig.pureWritten && isPure && hasImpureCall(body)) {
    fb.warning('R214', `Relax functions that make impure calls are written \`@R.function(pure=False)\`; the 2022 RFC had no purity. However, \`${def.name}\` calls an impure function; it is read as pure=False.`, def.nameSpan);
    isPure = false;
  }
  return {
    kind: 'relax.Function',
    params: sig.params,
    body,
    retSInfo,
    isPure,
    isPrivate: sig.isPrivate,
    ...(fb.funcAttrs ? { attrs: fb.funcAttrs } : {}),
    ...(sig.typeParams.length ? { typeParams: sig.typeParams } : {}),
    span: def.span,
  };
}

/** A nested `@R.function` inside a body: a closure over the enclosing scopes. */
export function buildLocalFunction(def: PyFunctionDef, parent: FnBuilder): { fn: RelaxFunction; sinfo: FuncSInfo } {
  const sig = buildRelaxSignature(def, parent.mod, parent);
  const fn = buildRelaxBody(sig);
  return { fn, sinfo: SI.func(fn.params.map((p) => p.sinfo), fn.retSInfo, fn.isPure) };
}
