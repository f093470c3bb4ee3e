/**
 * LambdaLift (TVM's pass of that name): local functions (`@R.function` defined inside another function) become
 * private module-level functions, so the VM can call them like any other function.
 *
 * Preconditions: none beyond a well-formed module. A local function named `inner` inside `main` becomes the global
 * `main_inner`; its binding becomes a reference to that global and direct calls `inner(x)` become `cls.main_inner(x)`.
 * Local functions that capture variables of the enclosing function (closures) are reported (B605): lifting them
 * needs closure conversion (`vm.builtin.make_closure`), which is left for later. Nested local functions are lifted
 * too (the lifted functions are processed in turn).
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type { Binding, Expr, GlobalVar, RelaxFunction, RelaxVar } from '../../ir/relax/nodes.js';
import { collectVarUses } from '../../ir/relax/visit.js';
import type { Pass, PassContext } from '../pass.js';
import { extraOf, rewriteFunctionBody } from './binding-rewriter.js';

class Lifter {
  private readonly out = new Map<string, BaseFunc>();
  private readonly taken: Set<string>;

  constructor(
    private readonly mod: IRModule,
    private readonly ctx: PassContext,
  ) {
    this.taken = new Set(mod.functions.keys());
  }

  run(): IRModule {
    let changed = false;
    const queue: [string, BaseFunc][] = [...this.mod.functions];
    while (queue.length) {
      const [name, f] = queue.shift()!;
      if (f.kind !== 'relax.Function') {
        this.out.set(name, f);
        continue;
      }
      const lifted: [string, RelaxFunction][] = [];
      const g = this.function(name, f, lifted);
      if (g !== f) changed = true;
      this.out.set(name, g);
      queue.push(...lifted);
    }
    return changed ? irModule(this.mod.name, this.out, extraOf(this.mod)) : this.mod;
  }

  private function(name: string, f: RelaxFunction, lifted: [string, RelaxFunction][]): RelaxFunction {
    const globals = new Map<RelaxVar, GlobalVar>();
    let changed = false;
    const g = rewriteFunctionBody(f, (b: Binding): readonly Binding[] => {
      const v = b.value;
      if (b.kind === 'relax.VarBinding' && v.kind === 'relax.Function') {
        const captured = collectVarUses(v);
        if (captured.length > 0) {
          this.report(b, name, captured);
          return [b];
        }
        const gname = this.fresh(`${name}_${b.v.name}`);
        lifted.push([gname, { ...v, isPrivate: true }]);
        const gv: GlobalVar = { kind: 'relax.GlobalVar', name: gname };
        globals.set(b.v, gv);
        changed = true;
        return [{ ...b, value: gv }];
      }
      const callee = v.kind === 'relax.Call' ? v.op : undefined;
      if (callee && (callee.kind === 'relax.Var' || callee.kind === 'relax.DataflowVar') && globals.has(callee)) {
        changed = true;
        return [{ ...b, value: { ...(v as Extract<Expr, { kind: 'relax.Call' }>), op: globals.get(callee)! } }];
      }
      return [b];
    });
    return changed ? g : f;
  }

  private report(b: Binding, fn: string, captured: readonly RelaxVar[]): void {
    this.ctx.report({
      code: 'B605',
      severity: 'error',
      message: `A local function can be compiled when it uses only its own parameters. However, \`${b.v.name}\` in ${fn} captures ${captured.map((v) => `\`${v.name}\``).join(', ')}; closures are not supported yet.`,
      ...(b.span ? { span: b.span } : {}),
    });
  }

  private fresh(base: string): string {
    let n = base;
    for (let i = 1; this.taken.has(n); i++) n = `${base}${i}`;
    this.taken.add(n);
    return n;
  }
}

/** The LambdaLift pass. */
export function lambdaLift(): Pass {
  return { name: 'LambdaLift', run: (mod, ctx) => new Lifter(mod, ctx).run() };
}
