/**
 * The TIR half of the well-formedness verifier (invariants WF12, WF13, WF18 of `well-formed.ts`). One walk per
 * PrimFunc keeps the vars and buffers in scope: params and their buffers (whose bare shape vars they define, as
 * `T.match_buffer(a, (n, m))` does), loop vars, block iter vars, block alloc/match buffers, and let vars.
 * An undefined var or buffer is reported once per PrimFunc, at its first use (an undefined `n` in a kernel would
 * otherwise produce one error per access). Linear in the function size.
 *
 * Leaves to later passes: region bounds, iter-var/binding consistency beyond counts, thread-binding legality.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../span.js';
import type { Block, BlockRealize, Buffer, BufferRegion, PrimExpr, PrimFunc, Stmt, TirVar } from '../tir/nodes.js';
import { primChildren } from '../relax/visit.js';
import { type WfCode, wfDiagnostic } from './codes-wf.js';

/** Checks one PrimFunc; `name` is its global name, used in messages. */
export function checkPrimFunc(name: string, fn: PrimFunc, report: (d: Diagnostic) => void): void {
  new TirChecker(name, report).run(fn);
}

class TirChecker {
  private readonly vars = new Set<TirVar>();
  private readonly buffers = new Set<Buffer>();
  private readonly everDefined = new Set<TirVar>();
  private readonly reported = new Set<unknown>();
  private span: Span | undefined;

  constructor(
    private readonly name: string,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  private emit(code: WfCode, however: string, related?: { span?: Span; what: string }): void {
    const rel = related?.span ? [{ span: related.span, message: related.what }] : undefined;
    this.report(wfDiagnostic(code, however, this.span, rel));
  }

  run(fn: PrimFunc): void {
    this.span = fn.span;
    for (const p of fn.params) this.defineVar(p);
    const bufs = [...fn.bufferMap.values()];
    for (const b of bufs) this.defineBuffer(b);
    for (const b of bufs) this.checkBufferShape(b);
    this.stmt(fn.body);
  }

  // ------------------------------------------------------------------ definitions

  private defineVar(v: TirVar): void {
    if (this.everDefined.has(v)) this.emit('WF18', `\`${v.name}\` in \`${this.name}\` is defined a second time`, { span: v.span, what: 'first definition' });
    this.everDefined.add(v);
    this.vars.add(v);
  }

  /** A declared buffer defines itself and the bare vars of its shape and strides (`T.match_buffer(a, (n,))`). */
  private defineBuffer(b: Buffer): void {
    this.buffers.add(b);
    for (const e of [...b.shape, ...b.strides]) if (e.kind === 'tir.Var' && !this.vars.has(e)) this.vars.add(e);
  }

  private checkBufferShape(b: Buffer): void {
    for (const e of [...b.shape, ...b.strides]) this.expr(e);
  }

  /** Runs `body` with `vars` and `bufs` in scope, removing them afterwards. */
  private scoped(vars: readonly TirVar[], bufs: readonly Buffer[], body: () => void): void {
    const newVars = vars.filter((v) => !this.vars.has(v));
    const newBufs = bufs.filter((b) => !this.buffers.has(b));
    for (const v of vars) this.defineVar(v);
    for (const b of bufs) this.defineBuffer(b);
    body();
    for (const v of newVars) this.vars.delete(v);
    for (const b of newBufs) this.buffers.delete(b);
  }

  // ------------------------------------------------------------------ statements

  private stmt(s: Stmt): void {
    const outer = this.span;
    if (s.span) this.span = s.span;
    this.stmtInner(s);
    this.span = outer;
  }

  private stmtInner(s: Stmt): void {
    switch (s.kind) {
      case 'tir.BufferStore':
        this.access(s.buffer, s.indices.length, 'BufferStore');
        this.expr(s.value);
        return s.indices.forEach((i) => this.expr(i));
      case 'tir.For':
        this.expr(s.min);
        this.expr(s.extent);
        return this.scoped([s.loopVar], [], () => this.stmt(s.body));
      case 'tir.IfThenElse':
        this.expr(s.cond);
        this.stmt(s.then);
        if (s.else) this.stmt(s.else);
        return;
      case 'tir.Evaluate':
        return this.expr(s.value);
      case 'tir.LetStmt':
        this.expr(s.value);
        return this.scoped([s.v], [], () => this.stmt(s.body));
      case 'tir.SeqStmt':
        return s.seq.forEach((x) => this.stmt(x));
      case 'tir.AssertStmt':
        this.expr(s.cond);
        this.expr(s.message);
        return this.stmt(s.body);
      case 'tir.BlockRealize':
        return this.blockRealize(s);
    }
  }

  private blockRealize(r: BlockRealize): void {
    const b = r.block;
    r.iterValues.forEach((v) => this.expr(v));
    this.expr(r.predicate);
    if (b.iterVars.length !== r.iterValues.length) {
      this.emit('WF13', `block "${b.name}" has ${b.iterVars.length} iter var(s) but ${r.iterValues.length} binding value(s)`);
    }
    for (const iv of b.iterVars) {
      this.expr(iv.dom.min);
      this.expr(iv.dom.extent);
    }
    const outer = this.span;
    if (b.span) this.span = b.span;
    this.scoped(b.iterVars.map((iv) => iv.v), [], () => this.blockBody(b));
    this.span = outer;
  }

  private blockBody(b: Block): void {
    for (const a of b.allocBuffers) this.checkBufferShape(a);
    for (const m of b.matchBuffers) this.region(m.source);
    const bufs = [...b.allocBuffers, ...b.matchBuffers.map((m) => m.buffer)];
    this.scoped([], bufs, () => {
      for (const r of [...b.reads, ...b.writes]) this.region(r);
      if (b.init) this.stmt(b.init);
      this.stmt(b.body);
    });
  }

  private region(r: BufferRegion): void {
    this.access(r.buffer, r.region.length, 'region');
    for (const rg of r.region) {
      this.expr(rg.min);
      this.expr(rg.extent);
    }
  }

  // ------------------------------------------------------------------ expressions and accesses

  private access(buf: Buffer, count: number, what: string): void {
    if (!this.buffers.has(buf) && !this.reported.has(buf)) {
      this.reported.add(buf);
      this.emit('WF12', `buffer \`${buf.name}\` is used in \`${this.name}\` but not defined in scope`, { span: buf.span, what: 'declared here' });
    }
    if (count !== buf.shape.length) {
      this.emit('WF12', `a ${what} of \`${buf.name}\` has ${count} index(es) but the buffer has ${buf.shape.length} dimension(s)`);
    }
  }

  private expr(e: PrimExpr): void {
    const outer = this.span;
    if (e.span && e.kind !== 'tir.Var') this.span = e.span;
    this.exprInner(e);
    this.span = outer;
  }

  private exprInner(e: PrimExpr): void {
    switch (e.kind) {
      case 'tir.Var':
        return this.use(e);
      case 'tir.BufferLoad':
        this.access(e.buffer, e.indices.length, 'BufferLoad');
        return e.indices.forEach((i) => this.expr(i));
      case 'tir.Let':
        this.expr(e.value);
        return this.scoped([e.v], [], () => this.expr(e.body));
      default:
        return primChildren(e).forEach((c) => this.expr(c));
    }
  }

  private use(v: TirVar): void {
    if (this.vars.has(v) || this.reported.has(v)) return;
    this.reported.add(v);
    this.emit('WF12', `var \`${v.name}\` is used in \`${this.name}\` but not defined in scope`, { span: v.span, what: 'declared here' });
  }
}
