/**
 * RemovePurityChecking (TVM `relax.transform.RemovePurityChecking`): after it, purity is no longer checked, so
 * the lowering passes may insert allocations, kills and packed calls into pure functions.
 *   - `R.call_pure_packed("f", args..., ty_args=T)` becomes `R.call_packed("f", args..., ty_args=T)`;
 *   - `R.invoke_pure_closure(c, args, ty_args=T)` becomes `R.invoke_closure(c, args, ty_args=T)`;
 *   - every pure function (nested ones included) gets `R.func_attr({"relax.force_pure": True})`.
 * Precondition: ToNonDataflow ran (an impure call inside a dataflow block would stay ill formed).
 * Impure functions are left as they are, except for the call rewrites.
 */
import type { Binding, Call, Expr, RelaxFunction } from '../../ir/relax/nodes.js';
import { call, op } from '../../ir/relax/nodes.js';
import { attrDict, attrSet } from '../../ir/attrs.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { opCall, mapRelaxFunctions, rewriteFunctionBody, stamped } from './binding-rewriter.js';

/** The function attribute that turns purity checking off for a function. */
export const FORCE_PURE = 'relax.force_pure';

/** Creates the RemovePurityChecking pass. */
export function removePurityChecking(): Pass {
  return modulePass('RemovePurityChecking', (mod) => mapRelaxFunctions(mod, convertFunction));
}

function convertFunction(f: RelaxFunction): RelaxFunction {
  const g = rewriteFunctionBody(f, (b) => [rewriteBinding(b)]);
  return f.isPure ? { ...g, attrs: attrSet(g.attrs ?? attrDict([]), FORCE_PURE, true) } : g;
}

function rewriteBinding(b: Binding): Binding {
  const v = b.value;
  if (v.kind === 'relax.Function') return { ...b, value: convertFunction(v) };
  const c = impureForm(v);
  return c ? { ...b, value: stamped(c, b) } : b;
}

/** The impure spelling of a pure call, or undefined when `e` is not one. */
function impureForm(e: Expr): Call | undefined {
  const packed = opCall(e, 'relax.call_pure_packed');
  if (packed) {
    const [fn, ...rest] = packed.args;
    return fn?.kind === 'relax.ExternFunc' ? call(fn, rest, null, packed.sinfoArgs) : undefined;
  }
  const closure = opCall(e, 'relax.invoke_pure_closure');
  return closure ? call(op('relax.invoke_closure'), closure.args, closure.attrs, closure.sinfoArgs) : undefined;
}
