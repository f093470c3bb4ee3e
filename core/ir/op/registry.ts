/**
 * The op registry: every Relax op by its TVM name ("relax.nn.conv2d"), with its Python signature (which
 * parameters are Relax expressions and which are attributes, with defaults), purity, palette category and
 * struct-info inference. Ops are registrations, not switch statements: each category file under `op/`
 * registers its ops; the parser, printer, verifier, editor palette and compiler all read this table.
 */
import type { AttrDict, AttrValue } from '../attrs.js';
import type { Call, Expr, StructInfo } from '../relax/nodes.js';
import type { Span } from '../span.js';

/**
 * How a parameter is read from Python source and held in the IR:
 * - tensor:  a Relax expression (a number literal becomes a scalar `R.const`)
 * - tensors: a list/tuple of tensors, held as one `relax.Tuple` argument (or a tuple-typed var)
 * - shape:   a tuple/list of ints or PrimExprs, held as a `relax.ShapeExpr` argument (or a shape-typed var)
 * - prim:    a scalar, held as a `relax.PrimValue` argument
 * - prims:   a list of scalars, held as a `relax.Tuple` of PrimValues
 * - expr:    any Relax expression, as written
 * - attr:    an attribute, held in `Call.attrs` under the parameter name
 */
export type ParamKind = 'tensor' | 'tensors' | 'shape' | 'prim' | 'prims' | 'expr' | 'attr';

/** The editor's field type for an attribute, and the validation the parser applies. */
export type AttrType =
  | 'int' | 'float' | 'bool' | 'str' | 'dtype' | 'ints' | 'int_or_ints' | 'axis' | 'axes' | 'opt_axes'
  | 'prim_exprs' | 'float_or_none' | 'int_or_none' | 'str_or_none' | 'any';

export interface OpParam {
  readonly name: string;
  readonly kind: ParamKind;
  /** For attrs: the value filled in when omitted (already normalized). Absent means required. */
  readonly default?: AttrValue;
  /** For expression params: may be omitted or `None` (e.g. `bias=None`); then no argument is passed. */
  readonly optional?: boolean;
  readonly attrType?: AttrType;
  /** For `attrType: 'str'`: the allowed values, when closed (layouts, modes). */
  readonly choices?: readonly string[];
}

/** What an inference function may use: report a diagnostic at the call (shape mismatch proven, bad attr). */
export interface InferCtx {
  error(code: string, message: string): void;
  warning(code: string, message: string): void;
  /** Span of the call being inferred, when known. */
  readonly span?: Span;
  /**
   * Struct info of an argument expression (a var, a literal, a tuple or a nested call). Supplied by
   * `inferExprSInfo`; when absent, op rules read leaves and tuples directly and treat anything else as `R.Any`.
   */
  readonly argSInfo?: (arg: Expr) => StructInfo;
}

export interface OpDef {
  /** TVM name: "relax.add", "relax.nn.conv2d", "relax.image.resize2d". */
  readonly name: string;
  /** Palette group: "create", "unary", "binary", "compare", "linalg", "nn", "shape", "index", "reduce", ... */
  readonly category: string;
  readonly params: readonly OpParam[];
  /** False for ops with side effects (`relax.call_packed`, `relax.print`, ...): not allowed inside dataflow. */
  readonly pure: boolean;
  /** On the shortlist of ops.md: inferred, lowered and run. */
  readonly shortlist?: boolean;
  /** Canonicalizes attribute values after binding (e.g. `strides=2` -> `[2, 2]`). */
  readonly normalizeAttrs?: (attrs: AttrDict) => AttrDict;
  /**
   * Fills attributes that TVM's Python wrapper derives from the arguments (`R.arange`'s unset dtype), after
   * normalizeArgs, so the IR holds what TVM would print.
   */
  readonly resolveAttrs?: (args: readonly Expr[], attrs: AttrDict) => AttrDict;
  /** Canonicalizes the expression arguments as TVM's Python wrapper does (`R.arange(n)` -> `(0, n, 1)`). */
  readonly normalizeArgs?: (args: readonly Expr[]) => readonly Expr[];
  /** Struct info of a call; absent means the result is `R.Any` unless annotated. */
  readonly infer?: (call: Call, ctx: InferCtx) => StructInfo;
  /** One line for the palette and docs. */
  readonly doc?: string;
  /** Number of leading tensor outputs for multi-output ops when printed (informational). */
  readonly returnsTuple?: boolean;
}

const REGISTRY = new Map<string, OpDef>();

/** Registers an op; a second registration under the same name replaces the first (tests may override). */
export function registerOp(def: OpDef): void {
  REGISTRY.set(def.name, def);
}

export function lookupOp(name: string): OpDef | undefined {
  return REGISTRY.get(name);
}

export function allOps(): readonly OpDef[] {
  return [...REGISTRY.values()];
}

/** "relax.nn.conv2d" -> "R.nn.conv2d" (the printed callee). */
export function opScriptName(name: string): string {
  return name.startsWith('relax.') ? `R.${name.slice('relax.'.length)}` : name;
}

/** "R.nn.conv2d" path segments ["nn", "conv2d"] -> "relax.nn.conv2d". */
export function opNameFromPath(path: readonly string[]): string {
  return `relax.${path.join('.')}`;
}
