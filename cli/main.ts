/**
 * `relax-studio`: the command line. Parses arguments (args.ts), runs a command over its files (commands.ts) and
 * reports (report.ts). `main` never throws: usage errors exit 2, files with errors exit 1, and anything unexpected
 * becomes an `internal error` diagnostic with exit status 1. Kept thin: what the app also needs lives in core.
 */
import { readFileSync } from 'node:fs';
import type { Options } from './args.js';
import { parseArgs } from './args.js';
import type { ProgramOptions } from './run-args.js';
import type { Io } from './io.js';
import { nodeIo } from './io.js';
import { formatDiagnostics, internalError } from './report.js';

/** The usage text of `--help`: every command, option and the exit status. */
export const USAGE = `relax-studio: parse, check, format and convert Apache TVM Relax programs (TVMScript)

Usage:
  relax-studio fmt   [--dialect v0.26|classic] [--out-dir DIR] [--json] FILE...
  relax-studio check [--dialect v0.26|classic] [--json] FILE...
  relax-studio graph [--dialect v0.26|classic] FILE
  relax-studio text  [--dialect v0.26|classic] GRAPH.json
  relax-studio build [--emit vm|lowered|tir] [--print-after-all] [-o EXEC.json] FILE
  relax-studio run   [--func NAME] [--sym n=2,m=3] [--input NAME=random|zeros|ones|PATH.npy]...
                     [--seed N] [--device auto|webgpu|webgl2|webgl|wasm|cpu|js] [--packed MODULE.mjs]
                     [--save-outputs DIR] [--profile] [--repeat N] [--trace OUT.json] [--json] FILE|EXEC.json
  relax-studio help | --help | -h
  relax-studio --version

Commands:
  fmt     Print each FILE in canonical TVMScript (v0.26 spelling unless --dialect classic).
          One FILE: to stdout. Several FILEs: to stdout, each preceded by a line "# ==> FILE <==" and
          separated by a blank line. With --out-dir DIR: to DIR/<base name of FILE> (the folder is created);
          nothing goes to stdout. A FILE with an error gets no output.
  check   Parse, infer and verify each FILE. Prints, per Relax function, a line "@name" and then
          "name: <struct info>" for every parameter and binding (bindings inside if branches included,
          after the binding that receives the if). Several FILEs: each preceded by "# ==> FILE <==".
  graph   Print the graph JSON (format "relax-studio-graph", version 1) of FILE.
  text    Print the TVMScript of a graph JSON file.
  build   Compile FILE through the default pipeline and print the VM executable (TVM's as_text).
  run     Compile FILE (or load EXEC.json saved by build -o) and run one Relax function on the VM;
          print per output "outputN: DTYPE[SHAPE] min=... max=... mean=..." (tuples flattened).

Options:
  --dialect D    v0.26 (default) or classic: the spelling of printed TVMScript and struct info.
  --out-dir DIR  fmt only: write formatted files into DIR.
  --json         fmt and check: print one JSON array on stdout, one entry per FILE:
                   {"file", "ok", "diagnostics": [{"code", "severity", "message",
                    "line", "col", "endLine", "endCol"}], ...}
                 check adds "functions": [{"name", "params": [{"name", "sinfo"}],
                 "bindings": [{"name", "sinfo"}], "ret"}]; fmt adds "text" (the formatted
                 file) or, with --out-dir, "outFile". Positions are 1-based; null when unknown.
                 Human-readable diagnostics are not printed with --json.

build options:
  --emit E           vm (default): the executable's as_text; lowered: the module after the pipeline;
                     tir: its PrimFuncs only.
  --print-after-all  Print the module after every pass, each under "# ==> after PassName <==".
  -o EXEC.json       Save the executable for \`relax-studio run\` (stdout then gets --emit output only
                     when --emit is given).

run options:
  --func NAME        The function to run (default: main, or the only Relax function).
  --input NAME=SRC   The parameter NAME: random, zeros, ones or a .npy file (its shape and dtype must
                     fit the parameter). Parameters not named are random (floats in [-1, 1)).
  --sym n=2,m=3      Values of symbolic dims for made inputs (dims of given .npy inputs bind too).
  --seed N           Seed of the random inputs (default 0).
  --device D         auto (default), js or cpu run the JavaScript kernels; webgpu, webgl2, webgl and
                     wasm are not available yet: a one-line notice, then js.
  --packed M.mjs     An ES module whose default export maps packed-function names to functions
                     (function(...args); tensors have shape, dtype and data; in-place writes are seen).
  --save-outputs DIR Write output0.npy, output1.npy, ... into DIR.
  --profile          Print the per-kernel table (name, duration, percent, count, shapes, nodes).
  --repeat N         Timed runs after one warm-up (medians are reported).
  --trace OUT.json   Write a Chrome trace (traceEvents of ph "X") of the timed runs.
  --json             Print {"outputs": [{"shape", "dtype"}], "profile": [...]} (profile with --profile).
  Run-time errors print "relax-studio: error: <message>".

  FILE "-"       reads standard input.

Diagnostics go to stderr as "FILE:LINE:COL: error[CODE]: message" (or warning[CODE]), followed by the
source line and carets under the offending span.

Exit status: 0 when every FILE is fine (warnings allowed), 1 when any FILE has an error or cannot be
read, 2 for a usage error.
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs a command over its files, streaming human output or the --json array (one entry per line). The IR code is
 * loaded here, on first use, so that `--help` and usage errors answer at once.
 */
async function run(o: Options, io: Io): Promise<number> {
  const { duplicateOutputNames, processFile, toReport, writeHuman } = await import('./commands.js');
  let failed = false;
  const many = o.files.length > 1 && o.outDir === undefined;
  if (o.outDir !== undefined) {
    const dup = duplicateOutputNames(o.files);
    if (dup.length && !o.json) io.stderr(formatDiagnostics('relax-studio', undefined, dup));
  }
  o.files.forEach((file, i) => {
    const r = processFile(o, io, file);
    const rep = toReport(o, r);
    if (!rep.ok) failed = true;
    if (o.json) io.stdout(`${i === 0 ? '[\n' : ',\n'}${JSON.stringify(rep)}`);
    else writeHuman(o, io, r, i, many);
  });
  if (o.json) io.stdout(o.files.length ? '\n]\n' : '[]\n');
  return failed ? 1 : 0;
}

/** `build` and `run`: loaded on first use, like the file commands. */
async function runProgram(o: ProgramOptions, io: Io): Promise<number> {
  if (o.command === 'build') return (await import('./build.js')).buildCommand(o, io);
  return (await import('./run.js')).runCommand(o, io);
}

/**
 * Entry point of the `relax-studio` bin (cli/relax-studio.mjs) and of in-process tests. Returns the exit status.
 */
export async function main(argv: readonly string[], io: Io = nodeIo()): Promise<number> {
  try {
    const args = parseArgs(argv);
    switch (args.kind) {
      case 'help':
        io.stdout(USAGE);
        return 0;
      case 'version':
        io.stdout(`relax-studio ${version()}\n`);
        return 0;
      case 'usage-error':
        io.stderr(`relax-studio: error[${args.code}]: ${args.message}\nRun \`relax-studio --help\` for usage.\n`);
        return 2;
      case 'program':
        return await runProgram(args.options, io);
      default:
        return await run(args.options, io);
    }
  } catch (e) {
    io.stderr(formatDiagnostics('relax-studio', undefined, [internalError(e)]));
    return 1;
  } finally {
    io.flush();
  }
}
