/**
 * What `build` and `run` share: reading a TVMScript file and compiling it (parse, verify, `build()` from
 * core/compiler), or loading a saved executable JSON, and the save form itself. The saved JSON is
 * `Executable.toJSON` (kernels through the IR JSON codec) plus `"signatures"`: each Relax function's parameters with
 * their struct info, so `run EXEC.json` can make inputs and check `.npy` files exactly as `run FILE` does.
 *
 * Failures are thrown as `CliError` (printed `relax-studio: error: <message>`) or `DiagnosticsError` (printed as
 * FILE:LINE:COL diagnostics); the commands turn them into exit status 1.
 */
import type { Diagnostic } from '../core/ir/diagnostics/diagnostic.js';
import { hasErrors } from '../core/ir/diagnostics/diagnostic.js';
import type { BuildOptions, BuildResult } from '../core/compiler/build.js';
import { build } from '../core/compiler/build.js';
import { CompileError } from '../core/compiler/pass.js';
import { attrGet } from '../core/ir/attrs.js';
import type { IRModule } from '../core/ir/module.js';
import { parse } from '../core/ir/parser/index.js';
import type { RelaxFunction } from '../core/ir/relax/nodes.js';
import { irFromJson, irToJson } from '../core/ir/serialize.js';
import type { PrimFunc } from '../core/ir/tir/nodes.js';
import { verifyModule } from '../core/ir/verify/index.js';
import type { KernelCodec } from '../core/vm/executable.js';
import { EXEC_FORMAT, Executable } from '../core/vm/executable.js';
import type { ParamSpec } from '../core/vm/inputs.js';
import type { Io } from './io.js';
import { formatDiagnostics } from './report.js';

/** A run-time or file problem: printed as `relax-studio: error: <message>`. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Problems in a source file, printed as diagnostics with positions. */
export class DiagnosticsError extends Error {
  constructor(
    readonly file: string,
    readonly text: string | undefined,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'DiagnosticsError';
  }
}

/** Kernels (PrimFuncs) in the executable JSON: the IR JSON codec. */
export const KERNEL_CODEC: KernelCodec = {
  encode: (f) => irToJson(f),
  decode: (j) => irFromJson<PrimFunc>(j),
};

/** The result of `build()`: the executable, the lowered module and the module after every pass. */
export type Built = BuildResult;

/**
 * A program to run: its Relax functions and their parameters (known before compiling), and the executable,
 * compiled from source on first use so that bad inputs are reported without waiting for the compiler.
 */
export interface Program {
  /** Relax function names (VM names), in module order. */
  readonly functions: readonly string[];
  /** The public ones (not `private=True`): what runs when there is no `main` and only one of them. */
  readonly exported: readonly string[];
  /** Parameter names per function. */
  readonly paramNames: ReadonlyMap<string, readonly string[]>;
  /** Parameters with struct info per function, where known (always for source; saved executables record them). */
  readonly signatures: ReadonlyMap<string, readonly ParamSpec[]>;
  executable(): Executable;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads a text file through Io; an unreadable file is a CliError with the system's reason. */
export function readText(io: Io, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? errorText(e);
    throw new CliError(`cannot read \`${file}\` (${reason})`);
  }
}

/** Parses and verifies; throws DiagnosticsError on errors, returns the module and any warnings. */
export function parseSource(file: string, text: string): { module: IRModule; warnings: Diagnostic[] } {
  const res = parse(text, { loose: true, fileName: file });
  const diags = [...res.diagnostics];
  if (!res.module || hasErrors(diags)) throw new DiagnosticsError(file, text, diags);
  diags.push(...verifyModule(res.module));
  if (hasErrors(diags)) throw new DiagnosticsError(file, text, diags);
  return { module: res.module, warnings: diags };
}

/** Runs the compiler on a parsed module; a CompileError becomes a DiagnosticsError at the source positions. */
export function compile(file: string, text: string, mod: IRModule, options: BuildOptions = {}): Built {
  try {
    return build(mod, options);
  } catch (e) {
    if (e instanceof CompileError) throw new DiagnosticsError(file, text, e.diagnostics);
    throw e;
  }
}

/** The exported Relax functions of a module with their VM names (global_symbol or the module name). */
export function relaxFunctions(mod: IRModule): [string, RelaxFunction][] {
  const out: [string, RelaxFunction][] = [];
  for (const [name, f] of mod.functions) {
    if (f.kind !== 'relax.Function') continue;
    const sym = attrGet(f.attrs, 'global_symbol');
    out.push([typeof sym === 'string' ? sym : name, f]);
  }
  return out;
}

/** Parameters of every Relax function of `mod`, by VM name. */
export function signaturesOf(mod: IRModule): Map<string, ParamSpec[]> {
  return new Map(relaxFunctions(mod).map(([name, f]) => [name, f.params.map((p) => ({ name: p.name, sinfo: p.sinfo }))]));
}

/** The saved form: the executable's JSON plus the signatures. */
export function saveProgram(exec: Executable, signatures: ReadonlyMap<string, readonly ParamSpec[]>): string {
  const json = exec.toJSON(KERNEL_CODEC) as Record<string, unknown>;
  json['signatures'] = Object.fromEntries([...signatures].map(([k, ps]) => [k, irToJson(ps)]));
  return `${JSON.stringify(json)}\n`;
}

/** True when the text is a JSON document (a saved executable) rather than TVMScript. */
export function looksLikeJson(file: string, text: string): boolean {
  return file.endsWith('.json') || text.trimStart().startsWith('{');
}

/** Reads a saved executable; every problem is a CliError naming the file. */
export function loadProgram(file: string, text: string): Program {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`\`${file}\` must be TVMScript or an executable saved by \`relax-studio build -o\`. However, it is not valid JSON (${errorText(e)})`);
  }
  if (!json || typeof json !== 'object' || json['format'] !== EXEC_FORMAT)
    throw new CliError(`\`${file}\` must be an executable saved by \`relax-studio build -o\` ("format": "${EXEC_FORMAT}"). However, it is some other JSON document`);
  try {
    const exec = Executable.fromJSON(json, KERNEL_CODEC);
    const signatures = new Map<string, ParamSpec[]>();
    for (const [k, v] of Object.entries((json['signatures'] ?? {}) as Record<string, unknown>)) signatures.set(k, irFromJson<ParamSpec[]>(v));
    const fns = exec.funcTable.filter((f) => f.kind === 'vm_func');
    return {
      functions: fns.map((f) => f.name),
      exported: fns.map((f) => f.name),
      paramNames: new Map(fns.map((f) => [f.name, f.paramNames])),
      signatures,
      executable: () => exec,
    };
  } catch (e) {
    throw new CliError(`\`${file}\` is not a readable executable: ${errorText(e)}`);
  }
}

/**
 * Loads FILE for `run`: a saved executable, or TVMScript (parsed and verified now, compiled when the executable
 * is first asked for, with `options`, e.g. `fuse` for GPU devices). Warnings (parser, verifier, passes) go to
 * stderr as soon as they are known.
 */
export function loadOrCompile(io: Io, file: string, options: BuildOptions = {}): Program {
  const text = readText(io, file);
  if (looksLikeJson(file, text)) return loadProgram(file, text);
  const { module, warnings } = parseSource(file, text);
  reportDiagnostics(io, file, text, warnings);
  const signatures = signaturesOf(module);
  let exec: Executable | undefined;
  return {
    functions: [...signatures.keys()],
    exported: relaxFunctions(module).filter(([, f]) => !f.isPrivate).map(([n]) => n),
    paramNames: new Map([...signatures].map(([k, ps]) => [k, ps.map((p) => p.name)])),
    signatures,
    executable: () => {
      if (!exec) {
        const built = compile(file, text, module, options);
        reportDiagnostics(io, file, text, built.diagnostics);
        exec = built.exec;
      }
      return exec;
    },
  };
}

/** Prints diagnostics of FILE (errors or warnings) to stderr. */
export function reportDiagnostics(io: Io, file: string, text: string | undefined, ds: readonly Diagnostic[]): void {
  const s = formatDiagnostics(file, text, ds);
  if (s) io.stderr(s);
}

/**
 * Turns a failure of `build` or `run` into its output and exit status 1: diagnostics with positions, or one
 * `relax-studio: error:` line. Never a stack trace.
 */
export function reportFailure(io: Io, e: unknown): number {
  if (e instanceof DiagnosticsError) {
    reportDiagnostics(io, e.file, e.text, e.diagnostics);
    if (!e.diagnostics.length) io.stderr(`relax-studio: error: ${e.file}: compilation failed\n`);
  } else {
    const msg = errorText(e).replace(/\s+$/, '');
    const known = e instanceof CliError || (e instanceof Error && /^(VMRuntimeError|NpyError|InputError|ExecutableFormatError|KernelArgError|KernelCompileError)$/.test(e.name));
    io.stderr(`relax-studio: error: ${known ? '' : 'internal error: '}${msg}\n`);
  }
  return 1;
}
