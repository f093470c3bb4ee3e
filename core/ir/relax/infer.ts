/**
 * Struct-info inference for Relax expressions: dispatches op calls to the op registry's `infer`, and handles the
 * structural forms (Tuple, TupleGetItem, calls of GlobalVars and function-typed vars, call_tir's `out_ty`, If).
 * The parser calls it while building (as TVM's BlockBuilder normalizes), the editor calls it while wiring.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StructInfo } from './nodes.js';

export interface InferEnv {
  /** Struct info of a module-level function (Relax: its FuncSInfo; PrimFunc: an opaque FuncSInfo). */
  lookupGlobal(name: string): StructInfo | undefined;
  /** Receives diagnostics (proven shape mismatches, bad attributes); spans come from the expression. */
  report(d: Diagnostic): void;
}

export { inferExprSInfo } from './infer-impl.js';
