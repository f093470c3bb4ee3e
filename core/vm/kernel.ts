/**
 * The kernel backend interface: how the VM runs a TIR PrimFunc. The JavaScript reference (core/vm/kernels) is one
 * backend; gpu.js (core/gpu) and a WebAssembly SIMD generator plug in beside it through this same interface.
 */
import type { PrimFunc } from '../ir/tir/nodes.js';
import type { Tensor } from './tensor.js';

/** A kernel argument: a tensor for each buffer parameter, a number for each scalar parameter. */
export type KernelArg = Tensor | number;

export interface CompiledKernel {
  /** The backend that runs it ("js", "webasm", "webgl2", ...), for the profile. */
  readonly backend: string;
  /** Runs the kernel over `args` (destination-passing: outputs are among the args). */
  run(args: readonly KernelArg[]): void | Promise<void>;
  /** Generated source, shown in the app's build view. */
  readonly source?: string;
  /** Set when this kernel fell back from the requested backend, with why. */
  readonly fallbackReason?: string;
}

export interface KernelBackend {
  readonly name: string;
  /** Compiles once per PrimFunc; the result serves every concrete shape. */
  compile(name: string, func: PrimFunc): CompiledKernel;
  /** Number of compilations so far (tests check kernels are not rebuilt). */
  readonly compileCount: number;
}
