/**
 * IRModule -> GraphDocument. Each Relax function becomes a graph (params, one node per top-level binding, the
 * output), PrimFuncs and module-level parts are kept whole. Edge struct info is printed once per producer with the
 * TVMScript printer. Lowering back is lower.ts; this file only reads the IR.
 */
import type { IRModule } from '../module.js';
import type { Binding, BindingBlock, Expr, RelaxFunction, RelaxVar, StructInfo } from '../relax/nodes.js';
import type { Dialect } from '../printer/index.js';
import { printStructInfo } from '../printer/index.js';
import type {
  BindingNode, FunctionHeader, GraphDocument, GraphEdge, GraphFunction, GraphGroup, GraphNode, ModuleInfo,
  OutputNode, ParamNode, RelaxGraph,
} from './model.js';
import { GRAPH_FORMAT, GRAPH_VERSION } from './model.js';
import { bindingInputs, exprInputs } from './uses.js';

export interface GraphOptions {
  /** Dialect of the struct info text on edges; default v0.26. */
  readonly dialect?: Dialect;
}

/** Builds the editor's graph document for a module. Never throws on a well-typed module. */
export function moduleToGraph(mod: IRModule, options: GraphOptions = {}): GraphDocument {
  const functions: GraphFunction[] = [];
  for (const [name, fn] of mod.functions) {
    functions.push(fn.kind === 'relax.Function' ? functionToGraph(name, fn, options) : { kind: 'prim', name, func: fn });
  }
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, module: moduleInfo(mod), functions };
}

function moduleInfo(mod: IRModule): ModuleInfo {
  return {
    name: mod.name,
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
  };
}

/** Hands out document-unique node ids `<fn>/<name>`, with `#2`, `#3`, ... for repeated names. */
class IdMaker {
  private readonly used = new Map<string, number>();
  constructor(private readonly prefix: string) {}
  next(name: string): string {
    const base = `${this.prefix}/${name}`;
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }
}

/** Collects nodes, edges and the var -> producing node map while walking one function. */
class FunctionGraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly groups: GraphGroup[] = [];
  private readonly producer = new Map<RelaxVar, string>();
  private readonly sinfoText = new Map<RelaxVar, string>();
  private readonly ids: IdMaker;

  constructor(private readonly fnName: string, private readonly dialect: Dialect) {
    this.ids = new IdMaker(fnName);
  }

  param(v: RelaxVar): void {
    const node: ParamNode = { kind: 'param', id: this.ids.next(v.name), op: 'param', name: v.name, var: v, ...spanOf(v) };
    this.define(v, node.id);
    this.nodes.push(node);
  }

  block(blk: BindingBlock, index: number): void {
    const members = blk.bindings.map((b) => this.binding(b));
    const kind = blk.kind === 'relax.DataflowBlock' ? 'dataflow' : 'block';
    this.groups.push({ id: `${this.fnName}/$block${index}`, kind, nodes: members });
  }

  output(body: Expr): void {
    const node: OutputNode = { kind: 'output', id: `${this.fnName}/return`, op: 'output', expr: body, ...spanOf(body) };
    this.connect(exprInputs(body), node.id);
    this.nodes.push(node);
  }

  private binding(b: Binding): string {
    const info = describeBinding(b);
    const node: BindingNode = {
      kind: 'binding',
      id: this.ids.next(b.v.name),
      op: info.op,
      name: b.v.name,
      ...(info.callee !== undefined ? { callee: info.callee } : {}),
      binding: b,
      ...spanOf(b),
    };
    this.connect(bindingInputs(b), node.id);
    this.define(b.v, node.id);
    this.nodes.push(node);
    return node.id;
  }

  private define(v: RelaxVar, id: string): void {
    this.producer.set(v, id);
  }

  /** One edge per use whose var is produced in this function (free vars from elsewhere have no node). */
  private connect(inputs: readonly RelaxVar[], target: string): void {
    inputs.forEach((v, targetInput) => {
      const source = this.producer.get(v);
      if (source) this.edges.push({ source, target, targetInput, sinfo: this.sinfo(v) });
    });
  }

  private sinfo(v: RelaxVar): string {
    let text = this.sinfoText.get(v);
    if (text === undefined) {
      text = printSInfo(v.sinfo, this.dialect);
      this.sinfoText.set(v, text);
    }
    return text;
  }
}

function printSInfo(si: StructInfo, dialect: Dialect): string {
  try {
    return printStructInfo(si, { dialect });
  } catch {
    return 'R.Any'; // the edge label is informational; a printer gap must not break the graph
  }
}

function spanOf(x: { readonly span?: { start: number; end: number } }): { span?: { start: number; end: number } } {
  return x.span ? { span: x.span } : {};
}

/** Turns one Relax function into a graph. */
export function functionToGraph(name: string, fn: RelaxFunction, options: GraphOptions = {}): RelaxGraph {
  const b = new FunctionGraphBuilder(name, options.dialect ?? 'v0.26');
  for (const p of fn.params) b.param(p);
  fn.body.blocks.forEach((blk, i) => b.block(blk, i));
  b.output(fn.body.body);
  const { kind: _k, params: _p, body: _b, ...header } = fn;
  return { kind: 'relax', name, header: header as FunctionHeader, nodes: b.nodes, edges: b.edges, groups: b.groups };
}

/** The op label and callee of a binding (see BindingNode.op). */
export function describeBinding(b: Binding): { op: string; callee?: string } {
  if (b.kind === 'relax.MatchCast') return { op: 'match_cast' };
  return describeValue(b.value);
}

const CALL_TIR_OPS: Readonly<Record<string, string>> = {
  'relax.call_tir': 'call_tir',
  'relax.call_tir_inplace': 'call_tir_inplace',
  'relax.call_tir_with_grad': 'call_tir_with_grad',
};
const PACKED_OPS: Readonly<Record<string, string>> = {
  'relax.call_pure_packed': 'call_pure_packed',
  'relax.call_dps_packed': 'call_dps_packed',
};

const VALUE_OPS: Readonly<Record<string, string>> = {
  'relax.Tuple': 'tuple',
  'relax.TupleGetItem': 'get_item',
  'relax.If': 'if',
  'relax.Constant': 'const',
  'relax.Var': 'var',
  'relax.DataflowVar': 'var',
  'relax.ShapeExpr': 'shape',
  'relax.PrimValue': 'prim_value',
  'relax.StringImm': 'str',
  'relax.DataTypeImm': 'dtype',
  'relax.Function': 'function',
  'relax.ExternFunc': 'extern_func',
  'relax.GlobalVar': 'global',
  'relax.Op': 'op',
  'relax.SeqExpr': 'seq',
};

function describeValue(e: Expr): { op: string; callee?: string } {
  if (e.kind !== 'relax.Call') return { op: VALUE_OPS[e.kind] ?? e.kind };
  const callee = e.op;
  switch (callee.kind) {
    case 'relax.ExternFunc':
      return { op: 'call_packed', callee: callee.globalSymbol };
    case 'relax.GlobalVar':
      return { op: `call:${callee.name}` };
    case 'relax.Var':
    case 'relax.DataflowVar':
      return { op: 'call_var' };
    default:
      return describeOpCall(callee.name, e.args[0]);
  }
}

function describeOpCall(name: string, first: Expr | undefined): { op: string; callee?: string } {
  const tir = CALL_TIR_OPS[name];
  if (tir) return first?.kind === 'relax.GlobalVar' ? { op: tir, callee: first.name } : { op: tir };
  const packed = PACKED_OPS[name];
  if (packed) return first?.kind === 'relax.ExternFunc' ? { op: packed, callee: first.globalSymbol } : { op: packed };
  return { op: name };
}
