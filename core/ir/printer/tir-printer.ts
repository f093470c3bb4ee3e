/**
 * TIR -> Doc: `@T.prim_func` functions with buffer signatures, `T.match_buffer`, the implicit root block (README
 * rule 10), `T.grid` loop nests, blocks with `T.axis.remap`, reads/writes, init, and statements. v0.26 spells blocks
 * `T.sblock`/`T.sblock_alloc_buffer`/`T.sblock_attr` and the noalias key `"tirx.noalias"`; classic spells the old
 * names (README rule 11). Leaves PrimExpr spelling to prim.ts and module layout to printer.ts.
 */
import type { AttrDict, AttrValue } from '../attrs.js';
import { attrDict } from '../attrs.js';
import type {
  Block, BlockRealize, Buffer, BufferRegion, For, IterVar, PrimExpr, PrimFunc, Range, Stmt, TirVar,
} from '../tir/nodes.js';
import type { PrintCtx } from './context.js';
import { Namer } from './context.js';
import type { Doc } from './doc.js';
import { block, LINE, span } from './doc.js';
import type { PrimEnv } from './prim.js';
import { indexList, printAttrValue, printPrim } from './prim.js';
import { pyStr } from './pyfloat.js';

/** Buffer keyword arguments in the order TVM prints them. */
const BUFFER_KWARGS = ['data', 'strides', 'elem_offset', 'scope', 'align', 'offset_factor', 'buffer_type', 'axis_separators'];

const ITER_LETTER: Partial<Record<IterVar['iterType'], string>> = { spatial: 'S', reduce: 'R' };

/** Prints one PrimFunc; names are unique within it. */
export class TirPrinter {
  private readonly namer = new Namer();
  /** Vars used before any definition: declared at the top (`n = T.int64()`). */
  private readonly decls: TirVar[] = [];
  private readonly defined = new Set<TirVar>();
  /** Enclosing loops by loop var, for `T.axis.remap`. */
  private readonly loops = new Map<TirVar, For>();
  readonly env: PrimEnv;

  constructor(private readonly ctx: PrintCtx) {
    this.namer.reserve(ctx.moduleName);
    this.env = {
      varName: (v) => this.use(v),
      defineVar: (v) => this.define(v),
      bufferName: (b) => this.namer.name(b, b.name),
      plainInt: 'int32',
      t: (n) => ctx.t(n),
    };
  }

  /** A whole function: decorator, signature, attrs, declarations, match_buffers, body. */
  printFunction(name: string, fn: PrimFunc): Doc {
    const params: string[] = [];
    const matches: string[] = [];
    for (const p of fn.params) if (!fn.bufferMap.has(p)) this.define(p);
    for (const p of fn.params) {
      const buf = fn.bufferMap.get(p);
      if (buf && isStaticBuffer(buf)) {
        params.push(`${this.namer.name(buf, buf.name)}: ${this.t('Buffer')}(${this.bufferArgs(buf, true)})`);
        this.defined.add(p);
        continue;
      }
      params.push(`${this.define(p)}: ${buf ? this.t('handle') : this.t(p.dtype)}`);
      if (buf) matches.push(this.matchBuffer(buf, this.namer.get(p)!));
    }
    const body = this.funcBody(fn.body);
    const head: Doc[] = [];
    if (fn.attrs && fn.attrs.entries.length > 0) head.push(`${this.t('func_attr')}(${this.attrText(fn.attrs)})`);
    for (const v of this.decls) head.push(`${this.namer.get(v)!} = ${this.t(v.dtype)}()`);
    const ret = fn.retType && fn.retType !== 'void' ? ` -> ${this.t(fn.retType)}` : '';
    const def = `def ${name}(${params.join(', ')})${ret}:`;
    return span(fn, [this.decorator(fn), LINE, block(def, [...head, ...matches, ...body])]);
  }

  private decorator(fn: PrimFunc): string {
    const opts: string[] = [];
    if (fn.isPrivate) opts.push('private=True');
    if (fn.sTir) opts.push('s_tir=True');
    return opts.length > 0 ? `@${this.t('prim_func')}(${opts.join(', ')})` : `@${this.t('prim_func')}`;
  }

  /** `A = T.match_buffer(var_A, (n, T.int64(4)))`. The shape is printed first so its vars are declared above. */
  private matchBuffer(buf: Buffer, source: string): string {
    const args = this.bufferArgs(buf, false);
    return `${this.namer.name(buf, buf.name)} = ${this.t('match_buffer')}(${source}, ${args})`;
  }

  /** Shape, dtype (omitted for float32 unless `forceDtype`), strides, scope and the kept extra keywords. */
  private bufferArgs(buf: Buffer, forceDtype: boolean): string {
    const parts = [tupleOf(buf.shape.map((e) => this.expr(e)))];
    if (forceDtype || buf.dtype !== 'float32') parts.push(pyStr(buf.dtype));
    const kwargs = new Map<string, string>();
    for (const [k, v] of buf.extra?.entries ?? []) kwargs.set(k, this.attrValue(v));
    if (buf.strides.length > 0) kwargs.set('strides', tupleOf(buf.strides.map((e) => this.expr(e))));
    if (buf.scope && buf.scope !== 'global') kwargs.set('scope', pyStr(buf.scope));
    // TVM's keyword order first, then any other kept keywords as written.
    for (const k of BUFFER_KWARGS) {
      const v = kwargs.get(k);
      if (v !== undefined) parts.push(`${k}=${v}`);
      kwargs.delete(k);
    }
    for (const [k, v] of kwargs) parts.push(`${k}=${v}`);
    return parts.join(', ');
  }

  // ------------------------------------------------------------ vars

  private t(name: string): string {
    return this.ctx.t(name);
  }

  private define(v: TirVar): string {
    this.defined.add(v);
    return this.namer.name(v, v.name);
  }

  private use(v: TirVar): string {
    if (!this.defined.has(v)) {
      this.defined.add(v);
      this.decls.push(v);
    }
    return this.namer.name(v, v.name);
  }

  private expr(e: PrimExpr): string {
    return printPrim(e, this.env);
  }

  private attrValue(v: AttrValue): string {
    return printAttrValue(v, this.env);
  }

  /** Function/block attributes, with the noalias key spelled per dialect. */
  private attrText(d: AttrDict): string {
    const key = this.ctx.classic ? 'tir.noalias' : 'tirx.noalias';
    return this.attrValue(attrDict(d.entries.map(([k, v]) => [k === 'tir.noalias' || k === 'tirx.noalias' ? key : k, v])));
  }

  // ------------------------------------------------------------ statements

  /** The function body, eliding the implicit root block and printing its allocs at function level. */
  private funcBody(body: Stmt): Doc[] {
    if (body.kind === 'tir.BlockRealize' && isImplicitRoot(body)) {
      const out: Doc[] = [`# with ${this.t(this.ctx.classic ? 'block' : 'sblock')}("root"):`];
      for (const b of body.block.allocBuffers) out.push(this.allocBuffer(b));
      out.push(...this.stmts(body.block.body));
      return out;
    }
    return this.stmts(body);
  }

  private stmts(s: Stmt): Doc[] {
    const out: Doc[] = [];
    this.stmtInto(s, out);
    return out;
  }

  private stmtInto(s: Stmt, out: Doc[]): void {
    switch (s.kind) {
      case 'tir.SeqStmt':
        for (const x of s.seq) this.stmtInto(x, out);
        return;
      case 'tir.LetStmt':
        out.push(`${this.define(s.v)}: ${this.t(s.v.dtype)} = ${this.expr(s.value)}`);
        this.stmtInto(s.body, out);
        return;
      case 'tir.AssertStmt':
        out.push(`assert ${this.expr(s.cond)}, ${this.expr(s.message)}`);
        this.stmtInto(s.body, out);
        return;
      default:
        out.push(this.stmt(s));
    }
  }

  private stmt(s: Exclude<Stmt, { kind: 'tir.SeqStmt' | 'tir.LetStmt' | 'tir.AssertStmt' }>): Doc {
    switch (s.kind) {
      case 'tir.BufferStore':
        return `${this.env.bufferName(s.buffer)}[${indexList(s.indices, this.env)}] = ${this.expr(s.value)}`;
      case 'tir.Evaluate':
        return `${this.t('evaluate')}(${this.expr(s.value)})`;
      case 'tir.IfThenElse': {
        const head = block(`if ${this.expr(s.cond)}:`, this.stmts(s.then));
        return s.else ? [head, LINE, block('else:', this.stmts(s.else))] : head;
      }
      case 'tir.For':
        return this.forDoc(s);
      case 'tir.BlockRealize':
        return this.blockDoc(s);
    }
  }

  // ------------------------------------------------------------ loops

  /** Serial loops from 0 nest into `T.grid`; others print their kind. */
  private forDoc(s: For): Doc {
    const chain = gridChain(s);
    for (const l of chain) this.loops.set(l.loopVar, l);
    let header: string;
    if (chain.length > 1) {
      const extents = chain.map((l) => this.expr(l.extent)).join(', ');
      const vars = chain.map((l) => this.define(l.loopVar)).join(', ');
      header = `for ${vars} in ${this.t('grid')}(${extents}):`;
    } else {
      const range = this.loopRange(s);
      header = `for ${this.define(s.loopVar)} in ${range}:`;
    }
    const inner = chain[chain.length - 1]!;
    const doc = block(header, this.stmts(inner.body));
    for (const l of chain) this.loops.delete(l.loopVar);
    return doc;
  }

  private loopRange(s: For): string {
    const args = isZero(s.min) ? [this.expr(s.extent)] : [this.expr(s.min), this.expr(addExpr(s.min, s.extent))];
    if (s.forKind === 'thread_binding') args.push(`thread=${pyStr(s.threadTag ?? '')}`);
    const annotated = !!s.annotations && s.annotations.entries.length > 0;
    if (annotated) args.push(`annotations=${this.attrValue(s.annotations!)}`);
    // TVM writes an unannotated serial loop with Python's `range` sugar.
    if (s.forKind === 'serial' && !annotated) return `range(${args.join(', ')})`;
    return `${this.t(s.forKind)}(${args.join(', ')})`;
  }

  // ------------------------------------------------------------ blocks

  private blockDoc(r: BlockRealize): Doc {
    const b = r.block;
    const stmts: Doc[] = [...this.iterVarLines(r)];
    if (!isTrue(r.predicate)) stmts.push(`${this.t('where')}(${this.expr(r.predicate)})`);
    const defs = this.blockBufferDefs(b);
    // TVM order is reads, writes, attrs, then allocs; a region naming a buffer this block allocates needs it first.
    const early = [...b.reads, ...b.writes].some((x) => b.allocBuffers.includes(x.buffer) || b.matchBuffers.some((m) => m.buffer === x.buffer));
    if (early) stmts.push(...defs);
    stmts.push(`${this.t('reads')}(${b.reads.map((x) => this.region(x)).join(', ')})`);
    stmts.push(`${this.t('writes')}(${b.writes.map((x) => this.region(x)).join(', ')})`);
    if (b.annotations && b.annotations.entries.length > 0) {
      stmts.push(`${this.t(this.ctx.classic ? 'block_attr' : 'sblock_attr')}(${this.attrValue(b.annotations)})`);
    }
    if (!early) stmts.push(...defs);
    if (b.init) stmts.push(block(`with ${this.t('init')}():`, this.stmts(b.init)));
    stmts.push(...this.stmts(b.body));
    return block(`with ${this.t(this.ctx.classic ? 'block' : 'sblock')}(${pyStr(b.name)}):`, stmts);
  }

  /** `T.sblock_alloc_buffer` and block-level `T.match_buffer` lines. */
  private blockBufferDefs(b: Block): string[] {
    const out = b.allocBuffers.map((a) => this.allocBuffer(a));
    for (const m of b.matchBuffers) {
      const src = this.region(m.source);
      out.push(`${this.namer.name(m.buffer, m.buffer.name)} = ${this.t('match_buffer')}(${src}, ${this.bufferArgs(m.buffer, false)})`);
    }
    return out;
  }

  private allocBuffer(b: Buffer): string {
    const fn = this.ctx.classic ? 'alloc_buffer' : 'sblock_alloc_buffer';
    const args = this.bufferArgs(b, false);
    return `${this.namer.name(b, b.name)} = ${this.t(fn)}(${args})`;
  }

  /** Runs of iter vars bound to their enclosing loop var (same range) print as one `T.axis.remap`. */
  private iterVarLines(r: BlockRealize): string[] {
    const out: string[] = [];
    let run: number[] = [];
    const flush = (): void => {
      if (run.length === 1) out.push(this.singleIterVar(r, run[0]!));
      else if (run.length > 1) out.push(this.remapLine(r, run));
      run = [];
    };
    r.block.iterVars.forEach((iv, i) => {
      if (this.remappable(iv, r.iterValues[i])) run.push(i);
      else {
        flush();
        out.push(this.singleIterVar(r, i));
      }
    });
    flush();
    return out;
  }

  private remappable(iv: IterVar, value: PrimExpr | undefined): boolean {
    if (!ITER_LETTER[iv.iterType] || value?.kind !== 'tir.Var') return false;
    const loop = this.loops.get(value);
    return !!loop && primEq(loop.min, iv.dom.min) && primEq(loop.extent, iv.dom.extent);
  }

  private remapLine(r: BlockRealize, idx: readonly number[]): string {
    const ivs = idx.map((i) => r.block.iterVars[i]!);
    const letters = ivs.map((iv) => ITER_LETTER[iv.iterType]!).join('');
    const values = idx.map((i) => this.expr(r.iterValues[i]!)).join(', ');
    const names = ivs.map((iv) => this.define(iv.v)).join(', ');
    return `${names} = ${this.t('axis')}.remap(${pyStr(letters)}, [${values}])`;
  }

  private singleIterVar(r: BlockRealize, i: number): string {
    const iv = r.block.iterVars[i]!;
    const value = r.iterValues[i];
    const dom = this.domText(iv.dom);
    const args = value ? `${dom}, ${this.expr(value)}` : dom;
    return `${this.define(iv.v)} = ${this.t('axis')}.${iv.iterType}(${args})`;
  }

  private domText(d: Range): string {
    if (isZero(d.min)) return this.expr(d.extent);
    return `(${this.expr(d.min)}, ${this.expr(addExpr(d.min, d.extent))})`;
  }

  /** `A[v0, 0:n]`: a point where the extent is 1, else `min:min + extent`. */
  private region(r: BufferRegion): string {
    const parts = r.region.map((rg) => {
      if (isOne(rg.extent)) return this.expr(rg.min);
      const stop = isZero(rg.min) ? rg.extent : addExpr(rg.min, rg.extent);
      return `${this.expr(rg.min)}:${this.expr(stop)}`;
    });
    return `${this.env.bufferName(r.buffer)}[${parts.length === 0 ? '()' : parts.join(', ')}]`;
  }
}

// ---------------------------------------------------------------- helpers

/** The chain of perfectly nested serial loops from 0 (no annotations) that `T.grid` can express. */
function gridChain(s: For): For[] {
  const chain = [s];
  if (!isPlainSerial(s)) return chain;
  let cur = s;
  while (cur.body.kind === 'tir.For' && isPlainSerial(cur.body) && !usesAny(cur.body.extent, chain)) {
    cur = cur.body;
    chain.push(cur);
  }
  return chain;
}

function isPlainSerial(s: For): boolean {
  return s.forKind === 'serial' && isZero(s.min) && !(s.annotations && s.annotations.entries.length > 0);
}

function usesAny(e: PrimExpr, loops: readonly For[]): boolean {
  const vars = new Set(loops.map((l) => l.loopVar));
  let found = false;
  walkPrim(e, (v) => {
    if (vars.has(v)) found = true;
  });
  return found;
}

function walkPrim(e: PrimExpr, onVar: (v: TirVar) => void): void {
  switch (e.kind) {
    case 'tir.Var':
      return onVar(e);
    case 'tir.Binary':
      walkPrim(e.a, onVar);
      return walkPrim(e.b, onVar);
    case 'tir.Not':
      return walkPrim(e.a, onVar);
    case 'tir.Select':
      [e.cond, e.t, e.f].forEach((x) => walkPrim(x, onVar));
      return;
    case 'tir.Cast':
      return walkPrim(e.value, onVar);
    case 'tir.Call':
      return e.args.forEach((x) => walkPrim(x, onVar));
    case 'tir.BufferLoad':
      return e.indices.forEach((x) => walkPrim(x, onVar));
    case 'tir.Let':
      [e.value, e.body].forEach((x) => walkPrim(x, onVar));
      return;
    default:
      return;
  }
}

function isStaticBuffer(b: Buffer): boolean {
  return b.shape.every((d) => d.kind === 'tir.IntImm');
}

/** README rule 10: exactly the block the parser adds. */
function isImplicitRoot(r: BlockRealize): boolean {
  const b: Block = r.block;
  return (
    b.name === 'root' && b.iterVars.length === 0 && b.reads.length === 0 && b.writes.length === 0 && !b.init &&
    b.matchBuffers.length === 0 && !(b.annotations && b.annotations.entries.length > 0) && isTrue(r.predicate)
  );
}

function isZero(e: PrimExpr): boolean {
  return e.kind === 'tir.IntImm' && e.value === 0;
}

function isOne(e: PrimExpr): boolean {
  return e.kind === 'tir.IntImm' && e.value === 1;
}

function isTrue(e: PrimExpr): boolean {
  return e.kind === 'tir.IntImm' && e.value !== 0;
}

/** `min + extent`, folding constants so `T.serial(2, 6)` reads back as min 2, extent 4. */
function addExpr(a: PrimExpr, b: PrimExpr): PrimExpr {
  if (a.kind === 'tir.IntImm' && b.kind === 'tir.IntImm') return { ...a, value: a.value + b.value };
  if (isZero(b)) return a;
  return { kind: 'tir.Binary', op: 'add', a, b, dtype: a.kind === 'tir.StringImm' ? 'handle' : a.dtype };
}

/** Shallow structural equality of loop bounds (constants and vars), enough for the remap check. */
function primEq(a: PrimExpr, b: PrimExpr): boolean {
  if (a === b) return true;
  if (a.kind === 'tir.IntImm' && b.kind === 'tir.IntImm') return a.value === b.value && a.dtype === b.dtype;
  if (a.kind === 'tir.Binary' && b.kind === 'tir.Binary') return a.op === b.op && primEq(a.a, b.a) && primEq(a.b, b.b);
  return false;
}

function tupleOf(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}
