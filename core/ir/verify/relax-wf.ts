/**
 * The Relax half of the well-formedness verifier (invariants WF01-WF11, WF14-WF17, WF19 of `well-formed.ts`).
 * One pass over each function in definition order keeps the set of vars in scope (params, earlier bindings,
 * enclosing scopes), the dataflow vars whose block has ended, and the symbolic vars defined so far; every use is
 * checked against them. Linear in the function size: no check re-walks a subtree.
 *
 * Spans: vars are shared objects whose span is their definition, so a use is reported at the innermost enclosing
 * node that has a span (the call, the tuple, the binding), with the definition as a related location.
 * Leaves to `tir-wf.ts` everything inside PrimFuncs, and to `../relax/sinfo.ts` the real subtyping lattice
 * (compatibility here is "not provably different", see `sinfo-compat.ts`).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IRModule } from '../module.js';
import type { Span } from '../span.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import type {
  Binding, BindingBlock, Call, Expr, If, RelaxFunction, RelaxVar, SeqExpr, StructInfo, TupleGetItem,
} from '../relax/nodes.js';
import { isRelaxVar } from '../relax/nodes.js';
import { definableSymbolicVars, freeSymbolicVars, tirExprVars } from '../relax/visit.js';
import { type WfCode, wfDiagnostic } from './codes-wf.js';
import { impurityOf, isForcePure } from './purity.js';
import { kindName, sinfoMismatch } from './sinfo-compat.js';
import { localSInfo } from './local-sinfo.js';
import { checkCallTir } from './call-tir.js';

/** Where an expression sits: the span to blame, whether it is inside a dataflow block, what was already said. */
interface Site {
  readonly span: Span | undefined;
  readonly dataflow: boolean;
  /** Things already reported for this binding (a var used twice in one call is reported once). */
  readonly seen: Set<unknown>;
}

/** Names that were defined in one scope, removed again when it ends. */
interface Frame {
  readonly vars: RelaxVar[];
  readonly syms: TirVar[];
}

interface FnInfo {
  readonly name: string;
  /** Pure and not `relax.force_pure`: impure calls are WF06 errors. */
  readonly checkPurity: boolean;
}

/** Checks one module's Relax functions; create one per module, call `checkFunction` per global function. */
export class RelaxChecker {
  private readonly defined = new Set<RelaxVar>();
  private readonly deadDataflow = new Set<RelaxVar>();
  private readonly sym = new Set<TirVar>();
  private everDefined = new Set<RelaxVar>();
  private frames: Frame[] = [];
  private readonly fnStack: FnInfo[] = [];

  constructor(
    private readonly mod: IRModule,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  /** Checks a module-level function; state from earlier functions does not leak into it. */
  checkFunction(name: string, fn: RelaxFunction): void {
    this.everDefined = new Set();
    this.deadDataflow.clear();
    this.visitFunction(name, fn);
  }

  private emit(code: WfCode, however: string, span: Span | undefined, def?: { span?: Span; what: string }): void {
    const related = def?.span ? [{ span: def.span, message: def.what }] : undefined;
    this.report(wfDiagnostic(code, however, span, related));
  }

  // ------------------------------------------------------------------ scopes

  private scoped(body: () => void): void {
    const frame: Frame = { vars: [], syms: [] };
    this.frames.push(frame);
    body();
    this.frames.pop();
    for (const v of frame.vars) this.defined.delete(v);
    for (const s of frame.syms) this.sym.delete(s);
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  private defineVar(v: RelaxVar, span: Span | undefined): void {
    if (this.everDefined.has(v)) {
      this.emit('WF03', `\`${v.name}\` is defined a second time`, span, { span: v.span, what: `\`${v.name}\` is first defined here` });
    }
    this.everDefined.add(v);
    this.defined.add(v);
    this.top().vars.push(v);
  }

  private defineSym(v: TirVar): void {
    if (this.sym.has(v)) return;
    this.sym.add(v);
    this.top().syms.push(v);
  }

  // ------------------------------------------------------------------ functions

  private visitFunction(name: string, fn: RelaxFunction): void {
    this.fnStack.push({ name, checkPurity: fn.isPure && !isForcePure(fn) });
    this.scoped(() => {
      this.defineParams(name, fn);
      this.visitSeq(fn.body, { span: fn.body.span ?? fn.span, dataflow: false, seen: new Set() });
      this.checkReturn(name, fn);
    });
    this.fnStack.pop();
  }

  private defineParams(name: string, fn: RelaxFunction): void {
    const byName = new Map<string, RelaxVar>();
    for (const p of fn.params) {
      const span = p.span ?? fn.span;
      if (p.kind === 'relax.DataflowVar') this.emit('WF14', `parameter \`${p.name}\` of \`${name}\` is a DataflowVar`, span);
      const prev = byName.get(p.name);
      if (prev && prev !== p) this.emit('WF14', `\`${name}\` has two parameters named \`${p.name}\``, span, { span: prev.span, what: 'the first one' });
      byName.set(p.name, p);
      this.defineVar(p, span);
    }
    for (const t of fn.typeParams ?? []) this.defineSym(t);
    for (const p of fn.params) for (const v of definableSymbolicVars(p.sinfo)) this.defineSym(v);
    const seen = new Set<unknown>();
    for (const p of fn.params) {
      this.checkSymbols(p.sinfo, { span: p.span ?? fn.span, dataflow: false, seen }, `parameter \`${p.name}\``);
    }
  }

  private checkReturn(name: string, fn: RelaxFunction): void {
    const body = fn.body.body;
    const actual = localSInfo(body, this.mod);
    const why = actual && sinfoMismatch(fn.retSInfo, actual, ['the declared return', 'the returned value']);
    if (!why) return;
    const span = (!isRelaxVar(body) && body.span) || fn.body.span || fn.span;
    this.emit('WF15', `in \`${name}\`, ${why}`, span);
  }

  // ------------------------------------------------------------------ blocks and bindings

  private visitSeq(seq: SeqExpr, site: Site): void {
    this.scoped(() => {
      for (const block of seq.blocks) this.visitBlock(block, block.span ?? site.span);
      this.visitExpr(seq.body, { span: seq.span ?? site.span, dataflow: false, seen: new Set() });
    });
  }

  private visitBlock(block: BindingBlock, fallback: Span | undefined): void {
    const isDataflow = block.kind === 'relax.DataflowBlock';
    const local: RelaxVar[] = [];
    for (const b of block.bindings) {
      const site: Site = { span: b.span ?? fallback, dataflow: isDataflow, seen: new Set() };
      this.visitExpr(b.value, site);
      this.visitBindingSInfo(b, site);
      if (b.v.kind === 'relax.DataflowVar' && !isDataflow) {
        this.emit('WF04', `\`${b.v.name}\` is a DataflowVar bound outside any dataflow block`, site.span);
      }
      this.defineVar(b.v, site.span);
      if (isDataflow && b.v.kind === 'relax.DataflowVar') local.push(b.v);
    }
    for (const v of local) {
      this.defined.delete(v);
      this.deadDataflow.add(v);
    }
  }

  private visitBindingSInfo(b: Binding, site: Site): void {
    if (b.kind === 'relax.MatchCast') {
      for (const v of definableSymbolicVars(b.sinfo)) this.defineSym(v);
      this.checkSymbols(b.sinfo, site, `the match_cast of \`${b.v.name}\``);
    }
    this.checkSymbols(b.v.sinfo, site, `the struct info of \`${b.v.name}\``);
    if (b.kind !== 'relax.VarBinding') return;
    const actual = localSInfo(b.value, this.mod);
    const why = actual && sinfoMismatch(b.v.sinfo, actual, [`the struct info of \`${b.v.name}\``, 'its value']);
    if (why) this.emit('WF16', why, site.span);
  }

  // ------------------------------------------------------------------ expressions

  private visitExpr(e: Expr, outer: Site): void {
    const site = e.span && !isRelaxVar(e) && e.kind !== 'relax.GlobalVar' ? { ...outer, span: e.span } : outer;
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return this.checkUse(e, site);
      case 'relax.GlobalVar':
        return this.checkGlobal(e.name, site);
      case 'relax.ShapeExpr':
        return this.checkSymbolExprs(e.values, site, 'a shape');
      case 'relax.PrimValue':
        return this.checkSymbolExprs([e.value], site, 'a prim value');
      case 'relax.Call':
        this.checkCall(e, site);
        this.visitExpr(e.op, site);
        for (const a of e.args) this.visitExpr(a, site);
        return;
      case 'relax.Tuple':
        for (const f of e.fields) this.visitExpr(f, site);
        return;
      case 'relax.TupleGetItem':
        this.visitExpr(e.tuple, site);
        return this.checkTupleIndex(e, site);
      case 'relax.If':
        return this.visitIf(e, site);
      case 'relax.SeqExpr':
        return this.visitSeq(e, { ...site, dataflow: false });
      case 'relax.Function':
        return this.visitFunction(`${this.fnStack[this.fnStack.length - 1]?.name ?? ''}.<local function>`, e);
      default:
        return;
    }
  }

  private checkUse(v: RelaxVar, site: Site): void {
    if (this.defined.has(v) || site.seen.has(v)) return;
    site.seen.add(v);
    const def = { span: v.span, what: `\`${v.name}\` is defined here` };
    if (this.deadDataflow.has(v)) {
      this.emit('WF02', `\`${v.name}\` is used after the dataflow block that defines it has ended`, site.span, def);
    } else {
      const why = this.everDefined.has(v) ? 'outside the scope that defines it (a scope that has ended)' : 'before any definition of it in scope';
      this.emit('WF01', `\`${v.name}\` is used here ${why}`, site.span, def);
    }
  }

  private checkGlobal(name: string, site: Site): void {
    if (this.mod.functions.has(name) || site.seen.has(`@${name}`)) return;
    site.seen.add(`@${name}`);
    this.emit('WF09', `\`${name}\` is referenced but the module has no function of that name`, site.span);
  }

  private checkCall(call: Call, site: Site): void {
    const why = impurityOf(call, this.mod);
    const fn = this.fnStack[this.fnStack.length - 1];
    if (why && site.dataflow) this.emit('WF05', `${why} and it is called inside a dataflow block`, site.span);
    else if (why && fn?.checkPurity) this.emit('WF06', `\`${fn.name}\` is pure but ${why}`, site.span);
    checkCallTir(call, this.mod, (however) => this.emit('WF10', however, site.span));
    this.checkArity(call, site);
    for (const s of call.sinfoArgs) this.checkSymbols(s, site, 'the output struct info of this call');
  }

  private checkArity(call: Call, site: Site): void {
    if (call.op.kind !== 'relax.GlobalVar') return;
    const g = this.mod.functions.get(call.op.name);
    if (g?.kind !== 'relax.Function' || g.params.length === call.args.length) return;
    this.emit('WF19', `\`${call.op.name}\` takes ${g.params.length} argument(s) but is called with ${call.args.length}`, site.span);
  }

  private checkTupleIndex(e: TupleGetItem, site: Site): void {
    const t = localSInfo(e.tuple, this.mod);
    const len = t?.kind === 'si.Tuple' ? t.fields.length : undefined;
    if (e.index >= 0 && (len === undefined || e.index < len)) return;
    const size = len === undefined ? '' : ` of ${len} field(s)`;
    this.emit('WF17', `index ${e.index} is used on a tuple${size}`, site.span);
  }

  private visitIf(e: If, site: Site): void {
    if (site.dataflow) this.emit('WF07', 'an If is bound inside a dataflow block', site.span);
    this.visitExpr(e.cond, site);
    this.checkCondition(e.cond, site);
    const inner = { ...site, dataflow: false };
    this.visitSeq(e.trueBranch, { ...inner, span: e.trueBranch.span ?? site.span });
    this.visitSeq(e.falseBranch, { ...inner, span: e.falseBranch.span ?? site.span });
    const a = localSInfo(e.trueBranch.body, this.mod);
    const b = localSInfo(e.falseBranch.body, this.mod);
    const why = a && b && sinfoMismatch(a, b, ['the then branch', 'the else branch']);
    if (why) this.emit('WF08', why, site.span);
  }

  private checkCondition(cond: Expr, site: Site): void {
    const si = localSInfo(cond, this.mod);
    if (!si || isBoolScalar(si)) return;
    this.emit('WF20', `the condition is ${kindName(si)}${si.kind === 'si.Tensor' ? ` of rank ${si.ndim} and dtype "${si.dtype}"` : ''}`, site.span);
  }

  // ------------------------------------------------------------------ symbolic vars

  private checkSymbols(sinfo: StructInfo, site: Site, what: string): void {
    this.reportUndefinedSyms(freeSymbolicVars(sinfo), site, what);
  }

  private checkSymbolExprs(values: readonly PrimExpr[], site: Site, what: string): void {
    for (const e of values) this.reportUndefinedSyms(tirExprVars(e), site, what);
  }

  private reportUndefinedSyms(vars: readonly TirVar[], site: Site, what: string): void {
    for (const v of vars) {
      if (this.sym.has(v) || site.seen.has(v)) continue;
      site.seen.add(v);
      this.emit('WF11', `${what} uses the symbolic var \`${v.name}\`, which is not defined at this point`, site.span, {
        span: v.span,
        what: `\`${v.name}\` is declared here`,
      });
    }
  }
}

/** TVM's IsBoolStructInfo, permitting unknowns: R.Any, a bool (or unknown-dtype) prim, a 0-d bool tensor. */
function isBoolScalar(si: StructInfo): boolean {
  const boolish = (dtype: string): boolean => dtype === 'bool' || dtype === '';
  if (si.kind === 'si.Object') return true;
  if (si.kind === 'si.Prim') return boolish(si.dtype);
  return si.kind === 'si.Tensor' && boolish(si.dtype) && (si.ndim === 0 || si.ndim === -1);
}
