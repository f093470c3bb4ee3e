/**
 * The diagnostic catalog: every code the product emits, by area, with a title and a one-line explanation.
 * Codes are stable (tests assert them). Areas:
 *   P1xx  Python syntax: tokenizer and parser             (codes-syntax.ts)
 *   R2xx  TVMScript Relax semantics: names, calls, types   (codes-relax.ts)
 *   T3xx  TVMScript TIR semantics                          (codes-tir.ts)
 *   I4xx  struct-info (shape) inference                    (codes-infer.ts)
 *   WFnn  well-formedness rules                            (../verify/well-formed.ts)
 *   C5xx  command line: usage, files                       (codes-cli.ts)
 */
export interface CodeInfo {
  readonly title: string;
  readonly doc: string;
}
