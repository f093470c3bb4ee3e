/**
 * The Python subset TVMScript is written in, as a syntax tree with spans. `py-parser.ts` builds it from text
 * (tolerantly, with diagnostics); `relax-builder.ts` and `tir-builder.ts` turn it into IR. Keeping Python syntax
 * separate from TVMScript semantics is what lets one parser read every dialect.
 */
import type { Span } from '../span.js';

// ---------------------------------------------------------------- expressions

export interface PyName { readonly kind: 'Name'; readonly id: string; readonly span: Span }
/** `value.attr` */
export interface PyAttribute { readonly kind: 'Attribute'; readonly value: PyExpr; readonly attr: string; readonly span: Span }
export interface PyKeyword { readonly name: string | null /* null for **kwargs */; readonly value: PyExpr; readonly span: Span }
export interface PyCall {
  readonly kind: 'Call';
  readonly func: PyExpr;
  readonly args: readonly PyExpr[];
  readonly keywords: readonly PyKeyword[];
  readonly span: Span;
}
/** `value[index]`; `index` is a Tuple for `a[i, j]`, a Slice for `a[0:n]`. */
export interface PySubscript { readonly kind: 'Subscript'; readonly value: PyExpr; readonly index: PyExpr; readonly span: Span }
export interface PySlice {
  readonly kind: 'Slice';
  readonly lower: PyExpr | null;
  readonly upper: PyExpr | null;
  readonly step: PyExpr | null;
  readonly span: Span;
}
/** `parenthesized` is true for `(a, b)`, false for a bare `a, b`. */
export interface PyTuple { readonly kind: 'Tuple'; readonly elts: readonly PyExpr[]; readonly parenthesized: boolean; readonly span: Span }
export interface PyList { readonly kind: 'List'; readonly elts: readonly PyExpr[]; readonly span: Span }
export interface PyDict {
  readonly kind: 'Dict';
  readonly keys: readonly (PyExpr | null)[]; // null for **spread
  readonly values: readonly PyExpr[];
  readonly span: Span;
}
export interface PySet { readonly kind: 'Set'; readonly elts: readonly PyExpr[]; readonly span: Span }
/**
 * Literals. `raw` is the source text of numbers (so `1.0` vs `1` and `1e-05` survive); strings hold their
 * decoded value; adjacent string literals are concatenated.
 */
export interface PyConstant {
  readonly kind: 'Constant';
  readonly value: number | bigint | string | boolean | null | 'Ellipsis';
  readonly valueKind: 'int' | 'float' | 'str' | 'bytes' | 'bool' | 'None' | 'Ellipsis' | 'complex';
  readonly raw: string;
  readonly span: Span;
}
export type PyBinOpKind = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '<<' | '>>' | '&' | '|' | '^';
export interface PyBinOp { readonly kind: 'BinOp'; readonly op: PyBinOpKind; readonly left: PyExpr; readonly right: PyExpr; readonly span: Span }
export interface PyUnaryOp { readonly kind: 'UnaryOp'; readonly op: '-' | '+' | '~' | 'not'; readonly operand: PyExpr; readonly span: Span }
export interface PyBoolOp { readonly kind: 'BoolOp'; readonly op: 'and' | 'or'; readonly values: readonly PyExpr[]; readonly span: Span }
export type PyCmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';
/** `a < b <= c` keeps the chain. */
export interface PyCompare {
  readonly kind: 'Compare';
  readonly left: PyExpr;
  readonly ops: readonly PyCmpOp[];
  readonly comparators: readonly PyExpr[];
  readonly span: Span;
}
export interface PyIfExp { readonly kind: 'IfExp'; readonly test: PyExpr; readonly body: PyExpr; readonly orelse: PyExpr; readonly span: Span }
export interface PyLambda { readonly kind: 'Lambda'; readonly params: readonly string[]; readonly body: PyExpr; readonly span: Span }
export interface PyStarred { readonly kind: 'Starred'; readonly value: PyExpr; readonly span: Span }
/** Produced only in loose mode where an expression could not be parsed. */
export interface PyErrorExpr { readonly kind: 'ErrorExpr'; readonly span: Span }

export type PyExpr =
  | PyName | PyAttribute | PyCall | PySubscript | PySlice | PyTuple | PyList | PyDict | PySet | PyConstant | PyBinOp
  | PyUnaryOp | PyBoolOp | PyCompare | PyIfExp | PyLambda | PyStarred | PyErrorExpr;

// ---------------------------------------------------------------- statements

export interface PyDecorator { readonly expr: PyExpr; readonly span: Span }
export interface PyArg {
  readonly name: string;
  readonly annotation: PyExpr | null;
  readonly default: PyExpr | null;
  /** '*' for *args, '**' for **kwargs. */
  readonly star?: '*' | '**';
  readonly span: Span;
}
export interface PyFunctionDef {
  readonly kind: 'FunctionDef';
  readonly name: string;
  /** PEP 695 type parameters: `def f[M, N](...)`. */
  readonly typeParams: readonly PyName[];
  readonly args: readonly PyArg[];
  readonly returns: PyExpr | null;
  readonly decorators: readonly PyDecorator[];
  readonly body: readonly PyStmt[];
  /** Span of the name, for diagnostics. */
  readonly nameSpan: Span;
  readonly span: Span;
}
export interface PyClassDef {
  readonly kind: 'ClassDef';
  readonly name: string;
  readonly bases: readonly PyExpr[];
  readonly decorators: readonly PyDecorator[];
  readonly body: readonly PyStmt[];
  readonly nameSpan: Span;
  readonly span: Span;
}
/** `a = b = value`; targets may be tuples for unpacking. */
export interface PyAssign { readonly kind: 'Assign'; readonly targets: readonly PyExpr[]; readonly value: PyExpr; readonly span: Span }
export interface PyAnnAssign {
  readonly kind: 'AnnAssign';
  readonly target: PyExpr;
  readonly annotation: PyExpr;
  readonly value: PyExpr | null;
  readonly span: Span;
}
export interface PyAugAssign { readonly kind: 'AugAssign'; readonly target: PyExpr; readonly op: PyBinOpKind; readonly value: PyExpr; readonly span: Span }
export interface PyExprStmt { readonly kind: 'Expr'; readonly value: PyExpr; readonly span: Span }
export interface PyReturn { readonly kind: 'Return'; readonly value: PyExpr | null; readonly span: Span }
/** `elif` chains are nested Ifs in `orelse`. */
export interface PyIf { readonly kind: 'If'; readonly test: PyExpr; readonly body: readonly PyStmt[]; readonly orelse: readonly PyStmt[]; readonly span: Span }
export interface PyFor { readonly kind: 'For'; readonly target: PyExpr; readonly iter: PyExpr; readonly body: readonly PyStmt[]; readonly span: Span }
export interface PyWhile { readonly kind: 'While'; readonly test: PyExpr; readonly body: readonly PyStmt[]; readonly span: Span }
export interface PyWithItem { readonly context: PyExpr; readonly target: PyExpr | null }
export interface PyWith { readonly kind: 'With'; readonly items: readonly PyWithItem[]; readonly body: readonly PyStmt[]; readonly span: Span }
export interface PyAssert { readonly kind: 'Assert'; readonly test: PyExpr; readonly msg: PyExpr | null; readonly span: Span }
export interface PyPass { readonly kind: 'Pass'; readonly span: Span }
/** `import a.b as c` and `from a import b as c`; `module` is null for plain `import`. */
export interface PyImport {
  readonly kind: 'Import';
  readonly module: string | null;
  readonly names: readonly { readonly name: string; readonly asname: string | null }[];
  readonly span: Span;
}
/** Produced only in loose mode for a statement that could not be parsed. */
export interface PyErrorStmt { readonly kind: 'ErrorStmt'; readonly span: Span }

export type PyStmt =
  | PyFunctionDef | PyClassDef | PyAssign | PyAnnAssign | PyAugAssign | PyExprStmt | PyReturn | PyIf | PyFor | PyWhile
  | PyWith | PyAssert | PyPass | PyImport | PyErrorStmt;

export interface PyComment {
  readonly text: string; // without the leading '#'
  readonly span: Span;
}

export interface PyModule {
  readonly kind: 'Module';
  readonly body: readonly PyStmt[];
  /** Every comment, in order (the `# from tvm.script import ...` header lives here). */
  readonly comments: readonly PyComment[];
  readonly span: Span;
}
