/**
 * Call purity for the verifier (WF05, WF06), as TVM decides it: an op's registered purity (`OpDef.pure`), packed
 * calls through an ExternFunc are impure, a call of a module function follows that function's `isPure`, and a
 * call through a var follows its callable struct info. Ops that are not (yet) registered are pure unless they are
 * on the short list of side-effecting builtins below, so that a missing registration never produces a false error.
 */
import type { Call, RelaxFunction } from '../relax/nodes.js';
import type { IRModule } from '../module.js';
import { lookupOp } from '../op/registry.js';
import { attrGet, isPrimAttr } from '../attrs.js';

/** Side-effecting builtins, used only when the registry does not know the op. */
const KNOWN_IMPURE_OPS: ReadonlySet<string> = new Set([
  'relax.print',
  'relax.assert_op',
  'relax.call_builtin_with_ctx',
  'relax.memory.kill_storage',
  'relax.memory.kill_tensor',
  'relax.vm.kill_object',
  'relax.vm.call_tir_dyn',
]);

/** Why `call` is impure ("R.print is an impure op", ...), or null when it is pure or its purity is unknown. */
export function impurityOf(call: Call, mod: IRModule): string | null {
  const f = call.op;
  switch (f.kind) {
    case 'relax.Op': {
      const pure = lookupOp(f.name)?.pure ?? !KNOWN_IMPURE_OPS.has(f.name);
      return pure ? null : `"${f.name}" is an impure op`;
    }
    case 'relax.ExternFunc':
      return `R.call_packed("${f.globalSymbol}") is an impure packed call`;
    case 'relax.GlobalVar': {
      const g = mod.functions.get(f.name);
      return g?.kind === 'relax.Function' && !g.isPure ? `function "${f.name}" is impure (pure=False)` : null;
    }
    default:
      return f.sinfo.kind === 'si.Func' && !f.sinfo.purity ? `"${f.name}" is an impure callable` : null;
  }
}

/** True when a function opts out of purity checking with `R.func_attr({"relax.force_pure": True})`. */
export function isForcePure(fn: RelaxFunction): boolean {
  const v = attrGet(fn.attrs, 'relax.force_pure');
  if (v === true) return true;
  return isPrimAttr(v) && v.kind === 'tir.IntImm' && v.value !== 0;
}
