/**
 * The files `relax-studio run` reads and writes besides the program: `.npy` inputs and outputs (core/vm/npy.ts),
 * `--packed` ES modules (default export: packed-function name -> function), and the outputs' summaries. Binary
 * files go through node:fs directly (the CLI's Io is text-only). Problems are CliErrors or NpyErrors with the path.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readNpy, writeNpy } from '../core/vm/npy.js';
import { Tensor } from '../core/vm/tensor.js';
import type { PackedFunc, Value } from '../core/vm/value.js';
import { ShapeTuple } from '../core/vm/value.js';
import { CliError } from './run-load.js';

function reason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/** Reads a `.npy` file; a missing file is a CliError, a bad one the NpyError (which names the path). */
export function readNpyFile(path: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CliError(`cannot read the input file \`${path}\` (${reason(e)})`);
  }
  return readNpy(bytes, `\`${path}\``);
}

/** The leaves of an output, tuples flattened in order. */
export function flattenOutputs(v: Value): Value[] {
  if (Array.isArray(v)) return (v as readonly Value[]).flatMap(flattenOutputs);
  return [v];
}

/** An output leaf as a tensor: shapes become int64 vectors, scalars 0-d tensors. */
export function leafTensor(v: Value, index: number): Tensor {
  if (v instanceof Tensor) return v;
  if (v instanceof ShapeTuple) return Tensor.from([v.dims.length], 'int64', v.dims);
  if (typeof v === 'boolean') return Tensor.from([], 'bool', [v ? 1 : 0]);
  if (typeof v === 'bigint') return Tensor.from([], 'int64', [Number(v)]);
  if (typeof v === 'number') return Tensor.from([], Number.isInteger(v) ? 'int64' : 'float64', [v]);
  throw new CliError(`output ${index} is ${v === null ? 'null' : typeof v}, which cannot be shown or saved as a tensor`);
}

/** Writes output0.npy, output1.npy, ... into `dir` (created). */
export function saveOutputs(dir: string, tensors: readonly Tensor[]): void {
  try {
    mkdirSync(dir, { recursive: true });
    tensors.forEach((t, i) => writeFileSync(join(dir, `output${i}.npy`), writeNpy(t)));
  } catch (e) {
    if (e instanceof Error && e.name === 'NpyError') throw e;
    throw new CliError(`cannot write the outputs to \`${dir}\` (${reason(e)})`);
  }
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** `output0: float32[2, 12] min=... max=... mean=...`. */
export function summaryLine(t: Tensor, index: number): string {
  const head = `output${index}: ${t.describe()}`;
  const d = t.data;
  if (t.size === 0) return `${head} (empty)`;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < t.size; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return `${head} min=${num(min)} max=${num(max)} mean=${num(sum / t.size)}`;
}

/**
 * Loads `--packed` modules (paths from the current directory); later modules override earlier names. Each module's
 * default export must be an object whose values are functions.
 */
export async function loadPacked(paths: readonly string[]): Promise<Record<string, PackedFunc>> {
  const out: Record<string, PackedFunc> = {};
  for (const p of paths) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(resolve(process.cwd(), p)).href)) as { default?: unknown };
    } catch (e) {
      throw new CliError(`cannot load the --packed module \`${p}\`: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    const def = mod.default;
    if (!def || typeof def !== 'object')
      throw new CliError(`the --packed module \`${p}\` must have a default export mapping packed-function names to functions. However, its default export is ${def === undefined ? 'missing' : typeof def}`);
    for (const [name, fn] of Object.entries(def)) {
      if (typeof fn !== 'function') throw new CliError(`the --packed module \`${p}\` exports \`${name}\` as ${typeof fn}, but packed functions must be functions`);
      out[name] = fn as PackedFunc;
    }
  }
  return out;
}
