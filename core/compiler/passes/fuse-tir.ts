/**
 * FuseTIR: every Primitive Relax function FuseOps made becomes one PrimFunc of the same name, and each call to it
 * becomes one `R.call_tir(cls.fused_..., (inputs...), out_ty=<the call's struct info>)`.
 *
 * Preconditions: FuseOps' form: a Primitive function is one dataflow block of single-output `call_tir`s over its
 * tensor params (with known dims), returning the last binding's var.
 * Stages, per Primitive function:
 *   1. buffers: one parameter buffer per Relax param, then the output buffer, their dims from the struct info
 *      (Relax symbolic vars become fresh TIR vars, bound by the buffers); one root `alloc_buffer` per intermediate;
 *   2. each callee PrimFunc is inlined in binding order: its parameter buffers are replaced by the buffers of the
 *      call's args and result, its symbolic shape vars by the matching dims, every other var and buffer is copied
 *      fresh (a kernel used twice gets two independent copies); its root allocs join the fused root; block names
 *      are made unique (`add`, `add_1`, ...);
 *   3. the PrimFunc gets `{"tir.noalias": True}` and the provenance of every fused binding.
 * Then the calls are rewritten, the Primitive functions are replaced, and the PrimFuncs only they used are removed.
 * A Primitive function outside this form is left as a Relax function (the VM can still call it).
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type { Binding, Call, RelaxFunction, RelaxVar, SeqExpr, StructInfo } from '../../ir/relax/nodes.js';
import { call, op, tensorDims } from '../../ir/relax/nodes.js';
import type {
  Block, BlockRealize, Buffer, BufferRegion, IterVar, PrimExpr, PrimFunc, Range, Stmt, TirVar,
} from '../../ir/tir/nodes.js';
import { boolImm, tvar } from '../../ir/tir/nodes.js';
import { attrDict } from '../../ir/attrs.js';
import { substitutePrim } from '../../ir/relax/sinfo.js';
import type { Pass } from '../pass.js';
import { isPrimitive } from './fuse-ops.js';
import { referencedGlobals } from './fold-constant.js';

/** The pass. */
export function fuseTIR(): Pass {
  return { name: 'FuseTIR', run: (mod) => fuseTirModule(mod) };
}

function fuseTirModule(mod: IRModule): IRModule {
  const fused = new Map<string, PrimFunc>();
  for (const [name, f] of mod.functions) {
    if (!isPrimitive(f)) continue;
    const pf = fusePrimitive(f, mod);
    if (pf) fused.set(name, pf);
  }
  if (fused.size === 0) return mod;
  const out = new Map<string, BaseFunc>();
  for (const [name, f] of mod.functions) {
    const pf = fused.get(name);
    out.set(name, pf ?? (f.kind === 'relax.Function' ? rewriteCalls(f, fused) : f));
  }
  const before = referencedGlobals(mod.functions.values());
  const after = referencedGlobals(out.values());
  for (const name of before) if (!after.has(name) && !fused.has(name) && out.get(name)?.kind === 'tir.PrimFunc') out.delete(name);
  return irModule(mod.name, out, {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
    ...(mod.span ? { span: mod.span } : {}),
  });
}

// ---------------------------------------------------------------- calls to fused functions

function rewriteCalls(f: RelaxFunction, fused: ReadonlyMap<string, PrimFunc>): RelaxFunction {
  const body = rewriteSeq(f.body, fused);
  return body === f.body ? f : { ...f, body };
}

function rewriteSeq(s: SeqExpr, fused: ReadonlyMap<string, PrimFunc>): SeqExpr {
  let changed = false;
  const blocks = s.blocks.map((blk) => {
    let bc = false;
    const bindings = blk.bindings.map((b) => {
      const nb = rewriteBinding(b, fused);
      bc ||= nb !== b;
      return nb;
    });
    changed ||= bc;
    return bc ? { ...blk, bindings } : blk;
  });
  return changed ? { ...s, blocks } : s;
}

function rewriteBinding(b: Binding, fused: ReadonlyMap<string, PrimFunc>): Binding {
  const v = b.value;
  if (v.kind === 'relax.If') {
    const t = rewriteSeq(v.trueBranch, fused);
    const e = rewriteSeq(v.falseBranch, fused);
    return t === v.trueBranch && e === v.falseBranch ? b : { ...b, value: { ...v, trueBranch: t, falseBranch: e } };
  }
  if (v.kind !== 'relax.Call' || v.op.kind !== 'relax.GlobalVar' || !fused.has(v.op.name)) return b;
  const c: Call = call(op('relax.call_tir'), [v.op, { kind: 'relax.Tuple', fields: v.args }], null, [b.v.sinfo]);
  const value: Call = { ...c, ...(v.provenance ? { provenance: v.provenance } : {}), ...(v.span ? { span: v.span } : {}) };
  return { ...b, value };
}

// ---------------------------------------------------------------- one Primitive function -> one PrimFunc

/** The fused PrimFunc of a Primitive function, or undefined when it is not in FuseOps' form. */
export function fusePrimitive(f: RelaxFunction, mod: IRModule): PrimFunc | undefined {
  const block = f.body.blocks[0];
  if (f.body.blocks.length !== 1 || !block || block.bindings.length === 0) return undefined;
  const fuser = new Fuser();
  const params = f.params.map((p) => fuser.paramBuffer(p, p.name));
  if (params.some((p) => !p)) return undefined;
  const bindings = block.bindings;
  const result = f.body.body;
  const last = bindings[bindings.length - 1]!;
  if (result.kind !== 'relax.Var' && result.kind !== 'relax.DataflowVar') return undefined;
  if (last.v !== result) return undefined;
  const output = fuser.paramBuffer(last.v, 'output');
  if (!output) return undefined;
  for (const b of bindings) {
    if (!fuser.inline(b, mod, b === last ? output.buffer : undefined)) return undefined;
  }
  return fuser.finish([...(params as ParamBuffer[]), output]);
}

interface ParamBuffer {
  readonly handle: TirVar;
  readonly buffer: Buffer;
}

class Fuser {
  /** Relax symbolic var -> PrimFunc var. */
  private readonly shapeVars = new Map<TirVar, PrimExpr>();
  /** Relax var -> the buffer holding its value. */
  private readonly bufferOf = new Map<RelaxVar, Buffer>();
  private readonly allocs: Buffer[] = [];
  private readonly stmts: Stmt[] = [];
  private readonly blockNames = new Map<string, number>();
  private readonly provenance = new Set<string>();

  paramBuffer(v: RelaxVar, hint: string): ParamBuffer | undefined {
    const buffer = this.tensorBuffer(v.sinfo, hint, true);
    if (!buffer) return undefined;
    this.bufferOf.set(v, buffer);
    return { handle: tvar(`p_${hint}`, 'handle'), buffer };
  }

  /** A buffer for a tensor struct info; `bind` lets bare symbolic dims define fresh PrimFunc vars. */
  private tensorBuffer(si: StructInfo, name: string, bind: boolean): Buffer | undefined {
    const dims = tensorDims(si);
    if (si.kind !== 'si.Tensor' || !dims || si.dtype === '') return undefined;
    if (bind) for (const d of dims) if (d.kind === 'tir.Var' && !this.shapeVars.has(d)) this.shapeVars.set(d, tvar(d.name, d.dtype));
    const shape = dims.map((d) => substitutePrim(d, this.shapeVars));
    return { kind: 'tir.Buffer', name, dtype: si.dtype, shape, strides: [], scope: 'global' };
  }

  /** Inlines one `call_tir` binding; `out` is the function's output buffer for the last binding. */
  inline(b: Binding, mod: IRModule, out: Buffer | undefined): boolean {
    const c = b.value;
    if (c.kind !== 'relax.Call' || c.op.kind !== 'relax.Op' || c.op.name !== 'relax.call_tir') return false;
    const [gv, tuple] = c.args;
    const callee = gv?.kind === 'relax.GlobalVar' ? mod.functions.get(gv.name) : undefined;
    if (callee?.kind !== 'tir.PrimFunc' || tuple?.kind !== 'relax.Tuple') return false;
    const actual: Buffer[] = [];
    for (const a of tuple.fields) {
      const buf = a.kind === 'relax.Var' || a.kind === 'relax.DataflowVar' ? this.bufferOf.get(a) : undefined;
      if (!buf) return false;
      actual.push(buf);
    }
    const calleeOut = callee.bufferMap.get(callee.params[actual.length]!);
    const result = out ?? this.tensorBuffer(c.sinfoArgs[0] ?? b.v.sinfo, `${calleeOut?.name ?? b.v.name}_intermediate`, false);
    if (!result || callee.params.length !== actual.length + 1) return false;
    if (!out) this.allocs.push(result);
    actual.push(result);
    this.bufferOf.set(b.v, result);
    (c.provenance ?? [b.v.name]).forEach((p) => this.provenance.add(p));
    return this.inlineBody(callee, actual);
  }

  private inlineBody(callee: PrimFunc, actual: readonly Buffer[]): boolean {
    const copier = new TirCopier(this.blockNames);
    for (let i = 0; i < actual.length; i++) {
      const formal = callee.bufferMap.get(callee.params[i]!);
      if (!formal || formal.shape.length !== actual[i]!.shape.length) return false;
      copier.bindBuffer(formal, actual[i]!);
    }
    const body = callee.body;
    if (body.kind === 'tir.BlockRealize' && body.block.name === 'root' && body.block.iterVars.length === 0) {
      this.allocs.push(...body.block.allocBuffers.map((a) => copier.buffer(a)));
      this.stmts.push(copier.stmt(body.block.body));
    } else {
      this.stmts.push(copier.stmt(body));
    }
    return true;
  }

  finish(params: readonly ParamBuffer[]): PrimFunc {
    const inner: Stmt = this.stmts.length === 1 ? this.stmts[0]! : { kind: 'tir.SeqStmt', seq: this.stmts.flatMap(flatSeq) };
    const root: Block = {
      kind: 'tir.Block', name: 'root', iterVars: [], reads: [], writes: [], allocBuffers: this.allocs, matchBuffers: [], body: inner,
    };
    return {
      kind: 'tir.PrimFunc',
      params: params.map((p) => p.handle),
      bufferMap: new Map(params.map((p) => [p.handle, p.buffer])),
      body: { kind: 'tir.BlockRealize', iterValues: [], predicate: boolImm(true), block: root },
      attrs: attrDict([['tir.noalias', true]]),
      isPrivate: true,
      provenance: [...this.provenance],
    };
  }
}

function flatSeq(s: Stmt): Stmt[] {
  return s.kind === 'tir.SeqStmt' ? s.seq.flatMap(flatSeq) : [s];
}

// ---------------------------------------------------------------- copying a callee's body

/**
 * Copies TIR with buffers and vars renamed: bound ones (the callee's params and shape vars) to the fused kernel's,
 * every other var and buffer to a fresh copy made on first sight, so inlined kernels never share definitions.
 */
class TirCopier {
  private readonly vars = new Map<TirVar, PrimExpr>();
  private readonly buffers = new Map<Buffer, Buffer>();

  constructor(private readonly blockNames: Map<string, number>) {}

  bindBuffer(formal: Buffer, actual: Buffer): void {
    this.buffers.set(formal, actual);
    formal.shape.forEach((d, k) => {
      if (d.kind === 'tir.Var' && !this.vars.has(d)) this.vars.set(d, actual.shape[k]!);
    });
  }

  private v(x: TirVar): PrimExpr {
    let m = this.vars.get(x);
    if (!m) {
      m = tvar(x.name, x.dtype);
      this.vars.set(x, m);
    }
    return m;
  }

  /** A var at a definition site (loop var, iter var, let var): always a var. */
  private def(x: TirVar): TirVar {
    const m = this.v(x);
    return m.kind === 'tir.Var' ? m : tvar(x.name, x.dtype);
  }

  buffer(b: Buffer): Buffer {
    let m = this.buffers.get(b);
    if (!m) {
      m = { ...b, shape: b.shape.map((d) => this.expr(d)), strides: b.strides.map((d) => this.expr(d)) };
      this.buffers.set(b, m);
    }
    return m;
  }

  expr(e: PrimExpr): PrimExpr {
    switch (e.kind) {
      case 'tir.Var':
        return this.v(e);
      case 'tir.Binary':
        return { ...e, a: this.expr(e.a), b: this.expr(e.b) };
      case 'tir.Not':
        return { ...e, a: this.expr(e.a) };
      case 'tir.Select':
        return { ...e, cond: this.expr(e.cond), t: this.expr(e.t), f: this.expr(e.f) };
      case 'tir.Cast':
        return { ...e, value: this.expr(e.value) };
      case 'tir.Call':
        return { ...e, args: e.args.map((a) => this.expr(a)) };
      case 'tir.BufferLoad':
        return { ...e, buffer: this.buffer(e.buffer), indices: e.indices.map((i) => this.expr(i)) };
      case 'tir.Let': {
        const value = this.expr(e.value);
        return { ...e, v: this.def(e.v), value, body: this.expr(e.body) };
      }
      default:
        return e;
    }
  }

  private range(r: Range): Range {
    return { min: this.expr(r.min), extent: this.expr(r.extent) };
  }

  private region(r: BufferRegion): BufferRegion {
    return { buffer: this.buffer(r.buffer), region: r.region.map((x) => this.range(x)) };
  }

  stmt(s: Stmt): Stmt {
    switch (s.kind) {
      case 'tir.BufferStore':
        return { ...s, buffer: this.buffer(s.buffer), value: this.expr(s.value), indices: s.indices.map((i) => this.expr(i)) };
      case 'tir.For': {
        const [min, extent] = [this.expr(s.min), this.expr(s.extent)];
        return { ...s, loopVar: this.def(s.loopVar), min, extent, body: this.stmt(s.body) };
      }
      case 'tir.IfThenElse':
        return { ...s, cond: this.expr(s.cond), then: this.stmt(s.then), ...(s.else ? { else: this.stmt(s.else) } : {}) };
      case 'tir.Evaluate':
        return { ...s, value: this.expr(s.value) };
      case 'tir.LetStmt': {
        const value = this.expr(s.value);
        return { ...s, v: this.def(s.v), value, body: this.stmt(s.body) };
      }
      case 'tir.SeqStmt':
        return { ...s, seq: s.seq.map((x) => this.stmt(x)) };
      case 'tir.AssertStmt':
        return { ...s, cond: this.expr(s.cond), message: this.expr(s.message), body: this.stmt(s.body) };
      case 'tir.BlockRealize':
        return this.realize(s);
    }
  }

  private realize(r: BlockRealize): BlockRealize {
    const iterValues = r.iterValues.map((x) => this.expr(x));
    const predicate = this.expr(r.predicate);
    return { ...r, iterValues, predicate, block: this.block(r.block) };
  }

  private block(b: Block): Block {
    const iterVars: IterVar[] = b.iterVars.map((iv) => ({ ...iv, dom: this.range(iv.dom), v: this.def(iv.v) }));
    const allocBuffers = b.allocBuffers.map((x) => this.buffer(x));
    const matchBuffers = b.matchBuffers.map((m) => ({ source: this.region(m.source), buffer: this.buffer(m.buffer) }));
    return {
      ...b,
      name: this.uniqueName(b.name),
      iterVars,
      reads: b.reads.map((x) => this.region(x)),
      writes: b.writes.map((x) => this.region(x)),
      ...(b.init ? { init: this.stmt(b.init) } : {}),
      allocBuffers,
      matchBuffers,
      body: this.stmt(b.body),
    };
  }

  private uniqueName(name: string): string {
    const n = this.blockNames.get(name);
    if (n === undefined) {
      this.blockNames.set(name, 0);
      return name;
    }
    for (let i = n + 1; ; i++) {
      const cand = `${name}_${i}`;
      if (!this.blockNames.has(cand)) {
        this.blockNames.set(name, i);
        this.blockNames.set(cand, 0);
        return cand;
      }
    }
  }
}
