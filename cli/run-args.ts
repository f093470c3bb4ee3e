/**
 * Argument parsing for `relax-studio build` and `relax-studio run` (the file commands are in args.ts). Same
 * conventions: options anywhere after the command, `--opt value` or `--opt=value`, `--` ends options; usage errors
 * (C502 unknown option, C503 bad value, C504 file count) are returned, never thrown. Repeated `--input`, `--sym`
 * and `--packed` accumulate. `scanArgs` implements those conventions for both files.
 */

export type Emit = 'vm' | 'lowered' | 'tir';
export type Device = 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'wasm' | 'cpu' | 'js';

export interface BuildOptions {
  readonly command: 'build';
  readonly file: string;
  readonly emit: Emit;
  /** True when --emit was written (with -o, the emit output is printed only then). */
  readonly emitGiven: boolean;
  readonly printAfterAll: boolean;
  readonly out?: string;
}

/** One `--input NAME=SPEC`. */
export interface InputArg {
  readonly name: string;
  /** "random", "zeros", "ones" or a path to a .npy file. */
  readonly spec: string;
}

export interface RunOptions {
  readonly command: 'run';
  readonly file: string;
  readonly func?: string;
  readonly sym: Readonly<Record<string, number>>;
  readonly inputs: readonly InputArg[];
  readonly seed: number;
  readonly device: Device;
  readonly packed: readonly string[];
  readonly saveOutputs?: string;
  readonly profile: boolean;
  readonly repeat?: number;
  readonly trace?: string;
  readonly json: boolean;
}

export type ProgramOptions = BuildOptions | RunOptions;

export type ProgramArgs =
  | { readonly kind: 'program'; readonly options: ProgramOptions }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly code: string; readonly message: string };

const BUILD_FLAGS = ['--print-after-all'];
const BUILD_VALUED = ['--emit', '-o', '--out'];
const RUN_FLAGS = ['--profile', '--json'];
const RUN_VALUED = ['--func', '--sym', '--input', '--seed', '--device', '--packed', '--save-outputs', '--repeat', '--trace'];
const DEVICES: readonly Device[] = ['auto', 'webgpu', 'webgl2', 'webgl', 'wasm', 'cpu', 'js'];
const EMITS: readonly Emit[] = ['vm', 'lowered', 'tir'];

class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One item of a command's arguments, in order (see `scanArgs`). */
export type ArgItem =
  | { readonly kind: 'file'; readonly arg: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'option'; readonly name: string; readonly value: string | undefined }
  | { readonly kind: 'usage-error'; readonly code: string; readonly message: string };

/**
 * Scans the arguments after `command`, lazily and in order: files (`-`, anything not starting with `-`, and
 * everything after `--`), `--version`, and options, `--opt value` or `--opt=value`. `accepts` says which options
 * the command takes and whether each takes a value; `listed` are the ones a C502 message names. An unknown option
 * (C502) or a missing or unwanted value (C503) is a usage-error item; the caller decides whether to go on.
 */
export function* scanArgs(
  command: string, args: readonly string[], accepts: ReadonlyMap<string, 'flag' | 'value'>, listed: readonly string[] = [...accepts.keys()],
): Generator<ArgItem> {
  let onlyFiles = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      yield { kind: 'file', arg };
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const takes = accepts.get(name);
    if (name === '--version') yield { kind: 'version' };
    else if (takes === undefined) yield { kind: 'usage-error', code: 'C502', message: `\`relax-studio ${command}\` accepts ${listed.join(', ')}. However, \`${arg}\` was given.` };
    else if (takes === 'flag') {
      yield eq > 0
        ? { kind: 'usage-error', code: 'C503', message: `The option ${name} takes no value. However, \`${arg}\` was given.` }
        : { kind: 'option', name, value: undefined };
    } else {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      yield value === undefined || value === ''
        ? { kind: 'usage-error', code: 'C503', message: `The option ${name} needs a value. However, none was given.` }
        : { kind: 'option', name, value };
    }
  }
}

/** Parses the arguments after `build` or `run`. */
export function parseProgramArgs(command: 'build' | 'run', args: readonly string[]): ProgramArgs {
  try {
    const { values, files, version } = collect(command, args);
    if (version) return { kind: 'version' };
    if (files.length !== 1) {
      const n = files.length;
      throw new UsageError('C504', `\`relax-studio ${command}\` takes exactly one file. However, ${n} ${n === 1 ? 'was' : 'were'} given.`);
    }
    const options = command === 'build' ? buildOptions(files[0]!, values) : runOptions(files[0]!, values);
    return { kind: 'program', options };
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'usage-error', code: e.code, message: e.message };
    throw e;
  }
}

interface Collected {
  readonly values: [string, string | undefined][];
  readonly files: string[];
  version: boolean;
}

function collect(command: 'build' | 'run', args: readonly string[]): Collected {
  const flags = command === 'build' ? BUILD_FLAGS : RUN_FLAGS;
  const valued = command === 'build' ? BUILD_VALUED : RUN_VALUED;
  const accepts = new Map<string, 'flag' | 'value'>([...flags.map((f) => [f, 'flag'] as const), ...valued.map((v) => [v, 'value'] as const)]);
  const c: Collected = { values: [], files: [], version: false };
  for (const item of scanArgs(command, args, accepts, [...accepts.keys()].filter((o) => o !== '--out'))) {
    if (item.kind === 'file') c.files.push(item.arg);
    else if (item.kind === 'version') c.version = true;
    else if (item.kind === 'option') c.values.push([item.name, item.value]);
    else throw new UsageError(item.code, item.message);
  }
  return c;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError('C503', `The option ${name} must be one of ${allowed.join(', ')}. However, it is \`${value}\`.`);
  return value as T;
}

function integer(name: string, value: string, min: number): number {
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError('C503', `The option ${name} must be an integer of at least ${min}. However, it is \`${value}\`.`);
  return n;
}

function buildOptions(file: string, values: readonly [string, string | undefined][]): BuildOptions {
  let emit: Emit = 'vm';
  let emitGiven = false;
  let printAfterAll = false;
  let out: string | undefined;
  for (const [name, value] of values) {
    if (name === '--emit') {
      emit = oneOf(name, value!, EMITS);
      emitGiven = true;
    } else if (name === '--print-after-all') printAfterAll = true;
    else out = value;
  }
  return { command: 'build', file, emit, emitGiven, printAfterAll, ...(out !== undefined ? { out } : {}) };
}

/** `n=2,m=3` into the map (later values win). */
function parseSym(value: string, into: Record<string, number>): void {
  for (const part of value.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new UsageError('C503', `The option --sym takes NAME=VALUE pairs separated by commas (n=2,m=3). However, \`${part}\` was given.`);
    into[m[1]!] = Number(m[2]);
  }
}

function parseInput(value: string): InputArg {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1)
    throw new UsageError('C503', `The option --input takes NAME=random|zeros|ones|PATH.npy. However, \`${value}\` was given.`);
  return { name: value.slice(0, eq), spec: value.slice(eq + 1) };
}

function runOptions(file: string, values: readonly [string, string | undefined][]): RunOptions {
  const sym: Record<string, number> = {};
  const inputs: InputArg[] = [];
  const packed: string[] = [];
  const o: { -readonly [K in keyof RunOptions]?: RunOptions[K] } = {};
  for (const [name, value] of values) {
    const v = value!;
    switch (name) {
      case '--func': o.func = v; break;
      case '--sym': parseSym(v, sym); break;
      case '--input': inputs.push(parseInput(v)); break;
      case '--seed': o.seed = integer(name, v, 0); break;
      case '--device': o.device = oneOf(name, v, DEVICES); break;
      case '--packed': packed.push(v); break;
      case '--save-outputs': o.saveOutputs = v; break;
      case '--repeat': o.repeat = integer(name, v, 1); break;
      case '--trace': o.trace = v; break;
      case '--profile': o.profile = true; break;
      default: o.json = true;
    }
  }
  const dup = inputs.find((a, i) => inputs.findIndex((b) => b.name === a.name) !== i);
  if (dup) throw new UsageError('C503', `Each parameter takes one --input. However, \`${dup.name}\` was given more than once.`);
  return {
    ...o,
    command: 'run',
    file,
    sym,
    inputs,
    packed,
    seed: o.seed ?? 0,
    device: o.device ?? 'auto',
    profile: o.profile ?? false,
    json: o.json ?? false,
  };
}
