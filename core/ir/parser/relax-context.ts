/**
 * Shared state of the Relax builder: the module context (diagnostics, import aliases, module functions,
 * dialect flags), name scopes for Relax vars and symbolic (TIR) vars, and `FnBuilder`, which accumulates the
 * binding blocks of one function body and emits fresh bindings for nested calls (TVM's BlockBuilder normalize).
 * Expression, annotation and statement building live in relax-expr.ts, relax-sinfo.ts and relax-stmt.ts.
 */
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { AttrDict } from '../attrs.js';
import type { PyExpr } from './pyast.js';
import type { Span } from '../span.js';
import type { Binding, BindingBlock, Expr, RelaxVar, StructInfo } from '../relax/nodes.js';
import type { TirVar } from '../tir/nodes.js';
import { relaxVar, SI } from '../relax/nodes.js';
import { inferExprSInfo } from '../relax/infer.js';

/** Local names bound to the TVMScript namespaces, resolved to canonical paths (`R`, `T`, `I`, `tvm`, ...). */
export class Aliases {
  private readonly map = new Map<string, readonly string[]>([
    ['R', ['R']],
    ['T', ['T']],
    ['I', ['I']],
    ['tvm', ['tvm']],
  ]);
  /** Binds a local name to a canonical path (`R`, `I.ir_module`, ...). */
  set(local: string, path: readonly string[]): void {
    this.map.set(local, path);
  }
  /** Names bound to the TIR namespace, which the TIR builder needs. */
  tNames(): Set<string> {
    const out = new Set<string>();
    for (const [k, v] of this.map) if (v.length === 1 && v[0] === 'T') out.add(k);
    return out;
  }
  /**
   * The canonical dotted path of a Name/Attribute chain: `R.nn.conv2d` -> ["R","nn","conv2d"], with
   * `tvm.script.relax` -> R, `tvm.script.tir`/`tirx` -> T, `tvm.script.ir` -> I. Null for other expressions.
   */
  qualName(e: PyExpr): string[] | null {
    const parts: string[] = [];
    let cur: PyExpr = e;
    while (cur.kind === 'Attribute') {
      parts.push(cur.attr);
      cur = cur.value;
    }
    if (cur.kind !== 'Name') return null;
    parts.reverse();
    const head = this.map.get(cur.id) ?? [cur.id];
    return canonicalPath([...head, ...parts]);
  }
}

const SCRIPT_NS: Readonly<Record<string, string>> = { relax: 'R', tir: 'T', tirx: 'T', ir: 'I', ir_module: 'I.ir_module' };

function canonicalPath(p: string[]): string[] {
  if (p[0] === 'tvm' && p[1] === 'script' && p.length > 2) {
    const ns = SCRIPT_NS[p[2]!];
    if (ns) return [...ns.split('.'), ...p.slice(3)];
  }
  return p;
}

/** What a module function looks like to callers before (and after) its body is built. */
export interface GlobalEntry {
  readonly kind: 'relax' | 'tir';
  sinfo: StructInfo;
  readonly span: Span;
}

/** Module-wide parse state. */
export interface ModuleCtx {
  readonly text: string;
  readonly diags: DiagnosticBag;
  readonly aliases: Aliases;
  /** RFC dialect detected: undeclared shape names become symbolic vars with a warning. */
  readonly rfc: boolean;
  readonly globals: Map<string, GlobalEntry>;
  /** The class name (`Module`), which bodies may use as `Module.f` or alias as `cls = Module`. */
  readonly moduleName: string | null;
  /** Names declared at module level with `M = TypeVar("M")`. */
  readonly typeVarNames: ReadonlySet<string>;
  /** Errors the builder reported (kept as a count so statement-level checks stay O(1)). */
  readonly counters: { errors: number };
}

/** A chained map scope; lookups walk at most the nesting depth, so name resolution stays O(1) per use. */
export class Scope<V> {
  private readonly m = new Map<string, V>();
  constructor(readonly parent?: Scope<V>) {}
  lookup(name: string): V | undefined {
    const v = this.m.get(name);
    if (v !== undefined || !this.parent) return v;
    return this.parent.lookup(name);
  }
  define(name: string, v: V): void {
    this.m.set(name, v);
  }
  has(name: string): boolean {
    return this.m.has(name);
  }
  entries(): IterableIterator<[string, V]> {
    return this.m.entries();
  }
}

/** What a Python name means inside a Relax function body. */
export type RelaxScopeItem = RelaxVar | { readonly kind: 'moduleAlias' };

/** The bindings being collected for one SeqExpr (function body or if-branch). */
export interface Frame {
  readonly blocks: BindingBlock[];
  cur: Binding[];
  /** Non-null while inside `with R.dataflow()`: the names the block outputs. */
  dataflow: ReadonlySet<string> | null;
}

/** See `FnBuilder.checkpoint`. */
export interface Checkpoint {
  readonly errors: number;
  readonly frame: Frame;
  readonly len: number;
}

/** Builds one Relax function: scopes, binding frames, fresh names, inference. */
export class FnBuilder {
  scope: Scope<RelaxScopeItem>;
  sym: Scope<TirVar>;
  frame: Frame = { blocks: [], cur: [], dataflow: null };
  /** The value each binding var was bound to (for the RFC's `call_tir(f, args, shape_var, dtype)`). */
  readonly boundValues = new Map<RelaxVar, Expr>();
  /** `R.func_attr({...})` of this function, when written. */
  funcAttrs: AttrDict | undefined;
  /** Names bound only inside an if-branch, for the "escapes the branch" diagnostic. */
  readonly branchLocals = new Map<string, Span>();
  private readonly used: Set<string>;
  private readonly counters = new Map<string, number>();

  constructor(
    readonly mod: ModuleCtx,
    parent?: FnBuilder,
    usedNames: Set<string> = new Set(),
  ) {
    this.scope = new Scope(parent?.scope);
    this.sym = new Scope(parent?.sym);
    this.used = usedNames;
    this.funcAttrs = undefined;
  }

  /** Marks the current statement as failed without a new diagnostic (the syntax error was already reported). */
  failSilently(): void {
    this.mod.counters.errors++;
  }

  /** A checkpoint taken before building a statement. */
  checkpoint(): Checkpoint {
    return { errors: this.mod.counters.errors, frame: this.frame, len: this.frame.cur.length };
  }

  /**
   * True when builder errors were reported since `c`; the bindings emitted since then (normalized nested calls
   * of the failed statement) are dropped, so a skipped statement leaves nothing half-built behind.
   */
  failedSince(c: Checkpoint): boolean {
    if (this.mod.counters.errors === c.errors) return false;
    if (this.frame === c.frame && this.frame.cur.length >= c.len) this.frame.cur.length = c.len;
    return true;
  }

  error(code: string, message: string, span?: Span): void {
    this.mod.counters.errors++;
    this.mod.diags.error(code, message, span);
  }
  warning(code: string, message: string, span?: Span): void {
    this.mod.diags.warning(code, message, span);
  }

  /** The source text of a node, for opaque attribute values and messages. */
  src(span: Span): string {
    return this.mod.text.slice(span.start, span.end);
  }

  /** A name unique in this function: `lv`, `lv1`, `lv2`, ... skipping names the source uses. */
  fresh(base: string): string {
    let n = this.counters.get(base) ?? 0;
    let name = n === 0 ? base : `${base}${n}`;
    while (this.used.has(name)) {
      n++;
      name = `${base}${n}`;
    }
    this.counters.set(base, n + 1);
    this.used.add(name);
    return name;
  }

  /** Struct info of an expression; inference bugs become R299 rather than exceptions. */
  infer(e: Expr): StructInfo {
    try {
      return inferExprSInfo(e, {
        lookupGlobal: (name) => this.mod.globals.get(name)?.sinfo,
        report: (d) => this.mod.diags.add(d),
      });
    } catch (err) {
      this.error('R299', `Struct-info inference must not fail. However, it threw: ${String(err)}`, e.span);
      return SI.object();
    }
  }

  /** Makes the var for a binding: a DataflowVar inside a dataflow block unless the block outputs it. */
  newVar(name: string, sinfo: StructInfo, span?: Span): RelaxVar {
    const df = this.frame.dataflow;
    return relaxVar(name, sinfo, df !== null && !df.has(name), span);
  }

  /** Appends a binding to the current block. */
  push(b: Binding): void {
    this.frame.cur.push(b);
  }

  /** Binds `value` to a fresh var (normalization of a nested call) and returns the var. */
  emitFresh(value: Expr, base = 'lv'): RelaxVar {
    const v = this.newVar(this.fresh(base), this.infer(value), value.span);
    this.push({ kind: 'relax.VarBinding', v, value, ...(value.span ? { span: value.span } : {}) });
    return v;
  }

  /** Closes the current non-empty block into the frame's block list. */
  flush(dataflow = false): void {
    const f = this.frame;
    if (f.cur.length === 0) return;
    f.blocks.push({ kind: dataflow ? 'relax.DataflowBlock' : 'relax.BindingBlock', bindings: f.cur });
    f.cur = [];
  }
}
