/**
 * Passes: named IRModule -> IRModule transformations, run in order by the pipeline (TVM's `Sequential`).
 * Each pass lives in `passes/<kebab-name>.ts`, exports a factory returning a `Pass`, and registers the TVM name
 * ("StaticPlanBlockMemory") that the UI and the profiler show. The verifier runs between passes when asked.
 */
import type { Diagnostic } from '../ir/diagnostics/diagnostic.js';
import type { IRModule } from '../ir/module.js';

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
