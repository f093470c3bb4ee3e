/**
 * Expression-level inference (tuples, tuple items, op/packed/call_tir/GlobalVar calls, If) and the struct-info
 * utilities of sinfo.ts, table-driven where the cases share a shape.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr, GlobalVar, StructInfo } from './nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { call, op, relaxVar, SI } from './nodes.js';
import { inferExprSInfo } from './infer-impl.js';
import { eraseToWellDefined, isBaseOf, sinfoEqual, substituteShapeVars, unifySInfo } from './sinfo.js';
import { binary, intImm } from '../tir/nodes.js';
import { dims, k, m, n, showSInfo, tup, tv } from '../op/testing.js';

const T = (dtype: string, ...s: (number | PrimExpr)[]): StructInfo => SI.tensor(dims(...s), dtype);
const gv = (name: string): GlobalVar => ({ kind: 'relax.GlobalVar', name });
const callee = SI.func([T('float32', n, k), T('float32', k, m)], T('float32', n, m));

function run(e: Expr): { out: string; diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const si = inferExprSInfo(e, { lookupGlobal: (g) => (g === 'mm' ? callee : undefined), report: (d) => diags.push(d) });
  return { out: showSInfo(si), diags };
}

const x = tv([n, 4]);
const span = { start: 3, end: 9 } as never;

const ROWS: [string, Expr, string, string[]?][] = [
  ['tuple', tup(x, tv([2], 'int32')), 'R.Tuple(R.Tensor((n, 4), "float32"), R.Tensor((2,), "int32"))'],
  ['tuple item', { kind: 'relax.TupleGetItem', tuple: tup(x, tv([2])), index: 1 }, 'R.Tensor((2,), "float32")'],
  ['tuple item out of range', { kind: 'relax.TupleGetItem', tuple: tup(x), index: 3, span }, 'R.Any', ['I410']],
  ['nested op call', call(op('relax.nn.relu'), [call(op('relax.add'), [x, x])]), 'R.Tensor((n, 4), "float32")'],
  ['unknown op', call(op('relax.some.op'), [x]), 'R.Any'],
  ['call_tir', call(op('relax.call_tir'), [gv('f'), tup(x)], null, [T('float32', n, 8)]), 'R.Tensor((n, 8), "float32")'],
  ['call_tir, two outputs', call(op('relax.call_tir'), [gv('f'), tup(x)], null, [T('float32', 2), T('int32', 3)]),
    'R.Tuple(R.Tensor((2,), "float32"), R.Tensor((3,), "int32"))'],
  ['call_packed', call({ kind: 'relax.ExternFunc', globalSymbol: 'f' }, [x], null, [T('float32', 3)]), 'R.Tensor((3,), "float32")'],
  ['call_packed untyped', call({ kind: 'relax.ExternFunc', globalSymbol: 'f' }, [x]), 'R.Any'],
  ['call_pure_packed', call(op('relax.call_pure_packed'), [{ kind: 'relax.ExternFunc', globalSymbol: 'f' }, x], null, [T('int8', 1)]), 'R.Tensor((1,), "int8")'],
  ['GlobalVar call binds n, k, m', call(gv('mm'), [tv([2, 3]), tv([3, 5])]), 'R.Tensor((2, 5), "float32")'],
  ['GlobalVar call, symbolic args', call(gv('mm'), [tv([m, 3]), tv([3, binary('mul', n, intImm(2))])]), 'R.Tensor((m, n * 2), "float32")'],
  ['GlobalVar call, wrong arity', call(gv('mm'), [x], null, [], span), 'R.Tensor((n, m), "float32")', ['I415']],
  ['call of a function-typed var', call(relaxVar('f', callee), [tv([4, 3]), tv([3, 3])]), 'R.Tensor((4, 3), "float32")'],
  ['call of a tensor var', call(relaxVar('f', T('float32', 2)), [], null, [], span), 'R.Any', ['I414']],
  ['if: same shapes', ifOf(tv([n, 4]), tv([n, 4])), 'R.Tensor((n, 4), "float32")'],
  ['if: different dims', ifOf(tv([n, 4]), tv([n, 5])), 'R.Tensor("float32", ndim=2)'],
  ['if: different kinds', ifOf(tv([n]), tup()), 'R.Any'],
  ['shape_of', call(op('relax.shape_of'), [x]), 'R.Shape([n, 4])'],
];

function ifOf(a: Expr, b: Expr): Expr {
  const seq = (body: Expr): Expr => ({ kind: 'relax.SeqExpr', blocks: [], body });
  return { kind: 'relax.If', cond: tv([], 'bool'), trueBranch: seq(a), falseBranch: seq(b) } as Expr;
}

describe('inferExprSInfo', () => {
  it.each(ROWS.map((r) => [r[0], r] as const))('%s', (_l, [, e, expected, codes]) => {
    const { out, diags } = run(e);
    expect(out).toBe(expected);
    expect(diags.map((d) => d.code)).toEqual(codes ?? []);
    if (codes?.length) expect(diags[0]?.span).toBe(span);
  });
});

describe('sinfo utilities', () => {
  const a = T('float32', n, 4);
  it('sinfoEqual compares dims by proof', () => {
    expect(sinfoEqual(T('float32', binary('mul', n, intImm(2))), T('float32', binary('add', n, n)))).toBe(true);
    expect(sinfoEqual(a, T('float32', n, 5))).toBe(false);
  });
  it('isBaseOf follows the lattice', () => {
    expect(isBaseOf(SI.object(), a)).toBe(true);
    expect(isBaseOf(SI.tensorNdim('float32', 2), a)).toBe(true);
    expect(isBaseOf(SI.tensorNdim('', -1), a)).toBe(true);
    expect(isBaseOf(a, SI.tensorNdim('float32', 2))).toBe(false);
    expect(isBaseOf(T('int32', n, 4), a)).toBe(false);
  });
  it('unifySInfo keeps what both agree on', () => {
    expect(showSInfo(unifySInfo(a, T('float16', n, 4)))).toBe('R.Tensor((n, 4), "")');
    expect(showSInfo(unifySInfo(a, T('float32', n, 5)))).toBe('R.Tensor("float32", ndim=2)');
    expect(showSInfo(unifySInfo(SI.tuple([a]), SI.tuple([a])))).toBe('R.Tuple(R.Tensor((n, 4), "float32"))');
  });
  it('eraseToWellDefined drops out-of-scope dims', () => {
    expect(showSInfo(eraseToWellDefined(a, (v) => v !== n))).toBe('R.Tensor("float32", ndim=2)');
    expect(eraseToWellDefined(a, () => true)).toBe(a);
  });
  it('substituteShapeVars simplifies what changed', () => {
    const out = substituteShapeVars(T('float32', binary('mul', n, m)), new Map([[n, intImm(3)], [m, intImm(4)]]));
    expect(showSInfo(out)).toBe('R.Tensor((12,), "float32")');
  });
});
