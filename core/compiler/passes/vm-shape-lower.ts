/**
 * VMShapeLower (TVM's `vm_shape_lower.cc`): makes every shape computation explicit for the VM.
 *
 * Per Relax function:
 * - a shape heap: `shape_heap = R.call_builtin_with_ctx("vm.builtin.alloc_shape_heap", (R.prim_value(K),),
 *   ty_args=R.Tensor(ndim=1, dtype="int64"))` with one int64 slot per symbolic var and per derived expression;
 *   `shape_heap = R.null_value()` when the function needs none;
 * - parameter checks: `vm.builtin.check_tensor_info(x, ndim, dtype, err)` (check_shape_info, check_prim_value_info,
 *   check_tuple_info with `t = x[i]` per field, check_func_info by struct info), then `vm.builtin.match_shape(x, heap,
 *   ndim, code, value, ..., err)` / `vm.builtin.match_prim_value(x, heap, code, value, err)` with MatchShapeCode
 *   codes (store a first-seen var, assert later occurrences and constants);
 * - derived expressions (`n * m`, `n * 16`) computed by a generated private host PrimFunc
 *   `shape_func(H: T.Buffer((K,), "int64"))` writing `H[slot] = <expr over H[...]>`, called once after the
 *   parameter matches and again (`shape_func1`, ...) after a match_cast that makes new ones computable; a
 *   parameter dim that is itself derived (`R.Tensor((n * 2,))`) is asserted in a second match after that call;
 * - match_cast bindings are checked and matched the same way (the binding itself is kept);
 * - a `R.shape([...])` with symbolic dims becomes `R.call_packed("vm.builtin.make_shape", heap, n, code, value,
 *   ..., ty_args=R.Shape(ndim=n))` (MakeShapeCode: 0 immediate, 1 heap slot) and a symbolic `R.prim_value(e)`
 *   becomes `R.call_packed("vm.builtin.make_prim_value", heap, 1, slot, ty_args=R.Prim("int64"))`.
 * Error contexts name the function, the parameter and its annotation:
 * `ErrorContext(fn=main, loc=param[0], param=x, annotation=R.Tensor((n, 4), dtype="float32"))`.
 *
 * Afterwards no symbolic PrimExpr remains in a Relax call argument (struct info keeps its symbolic dims). A
 * symbolic var that nothing defines is reported (B702) and its uses are left as they were.
 */
import type { IRModule } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type { Binding, Expr, ExternFunc, RelaxFunction, RelaxVar, SeqExpr, StructInfo } from '../../ir/relax/nodes.js';
import { call, op, relaxVar, SI } from '../../ir/relax/nodes.js';
import type { Buffer, PrimExpr, PrimFunc, Stmt, TirVar } from '../../ir/tir/nodes.js';
import { intImm, tvar } from '../../ir/tir/nodes.js';
import { attrDict } from '../../ir/attrs.js';
import { printPrimExpr, printStructInfo } from '../../ir/printer/index.js';
import { primVars, substitutePrim } from '../../ir/relax/sinfo.js';
import { forEachBinding } from '../../ir/relax/visit.js';
import type { Pass, PassContext } from '../pass.js';
import { modulePass } from '../pass.js';
import { extraOf, normalizeBlocks, sinfoOfValue } from './binding-rewriter.js';

/** TVM's MatchShapeCode and MakeShapeCode (core/vm/builtins.ts runs them). */
const MS = { AssertEqualToImm: 0, StoreToHeap: 1, NoOp: 2, AssertEqualToLoad: 3 } as const;
const MK = { UseImm: 0, LoadShape: 1 } as const;

const VOID_SINFO: StructInfo = SI.tuple([]);

// ---------------------------------------------------------------- small constructors

const int = (v: number): Expr => ({ kind: 'relax.PrimValue', value: intImm(v) });
const str = (s: string): Expr => ({ kind: 'relax.StringImm', value: s });
const dtypeImm = (d: string): Expr => ({ kind: 'relax.DataTypeImm', value: d === '' ? 'void' : d });
const extern = (name: string): ExternFunc => ({ kind: 'relax.ExternFunc', globalSymbol: name });

function packed(name: string, args: readonly Expr[], ret: StructInfo): Expr {
  return call(extern(name), args, null, [ret]);
}

function isConst(e: PrimExpr): boolean {
  return e.kind === 'tir.IntImm';
}

// ---------------------------------------------------------------- slots

/** Heap slots of one function: vars first (in order of appearance), then derived expressions. */
class Slots {
  readonly vars = new Map<TirVar, number>();
  readonly exprs = new Map<string, { readonly expr: PrimExpr; readonly slot: number }>();
  private readonly pendingExprs: PrimExpr[] = [];

  /** Registers a PrimExpr that must live in the heap. */
  need(e: PrimExpr): void {
    if (isConst(e)) return;
    if (e.kind === 'tir.Var') {
      if (!this.vars.has(e)) this.vars.set(e, this.vars.size);
      return;
    }
    for (const v of primVars(e)) this.need(v);
    this.pendingExprs.push(e);
  }

  /** Numbers the derived expressions after the vars; call once after every `need`. */
  seal(): void {
    for (const e of this.pendingExprs) {
      const key = printPrimExpr(e);
      if (!this.exprs.has(key)) this.exprs.set(key, { expr: e, slot: this.vars.size + this.exprs.size });
    }
  }

  get size(): number {
    return this.vars.size + this.exprs.size;
  }

  slotOf(e: PrimExpr): number | undefined {
    return e.kind === 'tir.Var' ? this.vars.get(e) : this.exprs.get(printPrimExpr(e))?.slot;
  }
}

/** Calls `cb` on each PrimExpr a struct info asks to be matched (dims, shape values, prim values). */
function sinfoExprs(si: StructInfo, cb: (e: PrimExpr) => void): void {
  switch (si.kind) {
    case 'si.Tensor':
      if (si.shape?.kind === 'relax.ShapeExpr') si.shape.values.forEach(cb);
      return;
    case 'si.Shape':
      si.values?.forEach(cb);
      return;
    case 'si.Prim':
      if (si.value) cb(si.value);
      return;
    case 'si.Tuple':
      si.fields.forEach((f) => sinfoExprs(f, cb));
      return;
    default:
      return;
  }
}

/** Calls `cb` on every symbolic PrimExpr in a Relax call argument position (ShapeExpr / PrimValue) of `e`. */
function exprPrims(e: Expr, cb: (p: PrimExpr) => void): void {
  switch (e.kind) {
    case 'relax.ShapeExpr':
      if (!e.values.every(isConst)) e.values.forEach(cb);
      return;
    case 'relax.PrimValue':
      if (e.value.kind !== 'tir.IntImm' && e.value.kind !== 'tir.FloatImm' && e.value.kind !== 'tir.StringImm') cb(e.value);
      return;
    case 'relax.Call':
      e.args.forEach((a) => exprPrims(a, cb));
      return;
    case 'relax.Tuple':
      e.fields.forEach((f) => exprPrims(f, cb));
      return;
    case 'relax.TupleGetItem':
      exprPrims(e.tuple, cb);
      return;
    case 'relax.If':
      exprPrims(e.cond, cb);
      exprPrims(e.trueBranch.body, cb);
      exprPrims(e.falseBranch.body, cb);
      return;
    case 'relax.SeqExpr':
      exprPrims(e.body, cb);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------- per-function lowering

interface MatchTodo {
  readonly value: RelaxVar;
  readonly dims: readonly PrimExpr[];
  /** 'shape' -> match_shape, 'prim' -> match_prim_value. */
  readonly kind: 'shape' | 'prim';
  readonly err: string;
}

/** Names shape functions uniquely across the module. */
class ShapeFuncNamer {
  private n = 0;
  constructor(private readonly taken: Set<string>) {}
  next(): string {
    for (;;) {
      const name = this.n === 0 ? 'shape_func' : `shape_func${this.n}`;
      this.n++;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}

class FunctionLower {
  private readonly slots = new Slots();
  /** Vars whose heap slot holds their value in the current scope. */
  private ready = new Set<TirVar>();
  /** Derived expression slots computed in the current scope. */
  private computed = new Set<number>();
  private out: Binding[] = [];
  private heap!: RelaxVar;
  private readonly reported = new Set<string>();

  constructor(
    private readonly f: RelaxFunction,
    private readonly fnName: string,
    private readonly mod: IRModule,
    private readonly namer: ShapeFuncNamer,
    private readonly newFuncs: Map<string, PrimFunc>,
    private readonly ctx: PassContext,
  ) {}

  run(): RelaxFunction {
    this.collect();
    const K = this.slots.size;
    const heapValue =
      K > 0
        ? call(op('relax.call_builtin_with_ctx'), [extern('vm.builtin.alloc_shape_heap'), { kind: 'relax.Tuple', fields: [int(K)] }], null, [SI.tensorNdim('int64', 1)])
        : call(op('relax.null_value'), []);
    this.heap = this.emit('shape_heap', heapValue, K > 0 ? SI.tensorNdim('int64', 1) : SI.object());
    const todos: MatchTodo[] = [];
    this.f.params.forEach((p, i) => {
      const err = `ErrorContext(fn=${this.fnName}, loc=param[${i}], param=${p.name}, annotation=${printStructInfo(p.sinfo)})`;
      this.check(p, p.sinfo, err, todos);
    });
    this.matchAll(todos);
    const prologue = this.out;
    const body = this.seq(this.f.body);
    const blocks = normalizeBlocks([{ kind: 'relax.BindingBlock', bindings: prologue }, ...body.blocks]);
    return { ...this.f, body: { ...body, blocks } };
  }

  /** Registers every PrimExpr the function needs in the heap. */
  private collect(): void {
    for (const p of this.f.params) sinfoExprs(p.sinfo, (e) => this.slots.need(e));
    forEachBinding(this.f, (b) => {
      if (b.kind === 'relax.MatchCast') sinfoExprs(b.sinfo, (e) => this.slots.need(e));
      exprPrims(b.value, (e) => this.slots.need(e));
    });
    exprPrims(this.f.body.body, (e) => this.slots.need(e));
    this.slots.seal();
  }

  // -------------------------------------------------------------- emission

  private emit(name: string, value: Expr, sinfo?: StructInfo): RelaxVar {
    const v = relaxVar(name, sinfo ?? sinfoOfValue(value, this.mod));
    this.out.push({ kind: 'relax.VarBinding', v, value });
    return v;
  }

  private emitVoid(value: Expr): void {
    this.emit('_', value, VOID_SINFO);
  }

  /** Emits the run-time checks of `v` against `si` and queues its dims for matching. */
  private check(v: RelaxVar, si: StructInfo, err: string, todos: MatchTodo[]): void {
    switch (si.kind) {
      case 'si.Tensor':
        this.emitVoid(packed('vm.builtin.check_tensor_info', [v, int(si.ndim), dtypeImm(si.dtype), str(err)], VOID_SINFO));
        if (si.shape?.kind === 'relax.ShapeExpr' && si.shape.values.length > 0) todos.push({ value: v, dims: si.shape.values, kind: 'shape', err });
        return;
      case 'si.Shape':
        this.emitVoid(packed('vm.builtin.check_shape_info', [v, int(si.ndim), str(err)], VOID_SINFO));
        if (si.values && si.values.length > 0) todos.push({ value: v, dims: si.values, kind: 'shape', err });
        return;
      case 'si.Prim':
        this.emitVoid(packed('vm.builtin.check_prim_value_info', [v, dtypeImm(si.dtype), str(err)], VOID_SINFO));
        if (si.value) todos.push({ value: v, dims: [si.value], kind: 'prim', err });
        return;
      case 'si.Tuple':
        this.emitVoid(packed('vm.builtin.check_tuple_info', [v, int(si.fields.length), str(err)], VOID_SINFO));
        si.fields.forEach((fsi, i) => {
          if (fsi.kind === 'si.Object') return;
          const item = this.emit(`${v.name}_${i}`, { kind: 'relax.TupleGetItem', tuple: v, index: i }, fsi);
          this.check(item, fsi, err, todos);
        });
        return;
      case 'si.Func':
        this.emitVoid(packed('vm.builtin.check_func_info', [v, str(err)], VOID_SINFO));
        return;
      default:
        return;
    }
  }

  /**
   * Matches queued dims: first round stores first-seen vars and asserts constants and known vars; then the
   * derived expressions that became computable are computed; a second round asserts derived dims.
   */
  private matchAll(todos: readonly MatchTodo[]): void {
    const deferred: MatchTodo[] = [];
    for (const t of todos) {
      let defer = false;
      const pairs = t.dims.map((d): [number, number] => {
        if (d.kind === 'tir.IntImm') return [MS.AssertEqualToImm, d.value];
        if (d.kind === 'tir.Var') {
          const slot = this.slots.slotOf(d)!;
          if (this.ready.has(d)) return [MS.AssertEqualToLoad, slot];
          this.ready.add(d);
          return [MS.StoreToHeap, slot];
        }
        const slot = this.slots.slotOf(d)!;
        if (this.computed.has(slot)) return [MS.AssertEqualToLoad, slot];
        defer = true;
        return [MS.NoOp, 0];
      });
      this.emitMatch(t, pairs);
      if (defer) deferred.push(t);
    }
    this.computeReady();
    for (const t of deferred) {
      const pairs = t.dims.map((d): [number, number] => {
        if (d.kind === 'tir.IntImm' || d.kind === 'tir.Var') return [MS.NoOp, 0];
        const slot = this.slots.slotOf(d)!;
        if (this.computed.has(slot)) return [MS.AssertEqualToLoad, slot];
        this.undefinedVars(d);
        return [MS.NoOp, 0];
      });
      if (pairs.some(([c]) => c !== MS.NoOp)) this.emitMatch(t, pairs);
    }
  }

  private emitMatch(t: MatchTodo, pairs: readonly (readonly [number, number])[]): void {
    const codes = pairs.flatMap(([c, r]) => [int(c), int(r)]);
    if (t.kind === 'prim') this.emitVoid(packed('vm.builtin.match_prim_value', [t.value, this.heap, ...codes, str(t.err)], VOID_SINFO));
    else this.emitVoid(packed('vm.builtin.match_shape', [t.value, this.heap, int(t.dims.length), ...codes, str(t.err)], VOID_SINFO));
  }

  /** Emits a shape function computing every derived expression whose vars are now all in the heap. */
  private computeReady(): void {
    const todo = [...this.slots.exprs.values()].filter((x) => !this.computed.has(x.slot) && primVars(x.expr).every((v) => this.ready.has(v)));
    if (todo.length === 0) return;
    const name = this.namer.next();
    this.newFuncs.set(name, shapeFunc(this.slots, todo));
    for (const x of todo) this.computed.add(x.slot);
    this.emit('_', call({ kind: 'relax.GlobalVar', name }, [this.heap]), SI.object());
  }

  private undefinedVars(e: PrimExpr): void {
    const missing = primVars(e).filter((v) => !this.ready.has(v)).map((v) => v.name);
    const key = [...new Set(missing)].join(', ');
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const span = this.f.span;
    this.ctx.report({
      code: 'B702', severity: 'error',
      message: `VMShapeLower: in ${this.fnName}, the shape value ${printPrimExpr(e, { context: 'relax' })} is needed at run time. However, ${key} ${missing.length > 1 ? 'are' : 'is'} not defined by a parameter or a match_cast before it is used.`,
      ...(span ? { span } : {}),
    });
  }

  // -------------------------------------------------------------- body

  /** Rewrites a SeqExpr; bindings it emits stay inside it. Vars defined inside do not outlive it. */
  private seq(s: SeqExpr): SeqExpr {
    const saved = { out: this.out, ready: this.ready, computed: this.computed };
    this.ready = new Set(this.ready);
    this.computed = new Set(this.computed);
    const blocks = s.blocks.map((block) => {
      this.out = [];
      for (const b of block.bindings) this.binding(b);
      return { ...block, bindings: this.out };
    });
    this.out = [];
    const body = this.expr(s.body);
    const tail = this.out;
    if (tail.length > 0) blocks.push({ kind: 'relax.BindingBlock', bindings: tail });
    this.out = saved.out;
    this.ready = saved.ready;
    this.computed = saved.computed;
    return { ...s, blocks: normalizeBlocks(blocks), body };
  }

  private binding(b: Binding): void {
    const value = this.expr(b.value);
    if (b.kind === 'relax.VarBinding') {
      this.out.push(value === b.value ? b : { ...b, value });
      return;
    }
    // match_cast: check and match the value, then keep the binding (its var is the matched value).
    const subject = value.kind === 'relax.Var' || value.kind === 'relax.DataflowVar' ? value : this.emit(`${b.v.name}_value`, value);
    const err = `ErrorContext(fn=${this.fnName}, loc=match_cast, var=${b.v.name}, struct_info=${printStructInfo(b.sinfo)})`;
    const todos: MatchTodo[] = [];
    this.check(subject, b.sinfo, err, todos);
    this.matchAll(todos);
    this.out.push({ ...b, value: subject });
  }

  /** Rewrites an expression, emitting make_shape / make_prim_value bindings for its symbolic values. */
  private expr(e: Expr): Expr {
    switch (e.kind) {
      case 'relax.ShapeExpr':
        return e.values.every(isConst) ? e : this.makeShape(e.values) ?? e;
      case 'relax.PrimValue': {
        const p = e.value;
        if (p.kind === 'tir.IntImm' || p.kind === 'tir.FloatImm' || p.kind === 'tir.StringImm') return e;
        const slot = this.loadable(p);
        return slot === undefined ? e : this.emit('prim', packed('vm.builtin.make_prim_value', [this.heap, int(MK.LoadShape), int(slot)], SI.prim('int64')), SI.prim('int64'));
      }
      case 'relax.Call': {
        const args = e.args.map((a) => this.expr(a));
        return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
      }
      case 'relax.Tuple': {
        const fields = e.fields.map((f) => this.expr(f));
        return fields.every((f, i) => f === e.fields[i]) ? e : { ...e, fields };
      }
      case 'relax.TupleGetItem': {
        const tuple = this.expr(e.tuple);
        return tuple === e.tuple ? e : { ...e, tuple };
      }
      case 'relax.If':
        return { ...e, cond: this.expr(e.cond), trueBranch: this.seq(e.trueBranch), falseBranch: this.seq(e.falseBranch) };
      case 'relax.SeqExpr':
        return this.seq(e);
      default:
        return e;
    }
  }

  private makeShape(dims: readonly PrimExpr[]): RelaxVar | undefined {
    const args: Expr[] = [this.heap, int(dims.length)];
    for (const d of dims) {
      if (d.kind === 'tir.IntImm') {
        args.push(int(MK.UseImm), int(d.value));
        continue;
      }
      const slot = this.loadable(d);
      if (slot === undefined) return undefined;
      args.push(int(MK.LoadShape), int(slot));
    }
    const sinfo = SI.shape(undefined, dims.length);
    return this.emit('shape', packed('vm.builtin.make_shape', args, sinfo), sinfo);
  }

  /** The heap slot holding `e` in the current scope (computing what became computable), or undefined. */
  private loadable(e: PrimExpr): number | undefined {
    const slot = this.slots.slotOf(e);
    if (slot !== undefined) {
      if (e.kind === 'tir.Var' ? this.ready.has(e) : this.computed.has(slot)) return slot;
      if (e.kind !== 'tir.Var' && primVars(e).every((v) => this.ready.has(v))) {
        this.computeReady();
        return slot;
      }
    }
    this.undefinedVars(e);
    return undefined;
  }
}

/** The host PrimFunc `shape_func(H)` that writes each derived expression into its heap slot. */
function shapeFunc(slots: Slots, todo: readonly { readonly expr: PrimExpr; readonly slot: number }[]): PrimFunc {
  const h = tvar('H', 'handle');
  const buf: Buffer = { kind: 'tir.Buffer', name: 'H', dtype: 'int64', shape: [intImm(slots.size)], strides: [], scope: 'global' };
  const load = (slot: number): PrimExpr => ({ kind: 'tir.BufferLoad', buffer: buf, indices: [intImm(slot, 'int32')], dtype: 'int64' });
  const map = new Map<TirVar, PrimExpr>();
  for (const [v, slot] of slots.vars) map.set(v, load(slot));
  const stores: Stmt[] = todo.map((x) => ({ kind: 'tir.BufferStore', buffer: buf, value: substitutePrim(x.expr, map), indices: [intImm(x.slot, 'int32')] }));
  return {
    kind: 'tir.PrimFunc',
    params: [h],
    bufferMap: new Map([[h, buf]]),
    body: stores.length === 1 ? stores[0]! : { kind: 'tir.SeqStmt', seq: stores },
    attrs: attrDict([['tir.is_host_func', true]]),
    isPrivate: true,
  };
}

/** The VMShapeLower pass (see the file header). */
export function vmShapeLower(): Pass {
  return modulePass('VMShapeLower', (mod, ctx) => {
    const namer = new ShapeFuncNamer(new Set(mod.functions.keys()));
    const newFuncs = new Map<string, PrimFunc>();
    const out = new Map<string, RelaxFunction | PrimFunc>();
    for (const [name, f] of mod.functions) out.set(name, f.kind === 'relax.Function' ? new FunctionLower(f, name, mod, namer, newFuncs, ctx).run() : f);
    for (const [name, f] of newFuncs) out.set(name, f);
    return irModule(mod.name, out, extraOf(mod));
  });
}
