/**
 * TIR PrimFunc -> gpu.js kernels. Two steps:
 *
 * 1. `analyzePrimFunc` (once per PrimFunc) checks the function has the shape LegalizeOps and FuseTIR produce (a root
 *    block with allocated buffers around one loop nest per stage; each stage one block whose spatial iter vars index
 *    its output and whose reduce iter vars are loops, with `T.init`) and returns a `KernelPlan`, or throws
 *    `GpuUnsupported` with the reason the kernel must run on the JavaScript reference instead: a store that is not
 *    at the thread's own index (scatter), integer or float16/float64 results (gpu.js computes in float32), loops
 *    inside blocks or data-dependent loop bounds, match_buffer, a buffer written by two stages.
 * 2. `specializeStage` (once per stage and concrete binding of the symbolic vars) writes the gpu.js kernel source
 *    with every shape baked in as a literal: spatial iter vars read `this.thread.x/y/z` (x the innermost output
 *    axis; outputs above 3-D, and every output in `flat` layout, use one thread axis and index arithmetic),
 *    reductions are loops from the `T.init` value, and every buffer argument is a flat 1-D array indexed row-major.
 *
 * The stages of one PrimFunc run in order as separate kernels; allocated buffers are the device intermediates.
 */
import type { Block, BlockRealize, Buffer, For, PrimExpr, PrimFunc, Stmt, TirVar } from '../ir/tir/nodes.js';
import type { EmitScope } from './emitter.js';
import { ExprEmitter, GpuUnsupported, floatLit, intLit } from './emitter.js';

/** One spatial axis of a stage's output: the iter var that indexes output dim `dim`. */
export interface SpatialAxis {
  readonly v: TirVar;
  readonly loop: For;
}

/** One reduce loop of a stage, outermost first. */
export interface ReduceLoop {
  readonly v: TirVar;
  readonly loopVar: TirVar;
  readonly min: PrimExpr;
  readonly extent: PrimExpr;
}

/** One block: a kernel computing every element of `out`. */
export interface Stage {
  readonly name: string;
  readonly out: Buffer;
  /** Per output dim, in order. */
  readonly spatial: readonly SpatialAxis[];
  readonly reduce: readonly ReduceLoop[];
  readonly init?: PrimExpr;
  /** The stored value; loads of `out` at the thread's own index are the accumulator. */
  readonly value: PrimExpr;
  /** Buffers the stage reads (its own output only when it reads the previous value). */
  readonly reads: readonly Buffer[];
}

export interface KernelPlan {
  readonly func: PrimFunc;
  readonly stages: readonly Stage[];
  /** Param index -> buffer, for buffer params. */
  readonly buffers: ReadonlyMap<number, Buffer>;
  /** Param index -> var, for scalar params. */
  readonly scalars: ReadonlyMap<number, TirVar>;
  readonly allocs: readonly Buffer[];
}

const SUPPORTED_OUT = new Set(['float32', 'bool']);
const SUPPORTED_IN = new Set(['float32', 'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);

// ---------------------------------------------------------------- analysis

/** Checks a PrimFunc and lists its stages; throws GpuUnsupported with the reason when gpu.js cannot run it. */
export function analyzePrimFunc(func: PrimFunc): KernelPlan {
  const buffers = new Map<number, Buffer>();
  const scalars = new Map<number, TirVar>();
  func.params.forEach((p, i) => {
    const b = func.bufferMap.get(p);
    if (b) buffers.set(i, b);
    else scalars.set(i, p);
  });
  let body = func.body;
  let allocs: readonly Buffer[] = [];
  if (body.kind === 'tir.BlockRealize' && body.block.iterVars.length === 0) {
    const root = body.block;
    if (root.matchBuffers.length) throw new GpuUnsupported('T.match_buffer regions');
    if (root.init) throw new GpuUnsupported('an init in the root block');
    allocs = root.allocBuffers;
    body = root.body;
  }
  const stmts = body.kind === 'tir.SeqStmt' ? body.seq : [body];
  const stages = stmts.map(stageOf);
  const written = new Set<Buffer>();
  for (const s of stages) {
    if (written.has(s.out)) throw new GpuUnsupported(`buffer ${s.out.name} is written by more than one block`);
    written.add(s.out);
    if (!SUPPORTED_OUT.has(s.out.dtype))
      throw new GpuUnsupported(`block "${s.name}" stores ${s.out.dtype} values: gpu.js computes in float32, which cannot give exact ${s.out.dtype} results`);
    for (const r of s.reads) if (!SUPPORTED_IN.has(r.dtype)) throw new GpuUnsupported(`buffer ${r.name} is ${r.dtype}, which gpu.js (float32) cannot read exactly`);
  }
  const defined = new Set<Buffer>([...buffers.values(), ...allocs]);
  for (const s of stages) for (const b of [s.out, ...s.reads]) if (!defined.has(b)) throw new GpuUnsupported(`buffer ${b.name} is not a parameter or a root allocation`);
  return { func, stages, buffers, scalars, allocs };
}

function stageOf(s: Stmt): Stage {
  const loops: For[] = [];
  let cur = s;
  while (cur.kind === 'tir.For') {
    if (cur.forKind === 'thread_binding') throw new GpuUnsupported('thread-bound loops');
    loops.push(cur);
    cur = cur.body;
  }
  if (cur.kind === 'tir.BlockRealize') return blockStage(cur, loops);
  if (cur.kind === 'tir.BufferStore') return plainStage(cur.buffer, cur.indices, cur.value, loops, cur.buffer.name);
  throw new GpuUnsupported(`a ${cur.kind.replace('tir.', '')} where a loop nest around one block is expected`);
}

/** A loop nest with a bare store at its own loop vars (hand-written TIR without blocks). */
function plainStage(out: Buffer, indices: readonly PrimExpr[], value: PrimExpr, loops: readonly For[], name: string): Stage {
  const spatial = indices.map((ix) => {
    const loop = loops.find((l) => l.loopVar === ix);
    if (!loop) throw new GpuUnsupported(`the store to ${out.name} is not at the thread's own index`);
    return { v: loop.loopVar, loop };
  });
  if (spatial.length !== loops.length) throw new GpuUnsupported(`the store to ${out.name} runs inside a loop that is not one of its indices`);
  return { name, out, spatial, reduce: [], value, reads: readsOf(value, out, spatial.map((a) => a.v)) };
}

function blockStage(r: BlockRealize, loops: readonly For[]): Stage {
  const b: Block = r.block;
  if (!(r.predicate.kind === 'tir.IntImm' && r.predicate.value === 1)) throw new GpuUnsupported(`block "${b.name}" has a predicate`);
  if (b.matchBuffers.length) throw new GpuUnsupported(`block "${b.name}" uses T.match_buffer`);
  if (b.allocBuffers.length) throw new GpuUnsupported(`block "${b.name}" allocates buffers`);
  if (b.body.kind !== 'tir.BufferStore') throw new GpuUnsupported(`block "${b.name}" has a ${b.body.kind.replace('tir.', '')} body (one store per block is what gpu.js kernels express)`);
  const loopOf = new Map<TirVar, For>();
  b.iterVars.forEach((iv, i) => {
    const val = r.iterValues[i]!;
    const loop = loops.find((l) => l.loopVar === val);
    if (!loop) throw new GpuUnsupported(`block "${b.name}" binds ${iv.v.name} to an expression, not a loop`);
    if (iv.iterType !== 'spatial' && iv.iterType !== 'reduce') throw new GpuUnsupported(`block "${b.name}" has a ${iv.iterType} iter var`);
    loopOf.set(iv.v, loop);
  });
  if (loopOf.size !== loops.length || new Set(loopOf.values()).size !== loops.length)
    throw new GpuUnsupported(`block "${b.name}" is not bound one-to-one to its loops`);
  const store = b.body;
  const spatialVars = b.iterVars.filter((iv) => iv.iterType === 'spatial').map((iv) => iv.v);
  const spatial = store.indices.map((ix) => {
    if (ix.kind !== 'tir.Var' || !spatialVars.includes(ix)) throw new GpuUnsupported(`block "${b.name}" stores to ${store.buffer.name} not at the thread's own index (a scatter)`);
    return { v: ix, loop: loopOf.get(ix)! };
  });
  if (new Set(spatial.map((a) => a.v)).size !== spatialVars.length || spatial.length !== spatialVars.length)
    throw new GpuUnsupported(`block "${b.name}" does not index its output with each spatial iter var once`);
  // Reduce loops in loop order (outermost first), iterating the loop's range under the iter var's name.
  const reduceVars = new Set(b.iterVars.filter((iv) => iv.iterType === 'reduce').map((iv) => iv.v));
  const reduce: ReduceLoop[] = [];
  for (const l of loops) {
    const iv = [...loopOf].find(([, lp]) => lp === l)![0];
    if (reduceVars.has(iv)) reduce.push({ v: iv, loopVar: l.loopVar, min: l.min, extent: l.extent });
  }
  for (const l of loops) {
    for (const x of [l.min, l.extent]) if (hasLoad(x)) throw new GpuUnsupported(`block "${b.name}" has a data-dependent loop bound`);
  }
  let init: PrimExpr | undefined;
  if (b.init) {
    if (b.init.kind !== 'tir.BufferStore' || b.init.buffer !== store.buffer || !sameIndices(b.init.indices, store.indices))
      throw new GpuUnsupported(`block "${b.name}" has an init that is not one store to its output`);
    init = b.init.value;
  }
  const reads = readsOf(store.value, store.buffer, spatial.map((a) => a.v));
  if (init) for (const x of readsOf(init, store.buffer, spatial.map((a) => a.v))) if (!reads.includes(x)) reads.push(x);
  if (reduce.length && reads.includes(store.buffer)) reads.splice(reads.indexOf(store.buffer), 1);
  return { name: b.name, out: store.buffer, spatial, reduce, ...(init ? { init } : {}), value: store.value, reads };
}

function sameIndices(a: readonly PrimExpr[], b: readonly PrimExpr[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function hasLoad(e: PrimExpr): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.kind === 'tir.BufferLoad') found = true;
  });
  return found;
}

function visitExpr(e: PrimExpr, f: (e: PrimExpr) => void): void {
  f(e);
  switch (e.kind) {
    case 'tir.Binary': visitExpr(e.a, f); visitExpr(e.b, f); return;
    case 'tir.Not': visitExpr(e.a, f); return;
    case 'tir.Select': visitExpr(e.cond, f); visitExpr(e.t, f); visitExpr(e.f, f); return;
    case 'tir.Cast': visitExpr(e.value, f); return;
    case 'tir.Call': e.args.forEach((a) => visitExpr(a, f)); return;
    case 'tir.BufferLoad': e.indices.forEach((a) => visitExpr(a, f)); return;
    case 'tir.Let': visitExpr(e.value, f); visitExpr(e.body, f); return;
    default: return;
  }
}

/** Buffers read by `e`; reads of `out` must be at the thread's own index (the accumulator / previous value). */
function readsOf(e: PrimExpr, out: Buffer, own: readonly TirVar[]): Buffer[] {
  const reads: Buffer[] = [];
  visitExpr(e, (x) => {
    if (x.kind !== 'tir.BufferLoad') return;
    if (x.buffer === out && !sameIndices(x.indices, own)) throw new GpuUnsupported(`a block reads its output ${out.name} at another element`);
    if (!reads.includes(x.buffer)) reads.push(x.buffer);
  });
  return reads;
}

// ---------------------------------------------------------------- specialization

/** Concrete values of the symbolic vars (shape vars and scalar params). */
export type Bindings = ReadonlyMap<TirVar, number>;

export type Layout = 'nd' | 'flat';

/** One gpu.js kernel for one stage at one concrete shape. */
export interface StageKernel {
  readonly stage: Stage;
  /** `function (b0, b1, ...) { ... }`: the gpu.js kernel source. */
  readonly source: string;
  /** The buffers passed as arguments, in order. */
  readonly args: readonly Buffer[];
  /** gpu.js `output`: [x, y, z] sizes (x innermost). Empty when the output has no elements. */
  readonly output: readonly number[];
  /** Elements of the output. */
  readonly size: number;
  /** Multiply-adds, roughly: output size times the reduction trip count. */
  readonly work: number;
  /** The largest loop trip count, for gpu.js loopMaxIterations. */
  readonly maxLoop: number;
}

/** Evaluates a shape expression under the bindings (throws when it has other vars). */
export function evalShape(e: PrimExpr, env: Bindings): number {
  const em = new ExprEmitter(constScope(env));
  const v = em.constant(e);
  if (v === undefined) throw new GpuUnsupported('a shape that depends on values not known before the kernel runs');
  return v;
}

function constScope(env: Bindings): EmitScope {
  return {
    varCode: (v) => {
      throw new GpuUnsupported(`the variable ${v.name} in a shape`);
    },
    load: () => {
      throw new GpuUnsupported('a buffer load in a shape');
    },
    constOf: (v) => env.get(v),
    strides: () => [],
  };
}

/** Row-major strides of a buffer under the bindings. */
export function stridesOf(buf: Buffer, env: Bindings): number[] {
  if (buf.strides.length === buf.shape.length && buf.strides.length) return buf.strides.map((s) => evalShape(s, env));
  const dims = buf.shape.map((d) => evalShape(d, env));
  const out = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1]! * dims[i + 1]!;
  return out;
}

const sanitize = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');
/** Names the kernel uses itself (args, temps, thread index parts), JS words, or not identifiers. */
const RESERVED = /^(acc|[bft]\d+|this|Math|let|const|var|for|if|else|return|function|in|of|do|while|new|true|false|null|undefined|NaN|Infinity|\d.*|)$/;

/** Writes the gpu.js kernel of one stage with every symbolic value bound. */
export function specializeStage(stage: Stage, env: Bindings, layout: Layout): StageKernel {
  const dims = stage.out.shape.map((d) => evalShape(d, env));
  stage.spatial.forEach((a, k) => {
    const lo = evalShape(a.loop.min, env);
    const ext = evalShape(a.loop.extent, env);
    if (lo !== 0 || ext !== dims[k]) throw new GpuUnsupported(`block "${stage.name}" covers only part of ${stage.out.name}`);
  });
  const size = dims.reduce((a, b) => a * b, 1);
  const args: Buffer[] = [];
  const names = new Map<TirVar, string>();
  const used = new Set<string>();
  const nameOf = (v: TirVar): string => {
    let n = names.get(v);
    if (n) return n;
    const raw = sanitize(v.name);
    const base = RESERVED.test(raw) ? `v_${raw}` : raw;
    n = base;
    for (let i = 1; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    names.set(v, n);
    return n;
  };
  const strideCache = new Map<Buffer, readonly number[]>();
  let accName: string | undefined;
  const scope: EmitScope = {
    varCode: (v) => {
      const c = env.get(v);
      if (c !== undefined) return intLit(c);
      if (!names.has(v)) throw new GpuUnsupported(`the variable ${v.name} is not bound in block "${stage.name}"`);
      return names.get(v)!;
    },
    load: (buf, flat) => {
      if (buf === stage.out && accName) return accName;
      let i = args.indexOf(buf);
      if (i < 0) i = args.push(buf) - 1;
      return `b${i}[${flat}]`;
    },
    constOf: (v) => env.get(v),
    strides: (buf) => {
      let s = strideCache.get(buf);
      if (!s) strideCache.set(buf, (s = stridesOf(buf, env)));
      return s;
    },
  };
  const em = new ExprEmitter(scope);
  const lines: string[] = [];
  const output = threadIndices(stage, dims, layout, nameOf, lines);
  // Loop bounds name loop vars, bodies name iter vars: both spell the same local.
  for (const a of stage.spatial) names.set(a.loop.loopVar, nameOf(a.v));
  for (const r of stage.reduce) names.set(r.loopVar, nameOf(r.v));
  let body: string[];
  let work = size;
  let maxLoop = Math.max(1, ...dims);
  if (stage.reduce.length === 0) {
    const v = em.num(stage.value);
    body = [...em.takePrelude(), `return ${v};`];
  } else {
    accName = 'acc';
    used.add('acc');
    // Before the loops, the accumulator is the init value (or the output's previous contents).
    const savedAcc = accName;
    accName = undefined;
    const init = stage.init ? em.num(stage.init) : em.num({ kind: 'tir.BufferLoad', buffer: stage.out, indices: stage.spatial.map((a) => a.v), dtype: stage.out.dtype });
    body = [...em.takePrelude(), `let acc = ${init};`];
    accName = savedAcc;
    const heads = stage.reduce.map((r) => {
      const v = nameOf(r.v);
      const lo = em.constant(r.min);
      const ext = em.constant(r.extent);
      if (ext !== undefined) {
        work *= Math.max(ext, 0);
        maxLoop = Math.max(maxLoop, ext);
      }
      const loCode = lo !== undefined ? intLit(lo) : em.num(r.min);
      const hiCode = lo !== undefined && ext !== undefined ? intLit(lo + ext) : `${loCode} + ${em.num(r.extent)}`;
      const pre = em.takePrelude();
      if (pre.length) throw new GpuUnsupported(`block "${stage.name}" has a loop bound that needs temporaries`);
      return `for (let ${v} = ${loCode}; ${v} < ${hiCode}; ${v}++) {`;
    });
    const upd = em.num(stage.value);
    const pre = em.takePrelude();
    body.push(...heads, ...pre.map((p) => `  ${p}`), `  acc = ${upd};`, ...heads.map(() => '}'), 'return acc;');
  }
  const params = args.map((_, i) => `b${i}`).join(', ');
  const source = [`function (${params}) {`, ...[...lines, ...body].map((l) => `  ${l}`), '}'].join('\n');
  return { stage, source, args, output: size === 0 ? [] : output, size, work, maxLoop };
}

/** Declares each spatial iter var from the thread index; returns the gpu.js output size. */
function threadIndices(stage: Stage, dims: readonly number[], layout: Layout, nameOf: (v: TirVar) => string, lines: string[]): number[] {
  const n = dims.length;
  if (n === 0) return [1];
  if (layout === 'nd' && n <= 3) {
    const axes = ['x', 'y', 'z'];
    stage.spatial.forEach((a, k) => lines.push(`const ${nameOf(a.v)} = this.thread.${axes[n - 1 - k]};`));
    return [...dims].reverse();
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > 2 ** 24) throw new GpuUnsupported(`an output of ${size} elements, beyond the 2^24 float32 indices reach exactly`);
  lines.push('const f0 = this.thread.x;');
  for (let k = n - 1; k >= 0; k--) {
    const f = `f${n - 1 - k}`;
    const d = dims[k]!;
    const v = nameOf(stage.spatial[k]!.v);
    if (k === 0) {
      lines.push(`const ${v} = ${f};`);
      break;
    }
    lines.push(`const f${n - k} = Math.floor((${f} + 0.5) / ${floatLit(d)});`);
    lines.push(`const ${v} = ${f} - f${n - k} * ${intLit(d)};`);
  }
  return [size];
}
