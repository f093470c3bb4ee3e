/**
 * Helpers the generated JavaScript kernels call for what `Math` lacks: erf, round-half-to-even (TVM/NumPy
 * `round`), float16 rounding, and the errors a kernel raises on a bad argument.
 */

// The published coefficients carry more digits than a double holds; they round to the intended doubles.
/* eslint-disable no-loss-of-precision */

/** erf(x), double precision, by W. J. Cody's rational Chebyshev approximations. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const p = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const q = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return (x * p) / q;
  }
  const c = erfcPositive(ax);
  return x < 0 ? c - 1 : 1 - c;
}

/** erfc(x) for x >= 0.5. */
function erfcPositive(x: number): number {
  if (x >= 27) return 0;
  if (x < 4) {
    const p = ((((((((5.64188496988670089e-1 * x + 8.88314979438837594) * x + 66.1191906371416295) * x + 298.635138197400131) * x + 881.95222124176909) * x + 1712.04761263407058) * x + 2051.07837782607147) * x + 1230.33935479799725));
    const q = (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x + 1621.38957456669019) * x + 3290.79923573345963) * x + 4362.61909014324716) * x + 3439.36767414372164) * x + 1230.33935480374942;
    return Math.exp(-x * x) * (p / q);
  }
  const z = 1 / (x * x);
  const p = ((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z + 1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4;
  const q = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z + 6.05183413124413191e-2) * z + 2.33520497626869185e-3;
  const r = (z * p) / q;
  return (Math.exp(-x * x) / x) * (1 / Math.sqrt(Math.PI) - r);
}

/* eslint-enable no-loss-of-precision */

/** Round half to even, as NumPy and TVM's `round` (nearbyint). */
export function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Rounds a number to the nearest float16 value (round half to even), returned as a number. */
export function f16round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  if (ax >= 65520) return x > 0 ? Infinity : -Infinity;
  if (ax < 2 ** -24 / 2) return x > 0 ? 0 : -0;
  // Quantum of the float16 grid at this magnitude (subnormals share 2^-24).
  const e = Math.max(Math.floor(Math.log2(ax)), -14);
  const q = 2 ** (e - 10);
  return roundEven(x / q) * q;
}

/** Reinterprets float32 bits, for tests. @internal */
export function f32bits(x: number): number {
  F32[0] = x;
  return U32[0]!;
}

/** Raised by a kernel whose arguments do not fit its buffers; the VM turns it into a run-time error. */
export class KernelArgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelArgError';
  }
}

/** The object generated kernels receive as `rt`. */
export const KERNEL_RUNTIME = {
  erf,
  roundEven,
  f16round,
  fail(message: string): never {
    throw new KernelArgError(message);
  },
};
export type KernelRuntime = typeof KERNEL_RUNTIME;
