/**
 * StaticPlanBlockMemory (TVM's `static_plan_block_memory.cc`): tensors that CallTIRRewrite allocated with
 * `R.builtin.alloc_tensor` and whose byte size is known at compile time share storages.
 *
 * Input (README item 9): binding blocks with `lv = R.builtin.alloc_tensor(R.shape([..]), R.dtype(..), dev, scope)`
 * followed by destination-passing calls. Output: a planned allocation becomes
 * `storage = R.memory.alloc_storage(R.shape([bytes]), R.prim_value(0), R.str(scope), R.dtype("float32"))` (emitted
 * just before the first tensor placed in it) and `lv = R.memory.alloc_tensor(storage, R.prim_value(0), shape, dtype)`.
 *
 * Algorithm. Per SeqExpr (a function body, an If branch) a token is made for each plannable allocation; tokens
 * flow through aliases (`y = x`, match_cast, `R.reshape` / `vm.builtin.reshape` views, tuples and their items,
 * If results). A token is live from its allocation to the last binding that uses any var carrying it (a use inside
 * an If branch counts at the If). A token is never planned when it is returned (directly or inside a tuple), leaves
 * the SeqExpr it was allocated in, or reaches anything but a PrimFunc, a packed function or a known memory op
 * (e.g. a Relax function call, which might keep it). Bindings are then walked in order: a request takes the free
 * storage of the same scope that fits best (smallest with enough bytes), else grows the largest free one, else a
 * new storage is made; a storage is freed after the last use of the tensor it holds. Sizes are bytes with the
 * VM's storage element sizes (`core/vm/tensor.ts`: float16 is stored in 4 bytes, int64 in 8, bool in 1). A
 * symbolic shape is planned when the function attr `tir_var_upper_bound` bounds all its vars.
 *
 * Left to others: allocations not planned here are lowered by LowerAllocTensor; kills by KillAfterLastUse.
 */
import type { IRModule } from '../../ir/module.js';
import type { Binding, Call, Expr, RelaxFunction, RelaxVar, SeqExpr } from '../../ir/relax/nodes.js';
import { call, op, SI } from '../../ir/relax/nodes.js';
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { binary, intImm, primDtype } from '../../ir/tir/nodes.js';
import { attrGet, attrInt } from '../../ir/attrs.js';
import type { AttrValue } from '../../ir/attrs.js';
import { collectVarUses } from '../../ir/relax/visit.js';
import { simplify } from '../../ir/arith/index.js';
import { primVars, substitutePrim } from '../../ir/relax/sinfo.js';
import { storageFor } from '../../vm/tensor.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, newBinding, rewriteFunctionBody, stamped } from './binding-rewriter.js';

// ---------------------------------------------------------------- sizes (shared with LowerAllocTensor)

/** Bytes per element the VM stores `dtype` in (float16 as float32, int64 as float64, bool as uint8). */
export function dtypeBytes(dtype: string): number | undefined {
  const C = storageFor(dtype);
  return C ? (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : undefined;
}

/** The byte size of a tensor as a simplified PrimExpr: product of dims times the element size. */
export function byteSizeExpr(dims: readonly PrimExpr[], elemBytes: number): PrimExpr {
  let e: PrimExpr = intImm(elemBytes);
  for (const d of dims) e = binary('mul', e, primDtype(d) === 'int64' ? d : { kind: 'tir.Cast', dtype: 'int64', value: d });
  return simplify(e);
}

/** `R.memory.alloc_storage(R.shape([size]), dev, R.str(scope), R.dtype(dtype))`. */
export function allocStorageCall(size: PrimExpr, dev: Expr, scope: string, dtype: string): Call {
  return call(op('relax.memory.alloc_storage'), [
    { kind: 'relax.ShapeExpr', values: [size] }, dev, { kind: 'relax.StringImm', value: scope }, { kind: 'relax.DataTypeImm', value: dtype },
  ]);
}

/** `R.memory.alloc_tensor(storage, R.prim_value(offset), shape, dtype)`. */
export function memAllocTensorCall(storage: RelaxVar, offset: number, shape: Expr, dtype: Expr): Call {
  return call(op('relax.memory.alloc_tensor'), [storage, { kind: 'relax.PrimValue', value: intImm(offset) }, shape, dtype]);
}

/** The parts of an `R.builtin.alloc_tensor(shape, dtype, dev, scope)` call, or undefined for anything else. */
export interface AllocParts {
  readonly shape: Expr;
  readonly dims?: readonly PrimExpr[];
  readonly dtype: string;
  readonly dtypeExpr: Expr;
  readonly dev: Expr;
  readonly scope: string;
}

export function builtinAllocParts(e: Expr): AllocParts | undefined {
  if (e.kind !== 'relax.Call' || e.op.kind !== 'relax.Op' || e.op.name !== 'relax.builtin.alloc_tensor') return undefined;
  const [shape, dtypeExpr, dev, scopeExpr] = e.args;
  if (!shape || !dtypeExpr) return undefined;
  const dtype = dtypeExpr.kind === 'relax.DataTypeImm' || dtypeExpr.kind === 'relax.StringImm' ? dtypeExpr.value : '';
  const scope = scopeExpr?.kind === 'relax.StringImm' ? scopeExpr.value : 'global';
  const dims = shape.kind === 'relax.ShapeExpr' ? shape.values : shape.kind === 'relax.Var' && shape.sinfo.kind === 'si.Shape' ? shape.sinfo.values : undefined;
  return { shape, ...(dims ? { dims } : {}), dtype, dtypeExpr, dev: dev ?? { kind: 'relax.PrimValue', value: intImm(0) }, scope };
}

// ---------------------------------------------------------------- tokens

interface Token {
  readonly bytes: number;
  readonly scope: string;
  readonly binding: Binding;
  /** The SeqExpr the allocation sits in. */
  readonly seq: SeqExpr;
  /** Index (in its SeqExpr's flattened bindings) of the last binding that uses it. */
  lastUse: number;
  discarded: boolean;
}

/** The tokens a value carries: a flat set, or one entry per tuple field. */
type Toks = ReadonlySet<Token> | readonly Toks[];

const EMPTY: ReadonlySet<Token> = new Set();

function flat(t: Toks | undefined, out: Set<Token> = new Set()): Set<Token> {
  if (!t) return out;
  if (t instanceof Set) for (const x of t) out.add(x);
  else for (const f of t as readonly Toks[]) flat(f, out);
  return out;
}

/** Ops whose tensor arguments are only read during the call (no reference is kept). */
const SAFE_OPS = new Set([
  'relax.memory.kill_tensor', 'relax.memory.kill_storage', 'relax.vm.kill_object', 'relax.shape_of', 'relax.null_value',
  'relax.builtin.alloc_tensor', 'relax.memory.alloc_tensor', 'relax.memory.alloc_storage', 'relax.print',
]);

function isReshape(c: Call): boolean {
  if (c.op.kind === 'relax.Op') {
    if (c.op.name === 'relax.reshape') return true;
    const f = c.args[0];
    return (c.op.name === 'relax.call_packed' || c.op.name === 'relax.call_pure_packed') && f?.kind === 'relax.ExternFunc' && f.globalSymbol === 'vm.builtin.reshape';
  }
  return c.op.kind === 'relax.ExternFunc' && c.op.globalSymbol === 'vm.builtin.reshape';
}

/** The tensor argument of a reshape call (packed form: after the function name). */
function reshapeSource(c: Call): Expr | undefined {
  return c.op.kind === 'relax.Op' && c.op.name !== 'relax.reshape' ? c.args[1] : c.args[0];
}

// ---------------------------------------------------------------- analysis

class Analysis {
  readonly tokens = new Map<Binding, Token>();

  constructor(
    private readonly mod: IRModule,
    private readonly bounds: ReadonlyMap<string, number>,
  ) {}

  /** Walks a SeqExpr; `env` maps vars in scope to the tokens they carry. Returns the tokens of its result. */
  seq(seq: SeqExpr, outer: ReadonlyMap<RelaxVar, Toks>): Toks {
    const env = new Map(outer);
    let i = 0;
    for (const block of seq.blocks) {
      for (const b of block.bindings) {
        this.binding(b, i, seq, env);
        i++;
      }
    }
    const result = this.valueToks(seq.body, env);
    // Whatever leaves a SeqExpr escapes the plan of the SeqExpr that allocated it.
    for (const t of flat(result)) if (t.seq === seq) t.discarded = true;
    return result;
  }

  private binding(b: Binding, i: number, seq: SeqExpr, env: Map<RelaxVar, Toks>): void {
    const v = b.value;
    const alloc = b.kind === 'relax.VarBinding' ? builtinAllocParts(v) : undefined;
    if (alloc) {
      const bytes = this.staticBytes(alloc);
      if (bytes !== undefined) {
        const t: Token = { bytes, scope: alloc.scope, binding: b, seq, lastUse: i, discarded: false };
        this.tokens.set(b, t);
        env.set(b.v, new Set([t]));
      }
      return;
    }
    // Every token a binding mentions is live at least until it.
    for (const u of collectVarUses(v)) for (const t of flat(env.get(u))) if (t.seq === seq) t.lastUse = Math.max(t.lastUse, i);
    env.set(b.v, this.bindingToks(v, env));
  }

  /** The tokens a binding's var carries, discarding tokens that reach unknown code. */
  private bindingToks(v: Expr, env: Map<RelaxVar, Toks>): Toks {
    switch (v.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
      case 'relax.Tuple':
      case 'relax.TupleGetItem':
        return this.valueToks(v, env);
      case 'relax.Call':
        return this.callToks(v, env);
      case 'relax.If': {
        this.discardIn(v.cond, env);
        return [this.seq(v.trueBranch, env), this.seq(v.falseBranch, env)].reduce<Set<Token>>((acc, t) => flat(t, acc), new Set());
      }
      case 'relax.SeqExpr':
        return this.seq(v, env);
      default:
        this.discardIn(v, env);
        return EMPTY;
    }
  }

  private callToks(c: Call, env: Map<RelaxVar, Toks>): Toks {
    if (isReshape(c)) {
      const src = reshapeSource(c);
      return src ? flat(this.valueToks(src, env)) : EMPTY;
    }
    const callee = c.op;
    const safe =
      (callee.kind === 'relax.GlobalVar' && this.mod.functions.get(callee.name)?.kind === 'tir.PrimFunc') ||
      callee.kind === 'relax.ExternFunc' ||
      (callee.kind === 'relax.Op' && (SAFE_OPS.has(callee.name) || ((callee.name === 'relax.call_packed' || callee.name === 'relax.call_pure_packed') && c.args[0]?.kind === 'relax.ExternFunc')));
    if (!safe) for (const a of c.args) this.discardIn(a, env);
    if (callee.kind === 'relax.Var' || callee.kind === 'relax.DataflowVar') this.discardIn(callee, env);
    return EMPTY;
  }

  /** The tokens an expression evaluates to (vars, tuples, tuple items); other expressions discard theirs. */
  private valueToks(e: Expr, env: Map<RelaxVar, Toks>): Toks {
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return env.get(e) ?? EMPTY;
      case 'relax.Tuple':
        return e.fields.map((f) => this.valueToks(f, env));
      case 'relax.TupleGetItem': {
        const t = this.valueToks(e.tuple, env);
        return t instanceof Set ? t : ((t as readonly Toks[])[e.index] ?? EMPTY);
      }
      default:
        this.discardIn(e, env);
        return EMPTY;
    }
  }

  private discardIn(e: Expr, env: Map<RelaxVar, Toks>): void {
    for (const u of collectVarUses(e)) for (const t of flat(env.get(u))) t.discarded = true;
  }

  /** The byte size of an allocation when known at compile time (directly or through upper bounds). */
  private staticBytes(a: AllocParts): number | undefined {
    const elem = dtypeBytes(a.dtype);
    if (elem === undefined || !a.dims) return undefined;
    const size = byteSizeExpr(a.dims, elem);
    if (size.kind === 'tir.IntImm') return size.value;
    return upperBound(size, this.bounds);
  }
}

/** An upper bound of a size built from + and * of non-negative terms, with vars replaced by their bounds. */
function upperBound(e: PrimExpr, bounds: ReadonlyMap<string, number>): number | undefined {
  if (bounds.size === 0 || !monotone(e)) return undefined;
  const map = new Map<TirVar, PrimExpr>();
  for (const v of primVars(e)) {
    const ub = bounds.get(v.name);
    if (ub === undefined) return undefined;
    map.set(v, intImm(ub));
  }
  const s = simplify(substitutePrim(e, map));
  return s.kind === 'tir.IntImm' ? s.value : undefined;
}

function monotone(e: PrimExpr): boolean {
  if (e.kind === 'tir.Var') return true;
  if (e.kind === 'tir.IntImm') return e.value >= 0;
  if (e.kind === 'tir.Cast') return monotone(e.value);
  if (e.kind === 'tir.Binary' && (e.op === 'add' || e.op === 'mul' || e.op === 'max' || e.op === 'min')) return monotone(e.a) && monotone(e.b);
  if (e.kind === 'tir.Binary' && (e.op === 'floordiv' || e.op === 'div') && e.b.kind === 'tir.IntImm' && e.b.value > 0) return monotone(e.a);
  return false;
}

/** `tir_var_upper_bound` of a function: {"n": 128} -> n -> 128. */
function upperBounds(f: RelaxFunction): Map<string, number> {
  const out = new Map<string, number>();
  const attr = attrGet(f.attrs, 'tir_var_upper_bound') as AttrValue | undefined;
  if (attr && typeof attr === 'object' && !Array.isArray(attr) && 'kind' in attr && attr.kind === 'attr.Dict')
    for (const [k, v] of attr.entries) {
      const n = attrInt(v);
      if (n !== undefined) out.set(k, n);
    }
  return out;
}

// ---------------------------------------------------------------- allocation

interface StorageTok {
  bytes: number;
  readonly scope: string;
  /** The first tensor placed in it: its alloc_storage is emitted just before. */
  readonly first: Binding;
  /** The storage var, made when the rewrite emits it. */
  v?: RelaxVar;
}

/** Assigns storages to the planned tokens of one SeqExpr, in binding order. */
function allocate(seq: SeqExpr, tokens: ReadonlyMap<Binding, Token>, out: Map<Binding, StorageTok>): void {
  const free: StorageTok[] = [];
  const dying = new Map<number, Token[]>();
  let i = 0;
  for (const block of seq.blocks) {
    for (const b of block.bindings) {
      const t = tokens.get(b);
      if (t && !t.discarded && t.seq === seq) {
        out.set(b, request(t, free));
        const at = dying.get(t.lastUse) ?? [];
        at.push(t);
        dying.set(t.lastUse, at);
      }
      for (const d of dying.get(i) ?? []) free.push(out.get(d.binding)!);
      i++;
    }
  }
}

/** Best fit among free storages of the scope; else the largest free one grown; else a new storage. */
function request(t: Token, free: StorageTok[]): StorageTok {
  let best = -1;
  let largest = -1;
  free.forEach((s, k) => {
    if (s.scope !== t.scope) return;
    if (s.bytes >= t.bytes && (best < 0 || s.bytes < free[best]!.bytes)) best = k;
    if (largest < 0 || s.bytes > free[largest]!.bytes) largest = k;
  });
  const pick = best >= 0 ? best : largest;
  if (pick < 0) return { bytes: t.bytes, scope: t.scope, first: t.binding };
  const s = free.splice(pick, 1)[0]!;
  s.bytes = Math.max(s.bytes, t.bytes);
  return s;
}

function forEachSeq(seq: SeqExpr, cb: (s: SeqExpr) => void): void {
  cb(seq);
  const visit = (e: Expr): void => {
    if (e.kind === 'relax.If') {
      forEachSeq(e.trueBranch, cb);
      forEachSeq(e.falseBranch, cb);
    } else if (e.kind === 'relax.SeqExpr') forEachSeq(e, cb);
  };
  for (const block of seq.blocks) for (const b of block.bindings) visit(b.value);
}

// ---------------------------------------------------------------- rewrite

function planFunction(f: RelaxFunction, mod: IRModule): RelaxFunction {
  const analysis = new Analysis(mod, upperBounds(f));
  const top = new Map<RelaxVar, Toks>();
  const result = analysis.seq(f.body, top);
  for (const t of flat(result)) t.discarded = true;
  if (![...analysis.tokens.values()].some((t) => !t.discarded)) return f;
  const plan = new Map<Binding, StorageTok>();
  forEachSeq(f.body, (s) => allocate(s, analysis.tokens, plan));
  return rewriteFunctionBody(f, (b) => {
    const s = plan.get(b);
    const a = s ? builtinAllocParts(b.value) : undefined;
    if (!s || !a) return [b];
    const out: Binding[] = [];
    if (!s.v) {
      const sb = newBinding('storage', stamped(allocStorageCall(intImm(s.bytes), a.dev, s.scope, 'float32'), b), SI.object(), b);
      s.v = sb.v;
      out.push(sb);
    }
    out.push({ ...b, value: stamped(memAllocTensorCall(s.v, 0, a.shape, a.dtypeExpr), b) });
    return out;
  });
}

/** The StaticPlanBlockMemory pass (see the file header). */
export function staticPlanBlockMemory(): Pass {
  return modulePass('StaticPlanBlockMemory', (mod) => mapRelaxFunctions(mod, (f) => planFunction(f, mod)));
}
