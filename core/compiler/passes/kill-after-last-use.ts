/**
 * KillAfterLastUse (TVM `relax.transform.KillAfterLastUse`): right after the last use of an allocation, release it
 * so its memory can go back to the allocator:
 *   `_ = R.memory.kill_tensor(t)` for a var bound to `R.memory.alloc_tensor`,
 *   `_ = R.memory.kill_storage(s)` for a var bound to `R.memory.alloc_storage`.
 *
 * Analysis, per SeqExpr (If branches are separate scopes, handled recursively): a use of a var anywhere inside a
 * binding's value (nested branches included) is a use at that binding; a trivial alias `y = x` makes a use of `y`
 * a use of `x` (VM codegen gives both one register, so killing `x` early would kill `y`); a var the SeqExpr
 * returns (directly or through an alias) escapes and is never killed; an existing kill is not a use and is not
 * repeated. Unused allocations are not killed (as TVM). Kills go after the binding holding the last use, in the
 * order the killed vars were defined; none is placed in a dataflow block (ToNonDataflow runs first).
 * Precondition: LowerAllocTensor ran (`R.builtin.alloc_tensor` results are not tracked). Left to later passes:
 * LowerRuntimeBuiltin turns the kills into `R.vm.kill_object`.
 */
import type { Binding, BindingBlock, RelaxFunction, RelaxVar, SeqExpr } from '../../ir/relax/nodes.js';
import { SI, call, isRelaxVar, op } from '../../ir/relax/nodes.js';
import { collectVarUses } from '../../ir/relax/visit.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, newBinding, provenanceOf } from './binding-rewriter.js';

const KILL_OPS = new Set(['relax.memory.kill_tensor', 'relax.memory.kill_storage', 'relax.vm.kill_object']);
const TRACKED: Readonly<Record<string, string>> = {
  'relax.memory.alloc_tensor': 'relax.memory.kill_tensor',
  'relax.memory.alloc_storage': 'relax.memory.kill_storage',
};

/** Creates the KillAfterLastUse pass. */
export function killAfterLastUse(): Pass {
  return modulePass('KillAfterLastUse', (mod) => mapRelaxFunctions(mod, (f) => ({ ...f, body: killSeq(f.body) })));
}

function killSeq(seq: SeqExpr): SeqExpr {
  const blocks = seq.blocks.map((block) => ({ ...block, bindings: block.bindings.map(withNestedKills) }));
  const plan = new LastUse({ ...seq, blocks });
  const out = blocks.map((block, bi): BindingBlock => ({
    ...block,
    bindings: block.bindings.flatMap((b, i) => (block.kind === 'relax.DataflowBlock' ? [b] : [b, ...plan.killsAfter(bi, i)])),
  }));
  return { ...seq, blocks: out };
}

function withNestedKills(b: Binding): Binding {
  const v = b.value;
  if (v.kind === 'relax.If') return { ...b, value: { ...v, trueBranch: killSeq(v.trueBranch), falseBranch: killSeq(v.falseBranch) } };
  if (v.kind === 'relax.SeqExpr') return { ...b, value: killSeq(v) };
  if (v.kind === 'relax.Function') return { ...b, value: killFunction(v) };
  return b;
}

function killFunction(f: RelaxFunction): RelaxFunction {
  return { ...f, body: killSeq(f.body) };
}

/** Where each tracked allocation of one SeqExpr is used last. */
class LastUse {
  /** Tracked var -> the kill op for it and the binding that defined it. */
  private readonly tracked = new Map<RelaxVar, { kill: string; def: Binding; order: number }>();
  private readonly alias = new Map<RelaxVar, RelaxVar>();
  private readonly last = new Map<RelaxVar, string>();
  private readonly done = new Set<RelaxVar>();

  constructor(seq: SeqExpr) {
    seq.blocks.forEach((block, bi) => block.bindings.forEach((b, i) => this.visit(b, `${bi}:${i}`)));
    for (const v of collectVarUses(seq.body)) this.done.add(this.root(v));
  }

  /** The kill bindings to place after binding `i` of block `bi`. */
  killsAfter(bi: number, i: number): Binding[] {
    const key = `${bi}:${i}`;
    const out: { order: number; b: Binding }[] = [];
    for (const [v, t] of this.tracked) {
      if (this.last.get(v) !== key || this.done.has(v)) continue;
      const value = { ...call(op(t.kill), [v]), provenance: provenanceOf(t.def) };
      out.push({ order: t.order, b: newBinding('_', value, SI.tuple([]), t.def) });
    }
    return out.sort((a, b) => a.order - b.order).map((x) => x.b);
  }

  private visit(b: Binding, key: string): void {
    const v = b.value;
    if (v.kind === 'relax.Call' && v.op.kind === 'relax.Op' && KILL_OPS.has(v.op.name)) {
      const x = v.args[0];
      if (x && isRelaxVar(x)) this.done.add(this.root(x));
      return;
    }
    for (const u of collectVarUses(v)) this.last.set(this.root(u), key);
    if (b.kind === 'relax.VarBinding' && isRelaxVar(v)) this.alias.set(b.v, this.root(v));
    const kill = v.kind === 'relax.Call' && v.op.kind === 'relax.Op' ? TRACKED[v.op.name] : undefined;
    if (kill) this.tracked.set(b.v, { kill, def: b, order: this.tracked.size });
  }

  private root(v: RelaxVar): RelaxVar {
    return this.alias.get(v) ?? v;
  }
}

