/**
 * Well-formedness verifier for IRModules holding Relax functions and PrimFuncs, run after parsing and between
 * passes (conventions.md item 3). It collects every violation rather than stopping at the first; each carries the
 * code `WF<nn>` of the invariant below, a message that states the rule then "However, ..." with the names found,
 * and the span of the offending node (the innermost enclosing node that has one).
 *
 * Invariants (Relax):
 *   1. WF01  Every Relax var use is defined before it: a parameter, an earlier binding of an enclosing SeqExpr,
 *            or a parameter/binding of an enclosing function. Bindings inside an If branch do not escape it.
 *   2. WF02  A DataflowVar is used only inside the dataflow block that defines it (not in later blocks, not as
 *            the function's return value).
 *   3. WF03  A var object is defined only once per function (params and bindings, nested functions included).
 *   4. WF04  A DataflowVar is bound only inside a dataflow block. (A dataflow binding used after its block must
 *            be a plain Var; such a use is reported as WF02 at the use.)
 *   5. WF05  A dataflow block holds no impure call: an op registered impure, a packed call through an
 *            ExternFunc (`R.call_packed`), a call of a module function with `pure=False`, or of a var whose
 *            callable struct info is impure.
 *   6. WF06  A pure function holds no impure call outside dataflow blocks (inside them it is WF05) unless its
 *            attrs set "relax.force_pure".
 *   7. WF07  A dataflow block holds no If.
 *   8. WF08  The two branches of an If have compatible struct info: same kind; tensors of equal ndim and dtype
 *            (and equal constant dims) where both are known; tuples of equal length, fieldwise.
 *   9. WF09  Every GlobalVar names a function of the module.
 *  10. WF10  call_tir (and call_tir_inplace, call_tir_with_grad) calls a GlobalVar naming a PrimFunc with one
 *            parameter per input (tensors and trailing symbolic PrimValues) plus one per output (minus in-place
 *            outputs), and has at least one output struct info.
 *  11. WF11  Every symbolic var in a struct info, ShapeExpr or PrimValue is defined before use: by a parameter's
 *            struct info (as a bare dim or prim value), a type parameter (`def f[n]`), or an earlier match_cast.
 *            The declared return struct info is exempt (it may name vars that a match_cast defines).
 *  14. WF14  Function parameters are plain Vars (not DataflowVars) with unique names.
 *  15. WF15  The returned value is compatible with the declared return struct info when both are known.
 * Invariants (TIR; skipped when `checkTir` is false):
 *  12. WF12  Every TIR var and buffer used in a PrimFunc is defined in scope (params, buffer_map buffers and their
 *            bare shape vars, loop vars, block iter vars, alloc and match buffers, let vars), and every
 *            BufferLoad, BufferStore and read/write region has one index or range per buffer dimension.
 *  13. WF13  A block realize binds exactly one value per block iter var.
 * Additional invariants:
 *  16. WF16  A VarBinding's var struct info is compatible with its value's struct info when both are known
 *            (narrowing needs a match_cast).
 *  17. WF17  A TupleGetItem index is non-negative and, when the tuple's struct info is known, within range.
 *  18. WF18  A TIR var (param, loop var, iter var, let var) is defined only once per PrimFunc.
 *  19. WF19  A call of a module-level Relax function passes exactly one argument per parameter.
 *  20. WF20  An If condition is a boolean scalar (`R.Prim("bool")` or a 0-d bool tensor) when its struct info
 *            is known; an unknown dtype or rank is accepted.
 *
 * "Compatible" here means "not provably different" (see `sinfo-compat.ts`): the verifier reports only definite
 * mismatches, and leaves precise subtyping to struct-info inference. It never throws on malformed input.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IRModule } from '../module.js';
import { RelaxChecker } from './relax-wf.js';
import { checkPrimFunc } from './tir-wf.js';

export { WF_CODES } from './codes-wf.js';
export type { WfCode } from './codes-wf.js';

/** Options for `verifyModule`. */
export interface VerifyOptions {
  /** Also check PrimFunc bodies (WF12, WF13, WF18). Default true. */
  readonly checkTir?: boolean;
}

/**
 * Checks every invariant above over the whole module and returns all violations, in function order and, within a
 * function, in definition order. An empty result means the module is well formed. Linear in the module size.
 */
export function verifyModule(mod: IRModule, opts: VerifyOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (d: Diagnostic): void => {
    out.push(d);
  };
  const relax = new RelaxChecker(mod, report);
  for (const [name, fn] of mod.functions) {
    if (fn.kind === 'relax.Function') relax.checkFunction(name, fn);
    else if (opts.checkTir !== false) checkPrimFunc(name, fn, report);
  }
  return out;
}
