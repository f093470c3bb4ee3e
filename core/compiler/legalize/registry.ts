/**
 * The legalization registry: for each op name, a function that describes the op's kernel with the TE builder
 * (legalize/te.ts). Legalizers are registrations, one file per op category (`legalize/<category>.ts`), imported for
 * their side effects by `legalize/all.ts`; the LegalizeOps pass (passes/legalize-ops.ts) does the rest: kernel-local
 * symbolic vars, scalar parameters, deduplication, naming, provenance and the `call_tir` rewrite.
 *
 * A legalizer sees the call through a LegalizeCtx: tensor inputs as TE placeholders whose symbolic dims are
 * kernel-local vars (fresh per kernel, as TVM's PrimFuncs have their own `n = T.int64()`), the output shape and
 * dtype from the call's inferred struct info, and attributes. It returns the kernel's inputs and outputs.
 */
import type { AttrValue } from '../../ir/attrs.js';
import type { Call, Expr, StructInfo } from '../../ir/relax/nodes.js';
import type { PrimExpr } from '../../ir/tir/nodes.js';
import type { TeTensor } from './te.js';

export interface LegalizeCtx {
  readonly call: Call;
  /** An attribute of the call (`Call.attrs`), undefined when absent. */
  attr(name: string): AttrValue | undefined;
  /** Number of expression arguments. */
  readonly argCount: number;
  /** The Relax struct info of argument i. */
  argSInfo(i: number): StructInfo;
  /** A placeholder for tensor argument i (its dims in kernel-local vars). Each call creates a new kernel input. */
  input(i: number, name?: string): TeTensor;
  /** Placeholders for the fields of a tuple argument (`R.concat((a, b))`), one kernel input each. */
  inputTuple(i: number, name?: string): TeTensor[];
  /** The value of a PrimValue argument (`R.clip(x, 0, 6)`), in kernel-local vars; undefined if not a PrimValue. */
  primArg(i: number): PrimExpr | undefined;
  /** The values of a ShapeExpr argument (or of a shape-typed var with known values), in kernel-local vars. */
  shapeArg(i: number): PrimExpr[] | undefined;
  /** Output dims (field `i` of a tuple result), in kernel-local vars. */
  outShape(i?: number): PrimExpr[];
  outDtype(i?: number): string;
  /** Number of outputs (1 unless the result is a tuple). */
  readonly outCount: number;
  /** Maps any Relax-side PrimExpr into kernel-local vars. */
  prim(e: PrimExpr): PrimExpr;
  /** Declines with a reason (shown to the user at the binding); returns undefined for `return ctx.fail(...)`. */
  fail(reason: string): undefined;
}

export interface LegalizedKernel {
  /** PrimFunc name hint: "relu", "conv2d", "softmax" (TVM's names). */
  readonly name: string;
  /** Kernel inputs, in parameter order; each from ctx.input / ctx.inputTuple. */
  readonly inputs: readonly TeTensor[];
  /** Kernel outputs (one per output of the op), computed with te.compute. */
  readonly outputs: readonly TeTensor[];
  /** A pure reshape/copy kernel that RewriteDataflowReshape may turn back into `R.reshape`. */
  readonly reshape?: boolean;
}

export type Legalizer = (ctx: LegalizeCtx) => LegalizedKernel | undefined;

const LEGALIZERS = new Map<string, Legalizer>();

/** Registers the legalizer of an op ("relax.nn.relu"). */
export function registerLegalize(op: string, fn: Legalizer): void {
  LEGALIZERS.set(op, fn);
}

export function lookupLegalize(op: string): Legalizer | undefined {
  return LEGALIZERS.get(op);
}

/** Names of ops with a legalizer (for tests that check the shortlist is covered). */
export function legalizedOps(): string[] {
  return [...LEGALIZERS.keys()];
}

/** The argument expression behind a placeholder, for the driver. @internal */
export interface InputBinding {
  readonly tensor: TeTensor;
  readonly arg: Expr;
}
