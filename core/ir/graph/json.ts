/**
 * GraphDocument <-> JSON (`{format: "relax-studio-graph", version: 1, ...}`). IR payloads (bindings, params,
 * outputs, function headers, PrimFuncs, module attrs) go through one shared `IrEncoder`, so a var used by many
 * nodes is one entry of the document's `defs` table and identity survives the trip. Node spans are kept (they
 * link nodes to text); spans inside IR payloads are dropped. `attrs` on call nodes is written for readers of the
 * JSON (the binding stays the source of truth) and ignored when reading.
 */
import type { Json } from '../serialize.js';
import { IrDecoder, IrEncoder } from '../serialize.js';
import type { Span } from '../span.js';
import type {
  FunctionHeader, GraphDocument, GraphEdge, GraphFunction, GraphGroup, GraphNode, ModuleInfo, Position, RelaxGraph,
} from './model.js';
import { GRAPH_FORMAT, GRAPH_VERSION } from './model.js';

type JObj = { [key: string]: Json };

/** Writes a graph document as plain JSON (`JSON.stringify`-safe). */
export function graphToJson(doc: GraphDocument): JObj {
  const enc = new IrEncoder();
  const out: JObj = {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    module: moduleToJson(doc.module, enc),
    functions: doc.functions.map((f) => functionToJson(f, enc)),
  };
  if (doc.positions) out['positions'] = positionsToJson(doc.positions);
  out['defs'] = enc.defs;
  return out;
}

function moduleToJson(m: ModuleInfo, enc: IrEncoder): JObj {
  const out: JObj = { name: m.name };
  if (m.attrs) out['attrs'] = enc.encode(m.attrs);
  if (m.globalInfos) out['globalInfos'] = enc.encode(m.globalInfos);
  if (m.metadata !== undefined) out['metadata'] = m.metadata;
  return out;
}

function functionToJson(f: GraphFunction, enc: IrEncoder): JObj {
  if (f.kind === 'prim') return { kind: 'prim', name: f.name, func: enc.encode(f.func) };
  return {
    kind: 'relax',
    name: f.name,
    header: enc.encode(f.header),
    nodes: f.nodes.map((n) => nodeToJson(n, enc)),
    edges: f.edges.map((e) => ({ source: e.source, target: e.target, targetInput: e.targetInput, sinfo: e.sinfo })),
    groups: f.groups.map((g) => ({ id: g.id, kind: g.kind, nodes: [...g.nodes] })),
  };
}

function spanJson(span: Span | undefined): JObj {
  return span ? { span: { start: span.start, end: span.end } } : {};
}

function nodeToJson(n: GraphNode, enc: IrEncoder): JObj {
  const head: JObj = { id: n.id, kind: n.kind, op: n.op };
  if (n.kind === 'param') return { ...head, name: n.name, ...spanJson(n.span), var: enc.encode(n.var) };
  if (n.kind === 'output') return { ...head, ...spanJson(n.span), expr: enc.encode(n.expr) };
  const value = n.binding.value;
  return {
    ...head,
    name: n.name,
    ...(n.callee !== undefined ? { callee: n.callee } : {}),
    ...(value.kind === 'relax.Call' && value.attrs ? { attrs: enc.encode(value.attrs) } : {}),
    ...spanJson(n.span),
    binding: enc.encode(n.binding),
  };
}

function positionsToJson(p: Readonly<Record<string, Position>>): JObj {
  const out: JObj = {};
  for (const [id, pos] of Object.entries(p)) out[id] = { x: pos.x, y: pos.y };
  return out;
}

// ---------------------------------------------------------------- reading

/** Thrown (as a RangeError) on a document that is not a graph JSON of this version; the message says why. */
function fail(what: string): never {
  throw new RangeError(`A graph JSON ${what}`);
}

function obj(x: unknown, what: string): JObj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`must have ${what} as an object`);
  return x as JObj;
}

function arr(x: unknown, what: string): Json[] {
  if (!Array.isArray(x)) fail(`must have ${what} as an array`);
  return x;
}

function str(x: unknown, what: string): string {
  if (typeof x !== 'string') fail(`must have ${what} as a string`);
  return x;
}

/**
 * Reads what `graphToJson` wrote. Throws a RangeError saying what is wrong for anything else (wrong format or
 * version, missing fields, dangling refs); the CLI and the editor turn it into a diagnostic.
 */
export function graphFromJson(json: unknown): GraphDocument {
  const root = obj(json, 'the document');
  if (root['format'] !== GRAPH_FORMAT) fail(`must have format "${GRAPH_FORMAT}". However, it has ${JSON.stringify(root['format'] ?? null)}`);
  if (root['version'] !== GRAPH_VERSION) fail(`of version ${GRAPH_VERSION} is supported. However, the document has version ${JSON.stringify(root['version'] ?? null)}`);
  const dec = new IrDecoder(arr(root['defs'], '`defs`'));
  const functions = arr(root['functions'], '`functions`').map((f) => functionFromJson(obj(f, 'each function'), dec));
  const positions = root['positions'] === undefined ? undefined : positionsFromJson(obj(root['positions'], '`positions`'));
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    module: moduleFromJson(obj(root['module'], '`module`'), dec),
    functions,
    ...(positions ? { positions } : {}),
  };
}

function moduleFromJson(m: JObj, dec: IrDecoder): ModuleInfo {
  return {
    name: str(m['name'], '`module.name`'),
    ...(m['attrs'] !== undefined ? { attrs: dec.decode(m['attrs']) as ModuleInfo['attrs'] } : {}),
    ...(m['globalInfos'] !== undefined ? { globalInfos: dec.decode(m['globalInfos']) as ModuleInfo['globalInfos'] } : {}),
    ...(m['metadata'] !== undefined ? { metadata: str(m['metadata'], '`module.metadata`') } : {}),
  };
}

function functionFromJson(f: JObj, dec: IrDecoder): GraphFunction {
  const name = str(f['name'], 'a `name` on each function');
  if (f['kind'] === 'prim') return { kind: 'prim', name, func: dec.decode(f['func'] ?? null) as never };
  if (f['kind'] !== 'relax') fail(`function must have kind "relax" or "prim". However, ${name} has ${JSON.stringify(f['kind'] ?? null)}`);
  const graph: RelaxGraph = {
    kind: 'relax',
    name,
    header: dec.decode(obj(f['header'], '`header` on each function')) as FunctionHeader,
    nodes: arr(f['nodes'], '`nodes`').map((n) => nodeFromJson(obj(n, 'each node'), dec)),
    edges: arr(f['edges'], '`edges`').map((e) => edgeFromJson(obj(e, 'each edge'))),
    groups: arr(f['groups'], '`groups`').map((g) => groupFromJson(obj(g, 'each group'))),
  };
  return graph;
}

function spanFromJson(n: JObj): { span?: Span } {
  const s = n['span'];
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return {};
  const { start, end } = s;
  return typeof start === 'number' && typeof end === 'number' ? { span: { start, end } } : {};
}

function nodeFromJson(n: JObj, dec: IrDecoder): GraphNode {
  const id = str(n['id'], 'an `id` on each node');
  switch (n['kind']) {
    case 'param':
      return { kind: 'param', id, op: 'param', name: str(n['name'], '`name` on param nodes'), var: dec.decode(n['var'] ?? null) as never, ...spanFromJson(n) };
    case 'output':
      return { kind: 'output', id, op: 'output', expr: dec.decode(n['expr'] ?? null) as never, ...spanFromJson(n) };
    case 'binding':
      return {
        kind: 'binding',
        id,
        op: str(n['op'], '`op` on binding nodes'),
        name: str(n['name'], '`name` on binding nodes'),
        ...(typeof n['callee'] === 'string' ? { callee: n['callee'] } : {}),
        binding: dec.decode(obj(n['binding'], '`binding` on binding nodes')) as never,
        ...spanFromJson(n),
      };
    default:
      return fail(`node must have kind "param", "binding" or "output". However, ${id} has ${JSON.stringify(n['kind'] ?? null)}`);
  }
}

function edgeFromJson(e: JObj): GraphEdge {
  const targetInput = e['targetInput'];
  if (typeof targetInput !== 'number' || !Number.isInteger(targetInput) || targetInput < 0) fail('edge must have a non-negative integer `targetInput`');
  return { source: str(e['source'], '`source` on edges'), target: str(e['target'], '`target` on edges'), targetInput, sinfo: typeof e['sinfo'] === 'string' ? e['sinfo'] : '' };
}

function groupFromJson(g: JObj): GraphGroup {
  const kind = g['kind'] === 'dataflow' ? 'dataflow' : 'block';
  return { id: str(g['id'], '`id` on groups'), kind, nodes: arr(g['nodes'], '`nodes` on groups').map((x) => str(x, 'node ids in groups')) };
}

function positionsFromJson(p: JObj): Record<string, Position> {
  const out: Record<string, Position> = {};
  for (const [id, v] of Object.entries(p)) {
    const o = obj(v, `a position object for ${id}`);
    if (typeof o['x'] === 'number' && typeof o['y'] === 'number') out[id] = { x: o['x'], y: o['y'] };
  }
  return out;
}
