/**
 * `relax-studio`: the command line. Parses arguments (args.ts), runs a command over its files (commands.ts) and
 * reports (report.ts). `main` never throws: usage errors exit 2, files with errors exit 1, and anything unexpected
 * becomes an `internal error` diagnostic with exit status 1. Kept thin: what the app also needs lives in core.
 */
import { readFileSync } from 'node:fs';
import type { Options } from './args.js';
import { parseArgs } from './args.js';
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
