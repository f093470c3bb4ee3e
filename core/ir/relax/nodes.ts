/**
 * Relax: the graph-level IR. Immutable plain objects with a `kind` discriminant, mirroring TVM's
 * `include/tvm/relax/expr.h` and `struct_info.h`. Variables are compared by position of definition
 * (alpha-equivalence), never by name; `span` and name hints are ignored by equality and hashing.
 */
import type { Span } from '../span.js';
import type { AttrDict } from '../attrs.js';
import type { DataType, PrimExpr, TirVar } from '../tir/nodes.js';

// ---------------------------------------------------------------- struct info

/** `R.Any` (v0.26) / `R.Object` (classic): nothing is known. */
export interface ObjectSInfo {
  readonly kind: 'si.Object';
  readonly span?: Span;
}

/** `R.Prim("int64")`, printed `T.int64` in v0.26; `value` when a PrimValue's value is known. */
export interface PrimSInfo {
  readonly kind: 'si.Prim';
  readonly dtype: DataType;
  readonly value?: PrimExpr;
  readonly span?: Span;
}

/** `R.Shape([n, 4])` or `R.Shape(ndim=2)`; ndim -1 means unknown. */
export interface ShapeSInfo {
  readonly kind: 'si.Shape';
  readonly values?: readonly PrimExpr[];
  readonly ndim: number;
  readonly span?: Span;
}

/**
 * `R.Tensor((n, 4), "float32")`. `shape` is a ShapeExpr (known dims) or a Var of Shape type; undefined when
 * only `ndim` is known (-1: unknown). `dtype` is "" when unknown (TVM's void).
 */
export interface TensorSInfo {
  readonly kind: 'si.Tensor';
  readonly shape?: ShapeExpr | RelaxVar;
  readonly dtype: DataType;
  readonly ndim: number;
  readonly vdevice?: string;
  readonly span?: Span;
}

export interface TupleSInfo {
  readonly kind: 'si.Tuple';
  readonly fields: readonly StructInfo[];
  readonly span?: Span;
}

/** `R.Callable((params...), ret, purity)`; `params` undefined for an opaque function (`R.PackedFunc`). */
export interface FuncSInfo {
  readonly kind: 'si.Func';
  readonly params?: readonly StructInfo[];
  readonly ret: StructInfo;
  readonly purity: boolean;
  /** True for `R.PackedFunc`. */
  readonly packed?: boolean;
  readonly span?: Span;
}

export type StructInfo = ObjectSInfo | PrimSInfo | ShapeSInfo | TensorSInfo | TupleSInfo | FuncSInfo;

// ---------------------------------------------------------------- expressions

/** A Relax variable. `DataflowVar`s are local to their dataflow block. */
export interface RelaxVar {
  readonly kind: 'relax.Var' | 'relax.DataflowVar';
  readonly name: string;
  /** Annotated or inferred; ObjectSInfo when nothing is known. */
  readonly sinfo: StructInfo;
  readonly span?: Span;
}

export interface GlobalVar {
  readonly kind: 'relax.GlobalVar';
  readonly name: string;
  readonly span?: Span;
}

/** A registered operator, by TVM name: "relax.nn.conv2d", "relax.call_tir", ... */
export interface Op {
  readonly kind: 'relax.Op';
  readonly name: string;
  readonly span?: Span;
}

export interface ExternFunc {
  readonly kind: 'relax.ExternFunc';
  readonly globalSymbol: string;
  readonly span?: Span;
}

export interface Call {
  readonly kind: 'relax.Call';
  readonly op: Op | GlobalVar | ExternFunc | RelaxVar;
  readonly args: readonly Expr[];
  /** Op attributes by Python keyword name, in the op's signature order; null for calls without attrs. */
  readonly attrs: AttrDict | null;
  /** `out_ty` / `ty_args` (classic `out_sinfo` / `sinfo_args`). */
  readonly sinfoArgs: readonly StructInfo[];
  /**
   * The source bindings (graph nodes, by var name) this call was made from, set by compiler passes so that
   * timings and errors land on the right nodes. Ignored by equality; not printed.
   */
  readonly provenance?: readonly string[];
  readonly span?: Span;
}

export interface Tuple {
  readonly kind: 'relax.Tuple';
  readonly fields: readonly Expr[];
  readonly span?: Span;
}

export interface TupleGetItem {
  readonly kind: 'relax.TupleGetItem';
  readonly tuple: Expr;
  readonly index: number;
  readonly span?: Span;
}

/**
 * A constant tensor. Scalars (and small literal lists) carry `data`; constants printed as
 * `metadata["relax.expr.Constant"][i]` carry `metaRef` instead and are kept verbatim.
 */
export interface Constant {
  readonly kind: 'relax.Constant';
  readonly dtype: DataType;
  /** Known shape; undefined for a metadata reference whose shape the text does not say. */
  readonly shape?: readonly number[];
  readonly data?: readonly (number | boolean)[];
  readonly metaRef?: { readonly key: string; readonly index: number };
  readonly span?: Span;
}

export interface ShapeExpr {
  readonly kind: 'relax.ShapeExpr';
  readonly values: readonly PrimExpr[];
  readonly span?: Span;
}

export interface PrimValue {
  readonly kind: 'relax.PrimValue';
  readonly value: PrimExpr;
  readonly span?: Span;
}

export interface StringImm {
  readonly kind: 'relax.StringImm';
  readonly value: string;
  readonly span?: Span;
}

export interface DataTypeImm {
  readonly kind: 'relax.DataTypeImm';
  readonly value: DataType;
  readonly span?: Span;
}

export interface If {
  readonly kind: 'relax.If';
  readonly cond: Expr;
  readonly trueBranch: SeqExpr;
  readonly falseBranch: SeqExpr;
  readonly span?: Span;
}

export interface SeqExpr {
  readonly kind: 'relax.SeqExpr';
  readonly blocks: readonly BindingBlock[];
  readonly body: Expr;
  readonly span?: Span;
}

export interface RelaxFunction {
  readonly kind: 'relax.Function';
  readonly params: readonly RelaxVar[];
  readonly body: SeqExpr;
  /** The return annotation; always printed. */
  readonly retSInfo: StructInfo;
  readonly isPure: boolean;
  readonly isPrivate: boolean;
  readonly attrs?: AttrDict;
  /** Symbolic vars declared PEP 695 style (`def f[M](...)`); printed back in that style when non-empty. */
  readonly typeParams?: readonly TirVar[];
  readonly span?: Span;
}

export type Expr =
  | RelaxVar | GlobalVar | Op | ExternFunc | Call | Tuple | TupleGetItem | Constant | ShapeExpr | PrimValue
  | StringImm | DataTypeImm | If | SeqExpr | RelaxFunction;

// ---------------------------------------------------------------- bindings

export interface VarBinding {
  readonly kind: 'relax.VarBinding';
  readonly v: RelaxVar;
  readonly value: Expr;
  /** The annotation written on the binding, when there was one (kept so unknown ops print back unchanged). */
  readonly annotated?: boolean;
  readonly span?: Span;
}

export interface MatchCast {
  readonly kind: 'relax.MatchCast';
  readonly v: RelaxVar;
  readonly value: Expr;
  readonly sinfo: StructInfo;
  readonly span?: Span;
}

export type Binding = VarBinding | MatchCast;

export interface BindingBlock {
  readonly kind: 'relax.BindingBlock' | 'relax.DataflowBlock';
  readonly bindings: readonly Binding[];
  readonly span?: Span;
}

// ---------------------------------------------------------------- constructors

const OBJECT: ObjectSInfo = { kind: 'si.Object' };

export const SI = {
  object: (): ObjectSInfo => OBJECT,
  prim: (dtype: DataType, value?: PrimExpr): PrimSInfo => (value ? { kind: 'si.Prim', dtype, value } : { kind: 'si.Prim', dtype }),
  shape: (values: readonly PrimExpr[] | undefined, ndim?: number): ShapeSInfo =>
    values ? { kind: 'si.Shape', values, ndim: values.length } : { kind: 'si.Shape', ndim: ndim ?? -1 },
  /** A tensor with known dims. */
  tensor: (values: readonly PrimExpr[], dtype: DataType, vdevice?: string): TensorSInfo => ({
    kind: 'si.Tensor',
    shape: { kind: 'relax.ShapeExpr', values },
    dtype,
    ndim: values.length,
    ...(vdevice ? { vdevice } : {}),
  }),
  /** A tensor of known (or -1 unknown) rank only. */
  tensorNdim: (dtype: DataType, ndim: number, vdevice?: string): TensorSInfo => ({
    kind: 'si.Tensor',
    dtype,
    ndim,
    ...(vdevice ? { vdevice } : {}),
  }),
  tuple: (fields: readonly StructInfo[]): TupleSInfo => ({ kind: 'si.Tuple', fields }),
  func: (params: readonly StructInfo[] | undefined, ret: StructInfo, purity = true): FuncSInfo =>
    params ? { kind: 'si.Func', params, ret, purity } : { kind: 'si.Func', ret, purity },
};

/** The dims of a tensor struct info when its shape is a ShapeExpr, else undefined. */
export function tensorDims(si: StructInfo): readonly PrimExpr[] | undefined {
  if (si.kind !== 'si.Tensor' || !si.shape) return undefined;
  if (si.shape.kind === 'relax.ShapeExpr') return si.shape.values;
  const vs = si.shape.sinfo;
  return vs.kind === 'si.Shape' ? vs.values : undefined;
}

export function relaxVar(name: string, sinfo: StructInfo, dataflow = false, span?: Span): RelaxVar {
  return { kind: dataflow ? 'relax.DataflowVar' : 'relax.Var', name, sinfo, ...(span ? { span } : {}) };
}

export function op(name: string, span?: Span): Op {
  return { kind: 'relax.Op', name, ...(span ? { span } : {}) };
}

export function call(
  callee: Call['op'],
  args: readonly Expr[],
  attrs: AttrDict | null = null,
  sinfoArgs: readonly StructInfo[] = [],
  span?: Span,
): Call {
  return { kind: 'relax.Call', op: callee, args, attrs, sinfoArgs, ...(span ? { span } : {}) };
}

export function isRelaxVar(e: Expr): e is RelaxVar {
  return e.kind === 'relax.Var' || e.kind === 'relax.DataflowVar';
}

/** The struct info of a leaf expression without inference (vars and literals); undefined for calls. */
export function leafSInfo(e: Expr): StructInfo | undefined {
  switch (e.kind) {
    case 'relax.Var':
    case 'relax.DataflowVar':
      return e.sinfo;
    case 'relax.ShapeExpr':
      return SI.shape(e.values);
    case 'relax.PrimValue':
      return SI.prim(e.value.kind === 'tir.StringImm' ? 'handle' : e.value.dtype, e.value);
    case 'relax.StringImm':
    case 'relax.DataTypeImm':
      return SI.object();
    case 'relax.Constant':
      return e.shape
        ? SI.tensor(e.shape.map((d) => ({ kind: 'tir.IntImm', dtype: 'int64', value: d }) as PrimExpr), e.dtype)
        : SI.tensorNdim(e.dtype, -1);
    default:
      return undefined;
  }
}
