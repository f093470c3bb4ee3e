/**
 * The diagnostic catalog: every code the product emits, by area, with a title and a one-line explanation.
 * Codes are stable (tests assert them). Areas:
 *   P1xx  Python syntax: tokenizer and parser             (codes-syntax.ts)
 *   R2xx  TVMScript Relax semantics: names, calls, types   (codes-relax.ts)
 *   T3xx  TVMScript TIR semantics                          (codes-tir.ts)
 *   I4xx  struct-info (shape) inference                    (codes-infer.ts)
 *   WFnn  well-formedness rules                            (../verify/well-formed.ts)
 *   C5xx  command line: usage, files                       (codes-cli.ts)
 *   B6xx-B7xx  compiling: lowering, planning, VM codegen   (codes-lower.ts)
 *   E8xx  graph edits refused by the editor               (codes-edit.ts)
 *   B7xx  lowering passes, pipeline and VM codegen          (codes-lower.ts)
 */
export interface CodeInfo {
  readonly title: string;
  readonly doc: string;
}

import { SYNTAX_CODES } from './codes-syntax.js';
import { RELAX_CODES } from './codes-relax.js';
import { TIR_CODES } from './codes-tir.js';
import { INFER_CODES } from './codes-infer.js';
import { CLI_CODES } from './codes-cli.js';
import { EDIT_CODES } from './codes-edit.js';
import { LOWER_CODES } from './codes-lower.js';
import { RUN_CODES } from './codes-run.js';
import { WF_CODES } from '../verify/codes-wf.js';

/** Every diagnostic code, by code. */
export const CATALOG: Readonly<Record<string, CodeInfo>> = {
  ...SYNTAX_CODES,
  ...RELAX_CODES,
  ...TIR_CODES,
  ...INFER_CODES,
  ...(WF_CODES as Readonly<Record<string, CodeInfo>>),
  ...CLI_CODES,
  ...EDIT_CODES,
  ...LOWER_CODES,
  ...RUN_CODES,
};

/** The catalog entry of a code, for UIs that explain a diagnostic. */
export function describeCode(code: string): CodeInfo | undefined {
  return CATALOG[code];
}

/** The catalog as Markdown (docs/diagnostics.md is generated from it; a test fails when they drift apart). */
export function catalogMarkdown(): string {
  const lines = ['# Diagnostic codes', '', 'Generated from `core/ir/diagnostics/catalog.ts`; do not edit by hand.', ''];
  for (const code of Object.keys(CATALOG).sort()) {
    const c = CATALOG[code]!;
    lines.push(`## ${code}: ${c.title}`, '', c.doc, '');
  }
  return lines.join('\n');
}
