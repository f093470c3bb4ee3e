import { describe, expect, it, beforeAll } from 'vitest';
import { verifyModule } from './well-formed.js';
import { WF_CODES } from './codes-wf.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Expr, RelaxVar, StructInfo } from '../relax/nodes.js';
import { SI, call, op } from '../relax/nodes.js';
import type { PrimExpr, Stmt } from '../tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../tir/nodes.js';
import { attrDict, A } from '../attrs.js';
import { registerOp } from '../op/registry.js';
import {
  block, blockRealize, bind, buffer, dfBlock, dv, fn, forLoop, gv, ifExpr, matchCast, mod, primFunc, seq, sp,
  spatial, tensor, v, vars,
} from './build.test-helpers.js';

// Test-only ops with fixed purity, so these tests do not depend on which real ops are registered.
const PURE = 'relax.wf_test.pure';
const IMPURE = 'relax.wf_test.impure';
beforeAll(() => {
  registerOp({ name: PURE, category: 'test', params: [], pure: true });
  registerOp({ name: IMPURE, category: 'test', params: [], pure: false });
});
const pure = (...args: Expr[]): Expr => call(op(PURE), args);
const impure = (...args: Expr[]): Expr => call(op(IMPURE), args);
const tuple = (...fields: Expr[]): Expr => ({ kind: 'relax.Tuple', fields });
const callTir = (f: string, args: readonly Expr[], out: readonly StructInfo[], attrs = null as ReturnType<typeof attrDict> | null): Expr =>
  call(op('relax.call_tir'), [gv(f), tuple(...args)], attrs, out);
const extern = (name: string, ...args: Expr[]): Expr => call({ kind: 'relax.ExternFunc', globalSymbol: name }, args);

const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);

/** B[i] = A[i] + 1 over 4 elements, as a block. */
function addOneKernel(n: PrimExpr = intImm(4)) {
  const A = buffer('A', [n]);
  const B = buffer('B', [n]);
  const i = tvar('i');
  const vi = tvar('vi');
  const store: Stmt = {
    kind: 'tir.BufferStore',
    buffer: B,
    indices: [vi],
    value: binary('add', { kind: 'tir.BufferLoad', buffer: A, indices: [vi], dtype: 'float32' }, floatImm(1)),
  };
  const body = forLoop(i, n, blockRealize('compute', [spatial(vi, n)], [i], store));
  return { A, B, f: primFunc([A, B], blockRealize('root', [], [], body)) };
}

function validModule() {
  const n = tvar('n');
  const x = v('x', tensor([n, 4]));
  const lv0 = dv('lv0', tensor([n, 4]));
  const lv1 = dv('lv1', tensor([n, 4]));
  const gv0 = v('gv0', tensor([n, 4]));
  const c = v('c', SI.prim('bool'));
  const t1 = v('t1', tensor([n, 4]));
  const e1 = v('e1', tensor([n, 4]));
  const y = v('y', tensor([n, 4]));
  const m = tvar('m');
  const z = v('z', tensor([m]));
  const tup = v('tup', SI.tuple([tensor([n, 4]), tensor([m])]));
  const first = v('first', tensor([n, 4]));
  const main = fn(
    [x, c],
    seq(
      [
        dfBlock(bind(lv0, callTir('add_one', [x], [tensor([n, 4])])), bind(lv1, pure(lv0)), bind(gv0, pure(lv1))),
        block(
          bind(y, ifExpr(c, seq([block(bind(t1, pure(gv0)))], t1), seq([block(bind(e1, pure(x)))], e1))),
          matchCast(z, pure(y), tensor([m])),
          bind(tup, tuple(y, z)),
          bind(first, { kind: 'relax.TupleGetItem', tuple: tup, index: 0 }),
        ),
      ],
      first,
    ),
    { ret: tensor([n, 4]) },
  );
  return mod({ add_one: addOneKernel().f, main });
}

describe('verifyModule: valid input', () => {
  it('reports nothing for a well-formed module with dataflow, If, match_cast, call_tir and TIR', () => {
    expect(verifyModule(validModule())).toEqual([]);
  });

  it('every WF code in the catalog has a rule sentence and a title', () => {
    for (const [code, info] of Object.entries(WF_CODES)) {
      expect(code).toMatch(/^WF\d\d$/);
      expect(info.doc.endsWith('.')).toBe(true);
      expect(info.title.length).toBeGreaterThan(0);
    }
  });

  it('accepts closures that capture outer vars, and PEP 695 type params', () => {
    const n = tvar('n');
    const x = v('x', tensor([4]));
    const p = v('p', tensor([4]));
    const r = v('r', tensor([4]));
    const inner = fn([p], seq([block(bind(r, pure(p, x)))], r), { ret: tensor([4]) });
    const f = v('f', SI.func([tensor([4])], tensor([4])));
    const out = v('out', tensor([n]));
    const main = fn([x], seq([block(bind(f, inner), bind(out, pure(x)))], out), { typeParams: [n] });
    expect(verifyModule(mod({ main }))).toEqual([]);
  });
});

describe('verifyModule: Relax rules', () => {
  it('WF01: a var used before its binding, and one never defined', () => {
    const x = v('x');
    const a = v('a');
    const b = v('b');
    const ghost = v('ghost');
    const main = fn([x], seq([block(bind(a, pure(b), sp(10, 20)), bind(b, pure(ghost, x), sp(30, 40)))], b));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF01', 'WF01']);
    expect(ds[0]!.span).toEqual(sp(10, 20));
    expect(ds[0]!.message).toMatch(/^Every Relax var must be defined .* However, `b` is used here/);
    expect(ds[1]!.span).toEqual(sp(30, 40));
  });

  it('WF01: a var bound inside an If branch does not escape it', () => {
    const c = v('c', SI.prim('bool'));
    const t = v('t');
    const e = v('e');
    const y = v('y');
    const z = v('z');
    const main = fn(
      [c],
      seq([block(bind(y, ifExpr(c, seq([block(bind(t, pure()))], t), seq([block(bind(e, pure()))], e))), bind(z, pure(t), sp(5)))], z),
    );
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF01']);
    expect(ds[0]!.message).toContain('a scope that has ended');
  });

  it('WF02: a DataflowVar used in a later block and returned', () => {
    const x = v('x');
    const lv = dv('lv');
    const y = v('y');
    const main = fn([x], seq([dfBlock(bind(lv, pure(x))), block(bind(y, pure(lv), sp(50, 60)))], lv, sp(70, 80)));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF02', 'WF02']);
    expect(ds.map((d) => d.span)).toEqual([sp(50, 60), sp(70, 80)]);
  });

  it('WF03: the same var object bound twice, and a param rebound', () => {
    const x = v('x');
    const a = v('a');
    const main = fn([x], seq([block(bind(a, pure(x)), bind(a, pure(a), sp(3)), bind(x, pure(a), sp(4)))], a));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF03', 'WF03']);
    expect(ds.map((d) => d.span)).toEqual([sp(3), sp(4)]);
  });

  it('WF04: a DataflowVar bound outside a dataflow block', () => {
    const x = v('x');
    const lv = dv('lv');
    const main = fn([x], seq([block(bind(lv, pure(x), sp(9)))], x));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF04']);
    expect(ds[0]!.span).toEqual(sp(9));
  });

  it('WF05: impure op, packed call and impure function call inside dataflow', () => {
    const x = v('x');
    const [a, b, c, d] = vars('a', 'b', 'c', 'd');
    const helperRet = v('r');
    const helper = fn([], seq([block(bind(helperRet, extern('ext')))], helperRet), { isPure: false });
    const main = fn(
      [x],
      seq([dfBlock(bind(a, impure(x), sp(1)), bind(b, extern('vm.builtin.copy', a), sp(2)), bind(c, call(gv('helper'), []), sp(3)), bind(d, call(op('relax.print'), [c]), sp(4)))], d),
      { attrs: attrDict([['relax.force_pure', true]]) },
    );
    const ds = verifyModule(mod({ helper, main }));
    expect(codes(ds)).toEqual(['WF05', 'WF05', 'WF05', 'WF05']);
    expect(ds.map((x) => x.span)).toEqual([sp(1), sp(2), sp(3), sp(4)]);
    expect(ds[1]!.message).toContain('R.call_packed("vm.builtin.copy")');
  });

  it('WF06: impure call in a pure function, but not with force_pure or pure=False', () => {
    const mk = (opts: Parameters<typeof fn>[2]) => {
      const x = v('x');
      const a = v('a');
      return fn([x], seq([block(bind(a, extern('print', x), sp(7)))], a), opts);
    };
    const ds = verifyModule(mod({ main: mk({}) }));
    expect(codes(ds)).toEqual(['WF06']);
    expect(ds[0]!.span).toEqual(sp(7));
    expect(verifyModule(mod({ main: mk({ attrs: attrDict([['relax.force_pure', true]]) }) }))).toEqual([]);
    expect(verifyModule(mod({ main: mk({ isPure: false }) }))).toEqual([]);
  });

  it('WF07: an If inside a dataflow block', () => {
    const c = v('c', SI.prim('bool'));
    const y = dv('y');
    const out = v('out');
    const main = fn([c], seq([dfBlock(bind(y, ifExpr(c, seq([], c), seq([], c)), sp(11)), bind(out, pure(y)))], out));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF07']);
    expect(ds[0]!.span).toEqual(sp(11));
  });

  it('WF08: If branches with different dtype, ndim or tuple length; R.Any is compatible with all', () => {
    const c = v('c', SI.prim('bool'));
    const branchIf = (a: StructInfo, b: StructInfo, span: number) => {
      const ta = v('ta', a);
      const tb = v('tb', b);
      return ifExpr(c, seq([block(bind(ta, pure()))], ta), seq([block(bind(tb, pure()))], tb), sp(span));
    };
    const y1 = v('y1', SI.object());
    const y2 = v('y2', SI.object());
    const y3 = v('y3', SI.object());
    const y4 = v('y4', SI.object());
    const main = fn(
      [c],
      seq(
        [
          block(
            bind(y1, branchIf(tensor([4]), tensor([4], 'int32'), 1)),
            bind(y2, branchIf(tensor([4]), tensor([4, 4]), 2)),
            bind(y3, branchIf(SI.tuple([tensor([4])]), SI.tuple([]), 3)),
            bind(y4, branchIf(SI.object(), tensor([4]), 4)),
          ),
        ],
        y4,
      ),
    );
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF08', 'WF08', 'WF08']);
    expect(ds.map((d) => d.span)).toEqual([sp(1), sp(2), sp(3)]);
    expect(ds[0]!.message).toContain('the dtype is "float32" in the then branch and "int32" in the else branch');
  });

  it('WF09: a GlobalVar naming no function', () => {
    const x = v('x');
    const a = v('a');
    const main = fn([x], seq([block(bind(a, call(gv('nowhere'), [x]), sp(12)))], a));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF09']);
    expect(ds[0]!.message).toContain('`nowhere`');
    expect(ds[0]!.span).toEqual(sp(12));
  });

  it('WF09 (not WF10) for call_tir to a missing function', () => {
    const x = v('x');
    const a = v('a');
    const main = fn([x], seq([block(bind(a, callTir('missing', [x], [tensor([4])])))], a));
    expect(codes(verifyModule(mod({ main })))).toEqual(['WF09']);
  });

  it('WF10: call_tir to a Relax function, wrong parameter count, non-GlobalVar callee', () => {
    const x = v('x');
    const [a, b, c, d] = vars('a', 'b', 'c', 'd');
    const helperP = v('p');
    const helper = fn([helperP], seq([], helperP));
    const badCallee = call(op('relax.call_tir'), [x, tuple(x)], null, [tensor([4])]);
    const main = fn(
      [x],
      seq(
        [
          block(
            bind(a, callTir('helper', [x], [tensor([4])]), sp(1)),
            bind(b, callTir('add_one', [x, x], [tensor([4])]), sp(2)),
            bind(c, badCallee, sp(3)),
            bind(d, callTir('add_one', [x], [tensor([4])])),
          ),
        ],
        d,
      ),
    );
    const ds = verifyModule(mod({ add_one: addOneKernel().f, helper, main }));
    expect(codes(ds)).toEqual(['WF10', 'WF10', 'WF10']);
    expect(ds.map((x) => x.span)).toEqual([sp(1), sp(2), sp(3)]);
    expect(ds[1]!.message).toContain('should take 3 parameter(s), but it takes 2');
  });

  it('WF10: call_tir_inplace counts in-place outputs once; symbolic PrimValue args count as params', () => {
    const x = v('x');
    const a = v('a');
    const b = v('b');
    const n = tvar('n');
    const inplace = call(op('relax.call_tir_inplace'), [gv('add_one'), tuple(x, x)], attrDict([['inplace_indices', A.ints([0])]]), [tensor([4])]);
    const { A: bufA, B: bufB } = addOneKernel();
    const withScalar = primFunc([bufA, bufB], { kind: 'tir.Evaluate', value: intImm(0) }, [n]);
    const pv: Expr = { kind: 'relax.PrimValue', value: intImm(4) };
    const main = fn([x], seq([block(bind(a, inplace), bind(b, callTir('scalar', [x, pv], [tensor([4])])))], b));
    expect(verifyModule(mod({ add_one: addOneKernel().f, scalar: withScalar, main }))).toEqual([]);
  });

  it('WF11: symbolic vars must be defined by the signature, type params or an earlier match_cast', () => {
    const n = tvar('n');
    const m = tvar('m');
    const k = tvar('k');
    const x = v('x', tensor([n]));
    const y = v('y', tensor([binary('mul', k, intImm(2))]));
    const a = v('a', tensor([m]));
    const b = v('b', tensor([m]));
    const shape: Expr = { kind: 'relax.ShapeExpr', values: [n, m] };
    const s = v('s', SI.shape([n, m]));
    const main = fn([x, y], seq([block(bind(a, pure(x), sp(1)), matchCast(b, x, tensor([m]), sp(2)), bind(s, shape, sp(3)))], b));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF11', 'WF11']);
    expect(ds[0]!.message).toContain('`k`');
    expect(ds[1]!.message).toContain('`m`');
    expect(ds[1]!.span).toEqual(sp(1));
  });

  it('WF14: DataflowVar params and duplicate param names', () => {
    const p = dv('p');
    const x1 = v('x');
    const x2 = { ...v('x'), span: sp(8) };
    const main = fn([p, x1, x2], seq([], x1));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF14', 'WF14']);
    expect(ds[1]!.span).toEqual(sp(8));
  });

  it('WF15: the return value disagrees with the declared return struct info', () => {
    const x = v('x', tensor([4]));
    const main = fn([x], seq([], x, sp(20, 30)), { ret: tensor([4], 'int32') });
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF15']);
    expect(ds[0]!.span).toEqual(sp(20, 30));
    const ok = fn([x], seq([], x), { ret: SI.tensorNdim('', -1) });
    expect(verifyModule(mod({ main: ok }))).toEqual([]);
  });

  it('WF16: an annotation that provably disagrees with the value', () => {
    const x = v('x', tensor([4]));
    const y = v('y', tensor([5]));
    const z = v('z', SI.object());
    const main = fn([x], seq([block(bind(y, x, sp(4)), bind(z, x))], z));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF16']);
    expect(ds[0]!.message).toBe(
      "A binding's var struct info must be compatible with the struct info of its value. However, dimension 0 is 5 in the struct info of `y` and 4 in its value.",
    );
  });

  it('WF17: a tuple index out of range', () => {
    const t = v('t', SI.tuple([tensor([4]), tensor([4])]));
    const a = v('a');
    const main = fn([t], seq([block(bind(a, { kind: 'relax.TupleGetItem', tuple: t, index: 2 }, sp(6)))], a));
    const ds = verifyModule(mod({ main }));
    expect(codes(ds)).toEqual(['WF17']);
    expect(ds[0]!.span).toEqual(sp(6));
  });

  it('WF19: a module function called with the wrong number of arguments', () => {
    const p = v('p');
    const helper = fn([p], seq([], p));
    const x = v('x');
    const a = v('a');
    const main = fn([x], seq([block(bind(a, call(gv('helper'), [x, x]), sp(5)))], a));
    const ds = verifyModule(mod({ helper, main }));
    expect(codes(ds)).toEqual(['WF19']);
  });

  it('WF20: an If condition that is not a boolean scalar', () => {
    const mk = (condSInfo: StructInfo) => {
      const c = v('c', condSInfo);
      const y = v('y', SI.object());
      return fn([c], seq([block(bind(y, ifExpr(c, seq([], c), seq([], c)), sp(2)))], y));
    };
    const bad = verifyModule(mod({ main: mk(tensor([4], 'bool')) }));
    expect(codes(bad)).toEqual(['WF20']);
    expect(bad[0]!.span).toEqual(sp(2));
    expect(codes(verifyModule(mod({ main: mk(SI.prim('int64')) })))).toEqual(['WF20']);
    expect(verifyModule(mod({ main: mk(tensor([], 'bool')) }))).toEqual([]);
    expect(verifyModule(mod({ main: mk(SI.tensorNdim('', -1)) }))).toEqual([]);
  });

  it('reports every violation of one function, not just the first', () => {
    const x = v('x');
    const lv = dv('lv');
    const a = v('a');
    const b = v('b');
    const main = fn(
      [x],
      seq([dfBlock(bind(lv, extern('f', x))), block(bind(a, pure(lv)), bind(b, call(gv('nope'), [ghostVar()])), bind(a, pure()))], b),
    );
    expect(codes(verifyModule(mod({ main }))).sort()).toEqual(['WF01', 'WF02', 'WF03', 'WF05', 'WF09']);
  });
});

function ghostVar(): RelaxVar {
  return v('ghost');
}

describe('verifyModule: TIR rules', () => {
  it('WF12: undefined var, undefined buffer, wrong index count', () => {
    const A = buffer('A', [4]);
    const B = buffer('B', [4, 4]);
    const stray = buffer('Stray', [4]);
    const i = tvar('i');
    const j = tvar('j');
    const load = (buf: typeof A, idx: PrimExpr[]): PrimExpr => ({ kind: 'tir.BufferLoad', buffer: buf, indices: idx, dtype: 'float32' });
    const body: Stmt = forLoop(i, intImm(4), {
      kind: 'tir.SeqStmt',
      seq: [
        { kind: 'tir.BufferStore', buffer: A, indices: [j], value: load(stray, [i]), span: sp(1) },
        { kind: 'tir.BufferStore', buffer: B, indices: [i], value: load(A, [i]), span: sp(2) },
      ],
    });
    const ds = verifyModule(mod({ k: primFunc([A, B], body) }));
    expect(codes(ds)).toEqual(['WF12', 'WF12', 'WF12']);
    expect(ds.map((d) => d.span)).toEqual([sp(1), sp(1), sp(2)]);
    expect(ds[0]!.message).toContain('buffer `Stray`');
    expect(ds[1]!.message).toContain('var `j`');
    expect(ds[2]!.message).toContain('1 index(es) but the buffer has 2 dimension(s)');
  });

  it('WF12: buffer shape vars from the buffer map are defined; loop vars do not escape', () => {
    const n = tvar('n');
    const A = buffer('A', [n]);
    const i = tvar('i');
    const store = (idx: PrimExpr, span: number): Stmt => ({ kind: 'tir.BufferStore', buffer: A, indices: [idx], value: floatImm(0), span: sp(span) });
    const body: Stmt = { kind: 'tir.SeqStmt', seq: [forLoop(i, n, store(i, 1)), store(i, 2)] };
    const ds = verifyModule(mod({ k: primFunc([A], body) }));
    expect(codes(ds)).toEqual(['WF12']);
    expect(ds[0]!.span).toEqual(sp(2));
  });

  it('WF13 and WF18: block binding count, a loop var defined twice', () => {
    const A = buffer('A', [4]);
    const i = tvar('i');
    const vi = tvar('vi');
    const store: Stmt = { kind: 'tir.BufferStore', buffer: A, indices: [vi], value: floatImm(0) };
    const inner = { ...blockRealize('b', [spatial(vi, intImm(4))], [i, i], store), span: sp(3) };
    const body = forLoop(i, intImm(4), forLoop(i, intImm(4), inner));
    const ds = verifyModule(mod({ k: primFunc([A], body) }));
    expect(codes(ds)).toEqual(['WF18', 'WF13']);
    expect(ds[1]!.span).toEqual(sp(3));
  });

  it('skips TIR bodies with checkTir: false', () => {
    const A = buffer('A', [4]);
    const body: Stmt = { kind: 'tir.BufferStore', buffer: A, indices: [tvar('j')], value: floatImm(0) };
    const m = mod({ k: primFunc([A], body) });
    expect(codes(verifyModule(m))).toEqual(['WF12']);
    expect(verifyModule(m, { checkTir: false })).toEqual([]);
  });
});

describe('verifyModule: performance', () => {
  it('verifies a 10,000-binding function in well under 100 ms', () => {
    const x = v('x');
    const bindings = [];
    let prev: RelaxVar = x;
    for (let i = 0; i < 10_000; i++) {
      const next = i % 2 ? v(`v${i}`) : dv(`v${i}`);
      bindings.push(bind(next, pure(prev, x)));
      prev = next;
    }
    const last = v('last');
    bindings.push(bind(last, pure(prev)));
    const main = fn([x], seq([dfBlock(...bindings)], last), { ret: tensor([4]) });
    const m = mod({ main });
    expect(verifyModule(m)).toEqual([]);
  });
});
