/**
 * WFnn: well-formedness diagnostics, one per numbered invariant in `well-formed.ts`. The `doc` of each entry is
 * the rule itself, stated as one sentence; every WF message is that sentence followed by "However, ..." with the
 * names found, so the catalog, the docs and the messages never drift apart. Codes are stable.
 */
import type { CodeInfo } from '../diagnostics/catalog.js';
import type { Diagnostic, Related } from '../diagnostics/diagnostic.js';
import type { Span } from '../span.js';

/** Every WF code with a title and its rule, for the catalog, docs and the CLI `explain` command. */
export const WF_CODES = {
  WF01: { title: 'var used before definition', doc: 'Every Relax var must be defined (a parameter, an earlier binding, or an enclosing scope) before it is used.' },
  WF02: { title: 'dataflow var used outside its block', doc: 'A DataflowVar may be used only inside the dataflow block that defines it.' },
  WF03: { title: 'var defined twice', doc: 'A Relax var is defined only once in a function.' },
  WF04: { title: 'dataflow var outside dataflow', doc: 'A DataflowVar may be bound only inside a dataflow block.' },
  WF05: { title: 'impure call in dataflow', doc: 'A dataflow block contains only pure calls.' },
  WF06: { title: 'impure call in pure function', doc: 'A pure function contains no impure call unless it has the "relax.force_pure" attribute.' },
  WF07: { title: 'if inside dataflow', doc: 'A dataflow block contains no If.' },
  WF08: { title: 'if branches disagree', doc: 'Both branches of an If must produce compatible struct info.' },
  WF09: { title: 'unknown global', doc: 'Every GlobalVar must name a function of the module.' },
  WF10: { title: 'bad call_tir', doc: "call_tir's callee must be a PrimFunc of the module whose parameter count equals its inputs plus its outputs." },
  WF11: { title: 'undefined symbolic var', doc: 'Every symbolic var in a struct info must be defined (by the signature, a type parameter or an earlier match_cast) before it is used.' },
  WF12: { title: 'TIR undefined var or bad access', doc: 'Every TIR var and buffer must be defined before use, and each buffer access has one index per buffer dimension.' },
  WF13: { title: 'TIR block binding count', doc: 'A TIR block binds exactly one value to each of its iter vars.' },
  WF14: { title: 'bad function parameter', doc: 'Function parameters are plain Vars with unique names.' },
  WF15: { title: 'return value mismatch', doc: "A function's return value must be compatible with its declared return struct info." },
  WF16: { title: 'binding annotation mismatch', doc: "A binding's var struct info must be compatible with the struct info of its value." },
  WF17: { title: 'tuple index out of range', doc: 'A tuple index must be within the tuple.' },
  WF18: { title: 'TIR var defined twice', doc: 'A TIR var (parameter, loop var, block iter var, let var) is defined only once in a PrimFunc.' },
  WF19: { title: 'call arity', doc: 'A call of a Relax function of the module passes exactly one argument per parameter.' },
  WF20: { title: 'non-boolean if condition', doc: 'The condition of an If is a boolean scalar: an R.Prim("bool") value or a 0-d bool tensor.' },
} as const satisfies Readonly<Record<string, CodeInfo>>;

/** A WF code. */
export type WfCode = keyof typeof WF_CODES;

/** Builds a WF diagnostic: the rule, then "However, <however>". Always an error: ill-formed IR cannot compile. */
export function wfDiagnostic(code: WfCode, however: string, span?: Span, related?: readonly Related[]): Diagnostic {
  const message = `${WF_CODES[code].doc} However, ${however}.`;
  return { code, severity: 'error', message, ...(span ? { span } : {}), ...(related?.length ? { related } : {}) };
}
