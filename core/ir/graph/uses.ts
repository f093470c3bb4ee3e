/**
 * Var uses as graph inputs. A node's inputs are the free Relax var occurrences of its value, counted in evaluation
 * order (the order of `exprChildren` in ../relax/visit.ts: callee, then args; tuple fields; If condition, then the
 * branches; binding values, then the body), skipping vars bound inside (If branches, nested functions).
 * `R.add(x, x)` has two inputs, both x. One walk serves both directions: listing inputs and rewiring them.
 */
import type { Binding, BindingBlock, Call, Expr, RelaxVar, SeqExpr } from '../relax/nodes.js';

type Rewire = (v: RelaxVar, index: number) => RelaxVar;

/** Walks one expression with a shared counter and the set of vars bound by enclosing scopes. */
class UseMapper {
  private index = 0;
  private readonly bound = new Set<RelaxVar>();

  constructor(private readonly f: Rewire) {}

  expr(e: Expr): Expr {
    switch (e.kind) {
      case 'relax.Var':
      case 'relax.DataflowVar':
        return this.bound.has(e) ? e : this.f(e, this.index++);
      case 'relax.Call':
        return this.call(e);
      case 'relax.Tuple': {
        const fields = this.list(e.fields);
        return fields === e.fields ? e : { ...e, fields };
      }
      case 'relax.TupleGetItem': {
        const tuple = this.expr(e.tuple);
        return tuple === e.tuple ? e : { ...e, tuple };
      }
      case 'relax.If': {
        const cond = this.expr(e.cond);
        const trueBranch = this.seq(e.trueBranch);
        const falseBranch = this.seq(e.falseBranch);
        return cond === e.cond && trueBranch === e.trueBranch && falseBranch === e.falseBranch
          ? e
          : { ...e, cond, trueBranch, falseBranch };
      }
      case 'relax.SeqExpr':
        return this.seq(e);
      case 'relax.Function': {
        const added = this.bind(e.params);
        const body = this.seq(e.body);
        this.unbind(added);
        return body === e.body ? e : { ...e, body };
      }
      default:
        return e;
    }
  }

  private call(e: Call): Expr {
    const callee = this.expr(e.op) as Call['op'];
    const args = this.list(e.args);
    return callee === e.op && args === e.args ? e : { ...e, op: callee, args };
  }

  private list(es: readonly Expr[]): readonly Expr[] {
    let out: Expr[] | undefined;
    es.forEach((x, i) => {
      const y = this.expr(x);
      if (y !== x && !out) out = es.slice(0, i);
      if (out) out.push(y);
    });
    return out ?? es;
  }

  /** A binding's value (its var is defined by the binding, not used). */
  binding(b: Binding): Binding {
    const value = this.expr(b.value);
    return value === b.value ? b : { ...b, value };
  }

  private seq(s: SeqExpr): SeqExpr {
    const added: RelaxVar[] = [];
    let changed = false;
    const blocks = s.blocks.map((blk): BindingBlock => {
      const bindings = blk.bindings.map((b) => {
        const nb = this.binding(b);
        added.push(...this.bind([b.v]));
        return nb;
      });
      if (bindings.every((b, i) => b === blk.bindings[i])) return blk;
      changed = true;
      return { ...blk, bindings };
    });
    const body = this.expr(s.body);
    this.unbind(added);
    return !changed && body === s.body ? s : { ...s, blocks, body };
  }

  private bind(vs: readonly RelaxVar[]): RelaxVar[] {
    const added = vs.filter((v) => !this.bound.has(v));
    for (const v of added) this.bound.add(v);
    return added;
  }

  private unbind(vs: readonly RelaxVar[]): void {
    for (const v of vs) this.bound.delete(v);
  }
}

/** The inputs of a binding: each free var occurrence of its value, in order (duplicates kept). */
export function bindingInputs(b: Binding): RelaxVar[] {
  const out: RelaxVar[] = [];
  new UseMapper((v) => (out.push(v), v)).binding(b);
  return out;
}

/** The inputs of an expression (the output node's returned value). */
export function exprInputs(e: Expr): RelaxVar[] {
  const out: RelaxVar[] = [];
  new UseMapper((v) => (out.push(v), v)).expr(e);
  return out;
}

/**
 * Rewires a binding's inputs: `f(v, i)` gives the var for the i-th use. Returns the same binding object when
 * nothing changes, so lowering an unedited graph rebuilds nothing.
 */
export function rewireBinding(b: Binding, f: Rewire): Binding {
  return new UseMapper(f).binding(b);
}

/** Rewires an expression's inputs, like `rewireBinding`. */
export function rewireExpr(e: Expr, f: Rewire): Expr {
  return new UseMapper(f).expr(e);
}
