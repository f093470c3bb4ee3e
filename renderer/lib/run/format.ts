/**
 * How the run panel words numbers and progress: output values compactly (an integer dtype as integers, floats with
 * four significant digits, exponents for the very large and very small, NaN/Inf spelled as numpy prints them), a
 * shape as `[2, 3]`, and the progress bar's label and fraction. Plain functions, so the components stay thin and
 * the wording is tested in Node.
 */
import type { Phase, ProgressEvent } from '../compute/protocol.js';

/** One value as the panel prints it: `3`, `0.1235`, `-1.5e+08`, `nan`, `inf`, `-inf`. */
export function formatValue(v: number, dtype = 'float32'): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (!/float/.test(dtype)) return String(Math.round(v));
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-4)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** The preview of an output: its first values, and `…` when the tensor has more. */
export function formatPreview(values: readonly number[], shape: readonly number[], dtype: string): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const shown = values.map((v) => formatValue(v, dtype)).join(', ');
  return `[${shown}${size > values.length ? ', …' : ''}]`;
}

/** `[2, 3]`; a scalar is `[]` (scalar). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? '[] (scalar)' : `[${shape.join(', ')}]`;
}

const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  parse: 'Parsing',
  build: 'Building',
  'compile-kernels': 'Compiling kernels',
  run: 'Running',
};

/** The progress bar's words: `Building: LegalizeOps (3/20)`, `Running (2/6)`. */
export function progressLabel(e: ProgressEvent): string {
  const pass = e.pass ? `: ${e.pass}` : '';
  return `${PHASE_WORDS[e.phase]}${pass} (${e.done}/${e.total})`;
}

/** The overall fraction done, 0..1: each phase is a quarter of the bar, filled by its own steps. */
export function progressFraction(e: ProgressEvent): number {
  const order: readonly Phase[] = ['parse', 'build', 'compile-kernels', 'run'];
  const within = e.total > 0 ? Math.min(1, Math.max(0, e.done / e.total)) : 1;
  return (order.indexOf(e.phase) + within) / order.length;
}
