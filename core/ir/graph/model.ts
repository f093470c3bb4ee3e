/**
 * The graph document: what the editor's node view edits. It is a projection of an IRModule (the IR stays the
 * source of truth) that keeps everything needed to give the module back unchanged:
 * - each Relax function is a graph: params are input nodes (`op: "param"`), each top-level binding is a node, the
 *   returned expression is the output node (`op: "output"`); uses of vars are edges; binding blocks are groups;
 * - a binding node holds the binding itself (lossless); If nodes keep their branches inside that binding;
 * - PrimFuncs, module attrs, global infos and metadata are kept as they are.
 * Layout (`positions`) may ride along in a document but never comes from or goes into the text.
 *
 * Construction is in build.ts, lowering back to IR in lower.ts, JSON in json.ts.
 */
import type { AttrDict } from '../attrs.js';
import type { GlobalInfo } from '../module.js';
import type { Binding, Expr, RelaxFunction, RelaxVar } from '../relax/nodes.js';
import type { Span } from '../span.js';
import type { PrimFunc } from '../tir/nodes.js';

/** Format tag and version written into every graph JSON; readers reject other versions with a reason. */
export const GRAPH_FORMAT = 'relax-studio-graph';
export const GRAPH_VERSION = 1;

/** A node's position in the node view, in canvas units. */
export interface Position {
  readonly x: number;
  readonly y: number;
}

/** The module-level parts that are not functions, kept as they are. */
export interface ModuleInfo {
  readonly name: string;
  readonly attrs?: AttrDict;
  readonly globalInfos?: readonly (readonly [string, readonly GlobalInfo[]])[];
  readonly metadata?: string;
}

/** A function parameter: an input of the graph. */
export interface ParamNode {
  readonly kind: 'param';
  /** Unique in the document: `<function>/<var name>` (a `#k` suffix when a name repeats). */
  readonly id: string;
  readonly op: 'param';
  readonly name: string;
  readonly var: RelaxVar;
  readonly span?: Span;
}

/** One binding of the function body (a VarBinding or a MatchCast). */
export interface BindingNode {
  readonly kind: 'binding';
  readonly id: string;
  /**
   * What the node computes, for the palette and the node face: the op name for op calls ("relax.nn.conv2d"),
   * "call_tir" / "call_tir_inplace" / "call_tir_with_grad", "call_packed", "call_pure_packed", "call_dps_packed",
   * "call:<global>" for calls of module functions, "call_var" for calls of function-typed vars, "tuple",
   * "get_item", "match_cast", "if", "const", "var" (an alias), "shape", "prim_value", "str", "dtype",
   * "function", "extern_func", "global", "op", "seq".
   */
  readonly op: string;
  readonly name: string;
  /** call_tir*: the PrimFunc's global name; packed calls: the packed function's name. */
  readonly callee?: string;
  /** The binding itself: the source of truth for what the node computes. */
  readonly binding: Binding;
  readonly span?: Span;
}

/** The function's returned expression. */
export interface OutputNode {
  readonly kind: 'output';
  readonly id: string;
  readonly op: 'output';
  readonly expr: Expr;
  readonly span?: Span;
}

export type GraphNode = ParamNode | BindingNode | OutputNode;

/**
 * A use of a var: `source`'s var is the `targetInput`-th free var occurrence of `target` (in evaluation order:
 * callee, then args left to right, descending into tuples and If branches). Edges are the source of truth for
 * wiring: lowering rewires each use to its edge's source.
 */
export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly targetInput: number;
  /** The producer's struct info as TVMScript text, e.g. `R.Tensor((n, 4), dtype="float32")`. */
  readonly sinfo: string;
}

/** A binding block: `dataflow` for `with R.dataflow():`, `block` for a plain one. Member ids in binding order. */
export interface GraphGroup {
  readonly id: string;
  readonly kind: 'dataflow' | 'block';
  readonly nodes: readonly string[];
}

/** Everything of a Relax function that is not its params or body. */
export type FunctionHeader = Omit<RelaxFunction, 'kind' | 'params' | 'body'>;

/** A Relax function as a graph. */
export interface RelaxGraph {
  readonly kind: 'relax';
  readonly name: string;
  readonly header: FunctionHeader;
  /** Params in order, then bindings in order, then the output. */
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
}

/** A PrimFunc, kept whole; call_tir nodes refer to it by name. */
export interface PrimFuncEntry {
  readonly kind: 'prim';
  readonly name: string;
  readonly func: PrimFunc;
}

export type GraphFunction = RelaxGraph | PrimFuncEntry;

/** The document the editor edits. */
export interface GraphDocument {
  readonly format: typeof GRAPH_FORMAT;
  readonly version: typeof GRAPH_VERSION;
  readonly module: ModuleInfo;
  /** In module order. */
  readonly functions: readonly GraphFunction[];
  /** Node positions by node id; layout only, never part of the text. */
  readonly positions?: Readonly<Record<string, Position>>;
}
