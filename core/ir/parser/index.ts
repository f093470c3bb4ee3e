/**
 * TVMScript parser entry point. Reads every dialect in ../shared/reference/tvm-relax.md: the 2022 RFC spelling,
 * classic (v0.16-v0.23), v0.24/v0.25 (`tirx`, `T.sblock`, `s_tir=True`), v0.26 (`out_ty`, `ty_args`, `R.Any`)
 * and PEP 695 `def f[M](...)`.
 *
 * Strict mode (the default) is what the compiler uses: it returns a module only when there are no errors.
 * Loose mode never throws: it returns what it could build plus diagnostics, for the editor.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IRModule } from '../module.js';

export interface ParseOptions {
  /** Never throw; build what can be built. */
  readonly loose?: boolean;
  /** For diagnostics only. */
  readonly fileName?: string;
}

export interface ParseResult {
  /** Present unless the text could not be read at all (strict mode: absent whenever there is an error). */
  readonly module?: IRModule;
  readonly diagnostics: readonly Diagnostic[];
}

export { parse } from './relax-builder.js';
