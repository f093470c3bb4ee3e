/**
 * Passes: named IRModule -> IRModule transformations, run in order by the pipeline (TVM's `Sequential`).
 * Each pass lives in `passes/<kebab-name>.ts`, exports a factory returning a `Pass`, and registers the TVM name
 * ("StaticPlanBlockMemory") that the UI and the profiler show. The verifier runs between passes when asked.
 */
import type { Diagnostic } from '../ir/diagnostics/diagnostic.js';
import type { IRModule } from '../ir/module.js';
import type { PrimFunc } from '../ir/tir/nodes.js';
import type { Tensor } from '../vm/tensor.js';

export interface CompileOptions {
  /** Run FuseOps + FuseTIR (the GPU pipeline's default; opt-in on the CPU). */
  readonly fuse?: boolean;
  /** 'each-pass' in tests and dev, 'end' in release, 'off' to skip. */
  readonly verify?: 'each-pass' | 'end' | 'off';
}

export interface PassContext {
  readonly options: CompileOptions;
  /** Passes report problems here (with the span of the source binding) instead of throwing. */
  report(d: Diagnostic): void;
  /**
   * Runs a kernel at compile time (FoldConstant): `args` are the input tensors (and numbers for trailing scalar
   * params), `outs` the shapes and dtypes of the outputs; returns the outputs. When absent, FoldConstant uses the
   * JavaScript reference backend (passes/fold-evaluator.ts).
   */
  evaluate?(func: PrimFunc, args: readonly (Tensor | number)[], outs: readonly TensorSpec[]): Tensor[];
}

/** The static shape and dtype of a tensor to produce. */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: string;
}

export interface Pass {
  /** TVM's name: "LegalizeOps", "CallTIRRewrite", ... */
  readonly name: string;
  run(mod: IRModule, ctx: PassContext): IRModule;
}

/** Builds a Pass from a name and a function. */
export function modulePass(name: string, run: (mod: IRModule, ctx: PassContext) => IRModule): Pass {
  return { name, run };
}

/** Raised when compilation cannot go on; carries the diagnostics (with spans to badge graph nodes). */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `error[${d.code}]: ${d.message}`).join('\n'));
    this.name = 'CompileError';
  }
}
