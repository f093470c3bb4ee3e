/**
 * TVMScript printer: IR -> document tree -> text. Canonical v0.26 spelling by default, classic on request.
 * Printing is idempotent and `parse(print(m))` is structurally equal to `m`.
 */
export type Dialect = 'v0.26' | 'classic';

export interface PrintOptions {
  readonly dialect?: Dialect;
  /** Indent unit (4 spaces). */
  readonly indent?: number;
}

export { printModule, printStructInfo, printPrimExpr, printExpr, printModuleWithSpans } from './printer.js';
export type { PrimPrintOptions, PrintedModule } from './printer.js';
export type { PrintedRange } from './doc.js';
export { pyFloatRepr } from './pyfloat.js';
