/**
 * `relax-studio build FILE [--emit vm|lowered|tir] [--print-after-all] [-o EXEC.json]`: compiles a TVMScript file
 * with core/compiler's `build()` and prints the executable (`asText`, TVM's format), the module after the whole
 * pipeline, or only its PrimFuncs. `--print-after-all` prints the module after every pass first, each under a
 * `# ==> after <PassName> <==` line. `-o` saves the executable JSON (see run-load.ts) for `relax-studio run`;
 * with `-o`, stdout gets the emitted text only when `--emit` was written.
 */
import { irModule } from '../core/ir/module.js';
import type { IRModule } from '../core/ir/module.js';
import { printModule } from '../core/ir/printer/index.js';
import type { Io } from './io.js';
import type { BuildOptions } from './run-args.js';
import type { Built } from './run-load.js';
import { CliError, compile, parseSource, readText, reportDiagnostics, reportFailure, saveProgram, signaturesOf } from './run-load.js';

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}

/** The module with only its PrimFuncs (the kernels), in module order. */
export function primFuncsOnly(mod: IRModule): IRModule {
  return irModule(mod.name, new Map([...mod.functions].filter(([, f]) => f.kind === 'tir.PrimFunc')));
}

/** What `--emit` prints. */
export function emitText(built: Built, emit: BuildOptions['emit']): string {
  switch (emit) {
    case 'vm':
      return built.exec.asText();
    case 'lowered':
      return ensureNewline(printModule(built.lowered));
    case 'tir':
      return ensureNewline(printModule(primFuncsOnly(built.lowered)));
  }
}

function writeOut(io: Io, path: string, text: string): void {
  try {
    io.writeFile(path, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new CliError(`cannot write \`${path}\` (${reason})`);
  }
}

/** Runs `relax-studio build`; returns the exit status (0, or 1 with diagnostics on stderr). */
export async function buildCommand(o: BuildOptions, io: Io): Promise<number> {
  try {
    const text = readText(io, o.file);
    const { module, warnings } = parseSource(o.file, text);
    reportDiagnostics(io, o.file, text, warnings);
    const built = compile(o.file, text, module);
    reportDiagnostics(io, o.file, text, built.diagnostics);
    if (o.printAfterAll) for (const p of built.afterPass) io.stdout(`# ==> after ${p.name} <==\n${ensureNewline(printModule(p.module))}\n`);
    if (o.out !== undefined) writeOut(io, o.out, saveProgram(built.exec, signaturesOf(module)));
    if (o.out === undefined || o.emitGiven) io.stdout(emitText(built, o.emit));
    return 0;
  } catch (e) {
    return reportFailure(io, e);
  }
}
