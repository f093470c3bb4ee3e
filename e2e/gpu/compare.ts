/**
 * Comparing a device's outputs with the JS reference's: same count, shapes and dtypes; integers and bools
 * exactly; floats to a relative tolerance |a - r| <= rtol * max(|r|, 1% of the largest |r|) (values near zero
 * after cancellation are judged against the tensor's scale, as in test/examples.test.ts); NaN matches NaN.
 * Also: which backend ran each kernel, and whether every kernel off the device says why.
 */
import type { KernelInfo, RunResult, TensorData } from '../../renderer/src/harness/run.js';

const isFloat = (dtype: string): boolean => /^b?float/.test(dtype);

/** The first disagreement of one tensor, or undefined. */
function compareTensor(got: TensorData, want: TensorData, rtol: number, what: string): string | undefined {
  if (got.dtype !== want.dtype) return `${what}: dtype ${got.dtype}, reference ${want.dtype}`;
  if (got.shape.join(',') !== want.shape.join(',')) return `${what}: shape [${got.shape.join(', ')}], reference [${want.shape.join(', ')}]`;
  let maxAbs = 0;
  for (const v of want.data) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const floor = Math.max(maxAbs * 0.01, 1e-30);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i]!;
    const r = want.data[i]!;
    if (a === r || (Number.isNaN(a) && Number.isNaN(r))) continue;
    const err = isFloat(want.dtype) && Number.isFinite(r) ? Math.abs(a - r) / Math.max(Math.abs(r), floor) : Infinity;
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  const tol = isFloat(want.dtype) ? rtol : 0;
  if (worst <= tol) return undefined;
  return `${what}: worst relative error ${worst.toExponential(2)} > ${tol} at ${at}: ${got.data[at]} vs ${want.data[at]}`;
}

/** The first disagreement between a device's outputs and the reference's, or undefined. */
export function compareOutputs(got: RunResult, want: RunResult, rtol: number): string | undefined {
  if (got.outputs.length !== want.outputs.length) return `${got.outputs.length} output(s), reference ${want.outputs.length}`;
  for (let i = 0; i < want.outputs.length; i++) {
    const p = compareTensor(got.outputs[i]!, want.outputs[i]!, rtol, `output ${i}`);
    if (p) return p;
  }
  return undefined;
}

/** Kernels that ran off `device` without saying why (a fallback must carry its reason). */
export function silentFallbacks(r: RunResult, device: string): KernelInfo[] {
  return r.kernels.filter((k) => k.backend !== device && !k.fallbackReason);
}

/** "webgl2 x3, js x1 (argmax: integer output)": where the kernels of a run ran, and why any fell back. */
export function kernelSummary(r: RunResult): string {
  const n = new Map<string, number>();
  for (const k of r.kernels) n.set(k.backend, (n.get(k.backend) ?? 0) + 1);
  const reasons = r.kernels.filter((k) => k.fallbackReason).map((k) => (k.fallbackReason!.startsWith(`${k.name}:`) ? k.fallbackReason! : `${k.name}: ${k.fallbackReason}`));
  return [...n].map(([b, c]) => `${b} x${c}`).join(', ') + (reasons.length ? ` (${[...new Set(reasons)].join('; ')})` : '');
}
