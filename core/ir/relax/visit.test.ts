import { describe, expect, it } from 'vitest';
import type { Expr } from './nodes.js';
import { SI, call, op } from './nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { binary, intImm, tvar } from '../tir/nodes.js';
import { collectVarUses, definableSymbolicVars, exprChildren, forEachBinding, freeSymbolicVars, tirExprVars } from './visit.js';
import { bind, block, dfBlock, fn, ifExpr, seq, tensor, v, vars } from '../verify/build.test-helpers.js';

const add = (...args: Expr[]): Expr => call(op('relax.add'), args);
const names = (vs: readonly { name: string }[]): string[] => vs.map((x) => x.name);

describe('forEachBinding', () => {
  it('visits blocks in order and If-branch bindings before the binding that receives the If', () => {
    const x = v('x');
    const c = v('c', SI.prim('bool'));
    const [a, t, e, y, z] = vars('a', 't', 'e', 'y', 'z');
    const f = fn(
      [x, c],
      seq([dfBlock(bind(a, add(x, x))), block(bind(y, ifExpr(c, seq([block(bind(t, add(a, a)))], t), seq([block(bind(e, add(x, a)))], e))), bind(z, add(y, y)))], z),
    );
    const seen: string[] = [];
    forEachBinding(f, (b, blk) => seen.push(`${b.v.name}:${blk.kind === 'relax.DataflowBlock' ? 'df' : 'plain'}`));
    expect(seen).toEqual(['a:df', 't:plain', 'e:plain', 'y:plain', 'z:plain']);
  });

  it('does not enter nested functions', () => {
    const p = v('p');
    const r = v('r');
    const g = v('g', SI.func([tensor([4])], tensor([4])));
    const f = fn([], seq([block(bind(g, fn([p], seq([block(bind(r, add(p, p)))], r))))], g));
    const seen: string[] = [];
    forEachBinding(f, (b) => seen.push(b.v.name));
    expect(seen).toEqual(['g']);
  });
});

describe('exprChildren', () => {
  it('returns callee then args, tuple fields, If parts, SeqExpr values then body', () => {
    const x = v('x');
    const y = v('y');
    const c = add(x, y);
    expect(exprChildren(c)).toEqual([op('relax.add'), x, y]);
    expect(exprChildren({ kind: 'relax.Tuple', fields: [x, y] })).toEqual([x, y]);
    const s = seq([block(bind(y, c))], y);
    expect(exprChildren(s)).toEqual([c, y]);
    const i = ifExpr(x, s, s);
    expect(exprChildren(i)).toEqual([x, s, s]);
    expect(exprChildren({ kind: 'relax.ShapeExpr', values: [intImm(1)] })).toEqual([]);
  });
});

describe('collectVarUses', () => {
  it('returns free vars once, in first-use order, excluding vars bound inside', () => {
    const [x, y, inner, p] = vars('x', 'y', 'inner', 'p');
    const s = seq([block(bind(inner, add(y, x)))], add(inner, x));
    expect(names(collectVarUses(s))).toEqual(['y', 'x']);
    const lam = fn([p], seq([], add(p, y)));
    expect(names(collectVarUses(lam))).toEqual(['y']);
    expect(names(collectVarUses(add(x, x, y)))).toEqual(['x', 'y']);
  });
});

describe('symbolic vars', () => {
  it('freeSymbolicVars lists every var of a struct info; definable ones are only bare dims', () => {
    const n = tvar('n');
    const m = tvar('m');
    const k = tvar('k');
    const si = SI.tuple([tensor([n, 4]), SI.shape([binary('mul', m, intImm(2))]), SI.prim('int64', k), tensor([n])]);
    expect(names(freeSymbolicVars(si))).toEqual(['n', 'm', 'k']);
    expect(names(definableSymbolicVars(si))).toEqual(['n', 'k']);
  });

  it('tirExprVars excludes let-bound vars inside the let body only', () => {
    const a = tvar('a');
    const b = tvar('b');
    const t = tvar('t');
    const letE: PrimExpr = { kind: 'tir.Let', v: t, value: binary('add', a, b), body: binary('mul', t, t), dtype: 'int64' };
    expect(names(tirExprVars(binary('add', letE, t)))).toEqual(['a', 'b', 't']);
    expect(names(tirExprVars(letE))).toEqual(['a', 'b']);
  });
});
