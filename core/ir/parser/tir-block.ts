/**
 * TIR blocks: `with T.block("name"):` / `with T.sblock("name"):` and the frame statements that fill a block
 * (`T.axis.spatial/reduce/scan/opaque/S/R`, `T.axis.remap`, `T.reads`, `T.writes`, `T.where`, `T.block_attr` /
 * `T.sblock_attr`). `T.init`, `T.alloc_buffer` and `T.match_buffer` of a region are handled by tir-stmt.ts and land
 * in the same frame.
 *
 * When a block declares no `T.reads`/`T.writes`, they are inferred from its body as TVM does (accesses in order of
 * first use; a written buffer that is also read appears in both), with a simple relaxation: an index that is an
 * inner loop var (or `base + var`) covers that loop's range, any other index over inner vars covers the whole
 * dimension, and differing accesses to one dimension are widened to the whole dimension. Exact integer-set
 * analysis is left to ../arith users; the printer writes the regions back explicitly either way.
 */
import type { Span } from '../span.js';
import type { PyCall, PyExpr, PyStmt } from './pyast.js';
import type {
  Block, Buffer, BufferRegion, IterType, PrimExpr, Range, Stmt, TirVar,
} from '../tir/nodes.js';
import type { ExprEnv, TirScope } from './tir-expr.js';
import type { BlockFrame, FuncState } from './tir-stmt.js';
import { attrDict } from '../attrs.js';
import { binary, boolImm, intImm, primDtype, tvar } from '../tir/nodes.js';
import {
  bindArgs, buildExpr, castTo, checkArity, checkRank, extentOf, indexExprs, lookupBuffer, same, strConst,
} from './tir-expr.js';
import { toAttrValue } from './tir-buffer.js';

type BodyBuilder = (stmts: readonly PyStmt[], scope: TirScope, st: FuncState) => Stmt;

function envOf(scope: TirScope, st: FuncState): ExprEnv {
  return { scope, ctx: st.ctx };
}

function currentFrame(what: string, span: Span, st: FuncState): BlockFrame | undefined {
  const f = st.blocks[st.blocks.length - 1];
  if (!f) st.ctx.diags.error('T307', `${what} is valid only directly inside a block (\`with T.block(...)\` / \`with T.sblock(...)\`). However, it is used outside any block.`, span);
  return f;
}

/** @internal Builds `with T.block(name):` into a BlockRealize. */
export function buildBlock(
  call: PyCall, body: readonly PyStmt[], span: Span, scope: TirScope, st: FuncState, buildBody: BodyBuilder,
): Stmt | undefined {
  const bound = bindArgs(call, ['name', 'no_realize'], 'T.block', st.ctx.diags);
  const name = strConst(bound?.args.get('name')) ?? '';
  const frame: BlockFrame = { name, iterVars: [], iterValues: [], allocs: [], matchBuffers: [], annotations: [] };
  st.blocks.push(frame);
  st.hasBlock = true;
  const stmt = buildBody(body, scope.child(), st);
  st.blocks.pop();
  // An explicit root block (`with T.block("root"):` at function level) has no accesses, as the implicit one.
  const isRoot = name === 'root' && st.blocks.length === 0 && frame.iterVars.length === 0;
  const access = (frame.reads && frame.writes) || isRoot ? { reads: [], writes: [] } : inferAccess(frame, stmt);
  const block: Block = {
    kind: 'tir.Block', name, iterVars: frame.iterVars,
    reads: frame.reads ?? access.reads, writes: frame.writes ?? access.writes,
    ...(frame.init ? { init: frame.init } : {}),
    allocBuffers: frame.allocs, matchBuffers: frame.matchBuffers,
    ...(frame.annotations.length ? { annotations: attrDict(frame.annotations) } : {}),
    body: stmt, span,
  };
  return { kind: 'tir.BlockRealize', iterValues: frame.iterValues, predicate: frame.predicate ?? boolImm(true), block, span };
}

/** @internal `T.reads/T.writes/T.where/T.block_attr/T.sblock_attr` as statements; false when `path` is none of them. */
export function blockFrameStmt(call: PyCall, path: string, scope: TirScope, st: FuncState): boolean {
  const env = envOf(scope, st);
  switch (path) {
    case 'reads':
    case 'writes': {
      const frame = currentFrame(`T.${path}`, call.span, st);
      const regions = regionList(call, env);
      if (frame && regions) frame[path] = regions;
      return true;
    }
    case 'where': {
      const frame = currentFrame('T.where', call.span, st);
      if (!checkArity(call, 1, 1, 'T.where', st.ctx.diags)) return true;
      const pred = buildExpr(call.args[0]!, env, 'bool');
      if (frame && pred) frame.predicate = pred;
      return true;
    }
    case 'block_attr':
    case 'sblock_attr': {
      const frame = currentFrame(`T.${path}`, call.span, st);
      if (!checkArity(call, 1, 1, `T.${path}`, st.ctx.diags)) return true;
      const v = toAttrValue(call.args[0]!, env);
      if (frame && v && typeof v === 'object' && 'kind' in v && v.kind === 'attr.Dict') for (const [k, x] of v.entries) frame.annotations.push([k, x]);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- iter vars

const AXIS_KINDS: Readonly<Record<string, IterType>> = {
  spatial: 'spatial', S: 'spatial', reduce: 'reduce', R: 'reduce', scan: 'scan', opaque: 'opaque',
};

function bitsOf(dtype: string): number {
  const m = /(\d+)/.exec(dtype);
  return m ? Number(m[1]) : 32;
}

/** TVM: an iter var is an int as wide as its domain, and at least the requested dtype (int32). */
function iterDtype(dom: Range, requested = 'int32'): string {
  const b = Math.max(bitsOf(primDtype(dom.min)), bitsOf(primDtype(dom.extent)), bitsOf(requested));
  return `int${b}`;
}

function pushIter(frame: BlockFrame, name: string, span: Span, dom: Range, iterType: IterType, value: PrimExpr, scope: TirScope, requested?: string): void {
  const v = tvar(name, iterDtype(dom, requested), span);
  scope.define(name, v);
  frame.iterVars.push({ v, dom, iterType });
  frame.iterValues.push(castTo(value, v.dtype));
}

/** @internal `v = T.axis.spatial(dom, value)` and friends; `dom` is an extent or a `(lo, hi)` pair. */
export function axisAssign(name: string, nameSpan: Span, call: PyCall, path: string, scope: TirScope, st: FuncState): void {
  const kind = AXIS_KINDS[path.slice('axis.'.length)];
  if (path === 'axis.remap') return remapAssign([{ kind: 'Name', id: name, span: nameSpan }], call, scope, st);
  const frame = currentFrame(`T.${path}`, call.span, st);
  if (!kind) {
    st.ctx.diags.error('T302', `Block axes are T.axis.spatial, reduce, scan, opaque, S, R or remap. However, T.${path} was used.`, call.func.span);
    return;
  }
  const bound = bindArgs(call, ['dom', 'binding', 'dtype'], `T.${path}`, st.ctx.diags, 2);
  if (!frame || !bound) return;
  const env = envOf(scope, st);
  const dom = domainOf(bound.args.get('dom')!, env);
  const value = dom && buildExpr(bound.args.get('binding')!, env, primDtype(dom.extent));
  const requested = strConst(bound.args.get('dtype'));
  if (dom && value) pushIter(frame, name, nameSpan, dom, kind, value, scope, requested);
}

function domainOf(e: PyExpr, env: ExprEnv): Range | undefined {
  if ((e.kind === 'Tuple' || e.kind === 'List') && e.elts.length === 2) {
    const hi = buildExpr(e.elts[1]!, env);
    const lo = hi && buildExpr(e.elts[0]!, env, primDtype(hi));
    return lo && hi ? { min: lo, extent: extentOf(lo, hi) } : undefined;
  }
  const extent = buildExpr(e, env);
  return extent && { min: intImm(0, primDtype(extent)), extent };
}

/** @internal `vi, vj, vk = T.axis.remap("SSR", [i, j, k])`: each var's domain is its loop's range. */
export function remapAssign(targets: readonly PyExpr[], call: PyCall, scope: TirScope, st: FuncState): void {
  const frame = currentFrame('T.axis.remap', call.span, st);
  const bound = bindArgs(call, ['kinds', 'bindings', 'dtype'], 'T.axis.remap', st.ctx.diags, 2);
  if (!frame || !bound) return;
  const kindsE = bound.args.get('kinds')!;
  const kinds = strConst(kindsE);
  if (kinds === undefined || !/^[SR]+$/.test(kinds)) {
    st.ctx.diags.error('T305', `T.axis.remap's kinds are a string of "S" (spatial) and "R" (reduce) letters. However, ${kinds === undefined ? 'a non-string' : `"${kinds}"`} was given.`, kindsE.span);
    return;
  }
  const bindE = bound.args.get('bindings')!;
  const binds = bindE.kind === 'List' || bindE.kind === 'Tuple' ? bindE.elts : [bindE];
  if (binds.length !== kinds.length || targets.length !== kinds.length) {
    st.ctx.diags.error('T305', `T.axis.remap binds one var per kind letter (${kinds.length} here). However, ${binds.length} binding(s) and ${targets.length} target(s) were given.`, call.span);
    return;
  }
  binds.forEach((b, i) => remapOne(targets[i]!, b, kinds[i] === 'S' ? 'spatial' : 'reduce', frame, scope, st));
}

function remapOne(target: PyExpr, b: PyExpr, kind: IterType, frame: BlockFrame, scope: TirScope, st: FuncState): void {
  const v = b.kind === 'Name' ? scope.lookup(b.id) : undefined;
  const dom = v?.kind === 'tir.Var' ? st.loopRanges.get(v) : undefined;
  if (!v && b.kind === 'Name') {
    buildExpr(b, envOf(scope, st)); // reports the undefined name
    return;
  }
  if (!dom || v?.kind !== 'tir.Var') {
    st.ctx.diags.error('T305', 'T.axis.remap binds block vars to enclosing loop vars. However, this binding is not a loop var.', b.span);
    return;
  }
  if (target.kind !== 'Name') {
    st.ctx.diags.error('T305', 'T.axis.remap assigns to plain names. However, a target is not a name.', target.span);
    return;
  }
  pushIter(frame, target.id, target.span, dom, kind, v, scope);
}

// ---------------------------------------------------------------- regions

function regionList(call: PyCall, env: ExprEnv): BufferRegion[] | undefined {
  const items = call.args.length === 1 && (call.args[0]!.kind === 'List' || (call.args[0]!.kind === 'Tuple' && call.args[0]!.parenthesized))
    ? (call.args[0] as Extract<PyExpr, { kind: 'List' | 'Tuple' }>).elts
    : call.args;
  const out = items.map((e) => regionOf(e, env));
  return out.some((r) => !r) ? undefined : (out as BufferRegion[]);
}

/** @internal A buffer region: `A` (whole), `A[i, j]` (points), `A[0:n, i]` (slices, `:` is the whole dim). */
export function regionOf(e: PyExpr, env: ExprEnv): BufferRegion | undefined {
  const buf = lookupBuffer(e.kind === 'Subscript' ? e.value : e, env);
  if (!buf) {
    const base = e.kind === 'Subscript' ? e.value : e;
    if (base.kind === 'Name' && !env.scope.lookup(base.id)) buildExpr(base, env);
    else env.ctx.diags.error('T302', 'A buffer region is a buffer, `A[i, j]` or `A[lo:hi, j]`. However, something else was given.', e.span);
    return undefined;
  }
  if (e.kind !== 'Subscript') return { buffer: buf, region: fullRegion(buf) };
  const idx = indexExprs(e.index);
  if (!checkRank(buf, idx.length, e.span, env)) return undefined;
  const region = idx.map((ix, d) => rangeOf(ix, buf.shape[d]!, env));
  return region.some((r) => !r) ? undefined : { buffer: buf, region: region as Range[] };
}

function fullRegion(buf: Buffer): Range[] {
  return buf.shape.map((s) => ({ min: intImm(0, primDtype(s)), extent: s }));
}

function rangeOf(ix: PyExpr, dim: PrimExpr, env: ExprEnv): Range | undefined {
  if (ix.kind !== 'Slice') {
    const p = buildExpr(ix, env);
    return p && { min: p, extent: intImm(1, primDtype(p)) };
  }
  const hi = ix.upper ? buildExpr(ix.upper, env) : dim;
  const lo = ix.lower ? hi && buildExpr(ix.lower, env, primDtype(hi)) : hi && intImm(0, primDtype(hi));
  return lo && hi ? { min: lo, extent: extentOf(lo, hi) } : undefined;
}

// ---------------------------------------------------------------- read/write inference

class AccessCollector {
  readonly reads = new Map<Buffer, Range[][]>();
  readonly writes = new Map<Buffer, Range[][]>();
  /** Vars bound inside the block body: loop vars with their range, other vars (lets, inner iter vars) null. */
  readonly inner = new Map<TirVar, Range | null>();
  constructor(readonly local: ReadonlySet<Buffer>) {}

  stmt(s: Stmt): void {
    switch (s.kind) {
      case 'tir.BufferStore': this.expr(s.value); s.indices.forEach((i) => this.expr(i)); this.add(this.writes, s.buffer, points(s.indices)); return;
      case 'tir.For': this.expr(s.min); this.expr(s.extent); this.inner.set(s.loopVar, { min: s.min, extent: s.extent }); this.stmt(s.body); return;
      case 'tir.LetStmt': this.expr(s.value); this.inner.set(s.v, null); this.stmt(s.body); return;
      case 'tir.IfThenElse': this.expr(s.cond); this.stmt(s.then); if (s.else) this.stmt(s.else); return;
      case 'tir.Evaluate': this.expr(s.value); return;
      case 'tir.SeqStmt': s.seq.forEach((x) => this.stmt(x)); return;
      case 'tir.AssertStmt': this.expr(s.cond); this.stmt(s.body); return;
      case 'tir.BlockRealize': this.nested(s); return;
    }
  }

  private nested(s: Extract<Stmt, { kind: 'tir.BlockRealize' }>): void {
    s.iterValues.forEach((v) => this.expr(v));
    for (const iv of s.block.iterVars) this.inner.set(iv.v, null);
    const own = new Set(s.block.allocBuffers);
    for (const r of s.block.reads) if (!own.has(r.buffer)) this.add(this.reads, r.buffer, [...r.region]);
    for (const w of s.block.writes) if (!own.has(w.buffer)) this.add(this.writes, w.buffer, [...w.region]);
  }

  expr(e: PrimExpr): void {
    forEachChild(e, (c) => this.expr(c));
    if (e.kind === 'tir.BufferLoad') this.add(this.reads, e.buffer, points(e.indices));
  }

  private add(m: Map<Buffer, Range[][]>, b: Buffer, region: Range[]): void {
    if (this.local.has(b)) return;
    const list = m.get(b) ?? [];
    list.push(region);
    m.set(b, list);
  }

  regions(m: Map<Buffer, Range[][]>): BufferRegion[] {
    return [...m].map(([buffer, list]) => ({ buffer, region: this.merge(buffer, list.map((r) => this.relax(buffer, r))) }));
  }

  private relax(buf: Buffer, region: Range[]): Range[] {
    return region.map((r, d) => {
      if (!this.mentionsInner(r.min) && !this.mentionsInner(r.extent)) return r;
      const loop = loopOffset(r, this.inner);
      return loop ?? { min: intImm(0, primDtype(buf.shape[d]!)), extent: buf.shape[d]! };
    });
  }

  private merge(buf: Buffer, regions: Range[][]): Range[] {
    const [first, ...rest] = regions;
    return first!.map((r, d) =>
      rest.every((o) => same(o[d]!.min, r.min) && same(o[d]!.extent, r.extent))
        ? r
        : { min: intImm(0, primDtype(buf.shape[d]!)), extent: buf.shape[d]! });
  }

  private mentionsInner(e: PrimExpr): boolean {
    if (e.kind === 'tir.Var') return this.inner.has(e);
    let found = false;
    forEachChild(e, (c) => { found ||= this.mentionsInner(c); });
    return found;
  }
}

/** A point index `v` or `base + v` over an inner loop var `v` (base free of inner vars) covers the loop's range. */
function loopOffset(r: Range, inner: ReadonlyMap<TirVar, Range | null>): Range | undefined {
  if (!(r.extent.kind === 'tir.IntImm' && r.extent.value === 1)) return undefined;
  const m = r.min;
  const loopOf = (e: PrimExpr) => (e.kind === 'tir.Var' ? inner.get(e) ?? undefined : undefined);
  const direct = loopOf(m);
  if (direct) return direct;
  if (m.kind === 'tir.Binary' && m.op === 'add' && !mentions(m.a, inner)) {
    const loop = loopOf(m.b);
    if (loop) return { min: isZero(loop.min) ? m.a : binary('add', m.a, loop.min), extent: loop.extent };
  }
  return undefined;
}

function isZero(e: PrimExpr): boolean {
  return e.kind === 'tir.IntImm' && e.value === 0;
}

function mentions(e: PrimExpr, vars: ReadonlyMap<TirVar, unknown>): boolean {
  if (e.kind === 'tir.Var') return vars.has(e);
  let found = false;
  forEachChild(e, (c) => { found ||= mentions(c, vars); });
  return found;
}

function points(indices: readonly PrimExpr[]): Range[] {
  return indices.map((i) => ({ min: i, extent: intImm(1, primDtype(i)) }));
}

function forEachChild(e: PrimExpr, f: (c: PrimExpr) => void): void {
  switch (e.kind) {
    case 'tir.Binary': f(e.a); f(e.b); return;
    case 'tir.Not': f(e.a); return;
    case 'tir.Select': f(e.cond); f(e.t); f(e.f); return;
    case 'tir.Cast': f(e.value); return;
    case 'tir.Call': e.args.forEach(f); return;
    case 'tir.BufferLoad': e.indices.forEach(f); return;
    case 'tir.Let': f(e.value); f(e.body); return;
    default: return;
  }
}

function inferAccess(frame: BlockFrame, body: Stmt): { reads: BufferRegion[]; writes: BufferRegion[] } {
  const c = new AccessCollector(new Set([...frame.allocs, ...frame.matchBuffers.map((m) => m.buffer)]));
  if (frame.init) c.stmt(frame.init);
  c.stmt(body);
  const reads = c.regions(c.reads);
  for (const m of frame.matchBuffers) if (!c.reads.has(m.source.buffer)) reads.push(m.source);
  return { reads, writes: c.regions(c.writes) };
}
