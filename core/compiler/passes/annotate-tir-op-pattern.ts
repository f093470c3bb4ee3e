/**
 * AnnotateTIROpPattern: every PrimFunc gains `"op_pattern"` in its `T.func_attr`, the fusion kind FuseOps reads.
 * The kinds are TVM's (`OpPatternKind`): 0 elemwise, 1 broadcast, 2 injective, 3 comm-reduce, 4 out-elemwise-fusable
 * (matmul/conv-like: a reduction that an element-wise epilogue may follow), 8 opaque.
 *
 * Preconditions: none; kernels are expected in the block form LegalizeOps makes (one BufferStore per block, spatial
 * then reduce iter vars, `T.init` for reductions), anything else comes out opaque.
 * Analysis (TVM's `PatternKindAnalyzer`), per non-root block, from its single store and the loads of its body:
 *   - each load is classified against the store: elemwise (same indices, same shape), broadcast (load indices are an
 *     in-order subset of the store's, unit dims at 0 skipped), injective (load indices use only store index vars),
 *     else the block is not an index pattern; the block's kind is the worst pair, except that broadcast loads next
 *     to an elemwise one keep the block elemwise (`C[i, j] = A[i, j] + B[j]`);
 *   - a block that is no index pattern but has reduce iter vars is a reduction: an FMA update (`C += A * B`, matmul,
 *     conv) or a load indexed by an expression of a reduce var (pooling) is out-elemwise-fusable, otherwise
 *     comm-reduce; without reduce vars it is opaque;
 *   - the function's kind is the max over blocks, except that an index-pattern block writing a parameter after a
 *     reduction makes the function out-elemwise-fusable (softmax).
 * A function with no blocks (hand-written loops) is opaque. An existing non-zero `op_pattern` is kept (TVM).
 * Left to others: FuseOps decides what fuses from these kinds.
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type { Block, Buffer, BufferLoad, BufferStore, PrimExpr, PrimFunc, Stmt, TirVar } from '../../ir/tir/nodes.js';
import { intImm } from '../../ir/tir/nodes.js';
import { attrDict, attrGet, attrInt, attrSet } from '../../ir/attrs.js';
import { primChildren, tirExprVars } from '../../ir/relax/visit.js';
import type { Pass } from '../pass.js';

/** TVM's `OpPatternKind` values. */
export const OpPattern = {
  ElemWise: 0,
  Broadcast: 1,
  Injective: 2,
  CommReduce: 3,
  OutEWiseFusable: 4,
  Tuple: 7,
  Opaque: 8,
} as const;

/** The pass. */
export function annotateTIROpPattern(): Pass {
  return { name: 'AnnotateTIROpPattern', run: (mod) => annotateModule(mod) };
}

function annotateModule(mod: IRModule): IRModule {
  let changed = false;
  const out = new Map<string, BaseFunc>();
  for (const [name, f] of mod.functions) {
    const g = f.kind === 'tir.PrimFunc' ? annotate(f) : f;
    changed ||= g !== f;
    out.set(name, g);
  }
  if (!changed) return mod;
  return irModule(mod.name, out, {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
    ...(mod.span ? { span: mod.span } : {}),
  });
}

function annotate(f: PrimFunc): PrimFunc {
  const existing = attrInt(attrGet(f.attrs, 'op_pattern'));
  if (existing !== undefined && existing !== 0) return f;
  const kind = analyzeOpPattern(f);
  if (existing === kind) return f;
  return { ...f, attrs: attrSet(f.attrs ?? attrDict([]), 'op_pattern', intImm(kind)) };
}

/** The op pattern of a PrimFunc's attrs when set, else undefined. */
export function opPatternOf(f: PrimFunc): number | undefined {
  return attrInt(attrGet(f.attrs, 'op_pattern'));
}

/** Classifies a PrimFunc (see the header): one of `OpPattern`'s values. */
export function analyzeOpPattern(f: PrimFunc): number {
  const params = new Set<Buffer>(f.bufferMap.values());
  const blocks: Block[] = [];
  collectBlocks(f.body, blocks);
  if (blocks.length === 0) return OpPattern.Opaque;
  let kind: number = OpPattern.ElemWise;
  for (const b of blocks) {
    kind = blockKind(b, kind, params);
    if (kind === OpPattern.Opaque) return kind;
  }
  return kind;
}

/** Non-root blocks in program order (a root block's children are visited, the root itself is not counted). */
function collectBlocks(s: Stmt, out: Block[]): void {
  switch (s.kind) {
    case 'tir.BlockRealize':
      if (!isRoot(s.block)) out.push(s.block);
      else collectBlocks(s.block.body, out);
      return;
    case 'tir.SeqStmt':
      s.seq.forEach((x) => collectBlocks(x, out));
      return;
    case 'tir.For':
    case 'tir.LetStmt':
    case 'tir.AssertStmt':
      collectBlocks(s.body, out);
      return;
    case 'tir.IfThenElse':
      collectBlocks(s.then, out);
      if (s.else) collectBlocks(s.else, out);
      return;
    default:
      return;
  }
}

function isRoot(b: Block): boolean {
  return b.name === 'root' && b.iterVars.length === 0;
}

interface Accesses {
  stores: BufferStore[];
  loads: BufferLoad[];
  nested: boolean;
}

function accessesOf(s: Stmt, acc: Accesses): void {
  switch (s.kind) {
    case 'tir.BufferStore':
      acc.stores.push(s);
      s.indices.forEach((i) => loadsOf(i, acc.loads));
      loadsOf(s.value, acc.loads);
      return;
    case 'tir.BlockRealize':
      acc.nested = true;
      return;
    case 'tir.SeqStmt':
      s.seq.forEach((x) => accessesOf(x, acc));
      return;
    case 'tir.For':
    case 'tir.LetStmt':
    case 'tir.AssertStmt':
      accessesOf(s.body, acc);
      return;
    case 'tir.IfThenElse':
      loadsOf(s.cond, acc.loads);
      accessesOf(s.then, acc);
      if (s.else) accessesOf(s.else, acc);
      return;
    case 'tir.Evaluate':
      loadsOf(s.value, acc.loads);
      return;
  }
}

function loadsOf(e: PrimExpr, out: BufferLoad[]): void {
  if (e.kind === 'tir.BufferLoad') out.push(e);
  for (const c of primChildren(e)) loadsOf(c, out);
}

/** The running function kind after one block. */
function blockKind(b: Block, kind: number, params: ReadonlySet<Buffer>): number {
  const acc: Accesses = { stores: [], loads: [], nested: false };
  accessesOf(b.body, acc);
  const store = acc.stores[0];
  if (acc.nested || !store) return OpPattern.Opaque;
  if (acc.stores.some((s) => s.buffer !== store.buffer || !sameIndices(s.indices, store.indices))) return OpPattern.Opaque;
  const pair = indexPattern(store, acc.loads);
  if (pair !== OpPattern.Opaque) {
    if (kind === OpPattern.CommReduce && params.has(store.buffer)) return OpPattern.OutEWiseFusable;
    return Math.max(kind, pair);
  }
  const reduceVars = b.iterVars.filter((iv) => iv.iterType === 'reduce').map((iv) => iv.v);
  if (reduceVars.length === 0) return OpPattern.Opaque;
  if (isFMA(b.body)) return Math.max(kind, OpPattern.OutEWiseFusable);
  if (acc.loads.some((l) => !isPureReduce(reduceVars, l.indices))) return Math.max(kind, OpPattern.OutEWiseFusable);
  return Math.max(kind, OpPattern.CommReduce);
}

/** The worst load/store index relation of a block; broadcast next to an elemwise load counts as elemwise. */
function indexPattern(store: BufferStore, loads: readonly BufferLoad[]): number {
  let kind: number = OpPattern.ElemWise;
  let hasElemwise = false;
  for (const load of loads) {
    if (isElemwise(store, load)) hasElemwise = true;
    else if (isBroadcast(store, load)) kind = Math.max(kind, OpPattern.Broadcast);
    else if (isInjective(store, load)) kind = Math.max(kind, OpPattern.Injective);
    else return OpPattern.Opaque;
  }
  return kind === OpPattern.Broadcast && hasElemwise ? OpPattern.ElemWise : kind;
}

/** Expression equality where vars and buffers are compared by identity (TVM's ExprDeepEqual), spans ignored. */
export function sameExpr(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameExpr(x, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if (x['kind'] !== y['kind'] || x['kind'] === 'tir.Var' || x['kind'] === 'tir.Buffer') return false;
  const keys = Object.keys(x).filter((k) => k !== 'span' && x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => k !== 'span' && y[k] !== undefined).length) return false;
  return keys.every((k) => sameExpr(x[k], y[k]));
}

function sameIndices(a: readonly PrimExpr[], b: readonly PrimExpr[]): boolean {
  return a.length === b.length && a.every((x, i) => sameExpr(x, b[i]!));
}

function isElemwise(store: BufferStore, load: BufferLoad): boolean {
  const ls = load.buffer.shape;
  const ss = store.buffer.shape;
  if (ls.length !== ss.length || load.indices.length !== store.indices.length) return false;
  return ls.every((d, i) => sameExpr(d, ss[i]!) && sameExpr(load.indices[i]!, store.indices[i]!));
}

function isConstInt(e: PrimExpr | undefined, v: number): boolean {
  return e?.kind === 'tir.IntImm' && e.value === v;
}

function isBroadcast(store: BufferStore, load: BufferLoad): boolean {
  let j = 0;
  for (let i = 0; i < load.indices.length; i++) {
    if (isConstInt(load.buffer.shape[i], 1) && isConstInt(load.indices[i], 0)) continue;
    while (j < store.indices.length && !sameExpr(store.indices[j]!, load.indices[i]!)) j++;
    if (j === store.indices.length) return false;
  }
  return true;
}

function isInjective(store: BufferStore, load: BufferLoad): boolean {
  const vars = new Set<TirVar>();
  for (const ix of store.indices) {
    if (ix.kind !== 'tir.Var') return false;
    vars.add(ix);
  }
  return load.indices.every((ix) => tirExprVars(ix).every((v) => vars.has(v)));
}

/** `C[...] = C[...] + A[...] * B[...]` where A and B each leave some store index unused (TVM's IsFMA). */
function isFMA(body: Stmt): boolean {
  if (body.kind !== 'tir.BufferStore') return false;
  const v = body.value;
  if (v.kind !== 'tir.Binary' || v.op !== 'add') return false;
  const acc = v.a;
  const mul = v.b;
  if (acc.kind !== 'tir.BufferLoad' || mul.kind !== 'tir.Binary' || mul.op !== 'mul') return false;
  if (acc.buffer !== body.buffer || !sameIndices(acc.indices, body.indices)) return false;
  const l = mul.a;
  const r = mul.b;
  if (l.kind !== 'tir.BufferLoad' || r.kind !== 'tir.BufferLoad') return false;
  return allowsReuse(body, l) && allowsReuse(body, r);
}

function allowsReuse(store: BufferStore, load: BufferLoad): boolean {
  const vars = new Set<TirVar>();
  for (const ix of store.indices) {
    if (ix.kind !== 'tir.Var') return false;
    vars.add(ix);
  }
  for (const ix of load.indices) for (const v of tirExprVars(ix)) vars.delete(v);
  return vars.size > 0;
}

/** Every index that uses a reduce var is exactly that var (a plain reduction, not a window). */
function isPureReduce(reduceVars: readonly TirVar[], indices: readonly PrimExpr[]): boolean {
  return indices.every((ix) => {
    const used = tirExprVars(ix).filter((v) => reduceVars.includes(v));
    return used.length === 0 || (ix.kind === 'tir.Var' && used.length === 1);
  });
}
