/**
 * Struct-info inference over Relax expressions, as TVM's BlockBuilder normalization: leaves carry their own
 * struct info, tuples and tuple items are structural, op calls go to the op registry's `infer` (ops without one,
 * and ops the registry does not know, give `R.Any`: the binding keeps its annotation), calls of GlobalVars and
 * function-typed vars return the callee's `ret` with its symbolic vars replaced by the argument dims, packed calls
 * return their `ty_args`, `If` gives the LCA of its branches. Diagnostics go to `env.report` with the call's span.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { InferCtx } from '../op/registry.js';
import { lookupOp } from '../op/registry.js';
import '../op/all.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import type { Call, Expr, FuncSInfo, StructInfo } from './nodes.js';
import { leafSInfo, SI } from './nodes.js';
import type { InferEnv } from './infer.js';
import { bindShapeVars, substituteShapeVars, unifySInfo } from './sinfo.js';
import { sinfoMismatch } from '../verify/sinfo-compat.js';

/** The struct info of an expression (see the file header). Never throws; problems become diagnostics. */
export function inferExprSInfo(e: Expr, env: InferEnv): StructInfo {
  const leaf = leafSInfo(e);
  if (leaf) return leaf;
  switch (e.kind) {
    case 'relax.Tuple':
      return SI.tuple(e.fields.map((f) => inferExprSInfo(f, env)));
    case 'relax.TupleGetItem':
      return tupleItem(e.tuple, e.index, env, e.span);
    case 'relax.Call':
      return inferCall(e, env);
    case 'relax.If':
      return unifySInfo(inferExprSInfo(e.trueBranch, env), inferExprSInfo(e.falseBranch, env));
    case 'relax.SeqExpr':
      return inferExprSInfo(e.body, env);
    case 'relax.Function':
      return SI.func(e.params.map((p) => p.sinfo), e.retSInfo, e.isPure);
    case 'relax.GlobalVar':
      return env.lookupGlobal(e.name) ?? SI.object();
    case 'relax.ExternFunc':
      return { kind: 'si.Func', ret: SI.object(), purity: false, packed: true };
    default:
      return SI.object();
  }
}

function tupleItem(tuple: Expr, index: number, env: InferEnv, span: Call['span']): StructInfo {
  const t = inferExprSInfo(tuple, env);
  if (t.kind === 'si.Object') return t;
  if (t.kind !== 'si.Tuple') {
    report(env, 'I410', `Indexing requires a tuple. However, the indexed value is ${t.kind === 'si.Tensor' ? 'a Tensor' : t.kind.slice(3)}.`, span);
    return SI.object();
  }
  if (index < 0 || index >= t.fields.length) {
    report(env, 'I410', `A tuple index must be in [0, ${t.fields.length - 1}] for a tuple of ${t.fields.length} fields. However, the index is ${index}.`, span);
    return SI.object();
  }
  return t.fields[index]!;
}

function report(env: InferEnv, code: string, message: string, span: Call['span'], severity: Diagnostic['severity'] = 'error'): void {
  env.report({ code, severity, message, ...(span ? { span } : {}) });
}

function inferCall(call: Call, env: InferEnv): StructInfo {
  const callee = call.op;
  switch (callee.kind) {
    case 'relax.Op': {
      const def = lookupOp(callee.name);
      if (!def?.infer) return SI.object();
      return def.infer(call, makeCtx(call, env));
    }
    case 'relax.ExternFunc':
      return packedResult(call);
    case 'relax.GlobalVar':
      return callFunc(call, env.lookupGlobal(callee.name), env, callee.name);
    default:
      return callFunc(call, callee.sinfo, env, callee.name);
  }
}

function makeCtx(call: Call, env: InferEnv): InferCtx {
  return {
    error: (code, message) => report(env, code, message, call.span),
    warning: (code, message) => report(env, code, message, call.span, 'warning'),
    ...(call.span ? { span: call.span } : {}),
    argSInfo: (arg) => inferExprSInfo(arg, env),
  };
}

/** `ty_args` of a packed call: one as is, several as a tuple, none as R.Any. */
function packedResult(call: Call): StructInfo {
  if (call.sinfoArgs.length === 1) return call.sinfoArgs[0]!;
  return call.sinfoArgs.length ? SI.tuple(call.sinfoArgs) : SI.object();
}

/** A call of a function value: the callee's return struct info with its symbolic vars bound from the arguments. */
function callFunc(call: Call, si: StructInfo | undefined, env: InferEnv, name: string): StructInfo {
  if (!si || si.kind === 'si.Object') return call.sinfoArgs.length ? packedResult(call) : SI.object();
  if (si.kind !== 'si.Func') {
    report(env, 'I414', `Only functions can be called. However, ${name} has struct info of kind ${si.kind.slice(3)}.`, call.span);
    return SI.object();
  }
  if (!si.params) return si.packed && call.sinfoArgs.length ? packedResult(call) : si.ret;
  if (si.params.length !== call.args.length) {
    report(env, 'I415', `${name} takes ${si.params.length} argument(s). However, the call passes ${call.args.length}.`, call.span);
    return si.ret;
  }
  const args = call.args.map((a) => inferExprSInfo(a, env));
  // TVM rejects an argument that provably cannot match its parameter (different kind, dtype, rank, constant dim).
  for (let i = 0; i < args.length; i++) {
    const why = sinfoMismatch(si.params[i]!, args[i]!, ['the parameter', 'the argument']);
    if (why) report(env, 'I419', `The arguments of a call must fit ${name}'s parameters. However, for argument ${i}, ${why}.`, call.span);
  }
  return bindRet(si, args);
}

function bindRet(si: FuncSInfo, args: readonly StructInfo[]): StructInfo {
  const map = new Map<TirVar, PrimExpr>();
  const params = si.params ?? [];
  for (let i = 0; i < params.length; i++) {
    if (!bindShapeVars(params[i]!, args[i]!, map)) return si.ret;
  }
  return substituteShapeVars(si.ret, map);
}
