/**
 * `parse()`: TVMScript text -> IRModule, for every dialect (see index.ts). Python syntax comes from
 * py-parser.ts; the module level is module-builder.ts, Relax functions relax-function.ts / relax-stmt.ts /
 * relax-expr.ts / relax-special.ts / relax-sinfo.ts, PrimFuncs tir-builder.ts. This file only runs the phases
 * and applies the strict/loose contract: strict returns a module only without errors; neither mode throws
 * (a builder bug becomes an R299 diagnostic).
 */
import type { ParseOptions, ParseResult } from './index.js';
import type { IRModule } from '../module.js';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { parsePython } from './py-parser.js';
import { buildModule } from './module-builder.js';

/** Parses TVMScript text into an IRModule plus every diagnostic (P1xx syntax, R2xx Relax, T3xx TIR, I4xx inference). */
export function parse(text: string, opts: ParseOptions = {}): ParseResult {
  const diags = new DiagnosticBag();
  let module: IRModule | undefined;
  try {
    const py = parsePython(text, { loose: true });
    for (const d of py.diagnostics) diags.add(d);
    module = buildModule(py.module, text, diags);
  } catch (err) {
    diags.error('R299', `The parser must not fail. However, it threw: ${err instanceof Error ? err.message : String(err)}.`, { start: 0, end: 0 });
  }
  const diagnostics = diags.items;
  if (!opts.loose && diags.hasErrors) return { diagnostics };
  return module ? { module, diagnostics } : { diagnostics };
}
