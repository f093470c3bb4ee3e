/**
 * TIR: the tensor-level IR that LegalizeOps produces and the kernels run. Nodes are immutable plain objects with a
 * `kind` discriminant; identity matters only for variables and buffers (definitions), which structural equality maps
 * positionally (alpha-equivalence), as TVM does. `span` is ignored by equality and hashing.
 */
import type { Span } from '../span.js';
import type { AttrDict } from '../attrs.js';

/** A TVM data type string: "float32", "int64", "bool", "handle", "float16x4", ... */
export type DataType = string;

// ---------------------------------------------------------------- expressions

export interface TirVar {
  readonly kind: 'tir.Var';
  readonly name: string;
  readonly dtype: DataType;
  /** `T.handle` params and `T.int64()` symbolic vars are both Vars. */
  readonly span?: Span;
}

export interface IntImm {
  readonly kind: 'tir.IntImm';
  readonly dtype: DataType;
  readonly value: number;
  readonly span?: Span;
}

export interface FloatImm {
  readonly kind: 'tir.FloatImm';
  readonly dtype: DataType;
  readonly value: number;
  readonly span?: Span;
}

export interface TirStringImm {
  readonly kind: 'tir.StringImm';
  readonly value: string;
  readonly span?: Span;
}

/** Binary operators. div/mod are TVM's truncated Div/Mod; floordiv/floormod are the Python `//` and `%`. */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'floordiv' | 'floormod' | 'min' | 'max'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or';

export interface Binary {
  readonly kind: 'tir.Binary';
  readonly op: BinaryOp;
  readonly a: PrimExpr;
  readonly b: PrimExpr;
  /** Result dtype: the operands' dtype for arithmetic, "bool" for comparisons and logic. */
  readonly dtype: DataType;
  readonly span?: Span;
}

export interface Not {
  readonly kind: 'tir.Not';
  readonly a: PrimExpr;
  readonly dtype: DataType;
  readonly span?: Span;
}

export interface Select {
  readonly kind: 'tir.Select';
  readonly cond: PrimExpr;
  readonly t: PrimExpr;
  readonly f: PrimExpr;
  readonly dtype: DataType;
  readonly span?: Span;
}

export interface Cast {
  readonly kind: 'tir.Cast';
  readonly dtype: DataType;
  readonly value: PrimExpr;
  readonly span?: Span;
}

/**
 * An intrinsic call: `T.exp(x)`, `T.if_then_else(c, a, b)`, `T.sqrt`, `T.call_extern(...)`, ... `op` is the
 * name without the `T.` prefix ("exp", "if_then_else", "erf", "pow", ...). Unknown intrinsics keep their name.
 */
export interface TirCall {
  readonly kind: 'tir.Call';
  readonly op: string;
  readonly args: readonly PrimExpr[];
  readonly dtype: DataType;
  readonly span?: Span;
}

export interface BufferLoad {
  readonly kind: 'tir.BufferLoad';
  readonly buffer: Buffer;
  readonly indices: readonly PrimExpr[];
  readonly dtype: DataType;
  readonly span?: Span;
}

export interface Let {
  readonly kind: 'tir.Let';
  readonly v: TirVar;
  readonly value: PrimExpr;
  readonly body: PrimExpr;
  readonly dtype: DataType;
  readonly span?: Span;
}

export type PrimExpr =
  | TirVar | IntImm | FloatImm | TirStringImm | Binary | Not | Select | Cast | TirCall | BufferLoad | Let;

// ---------------------------------------------------------------- buffers

export interface Buffer {
  readonly kind: 'tir.Buffer';
  readonly name: string;
  readonly dtype: DataType;
  readonly shape: readonly PrimExpr[];
  /** Empty for compact (row-major) buffers. */
  readonly strides: readonly PrimExpr[];
  /** "global" by default; "shared", "local", ... after GPU scheduling. */
  readonly scope: string;
  /** Other keyword arguments as written (`elem_offset`, `offset_factor`, `align`, `buffer_type`, ...), kept. */
  readonly extra?: AttrDict;
  readonly span?: Span;
}

export interface Range {
  readonly min: PrimExpr;
  readonly extent: PrimExpr;
}

export interface BufferRegion {
  readonly buffer: Buffer;
  /** One range per dimension; a point access `A[i]` is `{min: i, extent: 1}`. */
  readonly region: readonly Range[];
}

// ---------------------------------------------------------------- statements

export type ForKind = 'serial' | 'parallel' | 'vectorized' | 'unroll' | 'thread_binding';

export interface BufferStore {
  readonly kind: 'tir.BufferStore';
  readonly buffer: Buffer;
  readonly value: PrimExpr;
  readonly indices: readonly PrimExpr[];
  readonly span?: Span;
}

export interface For {
  readonly kind: 'tir.For';
  readonly loopVar: TirVar;
  readonly min: PrimExpr;
  readonly extent: PrimExpr;
  readonly forKind: ForKind;
  /** For thread_binding: "threadIdx.x", "blockIdx.x", ... */
  readonly threadTag?: string;
  readonly annotations?: AttrDict;
  readonly body: Stmt;
  readonly span?: Span;
}

export interface IfThenElse {
  readonly kind: 'tir.IfThenElse';
  readonly cond: PrimExpr;
  readonly then: Stmt;
  readonly else?: Stmt;
  readonly span?: Span;
}

export interface Evaluate {
  readonly kind: 'tir.Evaluate';
  readonly value: PrimExpr;
  readonly span?: Span;
}

export interface LetStmt {
  readonly kind: 'tir.LetStmt';
  readonly v: TirVar;
  readonly value: PrimExpr;
  readonly body: Stmt;
  readonly span?: Span;
}

export interface SeqStmt {
  readonly kind: 'tir.SeqStmt';
  readonly seq: readonly Stmt[];
  readonly span?: Span;
}

export interface AssertStmt {
  readonly kind: 'tir.AssertStmt';
  readonly cond: PrimExpr;
  readonly message: PrimExpr;
  readonly body: Stmt;
  readonly span?: Span;
}

export type IterType = 'spatial' | 'reduce' | 'scan' | 'opaque';

export interface IterVar {
  readonly v: TirVar;
  readonly dom: Range;
  readonly iterType: IterType;
}

/** `T.match_buffer(source_region, ...)` inside a block. */
export interface MatchBufferRegion {
  readonly buffer: Buffer;
  readonly source: BufferRegion;
}

export interface Block {
  readonly kind: 'tir.Block';
  readonly name: string;
  readonly iterVars: readonly IterVar[];
  readonly reads: readonly BufferRegion[];
  readonly writes: readonly BufferRegion[];
  readonly init?: Stmt;
  readonly allocBuffers: readonly Buffer[];
  readonly matchBuffers: readonly MatchBufferRegion[];
  readonly annotations?: AttrDict;
  readonly body: Stmt;
  readonly span?: Span;
}

/** A block with the values bound to its iter vars (`T.axis.remap`, `T.axis.spatial(extent, value)`). */
export interface BlockRealize {
  readonly kind: 'tir.BlockRealize';
  readonly iterValues: readonly PrimExpr[];
  readonly predicate: PrimExpr;
  readonly block: Block;
  readonly span?: Span;
}

export type Stmt =
  | BufferStore | For | IfThenElse | Evaluate | LetStmt | SeqStmt | AssertStmt | BlockRealize;

// ---------------------------------------------------------------- functions

export interface PrimFunc {
  readonly kind: 'tir.PrimFunc';
  /** Handle and scalar parameters, in order. */
  readonly params: readonly TirVar[];
  /** Handle params bound to buffers, by parameter index (T.Buffer annotations and T.match_buffer). */
  readonly bufferMap: ReadonlyMap<TirVar, Buffer>;
  /**
   * The body. For schedulable TIR (classic and s_tir) it is a BlockRealize of an implicit block named "root" that
   * holds the function's `T.alloc_buffer`s; the printer leaves that root block implicit.
   */
  readonly body: Stmt;
  readonly retType?: DataType;
  readonly attrs?: AttrDict;
  /** `@T.prim_func(private=True)`. */
  readonly isPrivate: boolean;
  /** `@T.prim_func(s_tir=True)` (v0.25+); printed back when set. */
  readonly sTir?: boolean;
  /** Source bindings (graph nodes) this kernel computes, set by LegalizeOps/FuseTIR. Ignored by equality. */
  readonly provenance?: readonly string[];
  readonly span?: Span;
}

// ---------------------------------------------------------------- constructors

export function tvar(name: string, dtype: DataType = 'int64', span?: Span): TirVar {
  return { kind: 'tir.Var', name, dtype, ...(span ? { span } : {}) };
}
export function intImm(value: number, dtype: DataType = 'int64', span?: Span): IntImm {
  return { kind: 'tir.IntImm', dtype, value, ...(span ? { span } : {}) };
}
export function floatImm(value: number, dtype: DataType = 'float32', span?: Span): FloatImm {
  return { kind: 'tir.FloatImm', dtype, value, ...(span ? { span } : {}) };
}
export function boolImm(value: boolean, span?: Span): IntImm {
  return intImm(value ? 1 : 0, 'bool', span);
}

const COMPARE_OR_LOGIC: ReadonlySet<BinaryOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or']);

/** Builds a binary node without simplification; the result dtype follows TVM (bool for comparisons). */
export function binary(op: BinaryOp, a: PrimExpr, b: PrimExpr, span?: Span): Binary {
  const dtype = COMPARE_OR_LOGIC.has(op) ? 'bool' : a.kind === 'tir.StringImm' ? 'handle' : primDtype(a);
  return { kind: 'tir.Binary', op, a, b, dtype, ...(span ? { span } : {}) };
}

export function isCompareOrLogic(op: BinaryOp): boolean {
  return COMPARE_OR_LOGIC.has(op);
}

export function primDtype(e: PrimExpr): DataType {
  return e.kind === 'tir.StringImm' ? 'handle' : e.dtype;
}

export function isIntDtype(dtype: DataType): boolean {
  return /^u?int\d+$/.test(dtype);
}
export function isFloatDtype(dtype: DataType): boolean {
  return /^(float|bfloat)\d+$/.test(dtype);
}
