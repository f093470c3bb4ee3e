/**
 * core/compiler public API: build a Relax module into a VM Executable, the pipeline and its passes (for tools
 * that run or show them one by one), and the pass interfaces.
 */
export { build, buildText } from './build.js';
export type { BuildOptions, BuildResult } from './build.js';
export { defaultPipeline, pipelineSteps, runPipeline } from './pipeline.js';
export type { PipelineResult, PipelineStep, RunPipelineOptions } from './pipeline.js';
export { CompileError, modulePass } from './pass.js';
export type { CompileOptions, Pass, PassContext } from './pass.js';
export { CodegenError, vmCodegen } from './codegen/vm-codegen.js';
export { legalizeOps } from './passes/legalize-ops.js';
export { annotateTIROpPattern } from './passes/annotate-tir-op-pattern.js';
export { foldConstant } from './passes/fold-constant.js';
export { fuseOps } from './passes/fuse-ops.js';
export { fuseTIR } from './passes/fuse-tir.js';
export { rewriteDataflowReshape } from './passes/rewrite-dataflow-reshape.js';
export { toNonDataflow } from './passes/to-non-dataflow.js';
export { removePurityChecking } from './passes/remove-purity-checking.js';
export { callTIRRewrite } from './passes/call-tir-rewrite.js';
export { staticPlanBlockMemory } from './passes/static-plan-block-memory.js';
export { lowerAllocTensor } from './passes/lower-alloc-tensor.js';
export { killAfterLastUse } from './passes/kill-after-last-use.js';
export { lowerRuntimeBuiltin } from './passes/lower-runtime-builtin.js';
export { vmShapeLower } from './passes/vm-shape-lower.js';
export { attachGlobalSymbol } from './passes/attach-global-symbol.js';
