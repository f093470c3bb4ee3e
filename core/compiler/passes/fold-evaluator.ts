/**
 * The default compile-time kernel evaluator for FoldConstant: runs a PrimFunc on the JavaScript reference backend
 * (core/vm/kernels/js-codegen.ts), destination-passing style, and returns the freshly allocated outputs.
 * Kept in its own file so that a host (the app, a GPU build) can inject another evaluator through
 * `PassContext.evaluate` and so the pass itself only depends on the hook's signature.
 */
import type { PrimFunc } from '../../ir/tir/nodes.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import type { TensorSpec } from '../pass.js';

const backend = new JsKernelBackend();

/** Runs `func(args..., outs...)` on the JS backend; throws what the kernel throws (shape or dtype mismatch). */
export function evaluateWithJs(func: PrimFunc, args: readonly (Tensor | number)[], outs: readonly TensorSpec[]): Tensor[] {
  const results = outs.map((o) => new Tensor(o.shape, o.dtype));
  const nTensorArgs = args.filter((a) => typeof a !== 'number').length;
  // Kernel params: input buffers, output buffers, then trailing scalars.
  const scalars = args.slice(nTensorArgs);
  const kernel = backend.compile('fold_constant', func);
  void kernel.run([...args.slice(0, nTensorArgs), ...results, ...scalars]);
  return results;
}
