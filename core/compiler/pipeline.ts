/**
 * The build pipeline: TVM's `default_build_pipeline` (python/tvm/relax/pipeline.py), names and order kept, as one
 * readable list, and the runner that applies it with verification between passes.
 *
 * TVM's CPU list also has DispatchSampling/DispatchSortScan (no sampling or sort ops lower that way here),
 * RewriteCUDAGraph (no CUDA graphs) and ComputePrimValue (VMShapeLower computes symbolic PrimValues here); the
 * legalize steps AnnotateTIROpPattern, FoldConstant and, with `fuse`, FuseOps + FuseTIR come from its GPU and
 * zero pipelines.
 */
import type { Diagnostic } from '../ir/diagnostics/diagnostic.js';
import type { IRModule } from '../ir/module.js';
import { verifyModule } from '../ir/verify/index.js';
import type { CompileOptions, Pass, PassContext } from './pass.js';
import { CompileError } from './pass.js';
import { lambdaLift } from './passes/lambda-lift.js';
import { legalizeOps } from './passes/legalize-ops.js';
import { annotateTIROpPattern } from './passes/annotate-tir-op-pattern.js';
import { foldConstant } from './passes/fold-constant.js';
import { fuseOps } from './passes/fuse-ops.js';
import { fuseTIR } from './passes/fuse-tir.js';
import { rewriteDataflowReshape } from './passes/rewrite-dataflow-reshape.js';
import { toNonDataflow } from './passes/to-non-dataflow.js';
import { removePurityChecking } from './passes/remove-purity-checking.js';
import { callTIRRewrite } from './passes/call-tir-rewrite.js';
import { staticPlanBlockMemory } from './passes/static-plan-block-memory.js';
import { lowerAllocTensor } from './passes/lower-alloc-tensor.js';
import { killAfterLastUse } from './passes/kill-after-last-use.js';
import { lowerRuntimeBuiltin } from './passes/lower-runtime-builtin.js';
import { vmShapeLower } from './passes/vm-shape-lower.js';
import { attachGlobalSymbol } from './passes/attach-global-symbol.js';

/**
 * Names of the passes that are still identity placeholders (tests that need them skip). Empty now that every
 * pass has landed; kept so a future pass can be staged the same way.
 */
export const PENDING_PASSES: ReadonlySet<string> = new Set<string>();

/** One step of the pipeline with the reason it is there. */
export interface PipelineStep {
  readonly pass: Pass;
  readonly why: string;
}

/** The pipeline for these options, in TVM's order. */
export function pipelineSteps(options: CompileOptions = {}): PipelineStep[] {
  const fuse = options.fuse === true;
  return [
    { pass: lambdaLift(), why: 'local functions become module functions the VM can call' },
    { pass: legalizeOps(), why: 'ops become call_tir to generated PrimFuncs: the VM only runs kernels and builtins' },
    { pass: annotateTIROpPattern(), why: 'each kernel is classified (elemwise, injective, reduce, ...) for fusion' },
    { pass: foldConstant(), why: 'kernels over constants run once at compile time' },
    ...(fuse
      ? [
          { pass: fuseOps(), why: 'chains of fusable kernels are grouped into primitive functions' },
          { pass: fuseTIR(), why: 'each group becomes one fused PrimFunc and one call_tir' },
        ]
      : []),
    { pass: rewriteDataflowReshape(), why: 'reshape kernels become R.reshape, a zero-copy view at run time' },
    { pass: toNonDataflow(), why: 'dataflow blocks end: later passes insert impure allocations and kills' },
    { pass: removePurityChecking(), why: 'pure packed calls become plain packed calls; purity is no longer checked' },
    { pass: callTIRRewrite(), why: 'destination-passing calls get an explicit allocation per output' },
    { pass: staticPlanBlockMemory(), why: 'static allocations share storage once their tensors are dead' },
    { pass: lowerAllocTensor(), why: 'remaining allocations get their own storage' },
    { pass: killAfterLastUse(), why: 'tensors and storages are released right after their last use' },
    { pass: lowerRuntimeBuiltin(), why: 'memory and shape ops become VM ops and vm.builtin calls' },
    { pass: vmShapeLower(), why: 'symbolic shapes are checked, stored in a shape heap and computed at run time' },
    { pass: attachGlobalSymbol(), why: 'public functions get the symbol the executable exports them under' },
  ];
}

/** The passes of the pipeline for these options. */
export function defaultPipeline(options: CompileOptions = {}): Pass[] {
  return pipelineSteps(options).map((s) => s.pass);
}

/** Options of `runPipeline` beyond the compile options. */
export interface RunPipelineOptions extends CompileOptions {
  /** Called with each pass's name and the module after it (`--print-after-all`). */
  readonly onPass?: (name: string, mod: IRModule) => void;
  /** The passes to run; default `defaultPipeline(options)`. */
  readonly passes?: readonly Pass[];
}

/** What `runPipeline` returns. */
export interface PipelineResult {
  readonly module: IRModule;
  readonly afterPass: { readonly name: string; readonly module: IRModule }[];
  /** Warnings the passes reported (errors throw). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Applies the passes in order. `verify` ('each-pass' by default) runs `verifyModule` on the input and after every
 * pass ('end': only after the last). Throws CompileError when a pass reports an error, throws, or leaves an ill
 * formed module; the diagnostics name the pass and keep the spans of the source bindings.
 */
export function runPipeline(mod: IRModule, options: RunPipelineOptions = {}): PipelineResult {
  const passes = options.passes ?? defaultPipeline(options);
  const verify = options.verify ?? 'each-pass';
  const diagnostics: Diagnostic[] = [];
  const afterPass: { name: string; module: IRModule }[] = [];
  if (verify === 'each-pass') checkWellFormed(mod, 'the input');
  let cur = mod;
  for (const pass of passes) {
    cur = runOne(pass, cur, options, diagnostics);
    if (verify === 'each-pass') checkWellFormed(cur, pass.name);
    afterPass.push({ name: pass.name, module: cur });
    options.onPass?.(pass.name, cur);
  }
  if (verify === 'end') checkWellFormed(cur, passes[passes.length - 1]?.name ?? 'the input');
  return { module: cur, afterPass, diagnostics };
}

function runOne(pass: Pass, mod: IRModule, options: CompileOptions, sink: Diagnostic[]): IRModule {
  const reported: Diagnostic[] = [];
  const ctx: PassContext = { options, report: (d) => reported.push(d) };
  let out: IRModule;
  try {
    out = pass.run(mod, ctx);
  } catch (e) {
    if (e instanceof CompileError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new CompileError([...reported, { code: 'B703', severity: 'error', message: `${pass.name} failed: ${msg}` }]);
  }
  if (reported.some((d) => d.severity === 'error')) throw new CompileError(reported.map((d) => inPass(d, pass.name)));
  sink.push(...reported);
  return out;
}

function checkWellFormed(mod: IRModule, after: string): void {
  const errors = verifyModule(mod).filter((d) => d.severity === 'error');
  if (errors.length) throw new CompileError(errors.map((d) => inPass(d, after === 'the input' ? 'the input' : after, true)));
}

/** Prefixes a diagnostic's message with the pass it came from. */
function inPass(d: Diagnostic, pass: string, wf = false): Diagnostic {
  const where = pass === 'the input' ? 'in the input module' : wf ? `after ${pass}` : `in ${pass}`;
  return { ...d, message: `${where}: ${d.message}` };
}
