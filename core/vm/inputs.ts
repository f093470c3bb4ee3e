/**
 * Program inputs: tensors (and shapes, scalars, tuples) for a Relax function's parameters, made from their struct
 * info. Each parameter is given (a tensor read from a `.npy`, say) or made: seeded random, zeros or ones. Symbolic
 * dims are bound first from user values (`--sym n=2`), then from the tensors that were given, and a made input uses
 * those values; a given tensor is checked against its parameter (rank, dims, dtype) before anything runs.
 *
 * Shared by the CLI (`relax-studio run`) and the app's run panel. Problems are `InputError`s whose message names
 * the parameter, what was expected and what was found. Random values are reproducible for a seed: floats uniform
 * in [-1, 1), integers in [0, 10), bools 0/1; one generator serves all parameters in order.
 */
import { printStructInfo } from '../ir/printer/printer.js';
import type { StructInfo, TensorSInfo } from '../ir/relax/nodes.js';
import { tensorDims } from '../ir/relax/nodes.js';
import type { PrimExpr } from '../ir/tir/nodes.js';
import { Tensor, allocData, shapeSize, storageFor } from './tensor.js';
import { ShapeTuple } from './value.js';
import type { Value } from './value.js';

/** How to make an input that was not given. */
export type InputKind = 'random' | 'zeros' | 'ones';

/** An input: made by kind, or a given value (a tensor from a .npy, usually). */
export type InputSource = InputKind | Value;

/** A parameter as the input maker sees it: a name and its struct info. */
export interface ParamSpec {
  readonly name: string;
  readonly sinfo: StructInfo;
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface MakeInputsOptions {
  /** Per parameter name; parameters not named here are made with `fallback`. */
  readonly given?: Readonly<Record<string, InputSource>>;
  /** How to make parameters that are not given (default "random"). */
  readonly fallback?: InputKind;
  /** Values of symbolic dims by name. */
  readonly sym?: Readonly<Record<string, number>>;
  /** Seed of the random generator (default 0). */
  readonly seed?: number;
}

/** A reproducible generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tensor of `kind` values; `rand` is used for "random". */
export function makeTensor(kind: InputKind, shape: readonly number[], dtype: string, rand: () => number = seededRandom(0)): Tensor {
  if (!storageFor(dtype)) throw new InputError(`cannot make a tensor of dtype "${dtype}"`);
  const data = allocData(dtype, shapeSize(shape));
  if (kind === 'ones') data.fill(1);
  else if (kind === 'random') {
    const isFloat = dtype.startsWith('float') || dtype.startsWith('bfloat');
    for (let i = 0; i < data.length; i++) {
      const r = rand();
      data[i] = isFloat ? r * 2 - 1 : dtype === 'bool' ? (r < 0.5 ? 0 : 1) : Math.floor(r * 10);
    }
  }
  return new Tensor(shape, dtype, data);
}

/** Where a symbolic value came from, for error messages. */
interface SymValue {
  readonly value: number;
  readonly from: string;
}
type SymEnv = Map<string, SymValue>;

class UnboundDim extends Error {
  constructor(readonly dim: string) {
    super(dim);
  }
}

/** Evaluates an integer dim expression; throws UnboundDim naming the first symbolic var without a value. */
function evalDim(e: PrimExpr, env: SymEnv): number {
  switch (e.kind) {
    case 'tir.IntImm':
    case 'tir.FloatImm':
      return e.value;
    case 'tir.Var': {
      const v = env.get(e.name);
      if (v === undefined) throw new UnboundDim(e.name);
      return v.value;
    }
    case 'tir.Cast':
      return evalDim(e.value, env);
    case 'tir.Binary':
      return evalBinary(e.op, evalDim(e.a, env), evalDim(e.b, env));
    case 'tir.Select':
      return evalDim(e.cond, env) ? evalDim(e.t, env) : evalDim(e.f, env);
    default:
      throw new InputError(`cannot evaluate the dim expression of kind ${e.kind}`);
  }
}

function evalBinary(op: string, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return Math.trunc(a / b);
    case 'mod': return a % b;
    case 'floordiv': return Math.floor(a / b);
    case 'floormod': return a - Math.floor(a / b) * b;
    case 'min': return Math.min(a, b);
    case 'max': return Math.max(a, b);
    case 'eq': return +(a === b);
    case 'ne': return +(a !== b);
    case 'lt': return +(a < b);
    case 'le': return +(a <= b);
    case 'gt': return +(a > b);
    case 'ge': return +(a >= b);
    case 'and': return +(a && b);
    default: return +(a || b);
  }
}

function sinfoText(si: StructInfo): string {
  try {
    return printStructInfo(si);
  } catch {
    return si.kind;
  }
}

/** `float32[2, 3]`, or the kind of a non-tensor value. */
export function describeInput(v: Value): string {
  if (v instanceof Tensor) return v.describe();
  if (v instanceof ShapeTuple) return `shape ${v.toString()}`;
  if (Array.isArray(v)) return `tuple of ${v.length}`;
  return typeof v;
}

// ---------------------------------------------------------------- binding symbolic dims from given values

/** Binds every plain symbolic dim of `si` that is still free from the given value (first value wins). */
function bindFrom(si: StructInfo, v: Value, env: SymEnv, from: string): void {
  if (si.kind === 'si.Tensor' && v instanceof Tensor) {
    bindDims(tensorDims(si), v.shape, env, from);
  } else if (si.kind === 'si.Shape' && v instanceof ShapeTuple) {
    bindDims(si.values, v.dims, env, from);
  } else if (si.kind === 'si.Prim' && si.value?.kind === 'tir.Var' && typeof v === 'number') {
    if (!env.has(si.value.name)) env.set(si.value.name, { value: v, from });
  } else if (si.kind === 'si.Tuple' && Array.isArray(v)) {
    si.fields.forEach((f, i) => {
      if (i < v.length) bindFrom(f, (v as readonly Value[])[i]!, env, `${from}[${i}]`);
    });
  }
}

function bindDims(dims: readonly PrimExpr[] | undefined, actual: readonly number[], env: SymEnv, from: string): void {
  if (!dims || dims.length !== actual.length) return;
  dims.forEach((d, i) => {
    if (d.kind === 'tir.Var' && !env.has(d.name)) env.set(d.name, { value: actual[i]!, from });
  });
}

// ---------------------------------------------------------------- checking given values

/** Throws an InputError when `v` does not fit `si`; `what` names the input ("input `x`"). */
function check(si: StructInfo, v: Value, env: SymEnv, what: string): void {
  const bad = (found: string, why = ''): never => {
    throw new InputError(`${what} must be ${sinfoText(si)}${why}. However, it is ${found}.`);
  };
  switch (si.kind) {
    case 'si.Tensor':
      if (!(v instanceof Tensor)) return bad(describeInput(v));
      return checkTensor(si, v, env, bad);
    case 'si.Shape':
      if (!(v instanceof ShapeTuple)) return bad(describeInput(v));
      if (si.ndim >= 0 && si.ndim !== v.dims.length) return bad(`shape ${v.toString()}`);
      return checkDims(si.values, v.dims, env, (w) => bad(`shape ${v.toString()}`, w));
    case 'si.Prim':
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') return bad(describeInput(v));
      return;
    case 'si.Tuple':
      if (!Array.isArray(v) || v.length !== si.fields.length) return bad(describeInput(v));
      si.fields.forEach((f, i) => check(f, (v as readonly Value[])[i]!, env, `${what}[${i}]`));
      return;
    default:
      return;
  }
}

function checkTensor(si: TensorSInfo, t: Tensor, env: SymEnv, bad: (found: string, why?: string) => never): void {
  if (si.dtype !== '' && si.dtype !== t.dtype) bad(t.describe(), ` (dtype ${si.dtype}, not ${t.dtype})`);
  if (si.ndim >= 0 && si.ndim !== t.shape.length) bad(t.describe(), ` (rank ${si.ndim}, not ${t.shape.length})`);
  checkDims(tensorDims(si), t.shape, env, (why) => bad(t.describe(), why));
}

function checkDims(dims: readonly PrimExpr[] | undefined, actual: readonly number[], env: SymEnv, bad: (why: string) => never): void {
  if (!dims) return;
  dims.forEach((d, i) => {
    let want: number;
    try {
      want = evalDim(d, env);
    } catch (e) {
      if (e instanceof UnboundDim) return;
      throw e;
    }
    if (want === actual[i]) return;
    const free = d.kind === 'tir.Var' ? { name: d.name, sym: env.get(d.name) } : undefined;
    bad(free?.sym ? ` (dim ${i} is ${free.name} = ${want}, bound by ${free.sym.from})` : ` (dim ${i} must be ${want})`);
  });
}

// ---------------------------------------------------------------- making values

function makeValue(si: StructInfo, kind: InputKind, env: SymEnv, rand: () => number, what: string): Value {
  switch (si.kind) {
    case 'si.Tensor': {
      const dims = tensorDims(si);
      if (!dims) throw new InputError(`${what} is ${sinfoText(si)}, whose shape is not known, so it cannot be made; give it as a .npy file`);
      if (si.dtype === '') throw new InputError(`${what} is ${sinfoText(si)}, whose dtype is not known, so it cannot be made; give it as a .npy file`);
      return makeTensor(kind, evalDims(dims, env, what, si), si.dtype, rand);
    }
    case 'si.Shape':
      if (!si.values) throw new InputError(`${what} is ${sinfoText(si)}, whose values are not known; give them with --sym`);
      return new ShapeTuple(evalDims(si.values, env, what, si));
    case 'si.Prim':
      if (si.value) return evalDims([si.value], env, what, si)[0]!;
      return kind === 'random' ? (si.dtype.startsWith('float') ? rand() * 2 - 1 : Math.floor(rand() * 10)) : kind === 'ones' ? 1 : 0;
    case 'si.Tuple':
      return si.fields.map((f, i) => makeValue(f, kind, env, rand, `${what}[${i}]`));
    default:
      throw new InputError(`${what} is ${sinfoText(si)}, which cannot be made; only tensors, shapes, scalars and tuples of them can`);
  }
}

function evalDims(dims: readonly PrimExpr[], env: SymEnv, what: string, si: StructInfo): number[] {
  return dims.map((d) => {
    try {
      const v = evalDim(d, env);
      if (!Number.isInteger(v) || v < 0) throw new InputError(`${what} (${sinfoText(si)}) would get a dim of ${v}; check the --sym values`);
      return v;
    } catch (e) {
      if (!(e instanceof UnboundDim)) throw e;
      throw new InputError(
        `${what} is ${sinfoText(si)}, and making it needs a value for the symbolic dim ${e.dim}. However, none was given; pass --sym ${e.dim}=<value> or give the input as a .npy file`,
      );
    }
  });
}

/**
 * The argument values for `params`: given ones checked, the others made. Throws InputError naming the parameter
 * when a given value does not fit, a symbolic dim has no value, or an input is given for no parameter.
 */
export function makeInputs(params: readonly ParamSpec[], opts: MakeInputsOptions = {}): Value[] {
  const given = opts.given ?? {};
  const names = new Set(params.map((p) => p.name));
  for (const k of Object.keys(given))
    if (!names.has(k)) throw new InputError(`an input was given for \`${k}\`, but the function has no such parameter (parameters: ${[...names].join(', ') || 'none'})`);
  const env: SymEnv = new Map();
  for (const [k, v] of Object.entries(opts.sym ?? {})) env.set(k, { value: v, from: '--sym' });
  const isGiven = (p: ParamSpec): boolean => p.name in given && typeof given[p.name] !== 'string';
  for (const p of params) if (isGiven(p)) bindFrom(p.sinfo, given[p.name] as Value, env, `input \`${p.name}\``);
  for (const p of params) if (isGiven(p)) check(p.sinfo, given[p.name] as Value, env, `input \`${p.name}\``);
  const rand = seededRandom(opts.seed ?? 0);
  return params.map((p) => {
    const src = given[p.name];
    if (isGiven(p)) return src as Value;
    const kind = typeof src === 'string' ? (src as InputKind) : (opts.fallback ?? 'random');
    return makeValue(p.sinfo, kind, env, rand, `input \`${p.name}\``);
  });
}
