/**
 * The graph model the editor edits: a module as node graphs (build.ts), back to IR (lower.ts), to and from JSON
 * (json.ts), plus the struct-info summary that `check` and the inspector show (summary.ts).
 */
export type {
  BindingNode, FunctionHeader, GraphDocument, GraphEdge, GraphFunction, GraphGroup, GraphNode, ModuleInfo,
  OutputNode, ParamNode, Position, PrimFuncEntry, RelaxGraph,
} from './model.js';
export { GRAPH_FORMAT, GRAPH_VERSION } from './model.js';
export type { GraphOptions } from './build.js';
export { moduleToGraph, functionToGraph, describeBinding } from './build.js';
export { graphToModule, graphToFunction } from './lower.js';
export { graphToJson, graphFromJson } from './json.js';
export { bindingInputs, exprInputs, rewireBinding, rewireExpr } from './uses.js';
export type { FunctionSummary, NamedSInfo } from './summary.js';
export { summarizeModule, formatSummary, listBindings } from './summary.js';
