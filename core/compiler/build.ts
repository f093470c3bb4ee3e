/**
 * `build(mod)`: the whole compiler. Runs the pipeline (pipeline.ts), then VM codegen, and returns the Executable
 * with the lowered module and the module after every pass (for `--print-after-all` and the UI's pass view).
 * `buildText(text)` parses strictly first. Every failure is a CompileError whose diagnostics carry the span of
 * the source binding involved (parse errors, pass errors, ill-formed IR after a pass, codegen errors).
 */
import type { Diagnostic } from '../ir/diagnostics/diagnostic.js';
import type { IRModule } from '../ir/module.js';
import type { Span } from '../ir/span.js';
import { parse } from '../ir/parser/index.js';
import { forEachBinding } from '../ir/relax/visit.js';
import type { Executable } from '../vm/executable.js';
import { CodegenError, vmCodegen } from './codegen/vm-codegen.js';
import { CompileError } from './pass.js';
import type { RunPipelineOptions } from './pipeline.js';
import { runPipeline } from './pipeline.js';

/** Options of `build`: the compile options, the pass hook, and optionally a custom pass list. */
export type BuildOptions = RunPipelineOptions;

/** What `build` returns. */
export interface BuildResult {
  readonly exec: Executable;
  /** The module VM codegen compiled (after the last pass). */
  readonly lowered: IRModule;
  readonly afterPass: readonly { readonly name: string; readonly module: IRModule }[];
  /** Warnings from parsing and the passes (errors throw CompileError). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles a module to an Executable. Throws CompileError. */
export function build(mod: IRModule, options: BuildOptions = {}): BuildResult {
  const r = runPipeline(mod, options);
  let exec: Executable;
  try {
    exec = vmCodegen(r.module);
  } catch (e) {
    if (!(e instanceof CodegenError)) throw e;
    const span = spanOfNodes(mod, e.nodes) ?? spanOfNodes(r.module, e.nodes);
    throw new CompileError([{ code: 'B702', severity: 'error', message: `VM codegen: ${e.message}`, ...(span ? { span } : {}) }]);
  }
  return { exec, lowered: r.module, afterPass: r.afterPass, diagnostics: r.diagnostics };
}

/** Parses TVMScript (strictly) and compiles it. Throws CompileError with the parse errors when it cannot parse. */
export function buildText(text: string, options: BuildOptions & { readonly fileName?: string } = {}): BuildResult {
  const parsed = parse(text, options.fileName ? { fileName: options.fileName } : {});
  if (!parsed.module) throw new CompileError(parsed.diagnostics.filter((d) => d.severity === 'error'));
  const r = build(parsed.module, options);
  return { ...r, diagnostics: [...parsed.diagnostics, ...r.diagnostics] };
}

/** The span of the first binding (in any Relax function) whose var is named by `nodes`. */
function spanOfNodes(mod: IRModule, nodes: readonly string[]): Span | undefined {
  if (!nodes.length) return undefined;
  const wanted = new Set(nodes);
  let found: Span | undefined;
  for (const f of mod.functions.values()) {
    if (f.kind !== 'relax.Function' || found) continue;
    forEachBinding(f, (b) => {
      if (!found && wanted.has(b.v.name)) found = b.span ?? b.value.span;
    });
  }
  return found;
}
