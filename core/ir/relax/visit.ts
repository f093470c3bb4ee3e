/**
 * Generic read-only traversals over Relax expressions, struct info and TIR PrimExprs, shared by the verifier,
 * the graph model, the printer and passes. They only walk; they never rewrite (a mutator is a pass's business)
 * and never infer struct info (that is `infer.ts`). Every walk is iterative or bounded-recursive over the node
 * tree and linear in its size.
 *
 * Scoping rules they follow (TVM's): a binding defines its var for the rest of its SeqExpr; an If branch is its
 * own SeqExpr whose bindings do not escape; a nested `relax.Function` defines its params for its body only;
 * a TIR `Let` defines its var for its body only.
 */
import type { Binding, BindingBlock, Expr, RelaxFunction, RelaxVar, SeqExpr, StructInfo } from './nodes.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';

/**
 * Calls `cb` for every binding of a function body (or SeqExpr) in definition order, descending into the branches
 * of If values: a branch's bindings come before the binding that receives the If, since they are evaluated first.
 * Nested functions are not entered (they are separate scopes; call `forEachBinding` on them yourself).
 * `block` is the innermost block holding the binding, so callers can tell dataflow bindings apart.
 */
export function forEachBinding(
  fn: RelaxFunction | SeqExpr,
  cb: (binding: Binding, block: BindingBlock) => void,
): void {
  const seq = fn.kind === 'relax.Function' ? fn.body : fn;
  for (const block of seq.blocks) {
    for (const b of block.bindings) {
      visitNestedSeqs(b.value, (inner) => forEachBinding(inner, cb));
      cb(b, block);
    }
  }
}

/** Calls `cb` on the SeqExprs directly reachable from `e` (If branches, nested SeqExprs), not inside functions. */
function visitNestedSeqs(e: Expr, cb: (seq: SeqExpr) => void): void {
  if (e.kind === 'relax.SeqExpr') {
    cb(e);
    return;
  }
  if (e.kind === 'relax.If') {
    visitNestedSeqs(e.cond, cb);
    cb(e.trueBranch);
    cb(e.falseBranch);
    return;
  }
  if (e.kind === 'relax.Function') return;
  for (const c of exprChildren(e)) visitNestedSeqs(c, cb);
}

/**
 * The immediate child expressions of `e`, in evaluation order: a call's callee then its args, a tuple's fields,
 * an If's condition then branches, a SeqExpr's binding values then its body, a function's body. PrimExprs inside
 * ShapeExpr/PrimValue and struct info are not Relax expressions and are not returned.
 */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'relax.Call':
      return [e.op, ...e.args];
    case 'relax.Tuple':
      return e.fields;
    case 'relax.TupleGetItem':
      return [e.tuple];
    case 'relax.If':
      return [e.cond, e.trueBranch, e.falseBranch];
    case 'relax.SeqExpr':
      return [...seqValues(e), e.body];
    case 'relax.Function':
      return [e.body];
    default:
      return [];
  }
}

function seqValues(seq: SeqExpr): Expr[] {
  const out: Expr[] = [];
  for (const block of seq.blocks) for (const b of block.bindings) out.push(b.value);
  return out;
}

/**
 * The Relax vars that `expr` uses but does not define itself (its free vars), each once, in first-use order.
 * Vars bound inside nested SeqExprs and the params of nested functions are excluded where they are in scope.
 * Why: dependency edges in the graph view, liveness, and the verifier's def-before-use check all need this.
 */
export function collectVarUses(expr: Expr): RelaxVar[] {
  const seen = new Set<RelaxVar>();
  const bound = new Set<RelaxVar>();
  const out: RelaxVar[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar') {
      if (!bound.has(e) && !seen.has(e)) {
        seen.add(e);
        out.push(e);
      }
      return;
    }
    if (e.kind === 'relax.SeqExpr') return visitSeq(e);
    if (e.kind === 'relax.Function') return withBound(e.params, () => visitSeq(e.body));
    for (const c of exprChildren(e)) visit(c);
  };
  const visitSeq = (seq: SeqExpr): void => {
    const defined: RelaxVar[] = [];
    for (const block of seq.blocks) {
      for (const b of block.bindings) {
        visit(b.value);
        if (!bound.has(b.v)) {
          bound.add(b.v);
          defined.push(b.v);
        }
      }
    }
    visit(seq.body);
    for (const v of defined) bound.delete(v);
  };
  const withBound = (vs: readonly RelaxVar[], body: () => void): void => {
    const added = vs.filter((v) => !bound.has(v));
    for (const v of added) bound.add(v);
    body();
    for (const v of added) bound.delete(v);
  };
  visit(expr);
  return out;
}

/**
 * Every TIR var that occurs in a struct info (tensor dims, shape values, prim values, tuple fields, callable
 * params and result), each once, in first-occurrence order. Why: a function signature defines the symbolic vars
 * of its params, and every other struct info may only mention vars already defined.
 */
export function freeSymbolicVars(sinfo: StructInfo): TirVar[] {
  const acc = new VarAcc();
  sinfoPrimExprs(sinfo, (e) => acc.addExpr(e));
  return acc.out;
}

/**
 * The vars a struct info can define (TVM's "definable" positions): a tensor dim or shape value that is itself a
 * bare var, and a prim value that is a bare var. `n` in `R.Tensor((n, 4))` is definable; in `(n * 2,)` it is not.
 */
export function definableSymbolicVars(sinfo: StructInfo): TirVar[] {
  const acc = new VarAcc();
  sinfoPrimExprs(sinfo, (e) => {
    if (e.kind === 'tir.Var') acc.add(e);
  });
  return acc.out;
}

/** Calls `cb` on each top-level PrimExpr of a struct info (dims, shape values, prim value). */
export function sinfoPrimExprs(sinfo: StructInfo, cb: (e: PrimExpr) => void): void {
  switch (sinfo.kind) {
    case 'si.Prim':
      if (sinfo.value) cb(sinfo.value);
      return;
    case 'si.Shape':
      sinfo.values?.forEach(cb);
      return;
    case 'si.Tensor':
      if (sinfo.shape?.kind === 'relax.ShapeExpr') sinfo.shape.values.forEach(cb);
      return;
    case 'si.Tuple':
      for (const f of sinfo.fields) sinfoPrimExprs(f, cb);
      return;
    case 'si.Func':
      sinfo.params?.forEach((p) => sinfoPrimExprs(p, cb));
      sinfoPrimExprs(sinfo.ret, cb);
      return;
    default:
      return;
  }
}

/**
 * The TIR vars that a PrimExpr uses and does not bind itself (vars bound by a nested `T.let` are excluded in its
 * body), each once, in first-occurrence order. Buffers of BufferLoads are not vars; their indices are walked.
 */
export function tirExprVars(e: PrimExpr): TirVar[] {
  const acc = new VarAcc();
  acc.addExpr(e);
  return acc.out;
}

/**
 * Calls `cb` on each PrimExpr child of `e` (operands, call args, load indices, let value and body).
 * Why: every TIR analysis needs the same recursion, and a new node kind should need one edit here.
 */
export function primChildren(e: PrimExpr): readonly PrimExpr[] {
  switch (e.kind) {
    case 'tir.Binary':
      return [e.a, e.b];
    case 'tir.Not':
      return [e.a];
    case 'tir.Select':
      return [e.cond, e.t, e.f];
    case 'tir.Cast':
      return [e.value];
    case 'tir.Call':
      return e.args;
    case 'tir.BufferLoad':
      return e.indices;
    case 'tir.Let':
      return [e.value, e.body];
    default:
      return [];
  }
}

/** Accumulates distinct free TIR vars in first-occurrence order, honouring Let scoping. */
class VarAcc {
  readonly out: TirVar[] = [];
  private readonly seen = new Set<TirVar>();
  private readonly bound = new Set<TirVar>();

  add(v: TirVar): void {
    if (this.bound.has(v) || this.seen.has(v)) return;
    this.seen.add(v);
    this.out.push(v);
  }

  addExpr(e: PrimExpr): void {
    if (e.kind === 'tir.Var') return this.add(e);
    if (e.kind === 'tir.Let') {
      this.addExpr(e.value);
      const fresh = !this.bound.has(e.v);
      this.bound.add(e.v);
      this.addExpr(e.body);
      if (fresh) this.bound.delete(e.v);
      return;
    }
    for (const c of primChildren(e)) this.addExpr(c);
  }
}
