/**
 * Symbolic integer arithmetic over TIR PrimExprs (int64 shape expressions): canonical simplification,
 * three-valued proofs and value bounds, as TVM's `arith::Analyzer`. Shape inference reports an error only when a
 * mismatch is proven (`canProve(a != b) === 'true'`); otherwise it degrades to a less specific struct info.
 *
 * This file is the public surface; the canonical form is in ./poly.ts, the rule tables in ./rules.ts and
 * ./logic.ts, interval arithmetic in ./interval.ts.
 */
export type { Proof, Bounds, AnalyzerOptions } from './analyzer.js';
export { Analyzer, simplify, canProve, bounds, proveEqual, proveNotEqual, exprEqual } from './analyzer.js';
