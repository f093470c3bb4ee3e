/**
 * Tiny hand builders for verifier tests: enough to write Relax functions and PrimFuncs as nested calls without a
 * parser. Test-only (imported by *.test.ts in this folder); not part of the product API.
 * @internal
 */
import type { Span } from '../span.js';
import type { AttrDict } from '../attrs.js';
import type { BaseFunc, IRModule } from '../module.js';
import { irModule } from '../module.js';
import type {
  Binding, BindingBlock, Expr, GlobalVar, If, MatchCast, RelaxFunction, RelaxVar, SeqExpr, StructInfo, VarBinding,
} from '../relax/nodes.js';
import { SI, relaxVar } from '../relax/nodes.js';
import type { Block, BlockRealize, Buffer, IterVar, PrimExpr, PrimFunc, Stmt, TirVar } from '../tir/nodes.js';
import { boolImm, intImm, tvar } from '../tir/nodes.js';

export const sp = (start: number, end = start + 1): Span => ({ start, end });

/** A float32 tensor struct info with constant or symbolic dims. */
export function tensor(dims: readonly (number | PrimExpr)[], dtype = 'float32'): StructInfo {
  return SI.tensor(dims.map((d) => (typeof d === 'number' ? intImm(d) : d)), dtype);
}

export const v = (name: string, sinfo: StructInfo = tensor([4])): RelaxVar => relaxVar(name, sinfo);
/** Several plain vars at once: `const [a, b] = vars('a', 'b')`. */
export function vars<const T extends readonly string[]>(...names: T): { [K in keyof T]: RelaxVar } {
  return names.map((n) => v(n)) as { [K in keyof T]: RelaxVar };
}
export const dv = (name: string, sinfo: StructInfo = tensor([4])): RelaxVar => relaxVar(name, sinfo, true);
export const gv = (name: string, span?: Span): GlobalVar => ({ kind: 'relax.GlobalVar', name, ...(span ? { span } : {}) });

export function bind(x: RelaxVar, value: Expr, span?: Span): VarBinding {
  return { kind: 'relax.VarBinding', v: x, value, ...(span ? { span } : {}) };
}

export function matchCast(x: RelaxVar, value: Expr, sinfo: StructInfo, span?: Span): MatchCast {
  return { kind: 'relax.MatchCast', v: x, value, sinfo, ...(span ? { span } : {}) };
}

export const block = (...bindings: Binding[]): BindingBlock => ({ kind: 'relax.BindingBlock', bindings });
export const dfBlock = (...bindings: Binding[]): BindingBlock => ({ kind: 'relax.DataflowBlock', bindings });

export function seq(blocks: readonly BindingBlock[], body: Expr, span?: Span): SeqExpr {
  return { kind: 'relax.SeqExpr', blocks, body, ...(span ? { span } : {}) };
}

export function ifExpr(cond: Expr, t: SeqExpr, f: SeqExpr, span?: Span): If {
  return { kind: 'relax.If', cond, trueBranch: t, falseBranch: f, ...(span ? { span } : {}) };
}

export interface FnOpts {
  readonly ret?: StructInfo;
  readonly isPure?: boolean;
  readonly attrs?: AttrDict;
  readonly typeParams?: readonly TirVar[];
  readonly span?: Span;
}

export function fn(params: readonly RelaxVar[], body: SeqExpr, opts: FnOpts = {}): RelaxFunction {
  return {
    kind: 'relax.Function',
    params,
    body,
    retSInfo: opts.ret ?? SI.object(),
    isPure: opts.isPure ?? true,
    isPrivate: false,
    ...(opts.attrs ? { attrs: opts.attrs } : {}),
    ...(opts.typeParams ? { typeParams: opts.typeParams } : {}),
    ...(opts.span ? { span: opts.span } : {}),
  };
}

export function mod(fns: Record<string, BaseFunc>): IRModule {
  return irModule('Module', new Map(Object.entries(fns)));
}

// ---------------------------------------------------------------- TIR

export function buffer(name: string, shape: readonly (number | PrimExpr)[], dtype = 'float32'): Buffer {
  const dims = shape.map((d) => (typeof d === 'number' ? intImm(d) : d));
  return { kind: 'tir.Buffer', name, dtype, shape: dims, strides: [], scope: 'global' };
}

export function primFunc(bufs: readonly Buffer[], body: Stmt, scalars: readonly TirVar[] = [], span?: Span): PrimFunc {
  const handles = bufs.map((b) => tvar(b.name.toLowerCase(), 'handle'));
  return {
    kind: 'tir.PrimFunc',
    params: [...handles, ...scalars],
    bufferMap: new Map(handles.map((h, i) => [h, bufs[i]!])),
    body,
    isPrivate: false,
    ...(span ? { span } : {}),
  };
}

export function forLoop(loopVar: TirVar, extent: PrimExpr, body: Stmt): Stmt {
  return { kind: 'tir.For', loopVar, min: intImm(0), extent, forKind: 'serial', body };
}

export function blockRealize(name: string, iters: readonly IterVar[], values: readonly PrimExpr[], body: Stmt, extra: Partial<Block> = {}): BlockRealize {
  const blk: Block = { kind: 'tir.Block', name, iterVars: iters, reads: [], writes: [], allocBuffers: [], matchBuffers: [], body, ...extra };
  return { kind: 'tir.BlockRealize', iterValues: values, predicate: boolImm(true), block: blk };
}

export function spatial(x: TirVar, extent: PrimExpr): IterVar {
  return { v: x, dom: { min: intImm(0), extent }, iterType: 'spatial' };
}
