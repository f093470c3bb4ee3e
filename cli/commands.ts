/**
 * The per-file work of each command. Every file is read and parsed once; each result is written out as soon as
 * it is known (streamed), and a failure on one file (even an internal one) is reported as a diagnostic for that
 * file without stopping the others. The IR work itself is in core (parser, verifier, printer, graph model).
 */
import { basename, join } from 'node:path';
import type { Diagnostic } from '../core/ir/diagnostics/diagnostic.js';
import { hasErrors } from '../core/ir/diagnostics/diagnostic.js';
import type { IRModule } from '../core/ir/module.js';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';
import { verifyModule } from '../core/ir/verify/index.js';
import type { FunctionSummary } from '../core/ir/graph/index.js';
import { formatSummary, graphFromJson, graphToJson, graphToModule, moduleToGraph, summarizeModule } from '../core/ir/graph/index.js';
import type { Options } from './args.js';
import type { Io } from './io.js';
import type { JsonDiagnostic } from './report.js';
import { formatDiagnostics, internalError, jsonDiagnostics } from './report.js';

/** One --json entry. */
export interface FileReport {
  file: string;
  ok: boolean;
  diagnostics: JsonDiagnostic[];
  functions?: FunctionSummary[];
  /** fmt --json without --out-dir: the formatted text. */
  text?: string;
  /** fmt --out-dir: where the formatted text went. */
  outFile?: string;
}

/** What processing one file produced, before it is reported. */
interface FileResult {
  readonly file: string;
  readonly text?: string;
  readonly diagnostics: Diagnostic[];
  /** Text for stdout (fmt, check listing, graph JSON, text). */
  readonly output?: string;
  readonly functions?: FunctionSummary[];
  readonly outFile?: string;
}

/** A diagnostic without a span, for file-level problems. */
function fileDiag(code: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { code, severity, message };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function readSource(io: Io, file: string): { text?: string; diag?: Diagnostic } {
  try {
    return { text: io.readFile(file) };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? errorText(e);
    return { diag: fileDiag('C510', `An input file must be readable. However, \`${file}\` cannot be read (${reason}).`) };
  }
}

/** Parses and (when the parse is clean) verifies: the module plus every diagnostic. */
function analyze(text: string, file: string): { module?: IRModule; diagnostics: Diagnostic[]; parsedClean: boolean } {
  const res = parse(text, { loose: true, fileName: file });
  const diagnostics = [...res.diagnostics];
  const parsedClean = !!res.module && !hasErrors(diagnostics);
  if (parsedClean) diagnostics.push(...verifyModule(res.module!));
  return { ...(res.module ? { module: res.module } : {}), diagnostics, parsedClean };
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

function fmtFile(o: Options, io: Io, file: string, text: string): FileResult {
  const a = analyze(text, file);
  if (!a.module || hasErrors(a.diagnostics)) return { file, text, diagnostics: a.diagnostics };
  const printed = ensureNewline(printModule(a.module, { dialect: o.dialect }));
  if (o.outDir === undefined) return { file, text, diagnostics: a.diagnostics, output: printed };
  const outFile = join(o.outDir, basename(file === '-' ? 'stdin.tvmscript' : file));
  try {
    io.writeFile(outFile, printed);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? errorText(e);
    return { file, text, diagnostics: [...a.diagnostics, fileDiag('C511', `An output file must be writable. However, \`${outFile}\` cannot be written (${reason}).`)] };
  }
  return { file, text, diagnostics: a.diagnostics, outFile };
}

function checkFile(o: Options, file: string, text: string): FileResult {
  const a = analyze(text, file);
  if (!a.module || !a.parsedClean) return { file, text, diagnostics: a.diagnostics };
  const functions = summarizeModule(a.module, o.dialect);
  return { file, text, diagnostics: a.diagnostics, functions, output: formatSummary(functions) };
}

function graphFile(o: Options, file: string, text: string): FileResult {
  const a = analyze(text, file);
  if (!a.module || hasErrors(a.diagnostics)) return { file, text, diagnostics: a.diagnostics };
  const json = graphToJson(moduleToGraph(a.module, { dialect: o.dialect }));
  return { file, text, diagnostics: a.diagnostics, output: `${JSON.stringify(json, null, 1)}\n` };
}

function textFile(o: Options, file: string, text: string): FileResult {
  let doc;
  try {
    doc = graphFromJson(JSON.parse(text));
  } catch (e) {
    return { file, diagnostics: [fileDiag('C520', `The input of \`text\` must be a graph JSON document. However, ${errorText(e)}`)] };
  }
  return { file, diagnostics: [], output: ensureNewline(printModule(graphToModule(doc), { dialect: o.dialect })) };
}

/** Runs the command on one file; never throws. */
export function processFile(o: Options, io: Io, file: string): FileResult {
  const src = readSource(io, file);
  if (src.text === undefined) return { file, diagnostics: [src.diag!] };
  try {
    switch (o.command) {
      case 'fmt':
        return fmtFile(o, io, file, src.text);
      case 'check':
        return checkFile(o, file, src.text);
      case 'graph':
        return graphFile(o, file, src.text);
      case 'text':
        return textFile(o, file, src.text);
    }
  } catch (e) {
    return { file, text: src.text, diagnostics: [internalError(e)] };
  }
}

/** The --json entry of a result. */
export function toReport(o: Options, r: FileResult): FileReport {
  const report: FileReport = { file: r.file, ok: !hasErrors(r.diagnostics), diagnostics: jsonDiagnostics(r.text, r.diagnostics) };
  if (o.command === 'check') report.functions = r.functions ?? [];
  if (o.command === 'fmt' && r.output !== undefined) report.text = r.output;
  if (r.outFile !== undefined) report.outFile = r.outFile;
  return report;
}

/** Human output of a result: diagnostics to stderr, the file's output to stdout (with a header when several). */
export function writeHuman(o: Options, io: Io, r: FileResult, index: number, many: boolean): void {
  const diags = formatDiagnostics(r.file, r.text, r.diagnostics);
  if (diags) io.stderr(diags);
  if (r.output === undefined) return;
  io.stdout(many ? `${index > 0 ? '\n' : ''}# ==> ${r.file} <==\n${r.output}` : r.output);
}

/** Warns about inputs whose outputs would land on the same path under --out-dir. */
export function duplicateOutputNames(files: readonly string[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const f of files) {
    const b = basename(f);
    const prev = seen.get(b);
    if (prev !== undefined) {
      out.push(fileDiag('C512', `Each input needs its own output name under --out-dir. However, \`${f}\` and \`${prev}\` are both written as ${b}; the later one wins.`, 'warning'));
    } else seen.set(b, f);
  }
  return out;
}
