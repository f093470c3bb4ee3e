/**
 * LegalizeOps: every op call with a registered legalizer becomes `R.call_tir` to a generated block-style PrimFunc.
 *
 * Preconditions: struct info is inferred on every binding (the parser does it); op calls are in normal form.
 * Stages, per binding `v = R.op(args)`:
 *   1. the op's legalizer (legalize/registry.ts) describes the kernel with TE placeholders whose symbolic dims are
 *      kernel-local vars (a fresh `n` per kernel, mapped from the Relax `n`);
 *   2. the kernel is lowered (legalize/te.ts); symbolic vars that no buffer dimension binds become trailing
 *      `T.int64` scalar parameters, passed as PrimValues (README rule 3);
 *   3. the PrimFunc is deduplicated by structural equality and named after the op (`add`, then `add1`, ...);
 *   4. the binding becomes `v = R.call_tir(cls.add, (args...), out_ty=<v's struct info>)` with provenance [v].
 * Ops with TVM's `FCallPacked` become calls of the runtime function it names, as TVM's LegalizeOps does:
 * `R.print` -> `R.call_packed("relax.run.print", R.str(format), *values)`, `R.assert_op` ->
 * `R.call_packed("relax.run.assert_op", condition, R.str(format), *values)` (the format is an argument there, not
 * an attribute); the pure ones (`R.shape_to_tensor`, `R.unique`, `R.nonzero`) become `R.call_pure_packed(...)`
 * so that they may stay in dataflow blocks. The VM provides every `relax.run.*` function (core/vm/run-builtins.ts).
 * Ops without a legalizer are left as they are (VM codegen reports them); an op whose result shape is unknown, or
 * whose legalizer declines, gets a B601 diagnostic at its binding.
 * Left to later passes: reshape-like kernels are tagged `"relax_studio.reshape"` for RewriteDataflowReshape.
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type {
  Binding, BindingBlock, Call, Expr, ExternFunc, GlobalVar, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
} from '../../ir/relax/nodes.js';
import { SI, call, op, relaxVar, tensorDims } from '../../ir/relax/nodes.js';
import type { PrimExpr, PrimFunc, Stmt, TirVar } from '../../ir/tir/nodes.js';
import { tvar } from '../../ir/tir/nodes.js';
import { attrDict, attrGet } from '../../ir/attrs.js';
import { isStructurallyEqual, structuralHash } from '../../ir/structural.js';
import { inferExprSInfo } from '../../ir/relax/infer.js';
import type { Pass, PassContext } from '../pass.js';
import type { LegalizeCtx, LegalizedKernel } from '../legalize/registry.js';
import { lookupLegalize } from '../legalize/registry.js';
import { placeholder, primFunc, substVars } from '../legalize/te.js';
import type { TeTensor } from '../legalize/te.js';
import '../legalize/all.js';

// ---------------------------------------------------------------- kernel-local view of one call

class CallKernel implements LegalizeCtx {
  /** Relax-side symbolic var -> kernel-local var. */
  readonly vars = new Map<TirVar, TirVar>();
  readonly inputArgs = new Map<TeTensor, Expr>();
  /** Bindings to emit before the call (tuple fields of a tuple-typed var). */
  readonly pre: Binding[] = [];
  failure: string | undefined;
  /** Kernel-local vars passed as trailing scalar parameters, in order (set by the driver). */
  scalarOrder: TirVar[] = [];
  private counter = 0;

  constructor(
    readonly call: Call,
    private readonly out: StructInfo,
    private readonly lookupVarSInfo: (e: Expr) => StructInfo,
    private readonly dataflow: boolean,
  ) {}

  get argCount(): number {
    return this.call.args.length;
  }

  get outCount(): number {
    return this.out.kind === 'si.Tuple' ? this.out.fields.length : 1;
  }

  attr(name: string) {
    return attrGet(this.call.attrs, name);
  }

  argSInfo(i: number): StructInfo {
    const a = this.call.args[i];
    return a ? this.lookupVarSInfo(a) : SI.object();
  }

  prim(e: PrimExpr): PrimExpr {
    const m = new Map<TirVar, PrimExpr>();
    collectVars(e, (v) => m.set(v, this.local(v)));
    return substVars(e, m);
  }

  private local(v: TirVar): TirVar {
    let l = this.vars.get(v);
    if (!l) {
      l = tvar(v.name, v.dtype);
      this.vars.set(v, l);
    }
    return l;
  }

  input(i: number, name?: string): TeTensor {
    const arg = this.call.args[i];
    if (!arg) throw new LegalizeDecline(`argument ${i} is missing`);
    return this.placeholderFor(arg, this.lookupVarSInfo(arg), name ?? this.nextName());
  }

  inputTuple(i: number, name = 'T'): TeTensor[] {
    const arg = this.call.args[i];
    if (!arg) throw new LegalizeDecline(`argument ${i} is missing`);
    if (arg.kind === 'relax.Tuple') return arg.fields.map((f, k) => this.placeholderFor(f, this.lookupVarSInfo(f), `${name}${k}`));
    const si = this.lookupVarSInfo(arg);
    if (si.kind !== 'si.Tuple') throw new LegalizeDecline(`argument ${i} is not a tuple`);
    return si.fields.map((f, k) => {
      const v = relaxVar(`${(arg as RelaxVar).name ?? 'tup'}_${k}`, f, this.dataflow);
      this.pre.push({ kind: 'relax.VarBinding', v, value: { kind: 'relax.TupleGetItem', tuple: arg, index: k } });
      return this.placeholderFor(v, f, `${name}${k}`);
    });
  }

  private placeholderFor(arg: Expr, si: StructInfo, name: string): TeTensor {
    const dims = tensorDims(si);
    if (si.kind !== 'si.Tensor' || !dims) throw new LegalizeDecline(`the shape of ${describe(arg)} is not known`);
    if (!si.dtype) throw new LegalizeDecline(`the dtype of ${describe(arg)} is not known`);
    const t = placeholder(dims.map((d) => this.prim(d)), si.dtype, name);
    this.inputArgs.set(t, arg);
    return t;
  }

  primArg(i: number): PrimExpr | undefined {
    const a = this.call.args[i];
    return a?.kind === 'relax.PrimValue' ? this.prim(a.value) : undefined;
  }

  shapeArg(i: number): PrimExpr[] | undefined {
    const a = this.call.args[i];
    if (!a) return undefined;
    if (a.kind === 'relax.ShapeExpr') return a.values.map((v) => this.prim(v));
    const si = this.lookupVarSInfo(a);
    return si.kind === 'si.Shape' && si.values ? si.values.map((v) => this.prim(v)) : undefined;
  }

  outShape(i = 0): PrimExpr[] {
    const si = this.out.kind === 'si.Tuple' ? this.out.fields[i] : this.out;
    const dims = si ? tensorDims(si) : undefined;
    if (!dims) throw new LegalizeDecline('the shape of its result is not known');
    return dims.map((d) => this.prim(d));
  }

  outDtype(i = 0): string {
    const si = this.out.kind === 'si.Tuple' ? this.out.fields[i] : this.out;
    if (si?.kind !== 'si.Tensor' || !si.dtype) throw new LegalizeDecline('the dtype of its result is not known');
    return si.dtype;
  }

  fail(reason: string): undefined {
    this.failure = reason;
    return undefined;
  }

  private nextName(): string {
    const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    return names[this.counter++] ?? `A${this.counter}`;
  }
}

/** Thrown inside a legalizer's context methods when the call cannot be lowered; caught by the driver. */
class LegalizeDecline extends Error {}

function describe(e: Expr): string {
  if (e.kind === 'relax.Constant' && e.metaRef && !e.data)
    return `\`metadata["${e.metaRef.key}"][${e.metaRef.index}]\` (a constant whose metadata was not printed with the module)`;
  return e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar' ? `\`${e.name}\`` : 'an argument';
}

// ---------------------------------------------------------------- variable walks

function collectVars(e: PrimExpr, f: (v: TirVar) => void): void {
  switch (e.kind) {
    case 'tir.Var':
      f(e);
      return;
    case 'tir.Binary':
      collectVars(e.a, f);
      collectVars(e.b, f);
      return;
    case 'tir.Not':
      collectVars(e.a, f);
      return;
    case 'tir.Select':
      [e.cond, e.t, e.f].forEach((x) => collectVars(x, f));
      return;
    case 'tir.Cast':
      collectVars(e.value, f);
      return;
    case 'tir.Call':
      e.args.forEach((x) => collectVars(x, f));
      return;
    case 'tir.BufferLoad':
      e.indices.forEach((x) => collectVars(x, f));
      e.buffer.shape.forEach((x) => collectVars(x, f));
      return;
    case 'tir.Let':
      collectVars(e.value, f);
      collectVars(e.body, f);
      return;
    default:
      return;
  }
}

function stmtVars(s: Stmt, f: (v: TirVar) => void): void {
  switch (s.kind) {
    case 'tir.SeqStmt':
      s.seq.forEach((x) => stmtVars(x, f));
      return;
    case 'tir.BufferStore':
      collectVars(s.value, f);
      s.indices.forEach((x) => collectVars(x, f));
      s.buffer.shape.forEach((x) => collectVars(x, f));
      return;
    case 'tir.For':
      collectVars(s.min, f);
      collectVars(s.extent, f);
      stmtVars(s.body, f);
      return;
    case 'tir.IfThenElse':
      collectVars(s.cond, f);
      stmtVars(s.then, f);
      if (s.else) stmtVars(s.else, f);
      return;
    case 'tir.Evaluate':
      collectVars(s.value, f);
      return;
    case 'tir.LetStmt':
      collectVars(s.value, f);
      stmtVars(s.body, f);
      return;
    case 'tir.AssertStmt':
      collectVars(s.cond, f);
      stmtVars(s.body, f);
      return;
    case 'tir.BlockRealize': {
      s.iterValues.forEach((x) => collectVars(x, f));
      const b = s.block;
      b.iterVars.forEach((iv) => {
        collectVars(iv.dom.min, f);
        collectVars(iv.dom.extent, f);
      });
      b.allocBuffers.forEach((buf) => buf.shape.forEach((x) => collectVars(x, f)));
      if (b.init) stmtVars(b.init, f);
      stmtVars(b.body, f);
      return;
    }
  }
}

// ---------------------------------------------------------------- the pass

interface KernelEntry {
  readonly base: string;
  func: PrimFunc;
  readonly gv: GlobalVar;
  readonly provenance: Set<string>;
}

class Legalizer {
  private readonly kernels: KernelEntry[] = [];
  private readonly byHash = new Map<number, KernelEntry[]>();
  private readonly taken: Set<string>;
  private fnName = '';

  constructor(
    private readonly mod: IRModule,
    private readonly ctx: PassContext,
  ) {
    this.taken = new Set(mod.functions.keys());
  }

  run(): IRModule {
    const fns = new Map<string, BaseFunc>();
    let changed = false;
    for (const [name, f] of this.mod.functions) {
      this.fnName = name;
      const nf = f.kind === 'relax.Function' ? this.function(f) : f;
      if (nf !== f) changed = true;
      fns.set(name, nf);
    }
    if (!changed && this.kernels.length === 0) return this.mod;
    for (const k of this.kernels) fns.set(k.gv.name, { ...k.func, provenance: [...k.provenance] });
    return irModule(this.mod.name, fns, {
      ...(this.mod.attrs ? { attrs: this.mod.attrs } : {}),
      ...(this.mod.globalInfos ? { globalInfos: this.mod.globalInfos } : {}),
      ...(this.mod.metadata !== undefined ? { metadata: this.mod.metadata } : {}),
    });
  }

  private function(f: RelaxFunction): RelaxFunction {
    const body = this.seq(f.body);
    return body === f.body ? f : { ...f, body };
  }

  private seq(s: SeqExpr): SeqExpr {
    let changed = false;
    const blocks = s.blocks.map((b) => {
      const nb = this.block(b);
      if (nb !== b) changed = true;
      return nb;
    });
    // A call that ends an if-branch (`y = R.nn.relu(x)` as the branch's last line) is the branch body, not a
    // binding: bind it to a fresh var so it is lowered, and so every later pass sees calls only in bindings.
    if (s.body.kind === 'relax.Call') {
      const v = relaxVar('lv', this.infer(s.body), false, s.body.span);
      const bound = this.block({ kind: 'relax.BindingBlock', bindings: [{ kind: 'relax.VarBinding', v, value: s.body }] });
      return { ...s, blocks: [...blocks, bound], body: v };
    }
    return changed ? { ...s, blocks } : s;
  }

  private block(b: BindingBlock): BindingBlock {
    const out: Binding[] = [];
    let changed = false;
    for (const binding of b.bindings) {
      const r = this.binding(binding, b.kind === 'relax.DataflowBlock');
      if (r.length !== 1 || r[0] !== binding) changed = true;
      out.push(...r);
    }
    return changed ? { ...b, bindings: out } : b;
  }

  private binding(b: Binding, dataflow: boolean): Binding[] {
    const v = b.value;
    if (v.kind === 'relax.If') {
      const t = this.seq(v.trueBranch);
      const f = this.seq(v.falseBranch);
      return t === v.trueBranch && f === v.falseBranch ? [b] : [{ ...b, value: { ...v, trueBranch: t, falseBranch: f } }];
    }
    if (v.kind === 'relax.Function') return [{ ...b, value: this.function(v) }];
    if (b.kind !== 'relax.VarBinding' || v.kind !== 'relax.Call' || v.op.kind !== 'relax.Op') return [b];
    const packed = CALL_PACKED[v.op.name];
    const legalize = lookupLegalize(v.op.name);
    if (!packed && !legalize) return [b];
    if (packed) return [{ ...b, value: callPacked(packed, v, b.v.name, b.v.sinfo.kind === 'si.Object' ? this.infer(v) : b.v.sinfo) }];
    if (!legalize) return [b];
    const shaped = bindRuntimeShapes(v, dataflow);
    const c = shaped.call;
    const out = shaped.pre.length ? this.infer(c) : b.v.sinfo.kind === 'si.Object' ? this.infer(v) : b.v.sinfo;
    const kctx = new CallKernel(c, out, (e) => this.infer(e), dataflow);
    let kernel: LegalizedKernel | undefined;
    try {
      kernel = legalize(kctx);
    } catch (e) {
      if (!(e instanceof LegalizeDecline)) throw e;
      kctx.fail(e.message);
    }
    if (!kernel) {
      this.decline(b, v, kctx.failure ?? 'its legalization does not support these arguments');
      return [b];
    }
    const gv = this.addKernel(kernel, kctx, b.v.name);
    return [...shaped.pre, ...kctx.pre, { ...b, value: this.callTir(gv, kernel, kctx, out, b.v.name, v) }];
  }

  private infer(e: Expr): StructInfo {
    if (e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar') return e.sinfo;
    return inferExprSInfo(e, { lookupGlobal: () => undefined, report: () => undefined });
  }

  private decline(b: Binding, v: Call, reason: string): void {
    const name = v.op.kind === 'relax.Op' ? v.op.name.replace(/^relax\./, 'R.') : 'this call';
    this.ctx.report({
      code: 'B601',
      severity: 'error',
      message: `${name} is lowered to a TIR kernel, which needs known shapes and dtypes. However, at \`${b.v.name}\` in ${this.fnName}, ${reason}.`,
      ...(b.span ?? v.span ? { span: (b.span ?? v.span)! } : {}),
    });
  }

  private addKernel(k: LegalizedKernel, kctx: CallKernel, source: string): GlobalVar {
    const base = primFunc([...k.inputs, ...k.outputs]);
    const scalars = this.scalarParams(base);
    let func: PrimFunc = { ...base, params: [...base.params, ...scalars] };
    if (k.reshape) func = { ...func, attrs: attrDict([...(func.attrs?.entries ?? []), ['relax_studio.reshape', true]]) };
    const h = structuralHash(func);
    const same = (this.byHash.get(h) ?? []).find((e) => e.base === k.name && isStructurallyEqual(e.func, func));
    kctx.scalarOrder = scalars;
    if (same) {
      same.provenance.add(source);
      return same.gv;
    }
    const entry: KernelEntry = { base: k.name, func, gv: { kind: 'relax.GlobalVar', name: this.freshName(k.name) }, provenance: new Set([source]) };
    this.kernels.push(entry);
    this.byHash.set(h, [...(this.byHash.get(h) ?? []), entry]);
    return entry.gv;
  }

  /** Kernel-local vars used anywhere that no buffer dimension binds directly. */
  private scalarParams(f: PrimFunc): TirVar[] {
    const bound = new Set<TirVar>();
    for (const buf of f.bufferMap.values()) for (const d of buf.shape) if (d.kind === 'tir.Var') bound.add(d);
    const used: TirVar[] = [];
    const seen = new Set<TirVar>();
    const visit = (v: TirVar): void => {
      if (seen.has(v)) return;
      seen.add(v);
      used.push(v);
    };
    for (const buf of f.bufferMap.values()) buf.shape.forEach((d) => collectVars(d, visit));
    stmtVars(f.body, visit);
    const local = new Set<TirVar>();
    stmtLocals(f.body, local);
    return used.filter((v) => !bound.has(v) && !local.has(v) && v.dtype !== 'handle');
  }

  private callTir(gv: GlobalVar, k: LegalizedKernel, kctx: CallKernel, out: StructInfo, source: string, orig: Call): Call {
    const args: Expr[] = k.inputs.map((t) => {
      const a = kctx.inputArgs.get(t);
      if (!a) throw new Error(`legalizer of ${orig.op.kind === 'relax.Op' ? orig.op.name : '?'} returned an input it did not get from ctx.input`);
      return a;
    });
    const inverse = new Map<TirVar, TirVar>();
    for (const [relaxV, localV] of kctx.vars) inverse.set(localV, relaxV);
    for (const s of kctx.scalarOrder) {
      const rv = inverse.get(s);
      args.push({ kind: 'relax.PrimValue', value: rv ?? s });
    }
    const outs = out.kind === 'si.Tuple' ? out.fields : [out];
    const c = call(op('relax.call_tir'), [gv, { kind: 'relax.Tuple', fields: args }], null, outs, orig.span);
    return { ...c, provenance: orig.provenance ?? [source] };
  }

  private freshName(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}${i}`;
    this.taken.add(name);
    return name;
  }
}

// ---------------------------------------------------------------- run-time-sized arguments

/**
 * Tensors whose rank is known but whose dims are not (`R.Tensor(dtype="int64", ndim=1)`, e.g. after `R.unique`)
 * are matched to fresh symbolic dims first (`lv_m = R.match_cast(lv, R.Tensor((lv_d0,), dtype="int64"))`), as
 * TVM's frontends do before a kernel can take them: the kernel is then the ordinary symbolic-shape one, and
 * VMShapeLower binds the dims at run time.
 */
function bindRuntimeShapes(c: Call, dataflow: boolean): { pre: Binding[]; call: Call } {
  const pre: Binding[] = [];
  const args = c.args.map((a) => {
    if (a.kind !== 'relax.Var' && a.kind !== 'relax.DataflowVar') return a;
    const si = a.sinfo;
    if (si.kind !== 'si.Tensor' || !si.dtype || si.ndim < 0 || tensorDims(si)) return a;
    const dims = Array.from({ length: si.ndim }, (_, k) => tvar(`${a.name}_d${k}`, 'int64'));
    const sinfo = SI.tensor(dims, si.dtype, si.vdevice);
    const v = relaxVar(`${a.name}_m`, sinfo, dataflow, a.span);
    pre.push({ kind: 'relax.MatchCast', v, value: a, sinfo });
    return v;
  });
  return pre.length ? { pre, call: { ...c, args } } : { pre, call: c };
}

// ---------------------------------------------------------------- FCallPacked ops

interface CallPackedRule {
  readonly name: string;
  /** Pure ops become `R.call_pure_packed`, impure ones (print, assert_op) `R.call_packed`. */
  readonly pure: boolean;
  /** The packed function's arguments, from the call. */
  readonly args: (c: Call, format: Expr) => Expr[];
}

/** `R.assert_op(c, (a, b))` lists its format values as a tuple literal; any other argument is one value. */
function formatValues(args: readonly Expr[]): Expr[] {
  const only = args.length === 1 ? args[0]! : undefined;
  return only?.kind === 'relax.Tuple' ? [...only.fields] : [...args];
}

const passArgs = (c: Call): Expr[] => [...c.args];

/** Ops TVM marks with `FCallPacked`: the runtime function and its argument order. */
const CALL_PACKED: Readonly<Record<string, CallPackedRule>> = {
  'relax.print': { name: 'relax.run.print', pure: false, args: (c, format) => [format, ...c.args] },
  'relax.assert_op': { name: 'relax.run.assert_op', pure: false, args: (c, format) => [c.args[0]!, format, ...formatValues(c.args.slice(1))] },
  'relax.shape_to_tensor': { name: 'relax.run.shape_to_tensor', pure: true, args: passArgs },
  'relax.unique': { name: 'relax.run.unique', pure: true, args: passArgs },
  'relax.nonzero': { name: 'relax.run.nonzero', pure: true, args: passArgs },
};

function callPacked(rule: CallPackedRule, c: Call, source: string, sinfo: StructInfo): Call {
  const fmt = attrGet(c.attrs, 'format');
  const format: Expr = { kind: 'relax.StringImm', value: typeof fmt === 'string' ? fmt : '' };
  const callee: ExternFunc = { kind: 'relax.ExternFunc', globalSymbol: rule.name };
  const args = rule.args(c, format);
  const out = rule.pure ? call(op('relax.call_pure_packed'), [callee, ...args], null, [sinfo], c.span) : call(callee, args, null, [sinfo], c.span);
  return { ...out, provenance: c.provenance ?? [source] };
}

/** Loop vars, block iter vars and let vars: defined inside the kernel, never parameters. */
function stmtLocals(s: Stmt, out: Set<TirVar>): void {
  switch (s.kind) {
    case 'tir.SeqStmt':
      s.seq.forEach((x) => stmtLocals(x, out));
      return;
    case 'tir.For':
      out.add(s.loopVar);
      stmtLocals(s.body, out);
      return;
    case 'tir.IfThenElse':
      stmtLocals(s.then, out);
      if (s.else) stmtLocals(s.else, out);
      return;
    case 'tir.LetStmt':
      out.add(s.v);
      stmtLocals(s.body, out);
      return;
    case 'tir.AssertStmt':
      stmtLocals(s.body, out);
      return;
    case 'tir.BlockRealize':
      s.block.iterVars.forEach((iv) => out.add(iv.v));
      if (s.block.init) stmtLocals(s.block.init, out);
      stmtLocals(s.block.body, out);
      return;
    default:
      return;
  }
}

/** The LegalizeOps pass. */
export function legalizeOps(): Pass {
  return { name: 'LegalizeOps', run: (mod, ctx) => new Legalizer(mod, ctx).run() };
}
