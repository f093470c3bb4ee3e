/**
 * Relax -> Doc: functions, bindings, dataflow blocks, If, calls (README rules 1-8), literals and struct info, in the
 * v0.26 spelling or the classic one. Symbolic vars first seen in a signature print there as strings and are
 * declared at the top of the body (`n = T.int64()`), or as PEP 695 type parameters when the function has them.
 * Leaves module layout to printer.ts, PrimExprs to prim.ts, and TIR functions to tir-printer.ts.
 */
import { opScriptName } from '../op/registry.js';
import type { AttrDict } from '../attrs.js';
import type { PrimExpr, TirVar } from '../tir/nodes.js';
import { isFloatDtype } from '../tir/nodes.js';
import type {
  Binding, BindingBlock, Call, Constant, Expr, If, PrimValue, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
  TensorSInfo, Tuple,
} from '../relax/nodes.js';
import type { PrintCtx } from './context.js';
import { Namer } from './context.js';
import type { Doc } from './doc.js';
import { block, LINE, span } from './doc.js';
import type { PrimEnv } from './prim.js';
import { intText, printAttrValue, printPrim } from './prim.js';
import { pyFloatRepr, pyStr } from './pyfloat.js';

/** Symbolic vars introduced by one function (declared at the top of its body). */
interface FnFrame {
  readonly decls: TirVar[];
  readonly declSet: Set<TirVar>;
  readonly typeParams: ReadonlySet<TirVar>;
}

/** Ops whose first argument is a callee printed specially and whose second is the argument tuple. */
const DPS_OPS = new Set(['relax.call_tir', 'relax.call_tir_inplace', 'relax.call_tir_with_grad', 'relax.call_dps_packed']);
/** Ops whose first argument is an ExternFunc that prints as a bare string (README rule 4). */
const PACKED_OPS = new Set(['relax.call_pure_packed', 'relax.call_dps_packed']);

/**
 * Prints Relax functions and expressions. One instance per top-level function (names are unique within it);
 * `printExpr`/`printStructInfo` use a throwaway instance.
 */
export class RelaxPrinter {
  private readonly namer = new Namer();
  private readonly frames: FnFrame[] = [];
  private inSig = false;
  private sawSigVar = false;
  private usedCls = false;
  private readonly env: PrimEnv;

  constructor(private readonly ctx: PrintCtx) {
    ctx.usedR = true;
    this.namer.reserve(ctx.moduleName);
    this.env = {
      varName: (v) => this.symName(v),
      bufferName: (b) => b.name,
      plainInt: 'int64',
      t: (n) => ctx.t(n),
    };
  }

  // ------------------------------------------------------------ functions

  /** A module-level function: decorator, signature, declarations, attrs, `cls = Module`, body. */
  printFunction(name: string, fn: RelaxFunction): Doc {
    this.usedCls = false;
    return this.functionDoc(name, fn, true);
  }

  private functionDoc(name: string, fn: RelaxFunction, top: boolean): Doc {
    const frame: FnFrame = { decls: [], declSet: new Set(), typeParams: new Set(fn.typeParams ?? []) };
    this.frames.push(frame);
    const tps = (fn.typeParams ?? []).map((v) => this.namer.name(v, v.name));
    this.inSig = true;
    const params = fn.params.map((p) => `${this.namer.name(p, p.name)}: ${this.sinfo(p.sinfo)}`);
    const ret = this.sinfo(fn.retSInfo);
    this.inSig = false;
    const body = this.seqStmts(fn.body, true);
    this.frames.pop();
    const head: Doc[] = frame.decls.map((v) => `${this.namer.get(v)!} = ${this.ctx.t(v.dtype)}()`);
    if (fn.attrs && fn.attrs.entries.length > 0) head.push(`R.func_attr(${printAttrValue(fn.attrs, this.env)})`);
    if (top && this.usedCls) head.push(`cls = ${this.ctx.moduleName}`);
    const tparams = tps.length > 0 ? `[${tps.join(', ')}]` : '';
    const def = `def ${name}${tparams}(${params.join(', ')}) -> ${ret}:`;
    return span(fn, [decorator(fn), LINE, block(def, [...head, ...body])]);
  }

  // ------------------------------------------------------------ bindings and blocks

  private seqStmts(seq: SeqExpr, ret: boolean): Doc[] {
    const out: Doc[] = [];
    for (const b of seq.blocks) this.blockStmts(b, out);
    if (ret) out.push(`return ${this.expr(seq.body)}`);
    return out;
  }

  private blockStmts(b: BindingBlock, out: Doc[]): void {
    if (b.kind === 'relax.BindingBlock') {
      for (const x of b.bindings) out.push(this.binding(x));
      return;
    }
    const stmts = b.bindings.map((x) => this.binding(x));
    const outputs = b.bindings.filter((x) => x.v.kind === 'relax.Var').map((x) => this.namer.get(x.v)!);
    stmts.push(`R.output(${outputs.join(', ')})`);
    out.push(span(b, block('with R.dataflow():', stmts)));
  }

  private binding(b: Binding): Doc {
    if (b.kind === 'relax.MatchCast') {
      const value = this.expr(b.value);
      const target = this.sinfo(b.sinfo);
      return span(b, `${this.varDef(b.v)}: ${this.sinfo(b.v.sinfo)} = R.match_cast(${value}, ${target})`);
    }
    if (b.value.kind === 'relax.If') return span(b, this.ifDoc(b.v, b.value));
    if (b.value.kind === 'relax.Function') return span(b, this.functionDoc(this.varDef(b.v), b.value, false));
    const value = this.expr(b.value);
    return span(b, `${this.varDef(b.v)}: ${this.sinfo(b.v.sinfo)} = ${value}`);
  }

  /** README rule 7: each branch ends with `y: <sinfo> = <branch body>`. */
  private ifDoc(v: RelaxVar, e: If): Doc {
    const cond = this.expr(e.cond);
    const name = this.varDef(v);
    const ann = this.sinfo(v.sinfo);
    const branch = (s: SeqExpr): Doc[] => {
      const stmts = this.seqStmts(s, false);
      stmts.push(`${name}: ${ann} = ${this.expr(s.body)}`);
      return stmts;
    };
    const thenDoc = block(`if ${cond}:`, branch(e.trueBranch));
    const elseDoc = block('else:', branch(e.falseBranch));
    return [thenDoc, LINE, elseDoc];
  }

  private varDef(v: RelaxVar): string {
    return this.namer.name(v, v.name);
  }

  // ------------------------------------------------------------ symbolic vars

  private symName(v: TirVar): string {
    let name = this.namer.get(v);
    const frame = this.frames[this.frames.length - 1];
    if (name === undefined) {
      name = this.namer.name(v, v.name);
      if (frame && !frame.typeParams.has(v)) {
        frame.decls.push(v);
        frame.declSet.add(v);
      }
    }
    if (this.inSig && frame?.declSet.has(v)) this.sawSigVar = true;
    return name;
  }

  /** A shape dim; in a signature, a dim that uses a var the signature introduces prints as a string. */
  private dim(e: PrimExpr): string {
    if (!this.inSig) return printPrim(e, this.env);
    const saved = this.sawSigVar;
    this.sawSigVar = false;
    const text = printPrim(e, this.env);
    const quoted = this.sawSigVar ? pyStr(text) : text;
    this.sawSigVar = saved;
    return quoted;
  }

  private dims(es: readonly PrimExpr[]): string[] {
    return es.map((e) => this.dim(e));
  }

  // ------------------------------------------------------------ struct info

  /** Struct info as an annotation: `R.Tensor((n, 4), dtype="float32")`, `R.Any`, `T.int64`, ... */
  sinfo(si: StructInfo): string {
    switch (si.kind) {
      case 'si.Object':
        return this.ctx.classic ? 'R.Object' : 'R.Any';
      case 'si.Prim':
        // A known value has no v0.26 spelling; keeping `R.Prim(value=...)` loses nothing (core/ir/README.md, 13).
        if (si.value) return `R.Prim(value=${this.dim(si.value)})`;
        return this.ctx.classic ? `R.Prim(${pyStr(si.dtype)})` : this.ctx.t(si.dtype);
      case 'si.Shape':
        if (si.values) return `R.Shape([${this.dims(si.values).join(', ')}])`;
        return si.ndim >= 0 ? `R.Shape(ndim=${si.ndim})` : 'R.Shape';
      case 'si.Tensor':
        return this.tensorSInfo(si);
      case 'si.Tuple':
        return si.fields.length === 0 ? 'R.Tuple' : `R.Tuple(${si.fields.map((f) => this.sinfo(f)).join(', ')})`;
      case 'si.Func':
        if (si.packed) return 'R.PackedFunc';
        if (!si.params) return `R.Callable(ret=${this.sinfo(si.ret)}, purity=${pyBool(si.purity)})`;
        return `R.Callable(${tupleText(si.params.map((p) => this.sinfo(p)))}, ${this.sinfo(si.ret)}, ${pyBool(si.purity)})`;
    }
  }

  private tensorSInfo(si: TensorSInfo): string {
    const args: string[] = [];
    let dims = si.shape?.kind === 'relax.ShapeExpr' ? si.shape.values : undefined;
    let shapeVar = si.shape && si.shape.kind !== 'relax.ShapeExpr' ? si.shape : undefined;
    // A signature cannot name a body var: fall back to what the var's own struct info knows.
    if (shapeVar && this.inSig && this.namer.get(shapeVar) === undefined) {
      dims = shapeVar.sinfo.kind === 'si.Shape' ? shapeVar.sinfo.values : undefined;
      shapeVar = undefined;
    }
    if (dims) args.push(tupleText(this.dims(dims)));
    else if (shapeVar) args.push(this.expr(shapeVar));
    if (si.dtype) args.push(`dtype=${pyStr(si.dtype)}`);
    if (!dims && !shapeVar && si.ndim >= 0) args.push(`ndim=${si.ndim}`);
    if (si.vdevice) args.push(`vdevice=${pyStr(si.vdevice)}`);
    return args.length === 0 ? 'R.Tensor' : `R.Tensor(${args.join(', ')})`;
  }

  // ------------------------------------------------------------ expressions

  /** An expression in value position. */
  expr(e: Expr): string {
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return this.namer.name(e, e.name);
      case 'relax.GlobalVar':
        this.usedCls = true;
        return `cls.${e.name}`;
      case 'relax.Op':
        return opScriptName(e.name);
      case 'relax.ExternFunc':
        return `R.ExternFunc(${pyStr(e.globalSymbol)})`;
      case 'relax.Call':
        return this.call(e);
      case 'relax.Tuple':
        return e.fields.length === 0 ? 'R.tuple()' : tupleText(e.fields.map((f) => this.expr(f)));
      case 'relax.TupleGetItem':
        return `${this.expr(e.tuple)}[${e.index}]`;
      case 'relax.Constant':
        return constantText(e);
      case 'relax.ShapeExpr':
        return `R.shape([${this.dims(e.values).join(', ')}])`;
      case 'relax.PrimValue':
        return this.primValue(e);
      case 'relax.StringImm':
        return `R.str(${pyStr(e.value)})`;
      case 'relax.DataTypeImm':
        return `R.dtype(${pyStr(e.value)})`;
      case 'relax.SeqExpr':
        return this.expr(e.body);
      case 'relax.If':
        return `R.If(${this.expr(e.cond)}, ${this.expr(e.trueBranch.body)}, ${this.expr(e.falseBranch.body)})`;
      case 'relax.Function':
        return 'R.function';
    }
  }

  /** README rule 5: bare int64/float64/bool immediates in v0.26, `R.prim_value(...)` otherwise. */
  private primValue(e: PrimValue, bare = false): string {
    const v = e.value;
    if (!this.ctx.classic) {
      if (v.kind === 'tir.IntImm' && v.dtype === 'int64') return intText(v.value);
      if (v.kind === 'tir.IntImm' && v.dtype === 'bool') return pyBool(v.value !== 0);
      if (v.kind === 'tir.FloatImm' && v.dtype === 'float64' && Number.isFinite(v.value)) return pyFloatRepr(v.value);
      if (bare) return printPrim(v, this.env);
    }
    return `R.prim_value(${printPrim(v, this.env)})`;
  }

  private call(c: Call): string {
    const callee = c.op;
    switch (callee.kind) {
      case 'relax.Op':
        return this.opCall(callee.name, c);
      case 'relax.ExternFunc':
        return `R.call_packed(${[pyStr(callee.globalSymbol), ...this.args(c.args), ...this.attrs(c.attrs), ...this.tyArgs(c)].join(', ')})`;
      case 'relax.GlobalVar':
      case 'relax.Var':
      case 'relax.DataflowVar':
        return `${this.expr(callee)}(${[...this.args(c.args), ...this.attrs(c.attrs)].join(', ')})`;
    }
  }

  private opCall(name: string, c: Call): string {
    if (DPS_OPS.has(name)) return this.dpsCall(name, c);
    const args = c.args.map((a, i) => (i === 0 && PACKED_OPS.has(name) ? this.calleeArg(a) : this.expr(a)));
    return `${opScriptName(name)}(${[...args, ...this.attrs(c.attrs), ...this.tyArgs(c)].join(', ')})`;
  }

  /** `R.call_tir(cls.f, (x, w), out_ty=...)`; classic splits trailing symbolic PrimValues into `tir_vars=`. */
  private dpsCall(name: string, c: Call): string {
    const [callee, argTuple, ...rest] = c.args;
    const parts: string[] = [];
    if (callee) parts.push(this.calleeArg(callee));
    let tirVars: PrimValue[] = [];
    if (argTuple?.kind === 'relax.Tuple') {
      const split = this.ctx.classic && name !== 'relax.call_dps_packed' ? splitTirVars(argTuple) : { fields: argTuple.fields, tirVars: [] };
      tirVars = split.tirVars;
      parts.push(this.dpsArgs(split.fields));
    } else if (argTuple) parts.push(this.expr(argTuple));
    parts.push(...this.args(rest));
    const outTy = `${this.ctx.classic ? 'out_sinfo' : 'out_ty'}=${this.sinfoList(c.sinfoArgs)}`;
    const attrs = this.attrs(c.attrs);
    if (name === 'relax.call_tir_inplace') parts.push(...attrs, outTy);
    else parts.push(outTy, ...attrs);
    if (tirVars.length > 0) parts.push(`tir_vars=R.shape([${tirVars.map((p) => printPrim(p.value, this.env)).join(', ')}])`);
    return `${opScriptName(name)}(${parts.join(', ')})`;
  }

  /** The argument tuple of a DPS call; v0.26 writes symbolic scalars inline and bare. */
  private dpsArgs(fields: readonly Expr[]): string {
    return tupleText(fields.map((f) => (f.kind === 'relax.PrimValue' ? this.primValue(f, true) : this.expr(f))));
  }

  private calleeArg(a: Expr): string {
    return a.kind === 'relax.ExternFunc' ? pyStr(a.globalSymbol) : this.expr(a);
  }

  private args(es: readonly Expr[]): string[] {
    return es.map((a) => this.expr(a));
  }

  private attrs(d: AttrDict | null | undefined): string[] {
    if (!d) return [];
    return d.entries.map(([k, v]) => `${k}=${printAttrValue(v, this.env)}`);
  }

  private tyArgs(c: Call): string[] {
    if (c.sinfoArgs.length === 0) return [];
    return [`${this.ctx.classic ? 'sinfo_args' : 'ty_args'}=${this.sinfoList(c.sinfoArgs)}`];
  }

  /** One struct info bare, several (or none) as a list. */
  private sinfoList(sis: readonly StructInfo[]): string {
    if (sis.length === 1) return this.sinfo(sis[0]!);
    return `[${sis.map((s) => this.sinfo(s)).join(', ')}]`;
  }
}

/** Trailing PrimValues of a call_tir tuple (README rule 3): classic prints them as `tir_vars=R.shape([...])`. */
function splitTirVars(t: Tuple): { fields: readonly Expr[]; tirVars: PrimValue[] } {
  let i = t.fields.length;
  while (i > 0) {
    const f = t.fields[i - 1]!;
    if (f.kind !== 'relax.PrimValue' || f.value.kind === 'tir.IntImm' || f.value.kind === 'tir.FloatImm') break;
    i--;
  }
  return { fields: t.fields.slice(0, i), tirVars: t.fields.slice(i) as PrimValue[] };
}

function decorator(fn: RelaxFunction): string {
  const opts: string[] = [];
  if (!fn.isPure) opts.push('pure=False');
  if (fn.isPrivate) opts.push('private=True');
  return opts.length > 0 ? `@R.function(${opts.join(', ')})` : '@R.function';
}

/** `(a, b)`, `(a,)`, `()`. */
export function tupleText(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** `R.const(1.0, "float32")`, `R.const([[1, 2], [3, 4]], "int32")`, or a metadata reference. */
export function constantText(c: Constant): string {
  if (c.metaRef) return `metadata[${pyStr(c.metaRef.key)}][${c.metaRef.index}]`;
  const data = c.data ?? [];
  const shape = c.shape ?? (data.length === 1 ? [] : [data.length]);
  const scalar = (x: number | boolean | undefined): string => scalarText(x ?? 0, c.dtype);
  const value = shape.length === 0 ? scalar(data[0]) : nested(shape, 0, { i: 0 }, data, scalar);
  return `R.const(${value}, ${pyStr(c.dtype)})`;
}

function nested(
  shape: readonly number[],
  axis: number,
  cursor: { i: number },
  data: readonly (number | boolean)[],
  scalar: (x: number | boolean | undefined) => string,
): string {
  const items: string[] = [];
  const n = shape[axis]!;
  for (let k = 0; k < n; k++) {
    if (axis === shape.length - 1) items.push(scalar(data[cursor.i++]));
    else items.push(nested(shape, axis + 1, cursor, data, scalar));
  }
  return `[${items.join(', ')}]`;
}

function scalarText(x: number | boolean, dtype: string): string {
  if (dtype === 'bool') return pyBool(typeof x === 'boolean' ? x : x !== 0);
  const n = typeof x === 'boolean' ? Number(x) : x;
  if (isFloatDtype(dtype)) return Number.isFinite(n) ? pyFloatRepr(n) : `float(${pyStr(pyFloatRepr(n))})`;
  return intText(n, dtype);
}
