/**
 * R2xx: TVMScript Relax semantics, reported by the Relax builder (`../parser/relax-builder.ts` and its
 * `relax-*.ts` / `module-*.ts` helpers): names, calls of known ops, struct-info annotations, dataflow blocks,
 * control flow and module structure. Python syntax errors are P1xx, TIR semantics T3xx, shape inference I4xx.
 */
import type { CodeInfo } from './catalog.js';

/** Every R2xx code with its title and a one-line explanation; codes are stable because tests assert them. */
export const RELAX_CODES: Readonly<Record<string, CodeInfo>> = {
  R201: { title: 'undefined name', doc: 'A name must be a parameter, an earlier binding, a symbolic var or a module function.' },
  R202: { title: 'unknown op', doc: 'The op is not in the registry; it is kept as written, with its written annotation (warning).' },
  R203: { title: 'missing argument', doc: 'A required parameter of a known op was not given.' },
  R204: { title: 'too many arguments', doc: 'A known op was given more positional arguments than its signature has.' },
  R205: { title: 'unknown keyword', doc: 'A keyword argument does not name a parameter of the known op.' },
  R206: { title: 'duplicate argument', doc: 'A parameter was given both positionally and by keyword, or twice.' },
  R207: { title: 'bad argument', doc: 'An argument cannot be read as the kind its parameter needs (tensor, shape, prim, ...).' },
  R208: { title: 'bad attribute value', doc: 'An attribute value is not a literal, list, dict or PrimExpr.' },
  R210: { title: 'bad annotation', doc: 'A struct-info annotation is not one of the R.Tensor/R.Shape/R.Tuple/... forms.' },
  R211: { title: 'implicit symbolic var', doc: 'RFC-style input: an undeclared name in a shape becomes a new symbolic var (warning).' },
  R212: { title: 'shape var not int64', doc: 'Relax shape dims are int64; a symbolic var of another dtype cannot be a dim.' },
  R213: { title: 'annotation contradicts value', doc: "A binding's annotation provably cannot describe its value (different kind, dtype, rank or constant dim)." },
  R214: { title: 'renamed construct', doc: 'A 2022 RFC spelling was read as its current equivalent (warning).' },
  R220: { title: 'R.output twice', doc: 'A dataflow block has exactly one R.output(...).' },
  R221: { title: 'R.output outside dataflow', doc: 'R.output(...) is only valid as the last statement of a dataflow block.' },
  R222: { title: 'binding after R.output', doc: 'R.output(...) must be the last statement of its dataflow block.' },
  R223: { title: 'output not defined in block', doc: 'Every var named in R.output(...) must be bound in that dataflow block.' },
  R224: { title: 'if inside dataflow', doc: 'Control flow is not allowed inside a dataflow block.' },
  R225: { title: 'unsupported with', doc: 'Only `with R.dataflow():` is a Relax with-statement, and it does not nest.' },
  R230: { title: 'return not last', doc: 'return must be the last statement of a function body.' },
  R231: { title: 'missing return', doc: 'A Relax function body must end with return.' },
  R232: { title: 'var escapes if-branch', doc: 'Vars bound inside an if-branch are not visible after the if, except its result var.' },
  R233: { title: 'bad if branches', doc: 'Each branch of an if must end by assigning the same result var.' },
  R234: { title: 'unsupported statement', doc: 'The statement is not part of the Relax function-body grammar.' },
  R235: { title: 'bad assignment target', doc: 'Assignments bind a name or unpack a tuple of names.' },
  R240: { title: 'duplicate function', doc: 'Two functions of one module have the same name.' },
  R241: { title: 'no module', doc: 'No @I.ir_module class, @R.function or @T.prim_func was found.' },
  R242: { title: 'unsupported module statement', doc: 'A statement in the module class is not a function or a module-level I.* call.' },
  R243: { title: 'bad attributes', doc: 'R.func_attr / I.module_attrs take one dict literal with string keys.' },
  R250: { title: 'bad callee', doc: 'call_tir and friends call a module function (GlobalVar); other calls need a function value.' },
  R251: { title: 'bad call form', doc: 'A special form (call_tir, call_packed, const, ...) was called with the wrong arguments.' },
  R252: { title: 'bad tuple index', doc: 'A tuple index is an integer literal.' },
  R254: { title: 'bad constant', doc: 'R.const takes a number, a bool or a nested list of them, and an optional dtype.' },
  R255: { title: 'unsupported expression', doc: 'The Python expression has no Relax meaning.' },
  R256: { title: 'bad metadata reference', doc: 'metadata["key"][index] needs a string key and an integer index.' },
  R299: { title: 'internal error', doc: 'A bug in the parser; the message carries the exception text.' },
};
