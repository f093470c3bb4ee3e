/**
 * Text of run-time values for `R.print` and `R.assert_op` (TVM's `relax.run.print` / `relax.run.assert_op`, which
 * convert values to Python and use `str.format`): tensors print as NumPy prints an array (`[[1. 2.]\n [3. 4.]]`,
 * a 0-d tensor as its scalar), shapes as Python tuples, tuples as lists, strings as they are.
 * `pyFormat(fmt, values)` implements the subset of Python's `str.format` that programs use: `{}`, `{0}`, `{{`, `}}`
 * and a `:.Nf` / `:d` spec on scalars; an empty format joins the values with spaces, as TVM does.
 * Approximations of NumPy (documented, not bugs): no line wrapping at 75 columns; scientific notation is chosen by
 * NumPy's rule (max >= 1e8, or min < 1e-4, or max/min > 1e3) with 8 significant digits trimmed.
 */
import { Tensor } from './tensor.js';
import { DataTypeValue, ShapeTuple, Storage, Closure } from './value.js';
import type { Value } from './value.js';

/** Elements beyond which NumPy summarizes an array with `...` (its default `threshold`). */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** A run-time value as Python's `str()` of its converted value would print it. */
export function valueText(v: Value): string {
  if (v === null) return 'None';
  if (v instanceof Tensor) return tensorText(v);
  if (v instanceof ShapeTuple) return v.dims.length === 1 ? `(${v.dims[0]},)` : `(${v.dims.join(', ')})`;
  if (v instanceof DataTypeValue) return v.dtype;
  if (v instanceof Storage) return `<storage of ${v.bytes} bytes>`;
  if (v instanceof Closure || typeof v === 'function') return '<function>';
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** NumPy's `str(array)` for a tensor (0-d: the scalar). */
export function tensorText(t: Tensor): string {
  const data = Array.from(t.data);
  const fmt = elementFormatter(t.dtype, data);
  if (t.ndim === 0) return fmt.scalar(data[0] ?? 0);
  const summarize = data.length > SUMMARY_THRESHOLD;
  const shown = summarize ? shownValues(t.shape, data) : data;
  const width = Math.max(0, ...fmt.cells(shown).map((c) => c.length));
  return nested(t.shape, 0, 0, summarize, (i) => fmt.cell(data[i]!).padStart(width));
}

/** The values NumPy shows when it summarizes (edge items of every axis), used to size the columns. */
function shownValues(shape: readonly number[], data: readonly number[]): number[] {
  const out: number[] = [];
  const strides = stridesOf(shape);
  const walk = (axis: number, base: number): void => {
    if (axis === shape.length) {
      out.push(data[base]!);
      return;
    }
    for (const i of edgeIndices(shape[axis]!, true)) if (i >= 0) walk(axis + 1, base + i * strides[axis]!);
  };
  walk(0, 0);
  return out;
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Indices along an axis; -1 marks the `...` of a summarized axis. */
function edgeIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

function nested(shape: readonly number[], axis: number, base: number, summarize: boolean, cell: (i: number) => string): string {
  const strides = stridesOf(shape);
  const idx = edgeIndices(shape[axis]!, summarize);
  const last = axis === shape.length - 1;
  const parts = idx.map((i) => (i < 0 ? '...' : last ? cell(base + i) : nested(shape, axis + 1, base + i * strides[axis]!, summarize, cell)));
  if (last) return `[${parts.join(' ')}]`;
  const indent = ' '.repeat(axis + 1);
  const sep = `${'\n'.repeat(shape.length - axis - 1)}${indent}`;
  return `[${parts.join(sep)}]`;
}

interface ElementFormatter {
  cell(v: number): string;
  cells(vs: readonly number[]): string[];
  scalar(v: number): string;
}

function elementFormatter(dtype: string, data: readonly number[]): ElementFormatter {
  if (dtype === 'bool') {
    const b = (v: number): string => (v ? 'True' : 'False');
    return { cell: b, cells: (vs) => vs.map(b), scalar: b };
  }
  if (!dtype.startsWith('float') && dtype !== 'bfloat16') {
    const s = (v: number): string => String(v);
    return { cell: s, cells: (vs) => vs.map(s), scalar: s };
  }
  return floatFormatter(data, dtype === 'float64' ? (v) => v : Math.fround);
}

/** NumPy's default float printing: positional with trimmed digits, aligned on the point, or scientific. */
function floatFormatter(data: readonly number[], round: (v: number) => number): ElementFormatter {
  const finite = data.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const max = finite.length ? Math.max(...finite) : 0;
  const min = finite.length ? Math.min(...finite) : 0;
  const sci = finite.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  const raw = (v: number): string => (sci ? sciText(v, round) : posText(v, round));
  // Align on the decimal point: pad fraction parts to the longest one (NumPy's pad_right).
  const fracLen = sci ? 0 : Math.max(0, ...data.filter(Number.isFinite).map((v) => fracPart(posText(v, round)).length));
  const cell = (v: number): string => {
    const s = raw(v);
    if (sci || !Number.isFinite(v)) return s;
    return s + ' '.repeat(fracLen - fracPart(s).length);
  };
  return { cell, cells: (vs) => vs.map(cell), scalar: (v) => scalarFloatText(v, round) };
}

function fracPart(s: string): string {
  const i = s.indexOf('.');
  return i < 0 ? '' : s.slice(i + 1);
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

/**
 * The fewest significant digits that read back as the same value in the tensor's precision (`round` is
 * Math.fround for float32/float16 storage): NumPy's "unique" digit generation.
 */
function shortestDigits(v: number, round: (v: number) => number): number {
  for (let p = 1; p < 17; p++) if (round(Number(v.toPrecision(p))) === v) return p;
  return 17;
}

/** `2.`, `0.5`, `-1.25`: shortest unique digits, at most 8 after the point, the point kept. */
function posText(v: number, round: (v: number) => number): string {
  const s = special(v);
  if (s) return s;
  const short = Number(v.toPrecision(shortestDigits(v, round)));
  const fixed = short.toFixed(8).replace(/0+$/, '');
  return Object.is(v, -0) ? '-0.' : fixed;
}

/** `1.5e+08`: shortest unique mantissa (at most 8 fraction digits), two-digit exponent at least. */
function sciText(v: number, round: (v: number) => number): string {
  const s = special(v);
  if (s) return s;
  const digits = Math.min(9, shortestDigits(v, round));
  const [m, e] = v.toExponential(digits - 1).split('e') as [string, string];
  const mant = m.includes('.') ? m.replace(/0+$/, '') : `${m}.`;
  const sign = e.startsWith('-') ? '-' : '+';
  const exp = e.replace(/^[+-]/, '').padStart(2, '0');
  return `${mant}e${sign}${exp}`;
}

/** A NumPy float scalar: shortest unique digits (`str(np.float32(2))` is `2.0`, of 0.1 is `0.1`). */
function scalarFloatText(v: number, round: (v: number) => number): string {
  const s = special(v);
  if (s) return s;
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${Object.is(v, -0) ? '-0' : v}.0`;
  return String(Number(v.toPrecision(shortestDigits(v, round))));
}

/** One replacement field's spec applied to a value (`.3f`, `d`); other specs fall back to `str()`. */
function applySpec(v: Value, spec: string): string {
  const scalar = v instanceof Tensor && v.ndim === 0 ? v.data[0]! : typeof v === 'number' ? v : undefined;
  const fixed = /^\.(\d+)f$/.exec(spec);
  if (scalar !== undefined && fixed) return scalar.toFixed(Number(fixed[1]));
  if (scalar !== undefined && spec === 'd') return String(Math.trunc(scalar));
  return valueText(v);
}

/**
 * Python's `fmt.format(*values)` for `{}`, `{N}`, `{:spec}`, `{{` and `}}`. An empty format prints the values
 * separated by spaces. Throws an Error for a malformed format or a missing value (Python's IndexError/ValueError).
 */
export function pyFormat(fmt: string, values: readonly Value[]): string {
  if (fmt === '') return values.map(valueText).join(' ');
  let out = '';
  let auto = 0;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === '}') {
      if (fmt[i + 1] !== '}') throw new Error(`the format "${fmt}" has a single '}' at position ${i}`);
      out += '}';
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    if (fmt[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    const close = fmt.indexOf('}', i);
    if (close < 0) throw new Error(`the format "${fmt}" has an unclosed '{' at position ${i}`);
    const field = fmt.slice(i + 1, close);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    const spec = colon < 0 ? '' : field.slice(colon + 1);
    const index = name === '' ? auto++ : Number(name);
    if (!Number.isInteger(index)) throw new Error(`the format "${fmt}" has the field {${field}}; only {} and {N} are supported`);
    if (index >= values.length) throw new Error(`the format "${fmt}" refers to value ${index}, but ${values.length} value(s) were given`);
    out += applySpec(values[index]!, spec);
    i = close;
  }
  return out;
}
