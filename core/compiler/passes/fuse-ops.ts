/**
 * FuseOps: groups the `call_tir` bindings of each dataflow block by TVM's fusion rules and moves every group of two
 * or more into a private Relax function `fused_<kernel1>_<kernel2>...` with `R.func_attr({"Primitive": 1})`, called
 * from where the group's last binding was. FuseTIR then turns each such function into one PrimFunc.
 *
 * Preconditions: LegalizeOps (kernels are `call_tir`s) and AnnotateTIROpPattern (kernels carry `"op_pattern"`; a
 * kernel without it is analysed on the spot).
 * Stages, per dataflow block (TVM's GraphPartitioner over an IndexedForwardGraph):
 *   1. graph: one node per binding; a fusable `call_tir` (single tensor output with known dims, tensor or constant
 *      args only) has its kernel's pattern, any other binding is opaque; an edge producer -> consumer carries the
 *      consumer's pattern; a var that outlives the block (not a DataflowVar) is an external reference;
 *   2. post-dominator tree (LCA of a node's consumers, combining the edge patterns met on the way);
 *   3. three phases over the nodes in order: an out-elemwise-fusable node (matmul, conv) fuses into its
 *      post-dominator when every edge up to it is elemwise and every node between is at most broadcast (phase 0);
 *      an elemwise/broadcast node fuses into a post-dominator reached through injective-or-better paths, or into a
 *      reduction or an out-elemwise-fusable group (phases 0-1); an injective node fuses along injective paths in
 *      phase 1 (so conv/matmul groups form first); comm-reduce nodes take no epilogue (TVM); opaque nodes never fuse;
 *   4. each group becomes a function whose params are the group's inputs (vars and constants, in first-use
 *      order) and whose result is the group's last binding (a post-dominator group has exactly one var that escapes).
 * Functions are deduplicated by structural equality; a name taken by a different function gets a numeric suffix.
 * The call keeps the group output's var and carries the provenance of every fused binding.
 * Deliberately not done: tuple fusion (TVM's kTuple phase 2), calls with symbolic scalar (`PrimValue`) args, groups
 * whose shapes use a symbolic var its inputs do not define, the 256-op depth limit is approximated by group sizes.
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type {
  Binding, BindingBlock, Call, Expr, GlobalVar, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
} from '../../ir/relax/nodes.js';
import { call, isRelaxVar, leafSInfo, relaxVar, tensorDims } from '../../ir/relax/nodes.js';
import type { PrimExpr, TirVar } from '../../ir/tir/nodes.js';
import { intImm, tvar } from '../../ir/tir/nodes.js';
import { attrDict, attrGet, attrInt } from '../../ir/attrs.js';
import { collectVarUses, definableSymbolicVars, freeSymbolicVars } from '../../ir/relax/visit.js';
import { substituteShapeVars } from '../../ir/relax/sinfo.js';
import { isStructurallyEqual } from '../../ir/structural.js';
import type { Pass } from '../pass.js';
import { OpPattern, analyzeOpPattern, opPatternOf } from './annotate-tir-op-pattern.js';

const MAX_FUSE_DEPTH = 256;

/** The pass. */
export function fuseOps(): Pass {
  return { name: 'FuseOps', run: (mod) => fuseModule(mod) };
}

/** True for a Relax function FuseOps made (`"Primitive"` set and non-zero). */
export function isPrimitive(f: BaseFunc): f is RelaxFunction {
  if (f.kind !== 'relax.Function') return false;
  const v = attrGet(f.attrs, 'Primitive');
  return v === true || (attrInt(v) ?? 0) !== 0;
}

function fuseModule(mod: IRModule): IRModule {
  const fuser = new ModuleFuser(mod);
  const out = new Map<string, BaseFunc>();
  for (const [name, f] of mod.functions) {
    out.set(name, f.kind === 'relax.Function' && !isPrimitive(f) ? fuser.fn(f) : f);
  }
  if (fuser.created.size === 0) return mod;
  for (const [name, f] of fuser.created) out.set(name, f);
  return irModule(mod.name, out, {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
    ...(mod.span ? { span: mod.span } : {}),
  });
}

// ---------------------------------------------------------------- the graph of one dataflow block

interface Edge {
  readonly node: number;
  readonly pattern: number;
}

interface GraphNode {
  readonly index: number;
  readonly binding: Binding;
  readonly pattern: number;
  readonly externRef: boolean;
  readonly outputs: Edge[];
}

interface DomNode {
  readonly parent: DomNode | undefined;
  readonly depth: number;
  /** The combined pattern of the edges from the node up to its post-dominator. */
  readonly pattern: number;
  readonly gnode: number;
}

class Group {
  parent: Group | undefined;
  numNodes = 1;
  anchor: boolean;
  constructor(public pattern: number) {
    this.anchor = pattern === OpPattern.OutEWiseFusable;
  }
  root(): Group {
    return this.parent ? this.parent.root() : this;
  }
}

/** The single-tensor-output `call_tir` a binding holds when it can take part in fusion. */
function fusableCall(b: Binding, mod: IRModule): Call | undefined {
  const v = b.value;
  if (b.kind !== 'relax.VarBinding' || v.kind !== 'relax.Call' || v.op.kind !== 'relax.Op' || v.op.name !== 'relax.call_tir') return undefined;
  const [callee, tuple] = v.args;
  if (callee?.kind !== 'relax.GlobalVar' || tuple?.kind !== 'relax.Tuple' || v.sinfoArgs.length !== 1) return undefined;
  if (mod.functions.get(callee.name)?.kind !== 'tir.PrimFunc') return undefined;
  if (!tuple.fields.every((a) => isTensorArg(a))) return undefined;
  const out = v.sinfoArgs[0]!;
  return out.kind === 'si.Tensor' && tensorDims(out) && out.dtype !== '' ? v : undefined;
}

function isTensorArg(a: Expr): boolean {
  if (a.kind === 'relax.Constant') return a.shape !== undefined;
  return isRelaxVar(a) && a.sinfo.kind === 'si.Tensor' && tensorDims(a.sinfo) !== undefined;
}

function calleeName(c: Call): string {
  return (c.args[0] as GlobalVar).name;
}

function buildGraph(block: BindingBlock, mod: IRModule): GraphNode[] {
  const indexOf = new Map<RelaxVar, number>();
  const nodes: GraphNode[] = block.bindings.map((b, index) => {
    const c = fusableCall(b, mod);
    const f = c ? mod.functions.get(calleeName(c)) : undefined;
    const pattern = f?.kind === 'tir.PrimFunc' ? (opPatternOf(f) ?? analyzeOpPattern(f)) : OpPattern.Opaque;
    indexOf.set(b.v, index);
    return { index, binding: b, pattern, externRef: b.v.kind !== 'relax.DataflowVar', outputs: [] };
  });
  for (const n of nodes) {
    for (const u of collectVarUses(n.binding.value)) {
      const producer = indexOf.get(u);
      if (producer !== undefined && producer < n.index) nodes[producer]!.outputs.push({ node: n.index, pattern: n.pattern });
    }
  }
  return nodes;
}

function postDominators(nodes: readonly GraphNode[]): DomNode[] {
  const dom: DomNode[] = new Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.externRef || n.outputs.length === 0) {
      dom[i] = { parent: undefined, depth: 1, pattern: OpPattern.Opaque, gnode: i };
      continue;
    }
    let pattern: number = OpPattern.ElemWise;
    let parent: DomNode | undefined = dom[n.outputs[0]!.node];
    pattern = Math.max(pattern, n.outputs[0]!.pattern);
    for (const e of n.outputs.slice(1)) {
      const r = lca(parent, dom[e.node], pattern);
      parent = r.node;
      pattern = Math.max(r.pattern, e.pattern);
    }
    dom[i] = { parent, depth: parent ? parent.depth + 1 : 1, pattern, gnode: i };
  }
  return dom;
}

function lca(a: DomNode | undefined, b: DomNode | undefined, pattern: number): { node: DomNode | undefined; pattern: number } {
  let [l, r, p] = [a, b, pattern];
  while (l !== r) {
    if (!l || !r) return { node: undefined, pattern: p };
    if (l.depth < r.depth) {
      p = Math.max(p, r.pattern);
      r = r.parent;
    } else if (r.depth < l.depth) {
      p = Math.max(p, l.pattern);
      l = l.parent;
    } else {
      p = Math.max(p, l.pattern, r.pattern);
      l = l.parent;
      r = r.parent;
    }
  }
  return { node: l, pattern: p };
}

// ---------------------------------------------------------------- partitioning (TVM's GraphPartitioner)

class Partitioner {
  readonly groups: Group[];
  private readonly dom: DomNode[];

  constructor(private readonly nodes: readonly GraphNode[]) {
    this.groups = nodes.map((n) => new Group(n.pattern));
    this.dom = postDominators(nodes);
  }

  run(): Group[] {
    for (const phase of [0, 1]) for (let i = 0; i < this.nodes.length; i++) this.step(i, phase);
    return this.groups;
  }

  private step(nid: number, phase: number): void {
    const group = this.groups[nid]!.root();
    const dn = this.dom[nid]!;
    if (group.pattern === OpPattern.Opaque || !dn.parent) return;
    const sink = dn.parent.gnode;
    const sinkGroup = this.groups[sink]!.root();
    if (group === sinkGroup) return;
    if (group.numNodes + sinkGroup.numNodes > MAX_FUSE_DEPTH) return;
    if (group.pattern === OpPattern.OutEWiseFusable) {
      if (phase === 0 && dn.pattern === OpPattern.ElemWise && this.checkPath(nid, sink, (k) => k <= OpPattern.Broadcast)) {
        this.commit(nid, sink);
      }
    } else if (group.pattern <= OpPattern.Broadcast) {
      if (dn.pattern <= OpPattern.Injective || dn.pattern === OpPattern.CommReduce) {
        const ok = (k: number, isSink: boolean): boolean =>
          isSink ? k <= OpPattern.OutEWiseFusable : k <= OpPattern.Injective;
        if (this.checkPath(nid, sink, ok)) this.commit(nid, sink);
      }
    } else if (group.pattern === OpPattern.Injective) {
      if (phase === 1 && this.checkPath(nid, sink, (k) => k <= OpPattern.Injective)) this.commit(nid, sink);
    }
  }

  /** Every node on a path from `src` (exclusive) to `sink` (inclusive) satisfies `cond` on its group's pattern. */
  private checkPath(src: number, sink: number, cond: (kind: number, isSink: boolean) => boolean): boolean {
    const visited = new Set<number>();
    const go = (n: number): boolean => {
      if (visited.has(n)) return true;
      visited.add(n);
      if (!cond(this.groups[n]!.root().pattern, n === sink)) return false;
      if (n === sink) return true;
      return this.nodes[n]!.outputs.every((e) => go(e.node));
    };
    return this.nodes[src]!.outputs.every((e) => go(e.node));
  }

  /** Merges every node on the paths from `src` to `sink` into the sink's group. */
  private commit(src: number, sink: number): void {
    const target = this.groups[sink]!;
    const visited = new Set<number>();
    const go = (n: number): void => {
      if (n === sink || visited.has(n)) return;
      visited.add(n);
      mergeInto(this.groups[n]!, target);
      this.nodes[n]!.outputs.forEach((e) => go(e.node));
    };
    go(src);
  }
}

function mergeInto(child: Group, parent: Group): void {
  const c = child.root();
  const p = parent.root();
  if (c === p) return;
  p.numNodes += c.numNodes;
  c.parent = p;
  if (c.anchor) {
    p.anchor = true;
    p.pattern = Math.max(c.pattern, p.pattern);
  }
}

// ---------------------------------------------------------------- rewriting

interface FusedGroup {
  readonly members: readonly GraphNode[];
  readonly inputs: readonly Expr[];
}

class ModuleFuser {
  /** Functions made by this pass, by name. */
  readonly created = new Map<string, RelaxFunction>();

  constructor(private readonly mod: IRModule) {}

  fn(f: RelaxFunction): RelaxFunction {
    const body = this.seq(f.body);
    return body === f.body ? f : { ...f, body };
  }

  private seq(s: SeqExpr): SeqExpr {
    let changed = false;
    const blocks = s.blocks.map((b) => {
      const nb = b.kind === 'relax.DataflowBlock' ? this.block(b) : b;
      changed ||= nb !== b;
      return nb;
    });
    return changed ? { ...s, blocks } : s;
  }

  private block(block: BindingBlock): BindingBlock {
    const nodes = buildGraph(block, this.mod);
    const groups = new Partitioner(nodes).run();
    const byRoot = new Map<Group, GraphNode[]>();
    nodes.forEach((n, i) => {
      const r = groups[i]!.root();
      (byRoot.get(r) ?? byRoot.set(r, []).get(r)!).push(n);
    });
    const replace = new Map<number, Binding | null>();
    for (const members of byRoot.values()) {
      if (members.length < 2) continue;
      const g = validGroup(members);
      const binding = g && this.emit(g);
      if (!binding) continue;
      for (const m of members.slice(0, -1)) replace.set(m.index, null);
      replace.set(members[members.length - 1]!.index, binding);
    }
    if (replace.size === 0) return block;
    const bindings: Binding[] = [];
    block.bindings.forEach((b, i) => {
      const r = replace.get(i);
      if (r === undefined) bindings.push(b);
      else if (r) bindings.push(r);
    });
    return { ...block, bindings };
  }

  /** Makes (or reuses) the group's function and returns the binding that calls it. */
  private emit(g: FusedGroup): Binding | undefined {
    const fused = makeFunction(g);
    if (!fused) return undefined;
    const name = this.nameFor(fusedName(g), fused);
    const last = g.members[g.members.length - 1]!.binding;
    const provenance = [...new Set(g.members.flatMap((m) => provenanceOf(m.binding)))];
    const c: Call = { ...call({ kind: 'relax.GlobalVar', name }, g.inputs), provenance };
    return { kind: 'relax.VarBinding', v: last.v, value: c, ...(last.span ? { span: last.span } : {}) };
  }

  private nameFor(base: string, f: RelaxFunction): string {
    for (let i = 0; ; i++) {
      const name = i === 0 ? base : `${base}${i}`;
      const made = this.created.get(name);
      if (made && isStructurallyEqual(made, f)) return name;
      if (!made && !this.mod.functions.has(name)) {
        this.created.set(name, f);
        return name;
      }
    }
  }
}

function provenanceOf(b: Binding): readonly string[] {
  const v = b.value;
  return v.kind === 'relax.Call' && v.provenance?.length ? v.provenance : [b.v.name];
}

/** `fused_` + the kernels' names in binding order (TVM's naming). */
function fusedName(g: FusedGroup): string {
  return ['fused', ...g.members.map((m) => calleeName(m.binding.value as Call))].join('_');
}

/** The group with its inputs, when only its last var is used outside it; else undefined (left unfused). */
function validGroup(members: readonly GraphNode[]): FusedGroup | undefined {
  const inGroup = new Set(members.map((m) => m.index));
  const last = members[members.length - 1]!;
  for (const m of members) {
    if (m === last) continue;
    if (m.externRef || m.outputs.some((e) => !inGroup.has(e.node))) return undefined;
  }
  const defined = new Set(members.map((m) => m.binding.v));
  const inputs: Expr[] = [];
  const seen = new Set<Expr>();
  for (const m of members) {
    const tuple = (m.binding.value as Call).args[1]!;
    for (const a of tuple.kind === 'relax.Tuple' ? tuple.fields : []) {
      if ((isRelaxVar(a) && defined.has(a)) || seen.has(a)) continue;
      seen.add(a);
      inputs.push(a);
    }
  }
  return { members, inputs };
}

/** The Primitive function of a group, with fresh symbolic vars; undefined when its shapes cannot be defined. */
function makeFunction(g: FusedGroup): RelaxFunction | undefined {
  const vars = new Map<TirVar, PrimExpr>();
  const fresh = (si: StructInfo): StructInfo => {
    for (const v of freeSymbolicVars(si)) if (!vars.has(v)) vars.set(v, tvar(v.name, v.dtype));
    return substituteShapeVars(si, vars);
  };
  const params = g.inputs.map((a, i) => relaxVar(isRelaxVar(a) ? a.name : `param_${i}`, fresh(sinfoOf(a))));
  const definable = new Set(params.flatMap((p) => definableSymbolicVars(p.sinfo)));
  const argMap = new Map<Expr, Expr>(g.inputs.map((a, i) => [a, params[i]!]));
  const bindings: Binding[] = [];
  const last = g.members[g.members.length - 1]!;
  for (const m of g.members) {
    const b = m.binding;
    const c = b.value as Call;
    const out = fresh(c.sinfoArgs[0]!);
    const v = relaxVar(b.v.name, fresh(b.v.sinfo), m !== last);
    if (!freeSymbolicVars(out).every((x) => definable.has(x)) || !freeSymbolicVars(v.sinfo).every((x) => definable.has(x))) return undefined;
    const tuple = c.args[1] as Extract<Expr, { kind: 'relax.Tuple' }>;
    const args = tuple.fields.map((a) => argMap.get(a) ?? a);
    const value: Call = { ...c, args: [c.args[0]!, { ...tuple, fields: args }], sinfoArgs: [out] };
    bindings.push({ kind: 'relax.VarBinding', v, value, ...(b.span ? { span: b.span } : {}) });
    argMap.set(b.v, v);
  }
  const result = bindings[bindings.length - 1]!.v;
  return {
    kind: 'relax.Function',
    params,
    body: { kind: 'relax.SeqExpr', blocks: [{ kind: 'relax.DataflowBlock', bindings }], body: result },
    retSInfo: result.sinfo,
    isPure: true,
    isPrivate: true,
    attrs: attrDict([['Primitive', intImm(1)]]),
  };
}

function sinfoOf(a: Expr): StructInfo {
  return leafSInfo(a)!;
}
