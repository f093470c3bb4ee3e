/**
 * Shared plumbing for the lowering passes after LegalizeOps (RewriteDataflowReshape ... AttachGlobalSymbol): map
 * every Relax function of a module, rewrite a function body binding by binding (one binding may become several,
 * If branches and nested SeqExprs are rewritten first), keep the parser's block normal form (consecutive
 * non-dataflow blocks merged, empty blocks dropped: README decision 6, so that printing and re-parsing gives back
 * the same module), substitute vars, and carry provenance and spans from a source binding to what replaces it.
 * Why one file: seven passes need exactly the same walk, and a fix to it (a new expression kind) is one edit.
 */
import type { IRModule } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type {
  Binding, BindingBlock, Call, Expr, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
} from '../../ir/relax/nodes.js';
import { relaxVar } from '../../ir/relax/nodes.js';
import type { InferEnv } from '../../ir/relax/infer.js';
import { inferExprSInfo } from '../../ir/relax/infer.js';
import { SI } from '../../ir/relax/nodes.js';

/** Rewrites every Relax function of a module (PrimFuncs are kept); returns `mod` itself when nothing changed. */
export function mapRelaxFunctions(mod: IRModule, fn: (f: RelaxFunction, name: string) => RelaxFunction): IRModule {
  let changed = false;
  const out = new Map(mod.functions);
  for (const [name, f] of mod.functions) {
    if (f.kind !== 'relax.Function') continue;
    const g = fn(f, name);
    if (g !== f) {
      out.set(name, g);
      changed = true;
    }
  }
  return changed ? irModule(mod.name, out, extraOf(mod)) : mod;
}

/** The module fields other than its name and functions, for rebuilding a module. */
export function extraOf(mod: IRModule): Partial<Pick<IRModule, 'attrs' | 'globalInfos' | 'metadata' | 'span'>> {
  return {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
    ...(mod.span ? { span: mod.span } : {}),
  };
}

/**
 * Rewrites one binding into the bindings that replace it. `block` is the block it sits in (dataflow or not).
 * The binding's value has already had its nested SeqExprs (If branches) rewritten.
 */
export type BindingRewrite = (b: Binding, block: BindingBlock) => readonly Binding[];

/**
 * Rewrites every binding of a SeqExpr (If branches and nested SeqExprs first), then normalizes its blocks.
 * A call in body position (an If branch's value: `y = R.call_tir(...)` as its last statement) is offered to `rw`
 * as a binding of a fresh var named after `result` (the var receiving the value); when it becomes one binding the
 * body is its new value, when several they are appended and the body is that var (what the printer writes as
 * `y = <var>` and the parser reads back).
 */
export function rewriteSeq(seq: SeqExpr, rw: BindingRewrite, result?: RelaxVar): SeqExpr {
  const blocks = seq.blocks.map((block) => {
    const bindings = block.bindings.flatMap((b) => rw(withNestedSeqs(b, rw), block));
    return { ...block, bindings };
  });
  if (seq.body.kind !== 'relax.Call') return { ...seq, blocks: normalizeBlocks(blocks) };
  const { body, extra } = rewriteBody(seq.body, rw, result ?? relaxVar('gv', SI.object()));
  const tail: BindingBlock = { kind: 'relax.BindingBlock', bindings: extra };
  return { ...seq, blocks: normalizeBlocks([...blocks, tail]), body };
}

function rewriteBody(body: Call, rw: BindingRewrite, result: RelaxVar): { body: Expr; extra: Binding[] } {
  const v = relaxVar(result.name, result.sinfo, false, result.span);
  const b: Binding = { kind: 'relax.VarBinding', v, value: body };
  const out = rw(b, { kind: 'relax.BindingBlock', bindings: [b] });
  const only = out.length === 1 ? out[0]! : undefined;
  if (only && only.v === v && only.kind === 'relax.VarBinding') return { body: only.value, extra: [] };
  return { body: v, extra: [...out] };
}

/** Applies `rewriteSeq` to a function body. */
export function rewriteFunctionBody(f: RelaxFunction, rw: BindingRewrite): RelaxFunction {
  return { ...f, body: rewriteSeq(f.body, rw, relaxVar('gv', f.retSInfo)) };
}

function withNestedSeqs(b: Binding, rw: BindingRewrite): Binding {
  const v = b.value;
  if (v.kind === 'relax.If') return { ...b, value: { ...v, trueBranch: rewriteSeq(v.trueBranch, rw, b.v), falseBranch: rewriteSeq(v.falseBranch, rw, b.v) } };
  if (v.kind === 'relax.SeqExpr') return { ...b, value: rewriteSeq(v, rw, b.v) };
  return b;
}

/** Drops empty blocks and merges consecutive non-dataflow blocks (the parser's normal form). */
export function normalizeBlocks(blocks: readonly BindingBlock[]): BindingBlock[] {
  const out: BindingBlock[] = [];
  for (const b of blocks) {
    if (b.bindings.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.kind === 'relax.BindingBlock' && b.kind === 'relax.BindingBlock') out[out.length - 1] = { ...last, bindings: [...last.bindings, ...b.bindings] };
    else out.push(b);
  }
  return out;
}

/** The provenance a call made from binding `b` carries: the source call's own provenance, else the var's name. */
export function provenanceOf(b: Binding): readonly string[] {
  const v = b.value;
  return v.kind === 'relax.Call' && v.provenance?.length ? v.provenance : [b.v.name];
}

/** A call stamped with provenance and the source binding's span. */
export function stamped(c: Call, from: Binding): Call {
  const span = c.span ?? from.value.span ?? from.span;
  return { ...c, provenance: provenanceOf(from), ...(span ? { span } : {}) };
}

/** A new VarBinding; the var is a DataflowVar when it sits in a dataflow block and is not an output. */
export function newBinding(name: string, value: Expr, sinfo: StructInfo, from: Binding, dataflow = false): Binding {
  const v = relaxVar(name, sinfo, dataflow, from.v.span);
  return { kind: 'relax.VarBinding', v, value, ...(from.span ? { span: from.span } : {}) };
}

/** An inference environment over a module's functions, for the struct info of values a pass creates. */
export function inferEnvOf(mod: IRModule): InferEnv {
  return {
    lookupGlobal(name) {
      const f = mod.functions.get(name);
      if (!f) return undefined;
      if (f.kind === 'relax.Function') return SI.func(f.params.map((p) => p.sinfo), f.retSInfo, f.isPure);
      return SI.func(undefined, SI.object());
    },
    report() {},
  };
}

/** The struct info a created value gets (as the parser would infer it when reading the printed text back). */
export function sinfoOfValue(e: Expr, mod: IRModule): StructInfo {
  return inferExprSInfo(e, inferEnvOf(mod));
}

/**
 * Rebuilds an expression bottom-up with `leaf` applied to every var occurrence (uses and binding sites), and
 * every nested SeqExpr, If and function kept in shape. Why: ToNonDataflow renames DataflowVars to Vars.
 */
export function substituteVars(e: Expr, leaf: (v: RelaxVar) => RelaxVar): Expr {
  const go = (x: Expr): Expr => substituteVars(x, leaf);
  switch (e.kind) {
    case 'relax.Var':
    case 'relax.DataflowVar':
      return leaf(e);
    case 'relax.Call': {
      const callee = e.op.kind === 'relax.Var' || e.op.kind === 'relax.DataflowVar' ? leaf(e.op) : e.op;
      return { ...e, op: callee, args: e.args.map(go) };
    }
    case 'relax.Tuple':
      return { ...e, fields: e.fields.map(go) };
    case 'relax.TupleGetItem':
      return { ...e, tuple: go(e.tuple) };
    case 'relax.If':
      return { ...e, cond: go(e.cond), trueBranch: substituteSeq(e.trueBranch, leaf), falseBranch: substituteSeq(e.falseBranch, leaf) };
    case 'relax.SeqExpr':
      return substituteSeq(e, leaf);
    case 'relax.Function':
      return { ...e, params: e.params.map(leaf), body: substituteSeq(e.body, leaf) };
    default:
      return e;
  }
}

/** `substituteVars` over a SeqExpr, binding sites included. */
export function substituteSeq(seq: SeqExpr, leaf: (v: RelaxVar) => RelaxVar): SeqExpr {
  const blocks = seq.blocks.map((block) => ({
    ...block,
    bindings: block.bindings.map((b) => ({ ...b, v: leaf(b.v), value: substituteVars(b.value, leaf) })),
  }));
  return { ...seq, blocks, body: substituteVars(seq.body, leaf) };
}

/** `e` as a call of the named op, or undefined when it is something else. */
export function opCall(e: Expr, name: string): Call | undefined {
  return e.kind === 'relax.Call' && e.op.kind === 'relax.Op' && e.op.name === name ? e : undefined;
}
