/**
 * Graph edits on the IR, framework-free: what the node editor does (add a node, wire an input, change an
 * attribute, delete, duplicate, retype a parameter), each as a function IRModule -> IRModule. Nodes are named by
 * their var name in the function (`"lv1"`, a param `"x"`); the function's output is `"return"` (not a Python name,
 * so it cannot clash).
 *
 * Decisions:
 * - Relax has no "unconnected input": a call needs its arguments. `addNode` binds every required tensor input to a
 *   chosen source var (the selected node, else the function's first param); the UI then rewires with `connect`.
 *   Shape arguments take the source's dims, prim arguments 0, attributes their defaults (required ones a neutral
 *   value of their type), so a new node always prints and re-reads.
 * - `connect` may put a producer after its consumer in a block; the block is then re-ordered topologically
 *   (stable), and a cycle is refused. Wiring a dataflow var to the output makes it a block output (a Var).
 * - `deleteNodes` bypasses a deleted binding: its uses take the deleted node's first input (a chain stays wired);
 *   a node without inputs that is still used is refused. Params may be deleted when unused.
 * - Every edit re-infers the function (`inferExprSInfo`, in binding order) so vars, and thus edge labels, carry the
 *   new symbolic shapes; match_casts keep their written struct info. Inference problems are
 *   returned as diagnostics (the node's badge), not refusals. The declared return type follows the body.
 *   The canonical printer annotates every binding, so an annotation is replaced by the inferred struct info
 *   whenever inference knows the result; it is kept only where inference gives R.Any (unknown ops, packed calls).
 * A refused edit returns `{ok: false, error}` with an E8xx diagnostic and changes nothing.
 */
import type { AttrValue } from '../attrs.js';
import { attrDict, attrSet } from '../attrs.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { BaseFunc, IRModule } from '../module.js';
import { irModule } from '../module.js';
import type { OpDef, OpParam } from '../op/registry.js';
import { lookupOp } from '../op/registry.js';
import '../op/all.js';
import { inferExprSInfo } from '../relax/infer.js';
import type { InferEnv } from '../relax/infer.js';
import type { Binding, BindingBlock, Call, Expr, RelaxFunction, RelaxVar, StructInfo } from '../relax/nodes.js';
import { call, op as opRef, SI, tensorDims } from '../relax/nodes.js';
import { eraseToWellDefined, primVars, sinfoEqual } from '../relax/sinfo.js';
import type { TirVar } from '../tir/nodes.js';
import { floatImm, intImm } from '../tir/nodes.js';
import type { ShapeVars } from './edit-values.js';
import { readAttr, readTensorSInfo } from './edit-values.js';
import { bindingInputs, exprInputs, rewireBinding, rewireExpr } from './uses.js';

/** The name of the output node in edits. */
export const OUTPUT = 'return';

/** One edit of a Relax function in a module (see the file header). */
export type GraphEdit =
  | { readonly kind: 'addNode'; readonly fn: string; readonly op: string; readonly input?: string; readonly name?: string }
  | { readonly kind: 'connect'; readonly fn: string; readonly source: string; readonly target: string; readonly input: number }
  | { readonly kind: 'setAttr'; readonly fn: string; readonly node: string; readonly name: string; readonly value: string }
  | { readonly kind: 'deleteNodes'; readonly fn: string; readonly nodes: readonly string[] }
  | { readonly kind: 'duplicateNodes'; readonly fn: string; readonly nodes: readonly string[] }
  | { readonly kind: 'setParamSInfo'; readonly fn: string; readonly param: string; readonly text: string };

/** The edited module with its inference diagnostics, and the names of the nodes an edit created; or a refusal. */
export type EditResult =
  | { readonly ok: true; readonly module: IRModule; readonly diagnostics: readonly Diagnostic[]; readonly created: readonly string[] }
  | { readonly ok: false; readonly error: Diagnostic };

/** A function taken apart for editing: params, blocks (mutable copies) and the returned expression. */
interface Flat {
  params: RelaxVar[];
  blocks: { kind: BindingBlock['kind']; bindings: Binding[] }[];
  body: Expr;
  /** Old var -> new var, applied to every use when the function is rebuilt. */
  readonly renamed: Map<RelaxVar, RelaxVar>;
  created: string[];
}

class Refused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Applies one edit; never throws. */
export function applyGraphEdit(mod: IRModule, edit: GraphEdit): EditResult {
  const fn = mod.functions.get(edit.fn);
  if (!fn || fn.kind !== 'relax.Function') return refuse('E802', `An edit must name a Relax function of the module. However, "${edit.fn}" is not one.`);
  try {
    const flat = flatten(fn);
    EDITS[edit.kind](flat, edit as never, mod);
    const { func, diagnostics } = rebuild(fn, flat, mod);
    const functions = new Map<string, BaseFunc>(mod.functions);
    functions.set(edit.fn, func);
    return { ok: true, module: irModule(mod.name, functions, extraOf(mod)), diagnostics, created: flat.created };
  } catch (e) {
    if (e instanceof Refused) return refuse(e.code, e.message);
    return refuse('E899', `A graph edit must not fail. However, it threw: ${String(e)}`);
  }
}

function refuse(code: string, message: string): EditResult {
  return { ok: false, error: { code, severity: 'error', message } };
}

function extraOf(mod: IRModule): Parameters<typeof irModule>[2] {
  return {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
  };
}

type Handler<K extends GraphEdit['kind']> = (f: Flat, e: Extract<GraphEdit, { kind: K }>, mod: IRModule) => void;

const EDITS: { readonly [K in GraphEdit['kind']]: Handler<K> } = {
  addNode: (f, e) => addNode(f, e.op, e.input, e.name),
  connect: (f, e) => connect(f, e.source, e.target, e.input),
  setAttr: (f, e) => setAttr(f, e.node, e.name, e.value),
  deleteNodes: (f, e) => deleteNodes(f, e.nodes),
  duplicateNodes: (f, e) => duplicateNodes(f, e.nodes),
  setParamSInfo: (f, e) => setParamSInfo(f, e.param, e.text),
};

// ------------------------------------------------------------------------------------------------ lookups

function flatten(fn: RelaxFunction): Flat {
  const blocks = fn.body.blocks.map((b) => ({ kind: b.kind, bindings: [...b.bindings] }));
  return { params: [...fn.params], blocks, body: fn.body.body, renamed: new Map(), created: [] };
}

interface Where {
  readonly block: number;
  readonly index: number;
  readonly binding: Binding;
}

function findBinding(f: Flat, name: string): Where | undefined {
  for (let block = 0; block < f.blocks.length; block++) {
    const index = f.blocks[block]!.bindings.findIndex((b) => b.v.name === name);
    if (index >= 0) return { block, index, binding: f.blocks[block]!.bindings[index]! };
  }
  return undefined;
}

function needBinding(f: Flat, name: string): Where {
  const w = findBinding(f, name);
  if (!w) throw new Refused('E803', `An edit must name a node of the function. However, there is no binding "${name}".`);
  return w;
}

/** The var a name stands for: a param or a binding's var. */
function needVar(f: Flat, name: string): RelaxVar {
  const v = f.params.find((p) => p.name === name) ?? findBinding(f, name)?.binding.v;
  if (!v) throw new Refused('E803', `An edit must name a node of the function. However, there is no param or binding "${name}".`);
  return v;
}

function allNames(f: Flat): Set<string> {
  const names = new Set(f.params.map((p) => p.name));
  for (const b of f.blocks) for (const x of b.bindings) names.add(x.v.name);
  return names;
}

/** `base`, else `base1`, `base2`, ... not yet used in the function. */
function freshName(f: Flat, base: string): string {
  const names = allNames(f);
  const clean = base.replace(/\W/g, '_').replace(/^(\d)/, '_$1') || 'v';
  if (!names.has(clean) && clean !== OUTPUT) return clean;
  for (let i = 1; ; i++) if (!names.has(`${clean}${i}`)) return `${clean}${i}`;
}

/** Shape vars of the function by name (from its params), so edits reuse them. */
function shapeVarsOf(f: Flat): ShapeVars {
  const vars: ShapeVars = new Map();
  const visit = (si: StructInfo): void => {
    if (si.kind === 'si.Tuple') si.fields.forEach(visit);
    for (const d of tensorDims(si) ?? (si.kind === 'si.Shape' ? (si.values ?? []) : [])) {
      for (const v of primVars(d)) if (!vars.has(v.name)) vars.set(v.name, v);
    }
  };
  f.params.forEach((p) => visit(p.sinfo));
  for (const b of f.blocks) for (const x of b.bindings) visit(x.v.sinfo);
  return vars;
}

// ------------------------------------------------------------------------------------------------ addNode

function addNode(f: Flat, opName: string, input: string | undefined, name: string | undefined): void {
  const def = lookupOp(opName);
  if (!def) throw new Refused('E804', `A new node must use a registered op. However, "${opName}" is not registered.`);
  const sourceName = input ?? f.params[0]?.name;
  if (sourceName === undefined) throw new Refused('E805', `A new node needs an input. However, the function has no params.`);
  const source = needVar(f, sourceName);
  const value = newCall(def, source);
  const at = placeAfter(f, sourceName);
  const blk = f.blocks[at.block]!;
  const vname = freshName(f, name ?? def.name.split('.').pop()!);
  const v: RelaxVar = { kind: blk.kind === 'relax.DataflowBlock' ? 'relax.DataflowVar' : 'relax.Var', name: vname, sinfo: SI.object() };
  blk.bindings.splice(at.index, 0, { kind: 'relax.VarBinding', v, value });
  f.created.push(vname);
}

/** Where a binding that uses `source` goes: right after its binding, or first in the first block for a param. */
function placeAfter(f: Flat, source: string): { block: number; index: number } {
  const w = findBinding(f, source);
  if (w) return { block: w.block, index: w.index + 1 };
  if (f.blocks.length === 0) f.blocks.push({ kind: 'relax.DataflowBlock', bindings: [] });
  return { block: 0, index: 0 };
}

function newCall(def: OpDef, source: RelaxVar): Call {
  const args: Expr[] = [];
  const attrs: (readonly [string, AttrValue])[] = [];
  for (const p of def.params) {
    if (p.kind === 'attr') attrs.push([p.name, p.default !== undefined ? p.default : neutralAttr(p)]);
    else if (!p.optional) args.push(argFor(p, source));
  }
  const dict = attrs.length > 0 ? attrDict(attrs) : null;
  return call(opRef(def.name), args, dict && def.normalizeAttrs ? def.normalizeAttrs(dict) : dict);
}

function argFor(p: OpParam, source: RelaxVar): Expr {
  switch (p.kind) {
    case 'tensors':
      return { kind: 'relax.Tuple', fields: [source] };
    case 'shape':
      return { kind: 'relax.ShapeExpr', values: tensorDims(source.sinfo) ?? [] };
    case 'prim':
      return { kind: 'relax.PrimValue', value: intImm(0) };
    case 'prims':
      return { kind: 'relax.Tuple', fields: [] };
    default:
      return source;
  }
}

/** A value of an attribute's type for required attributes (the inspector then edits it). */
function neutralAttr(p: OpParam): AttrValue {
  switch (p.attrType) {
    case 'int': case 'axis': case 'int_or_ints':
      return intImm(0);
    case 'float':
      return floatImm(0, 'float64');
    case 'bool':
      return false;
    case 'dtype':
      return 'float32';
    case 'str':
      return p.choices?.[0] ?? '';
    case 'ints': case 'axes': case 'prim_exprs':
      return [];
    default:
      return null;
  }
}

// ------------------------------------------------------------------------------------------------ connect

function connect(f: Flat, sourceName: string, target: string, input: number): void {
  const source = needVar(f, sourceName);
  if (target === OUTPUT) {
    f.body = rewireExpr(f.body, (v, i) => (i === input ? source : v));
    if (exprInputs(f.body).length <= input) throw new Refused('E806', `The output has ${exprInputs(f.body).length} inputs. However, input ${input} was wired.`);
    if (source.kind === 'relax.DataflowVar') promote(f, source);
    return;
  }
  const w = needBinding(f, target);
  const count = bindingInputs(w.binding).length;
  if (input < 0 || input >= count) throw new Refused('E806', `"${target}" has ${count} inputs. However, input ${input} was wired.`);
  if (sourceName === target) throw new Refused('E807', `A node cannot take its own value. However, "${target}" was wired to itself.`);
  const src = findBinding(f, sourceName);
  if (src && src.block > w.block) throw new Refused('E807', `A value must be defined before its use. However, "${sourceName}" is in a later block than "${target}".`);
  if (src && src.block < w.block && source.kind === 'relax.DataflowVar') promote(f, source);
  f.blocks[w.block]!.bindings[w.index] = rewireBinding(w.binding, (v, i) => (i === input ? source : v));
  if (src && src.block === w.block) reorder(f, w.block);
}

/** Makes a dataflow var a block output (a Var), so it may be used after its block. */
function promote(f: Flat, v: RelaxVar): void {
  const w = needBinding(f, v.name);
  const nv: RelaxVar = { ...v, kind: 'relax.Var' };
  f.blocks[w.block]!.bindings[w.index] = { ...w.binding, v: nv };
  f.renamed.set(v, nv);
}

/** Stable topological order of one block's bindings; refuses a cycle. */
function reorder(f: Flat, block: number): void {
  const bs = f.blocks[block]!.bindings;
  const index = new Map(bs.map((b, i) => [b.v, i]));
  const deps = bs.map((b) => new Set(bindingInputs(b).map((v) => index.get(v)).filter((i): i is number => i !== undefined)));
  const done = new Set<number>();
  const out: Binding[] = [];
  while (out.length < bs.length) {
    const next = bs.findIndex((_, i) => !done.has(i) && [...deps[i]!].every((d) => done.has(d)));
    if (next < 0) throw new Refused('E808', 'A graph must not have cycles. However, this wire would close one.');
    done.add(next);
    out.push(bs[next]!);
  }
  f.blocks[block]!.bindings = out;
}

// ------------------------------------------------------------------------------------------------ attrs, params

function setAttr(f: Flat, node: string, name: string, text: string): void {
  const w = needBinding(f, node);
  const value = w.binding.value;
  const def = value.kind === 'relax.Call' && value.op.kind === 'relax.Op' ? lookupOp(value.op.name) : undefined;
  const param = def?.params.find((p) => p.kind === 'attr' && p.name === name);
  if (!def || !param || value.kind !== 'relax.Call') {
    throw new Refused('E809', `An attribute must belong to the node's op. However, "${node}" has no attribute "${name}".`);
  }
  const read = readAttr(param, text, shapeVarsOf(f));
  if (!read.ok) throw new Refused('E810', read.error);
  const attrs = attrSet(value.attrs ?? attrDict([]), name, read.value);
  const normalized = def.normalizeAttrs ? def.normalizeAttrs(attrs) : attrs;
  f.blocks[w.block]!.bindings[w.index] = { ...w.binding, value: { ...value, attrs: normalized } };
}

function setParamSInfo(f: Flat, name: string, text: string): void {
  const i = f.params.findIndex((p) => p.name === name);
  if (i < 0) throw new Refused('E803', `An edit must name a param of the function. However, there is no param "${name}".`);
  const old = f.params[i]!;
  const dtype = old.sinfo.kind === 'si.Tensor' ? old.sinfo.dtype : 'float32';
  const read = readTensorSInfo(text, shapeVarsOf(f), dtype);
  if (!read.ok) throw new Refused('E810', read.error);
  const nv: RelaxVar = { ...old, sinfo: read.value };
  f.params[i] = nv;
  f.renamed.set(old, nv);
}

// ------------------------------------------------------------------------------------------------ delete, duplicate

function deleteNodes(f: Flat, names: readonly string[]): void {
  const doomed = new Set(names.filter((n) => n !== OUTPUT));
  const bypass = new Map<RelaxVar, RelaxVar | undefined>();
  for (const b of f.blocks) for (const x of b.bindings) if (doomed.has(x.v.name)) bypass.set(x.v, bindingInputs(x)[0]);
  const resolve = (v: RelaxVar): RelaxVar | undefined => {
    const seen = new Set<RelaxVar>();
    let cur: RelaxVar | undefined = v;
    while (cur && bypass.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = bypass.get(cur);
    }
    return cur && bypass.has(cur) ? undefined : cur;
  };
  const sub = (v: RelaxVar): RelaxVar => {
    if (!bypass.has(v)) return v;
    const r = resolve(v);
    if (!r) throw new Refused('E811', `A deleted node must not be in use. However, "${v.name}" is used and has no input to pass on.`);
    return r;
  };
  for (const b of f.blocks) b.bindings = b.bindings.filter((x) => !doomed.has(x.v.name)).map((x) => rewireBinding(x, sub));
  f.body = rewireExpr(f.body, sub);
  deleteParams(f, doomed);
  f.blocks = f.blocks.filter((b) => b.bindings.length > 0);
  for (const b of f.blocks) for (const x of b.bindings) for (const v of bindingInputs(x)) promoteIfEscaping(f, b, v);
  for (const v of exprInputs(f.body)) if (v.kind === 'relax.DataflowVar') promote(f, v);
}

/** A bypass can make a later block (or the output) use a dataflow var of an earlier block: promote it. */
function promoteIfEscaping(f: Flat, user: Flat['blocks'][number], v: RelaxVar): void {
  if (v.kind !== 'relax.DataflowVar' || user.bindings.some((x) => x.v === v)) return;
  promote(f, v);
}

function deleteParams(f: Flat, doomed: Set<string>): void {
  const used = new Set<RelaxVar>(exprInputs(f.body));
  for (const b of f.blocks) for (const x of b.bindings) for (const v of bindingInputs(x)) used.add(v);
  for (const p of f.params) {
    if (doomed.has(p.name) && used.has(p)) throw new Refused('E811', `A deleted param must not be in use. However, "${p.name}" is used.`);
  }
  f.params = f.params.filter((p) => !doomed.has(p.name));
}

function duplicateNodes(f: Flat, names: readonly string[]): void {
  for (const name of names) {
    const w = needBinding(f, name);
    const v: RelaxVar = { ...w.binding.v, name: freshName(f, name) };
    const { span: _span, ...rest } = w.binding;
    f.blocks[w.block]!.bindings.splice(w.index + 1, 0, { ...rest, v } as Binding);
    f.created.push(v.name);
  }
}

// ------------------------------------------------------------------------------------------------ re-inference

/** Rebuilds the function from its flat form, re-inferring every binding in order. */
function rebuild(old: RelaxFunction, f: Flat, mod: IRModule): { func: RelaxFunction; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const renamed = f.renamed;
  const sub = (v: RelaxVar): RelaxVar => renamed.get(v) ?? v;
  const env = inferEnv(mod, diagnostics);
  const blocks: BindingBlock[] = f.blocks.map((blk) => ({
    kind: blk.kind,
    bindings: blk.bindings.map((b) => reinferBinding(rewireBinding(b, sub), env, renamed)),
  }));
  const body = rewireExpr(f.body, sub);
  const retSInfo = returnSInfo(old, f.params, body, env);
  const func: RelaxFunction = { ...old, params: f.params, body: { ...old.body, blocks, body }, retSInfo };
  return { func, diagnostics };
}

function reinferBinding(b: Binding, env: InferEnv, renamed: Map<RelaxVar, RelaxVar>): Binding {
  const si = inferExprSInfo(b.value, {
    lookupGlobal: env.lookupGlobal,
    report: (d) => env.report({ ...d, message: `${b.v.name}: ${d.message}` }),
  });
  if (b.kind === 'relax.MatchCast' || (b.annotated && si.kind === 'si.Object')) return b;
  if (sinfoEqual(si, b.v.sinfo)) return b;
  const v: RelaxVar = { ...b.v, sinfo: si };
  for (const [k, x] of renamed) if (x === b.v) renamed.set(k, v);
  renamed.set(b.v, v);
  return { ...b, v };
}

function inferEnv(mod: IRModule, out: Diagnostic[]): InferEnv {
  return {
    lookupGlobal(name) {
      const g = mod.functions.get(name);
      if (!g) return undefined;
      return g.kind === 'relax.Function' ? SI.func(g.params.map((p) => p.sinfo), g.retSInfo, g.isPure) : SI.func(undefined, SI.object());
    },
    report: (d) => out.push(d),
  };
}

/** The declared return type follows the body when the body's struct info changed, erased to the params' vars. */
function returnSInfo(old: RelaxFunction, params: readonly RelaxVar[], body: Expr, env: InferEnv): StructInfo {
  const quiet: InferEnv = { lookupGlobal: env.lookupGlobal, report: () => undefined };
  const was = inferExprSInfo(old.body.body, quiet);
  const now = inferExprSInfo(body, quiet);
  if (sinfoEqual(was, now) && sameParams(old.params, params)) return old.retSInfo;
  const defined = new Set<TirVar>();
  for (const p of params) collectVars(p.sinfo, defined);
  return eraseToWellDefined(now, (v) => defined.has(v));
}

function sameParams(a: readonly RelaxVar[], b: readonly RelaxVar[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function collectVars(si: StructInfo, out: Set<TirVar>): void {
  if (si.kind === 'si.Tuple') si.fields.forEach((x) => collectVars(x, out));
  for (const d of tensorDims(si) ?? (si.kind === 'si.Shape' ? (si.values ?? []) : [])) for (const v of primVars(d)) out.add(v);
}
