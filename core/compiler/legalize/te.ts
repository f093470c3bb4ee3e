/**
 * A small tensor-expression builder, in the spirit of TVM's TE: describe each output element as an expression of
 * its indices (`compute`), with reductions (`sum`, `max`, ...) over reduce axes, then lower the whole thing to one
 * block-style TIR PrimFunc that keeps symbolic shapes (`primFunc`). LegalizeOps writes every op with it.
 *
 * Lowering, per compute stage in definition order:
 *   for ax0, ax1, k in T.grid(...):
 *       with T.sblock("<stage>"):
 *           v_ax0, v_ax1, v_k = T.axis.remap("SSR", [ax0, ax1, k])
 *           T.reads(...); T.writes(<stage>[v_ax0, v_ax1])
 *           with T.init(): <stage>[v_ax0, v_ax1] = <identity>
 *           <stage>[v_ax0, v_ax1] = <combine>(<stage>[v_ax0, v_ax1], <value>)
 * Stages that are not parameters become root-level allocated buffers (intermediates stay in the kernel).
 */
import type {
  Block, BlockRealize, Buffer, BufferRegion, IterVar, PrimExpr, PrimFunc, Range, Stmt, TirVar,
} from '../../ir/tir/nodes.js';
import { binary, boolImm, floatImm, intImm, isFloatDtype, tvar } from '../../ir/tir/nodes.js';
import { attrDict } from '../../ir/attrs.js';

export interface ReduceAxis {
  readonly v: TirVar;
  readonly min: PrimExpr;
  readonly extent: PrimExpr;
}

export type Combiner = 'sum' | 'prod' | 'max' | 'min';

/** A reduction: `combine` over `axes` of `value`, starting from the combiner's identity (or `init`). */
export interface Reduce {
  readonly kind: 'te.Reduce';
  readonly combiner: Combiner;
  readonly value: PrimExpr;
  readonly axes: readonly ReduceAxis[];
  readonly init?: PrimExpr;
}

export interface TeTensor {
  readonly name: string;
  readonly shape: readonly PrimExpr[];
  readonly dtype: string;
  readonly buffer: Buffer;
  /** Undefined for placeholders. */
  readonly stage?: Stage;
}

interface Stage {
  readonly axes: readonly TirVar[];
  readonly body: PrimExpr | Reduce;
}

/** Which tensor owns a buffer, so lowering can find the stages an expression reads. */
const TENSOR_OF = new WeakMap<Buffer, TeTensor>();

function makeBuffer(name: string, shape: readonly PrimExpr[], dtype: string): Buffer {
  return { kind: 'tir.Buffer', name, dtype, shape, strides: [], scope: 'global' };
}

function track(t: TeTensor): TeTensor {
  TENSOR_OF.set(t.buffer, t);
  return t;
}

/** An input tensor of the kernel. */
export function placeholder(shape: readonly PrimExpr[], dtype: string, name: string): TeTensor {
  return track({ name, shape, dtype, buffer: makeBuffer(name, shape, dtype) });
}

/** The element of `t` at `indices` (a BufferLoad). */
export function load(t: TeTensor, indices: readonly PrimExpr[]): PrimExpr {
  return { kind: 'tir.BufferLoad', buffer: t.buffer, indices, dtype: t.dtype };
}

/** A reduce axis over [min, min + extent). */
export function reduceAxis(extent: PrimExpr, name = 'k', min: PrimExpr = intImm(0)): ReduceAxis {
  return { v: tvar(name, 'int64'), min, extent };
}

export function sum(value: PrimExpr, axes: readonly ReduceAxis[], init?: PrimExpr): Reduce {
  return { kind: 'te.Reduce', combiner: 'sum', value, axes, ...(init ? { init } : {}) };
}
export function prod(value: PrimExpr, axes: readonly ReduceAxis[]): Reduce {
  return { kind: 'te.Reduce', combiner: 'prod', value, axes };
}
export function max(value: PrimExpr, axes: readonly ReduceAxis[]): Reduce {
  return { kind: 'te.Reduce', combiner: 'max', value, axes };
}
export function min(value: PrimExpr, axes: readonly ReduceAxis[]): Reduce {
  return { kind: 'te.Reduce', combiner: 'min', value, axes };
}

/**
 * A computed tensor: `fn` receives one index var per output axis (named `v_ax0`, ... or `axisNames`) and returns the
 * element (or a Reduce). The result's dtype is the expression's.
 */
export function compute(
  shape: readonly PrimExpr[],
  fn: (...indices: TirVar[]) => PrimExpr | Reduce,
  name: string,
  opts: { axisNames?: readonly string[]; dtype?: string } = {},
): TeTensor {
  const axes = shape.map((_, i) => tvar(`v_${opts.axisNames?.[i] ?? `ax${i}`}`, 'int64'));
  const body = fn(...axes);
  const dtype = opts.dtype ?? (body.kind === 'te.Reduce' ? exprDtype(body.value) : exprDtype(body));
  return track({ name, shape, dtype, buffer: makeBuffer(name, shape, dtype), stage: { axes, body } });
}

function exprDtype(e: PrimExpr): string {
  return e.kind === 'tir.StringImm' ? 'handle' : e.dtype;
}

/** The identity of a combiner in `dtype`. */
export function identity(c: Combiner, dtype: string): PrimExpr {
  const lit = (v: number): PrimExpr => (isFloatDtype(dtype) ? floatImm(v, dtype) : intImm(v, dtype));
  switch (c) {
    case 'sum':
      return lit(0);
    case 'prod':
      return lit(1);
    case 'max':
      return lowest(dtype);
    case 'min':
      return highest(dtype);
  }
}

/** The most negative finite value of a dtype (TVM's `min_value`). */
export function lowest(dtype: string): PrimExpr {
  if (dtype === 'bool') return boolImm(false);
  if (isFloatDtype(dtype)) return floatImm(dtype === 'float16' ? -65504 : dtype === 'float64' ? -Number.MAX_VALUE : -3.4028234663852886e38, dtype);
  const m = /^(u?)int(\d+)$/.exec(dtype);
  const bits = Number(m?.[2] ?? 32);
  return intImm(m?.[1] ? 0 : -(2 ** (bits - 1)), dtype);
}

/** The largest finite value of a dtype (TVM's `max_value`). */
export function highest(dtype: string): PrimExpr {
  if (dtype === 'bool') return boolImm(true);
  if (isFloatDtype(dtype)) return floatImm(dtype === 'float16' ? 65504 : dtype === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38, dtype);
  const m = /^(u?)int(\d+)$/.exec(dtype);
  const bits = Number(m?.[2] ?? 32);
  return intImm(m?.[1] ? 2 ** bits - 1 : 2 ** (bits - 1) - 1, dtype);
}

function combine(c: Combiner, acc: PrimExpr, v: PrimExpr): PrimExpr {
  switch (c) {
    case 'sum':
      return binary('add', acc, v);
    case 'prod':
      return binary('mul', acc, v);
    case 'max':
      return binary('max', acc, v);
    case 'min':
      return binary('min', acc, v);
  }
}

// ---------------------------------------------------------------- lowering

/** Collects the BufferLoads of an expression, for T.reads. */
function readRegions(e: PrimExpr, out: Map<Buffer, PrimExpr[][]>): void {
  switch (e.kind) {
    case 'tir.BufferLoad':
      (out.get(e.buffer) ?? out.set(e.buffer, []).get(e.buffer)!).push([...e.indices]);
      e.indices.forEach((i) => readRegions(i, out));
      return;
    case 'tir.Binary':
      readRegions(e.a, out);
      readRegions(e.b, out);
      return;
    case 'tir.Not':
    case 'tir.Cast':
      readRegions(e.kind === 'tir.Not' ? e.a : e.value, out);
      return;
    case 'tir.Select':
      [e.cond, e.t, e.f].forEach((x) => readRegions(x, out));
      return;
    case 'tir.Call':
      e.args.forEach((x) => readRegions(x, out));
      return;
    case 'tir.Let':
      readRegions(e.value, out);
      readRegions(e.body, out);
      return;
    default:
      return;
  }
}

/** One region per buffer: the access itself when there is one, else the whole buffer. */
function regionsOf(e: PrimExpr, exclude?: Buffer): BufferRegion[] {
  const m = new Map<Buffer, PrimExpr[][]>();
  readRegions(e, m);
  const out: BufferRegion[] = [];
  for (const [buf, accesses] of m) {
    if (buf === exclude) continue;
    const first = accesses[0]!;
    const same = accesses.every((a) => a.length === first.length && a.every((x, i) => x === first[i]));
    const region: Range[] = same
      ? first.map((ix) => ({ min: ix, extent: intImm(1) }))
      : buf.shape.map((d) => ({ min: intImm(0), extent: d }));
    out.push({ buffer: buf, region });
  }
  return out;
}

function point(buffer: Buffer, indices: readonly PrimExpr[]): BufferRegion {
  return { buffer, region: indices.map((ix) => ({ min: ix, extent: intImm(1) })) };
}

function lowerStage(t: TeTensor, blockName: string): Stmt {
  const st = t.stage!;
  const reduce = st.body.kind === 'te.Reduce' ? st.body : undefined;
  const raxes = reduce?.axes ?? [];
  const loopVars = [...st.axes.map((a) => tvar(a.name.replace(/^v_/, ''), 'int64')), ...raxes.map((r) => tvar(r.v.name, 'int64'))];
  const iterVars: IterVar[] = [
    ...st.axes.map((v, i) => ({ v, dom: { min: intImm(0), extent: t.shape[i]! }, iterType: 'spatial' as const })),
    ...raxes.map((r) => ({ v: renameIter(r.v), dom: { min: r.min, extent: r.extent }, iterType: 'reduce' as const })),
  ];
  const rename = new Map<TirVar, TirVar>(raxes.map((r, i) => [r.v, iterVars[st.axes.length + i]!.v]));
  const out = load(t, st.axes);
  let body: Stmt;
  let init: Stmt | undefined;
  let reads: BufferRegion[];
  if (reduce) {
    const value = substVars(reduce.value, rename);
    init = { kind: 'tir.BufferStore', buffer: t.buffer, indices: st.axes, value: reduce.init ?? identity(reduce.combiner, t.dtype) };
    body = { kind: 'tir.BufferStore', buffer: t.buffer, indices: st.axes, value: combine(reduce.combiner, out, value) };
    reads = regionsOf(value, t.buffer);
  } else {
    const value = st.body as PrimExpr;
    body = { kind: 'tir.BufferStore', buffer: t.buffer, indices: st.axes, value };
    reads = regionsOf(value);
  }
  const block: Block = {
    kind: 'tir.Block',
    name: blockName,
    iterVars,
    reads,
    writes: [point(t.buffer, st.axes)],
    ...(init ? { init } : {}),
    allocBuffers: [],
    matchBuffers: [],
    body,
  };
  const realize: BlockRealize = { kind: 'tir.BlockRealize', iterValues: loopVars, predicate: boolImm(true), block };
  let stmt: Stmt = realize;
  const extents = [...t.shape, ...raxes.map((r) => r.extent)];
  const mins = [...t.shape.map(() => intImm(0)), ...raxes.map((r) => r.min)];
  for (let i = loopVars.length - 1; i >= 0; i--)
    stmt = { kind: 'tir.For', loopVar: loopVars[i]!, min: mins[i]!, extent: extents[i]!, forKind: 'serial', body: stmt };
  // A reduce axis with a non-zero min iterates from that min; the iter var binds to the loop var directly.
  return stmt;
}

/** A block name unique in its PrimFunc, as TVM's CreatePrimFunc makes them: `T_split`, `T_split_1`, ... */
function uniqueName(name: string, earlier: readonly string[]): string {
  const k = earlier.filter((n) => n === name).length;
  return k === 0 ? name : `${name}_${k}`;
}

function renameIter(v: TirVar): TirVar {
  return tvar(`v_${v.name}`, v.dtype);
}

/** Replaces vars in an expression (reduce axis vars by their block iter vars). */
export function substVars(e: PrimExpr, m: ReadonlyMap<TirVar, PrimExpr>): PrimExpr {
  if (m.size === 0) return e;
  const go = (x: PrimExpr): PrimExpr => {
    switch (x.kind) {
      case 'tir.Var':
        return m.get(x) ?? x;
      case 'tir.Binary':
        return { ...x, a: go(x.a), b: go(x.b) };
      case 'tir.Not':
        return { ...x, a: go(x.a) };
      case 'tir.Select':
        return { ...x, cond: go(x.cond), t: go(x.t), f: go(x.f) };
      case 'tir.Cast':
        return { ...x, value: go(x.value) };
      case 'tir.Call':
        return { ...x, args: x.args.map(go) };
      case 'tir.BufferLoad':
        return { ...x, indices: x.indices.map(go) };
      case 'tir.Let':
        return { ...x, value: go(x.value), body: go(x.body) };
      default:
        return x;
    }
  };
  return go(e);
}

/** Stages reachable from the outputs, in dependency order. */
function stagesOf(outputs: readonly TeTensor[]): TeTensor[] {
  const order: TeTensor[] = [];
  const seen = new Set<TeTensor>();
  const visit = (t: TeTensor): void => {
    if (seen.has(t) || !t.stage) return;
    seen.add(t);
    const m = new Map<Buffer, PrimExpr[][]>();
    const b = t.stage.body;
    readRegions(b.kind === 'te.Reduce' ? b.value : b, m);
    if (b.kind === 'te.Reduce' && b.init) readRegions(b.init, m);
    for (const buf of m.keys()) {
      const dep = TENSOR_OF.get(buf);
      if (dep) visit(dep);
    }
    order.push(t);
  };
  outputs.forEach(visit);
  return order;
}

/**
 * Lowers tensors to a PrimFunc. `params` are the kernel's buffer parameters in order (inputs, then outputs);
 * `scalars` are extra scalar parameters (symbolic ints passed as `T.int64`). Every stage an output reads that
 * is not itself a parameter becomes a root-level allocated buffer.
 */
export function primFunc(params: readonly TeTensor[], opts: { scalars?: readonly TirVar[] } = {}): PrimFunc {
  const stages = stagesOf(params.filter((p) => p.stage));
  const paramSet = new Set(params.map((p) => p.buffer));
  const allocs = stages.filter((s) => !paramSet.has(s.buffer)).map((s) => s.buffer);
  const handles = params.map((p) => tvar(`var_${p.name}`, 'handle'));
  const scalars = opts.scalars ?? [];
  const stmts = stages.map((t, i, all) => lowerStage(t, uniqueName(t.name, all.slice(0, i).map((x) => x.name))));
  const inner: Stmt = stmts.length === 1 ? stmts[0]! : { kind: 'tir.SeqStmt', seq: stmts };
  const root: Block = {
    kind: 'tir.Block', name: 'root', iterVars: [], reads: [], writes: [], allocBuffers: allocs, matchBuffers: [], body: inner,
  };
  return {
    kind: 'tir.PrimFunc',
    params: [...handles, ...scalars],
    bufferMap: new Map(handles.map((h, i) => [h, params[i]!.buffer])),
    body: { kind: 'tir.BlockRealize', iterValues: [], predicate: boolImm(true), block: root },
    attrs: attrDict([['tir.noalias', true]]),
    isPrivate: true,
  };
}
