/**
 * TVMScript printer entry points: IRModule -> Doc -> text. Lays out the header comments, the metadata payload, the
 * `@I.ir_module` class with module attrs and global infos, and the functions in module order separated by one blank
 * line. Relax functions go to relax-printer.ts, PrimFuncs to tir-printer.ts. v0.26 spelling by default, classic on
 * request. Leaves parsing (and so the round-trip check) to core/ir/parser.
 */
import type { IRModule, GlobalInfo } from '../module.js';
import type { Expr, StructInfo } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import type { Dialect, PrintOptions } from './index.js';
import { PrintCtx } from './context.js';
import type { Doc, PrintedRange } from './doc.js';
import { block, LINE, renderDoc } from './doc.js';
import { printAttrValue, printPrim } from './prim.js';
import type { PrimEnv } from './prim.js';
import { pyTripleQuoted } from './pyfloat.js';
import { RelaxPrinter } from './relax-printer.js';
import { TirPrinter } from './tir-printer.js';

/** Options for printing a lone PrimExpr: TIR context (int32 plain) by default, Relax shape context on request. */
export interface PrimPrintOptions extends PrintOptions {
  readonly context?: 'tir' | 'relax';
}

/** The printed module and the printed range of every function and binding (keyed by the IR node object). */
export interface PrintedModule {
  readonly text: string;
  readonly spans: Map<object, PrintedRange>;
}

function dialectOf(opts?: PrintOptions): Dialect {
  return opts?.dialect ?? 'v0.26';
}

/** Prints a module as TVMScript. Why: the text view, files on disk and round-trip tests all go through this. */
export function printModule(mod: IRModule, opts?: PrintOptions): string {
  return printModuleWithSpans(mod, opts).text;
}

/**
 * Prints a module and records where each function and binding landed, so the editor can map a graph node to its
 * text range (and back) without re-parsing.
 */
export function printModuleWithSpans(mod: IRModule, opts?: PrintOptions): PrintedModule {
  const ctx = new PrintCtx(dialectOf(opts), mod.name || 'Module');
  const classBody = moduleBody(mod, ctx);
  const doc: Doc[] = [...headerLines(ctx).flatMap((h) => [h, LINE]), LINE];
  if (mod.metadata !== undefined) doc.push(`metadata = tvm.ir.load_json(${pyTripleQuoted(mod.metadata)})`, LINE, LINE);
  doc.push('@I.ir_module', LINE, block(`class ${ctx.moduleName}:`, classBody), LINE);
  return renderDoc(doc, opts?.indent ?? 4);
}

/** Module attrs and global infos, then the functions separated by blank lines. */
function moduleBody(mod: IRModule, ctx: PrintCtx): Doc[] {
  const items: Doc[] = [];
  const env = standaloneEnv(ctx, 'int64');
  if (mod.attrs && mod.attrs.entries.length > 0) items.push(`I.module_attrs(${printAttrValue(mod.attrs, env)})`);
  if (mod.globalInfos && mod.globalInfos.length > 0) items.push(globalInfosLine(mod.globalInfos, env));
  const fns: Doc[] = [];
  for (const [name, fn] of mod.functions) {
    if (fn.kind === 'relax.Function') fns.push(new RelaxPrinter(ctx).printFunction(name, fn));
    else fns.push(new TirPrinter(ctx).printFunction(name, fn));
  }
  // A blank line (no indentation) between consecutive functions: an empty statement renders as an empty line.
  const out: Doc[] = [...items];
  fns.forEach((f, i) => {
    if (i > 0 || items.length > 0) out.push('');
    out.push(f);
  });
  if (out.length === 0) out.push('pass');
  return out;
}

function globalInfosLine(infos: NonNullable<IRModule['globalInfos']>, env: PrimEnv): string {
  const entries = infos.map(([k, list]) => `"${k}": [${list.map((g) => globalInfoText(g, env)).join(', ')}]`);
  return `I.module_global_infos({${entries.join(', ')}})`;
}

function globalInfoText(g: GlobalInfo, env: PrimEnv): string {
  const callee = g.ctor === 'dummy' ? 'I.dummy_global_info' : g.ctor.includes('.') ? g.ctor : `I.${g.ctor}`;
  const args = [...g.args.map((a) => printAttrValue(a, env)), ...g.kwargs.map(([k, v]) => `${k}=${printAttrValue(v, env)}`)];
  return `${callee}(${args.join(', ')})`;
}

function headerLines(ctx: PrintCtx): string[] {
  const out = ['# from tvm.script import ir as I'];
  if (ctx.usedT) out.push(`# from tvm.script import ${ctx.classic ? 'tir' : 'tirx'} as T`);
  if (ctx.usedR) out.push('# from tvm.script import relax as R');
  return out;
}

function standaloneEnv(ctx: PrintCtx, plainInt: string): PrimEnv {
  return { varName: (v) => v.name, bufferName: (b) => b.name, plainInt, t: (n) => ctx.t(n) };
}

/** Struct info as an annotation (`R.Tensor((n, 4), dtype="float32")`), for hovers and the graph's edge labels. */
export function printStructInfo(si: StructInfo, opts?: PrintOptions): string {
  return new RelaxPrinter(new PrintCtx(dialectOf(opts), 'Module')).sinfo(si);
}

/** A PrimExpr as TVMScript (`n * 4`, `T.max(a, b)`), for shape labels and diagnostics. */
export function printPrimExpr(e: PrimExpr, opts?: PrimPrintOptions): string {
  const ctx = new PrintCtx(dialectOf(opts), 'Module');
  return printPrim(e, standaloneEnv(ctx, opts?.context === 'relax' ? 'int64' : 'int32'));
}

/** A Relax expression in value position (`R.add(x, y)`), for the graph view's node labels. */
export function printExpr(e: Expr, opts?: PrintOptions): string {
  return new RelaxPrinter(new PrintCtx(dialectOf(opts), 'Module')).expr(e);
}
