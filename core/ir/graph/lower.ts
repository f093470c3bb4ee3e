/**
 * GraphDocument -> IRModule. Binding nodes give what each binding computes, edges give its inputs (each use is
 * rewired to its edge's source var), groups give the blocks. An unedited graph lowers to the very binding objects
 * it was built from. Nodes that no group lists (added by the editor) go into a trailing plain block.
 * Checking that an edited graph is well-formed is the verifier's job, not this file's.
 */
import type { BaseFunc, IRModule } from '../module.js';
import { irModule } from '../module.js';
import type { Binding, BindingBlock, RelaxFunction, RelaxVar } from '../relax/nodes.js';
import type { GraphDocument, GraphEdge, GraphNode, RelaxGraph } from './model.js';
import { rewireBinding, rewireExpr } from './uses.js';

/** Gives back the module a graph document stands for. */
export function graphToModule(doc: GraphDocument): IRModule {
  const functions = new Map<string, BaseFunc>();
  for (const f of doc.functions) functions.set(f.name, f.kind === 'prim' ? f.func : graphToFunction(f));
  const m = doc.module;
  return irModule(m.name, functions, {
    ...(m.attrs ? { attrs: m.attrs } : {}),
    ...(m.globalInfos ? { globalInfos: m.globalInfos } : {}),
    ...(m.metadata !== undefined ? { metadata: m.metadata } : {}),
  });
}

/** The var each node defines (params and bindings), by node id. */
function definedVars(nodes: readonly GraphNode[]): Map<string, RelaxVar> {
  const out = new Map<string, RelaxVar>();
  for (const n of nodes) {
    if (n.kind === 'param') out.set(n.id, n.var);
    else if (n.kind === 'binding') out.set(n.id, n.binding.v);
  }
  return out;
}

/** Incoming edges per target node, indexed by input. */
function inputsByTarget(edges: readonly GraphEdge[]): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const e of edges) {
    let m = out.get(e.target);
    if (!m) out.set(e.target, (m = new Map()));
    m.set(e.targetInput, e.source);
  }
  return out;
}

/** Lowers one function graph. */
export function graphToFunction(g: RelaxGraph): RelaxFunction {
  const vars = definedVars(g.nodes);
  const incoming = inputsByTarget(g.edges);
  const rewire = (id: string) => {
    const inputs = incoming.get(id);
    return (v: RelaxVar, i: number): RelaxVar => {
      const src = inputs?.get(i);
      return (src !== undefined ? vars.get(src) : undefined) ?? v;
    };
  };
  const params: RelaxVar[] = [];
  const bindings = new Map<string, Binding>();
  let body = undefined as RelaxFunction['body']['body'] | undefined;
  for (const n of g.nodes) {
    if (n.kind === 'param') params.push(n.var);
    else if (n.kind === 'binding') bindings.set(n.id, withSpan(rewireBinding(n.binding, rewire(n.id)), n.span));
    else body = rewireExpr(n.expr, rewire(n.id));
  }
  const blocks = groupBlocks(g, bindings);
  const seqBody = body ?? { kind: 'relax.Tuple', fields: [] };
  return { kind: 'relax.Function', params, body: { kind: 'relax.SeqExpr', blocks, body: seqBody }, ...g.header };
}

function withSpan(b: Binding, span: Binding['span']): Binding {
  return span && !b.span ? { ...b, span } : b;
}

function groupBlocks(g: RelaxGraph, bindings: Map<string, Binding>): BindingBlock[] {
  const placed = new Set<string>();
  const blocks: BindingBlock[] = g.groups.map((grp) => {
    const members: Binding[] = [];
    for (const id of grp.nodes) {
      const b = bindings.get(id);
      if (b && !placed.has(id)) {
        placed.add(id);
        members.push(b);
      }
    }
    return { kind: grp.kind === 'dataflow' ? 'relax.DataflowBlock' : 'relax.BindingBlock', bindings: members };
  });
  const rest = [...bindings].filter(([id]) => !placed.has(id)).map(([, b]) => b);
  if (rest.length > 0) blocks.push({ kind: 'relax.BindingBlock', bindings: rest });
  return blocks;
}
