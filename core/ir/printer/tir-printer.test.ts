import { describe, expect, it } from 'vitest';
import { printModule, printPrimExpr } from './index.js';
import { irModule } from '../module.js';
import { attrDict } from '../attrs.js';
import { binary, boolImm, floatImm, intImm, tvar } from '../tir/nodes.js';
import type {
  Block, BlockRealize, Buffer, BufferRegion, For, IterVar, PrimExpr, PrimFunc, Stmt, TirVar,
} from '../tir/nodes.js';

// ---------------------------------------------------------------- IR helpers

const i64 = (v: number): PrimExpr => intImm(v, 'int64');
const buf = (name: string, shape: PrimExpr[], dtype = 'float32', scope = 'global'): Buffer => ({
  kind: 'tir.Buffer', name, dtype, shape, strides: [], scope,
});
const load = (b: Buffer, ...indices: PrimExpr[]): PrimExpr => ({ kind: 'tir.BufferLoad', buffer: b, indices, dtype: b.dtype });
const store = (b: Buffer, value: PrimExpr, ...indices: PrimExpr[]): Stmt => ({ kind: 'tir.BufferStore', buffer: b, value, indices });
const loop = (v: TirVar, extent: PrimExpr, body: Stmt, extra: Partial<For> = {}): For => ({
  kind: 'tir.For', loopVar: v, min: i64(0), extent, forKind: 'serial', body, ...extra,
});
const point = (b: Buffer, ...idx: PrimExpr[]): BufferRegion => ({ buffer: b, region: idx.map((min) => ({ min, extent: i64(1) })) });
const iv = (v: TirVar, extent: PrimExpr, iterType: IterVar['iterType'] = 'spatial'): IterVar => ({
  v, dom: { min: i64(0), extent }, iterType,
});

function realize(block: Partial<Block> & { name: string; body: Stmt }, iterValues: PrimExpr[] = [], predicate: PrimExpr = boolImm(true)): BlockRealize {
  return {
    kind: 'tir.BlockRealize',
    iterValues,
    predicate,
    block: { kind: 'tir.Block', iterVars: [], reads: [], writes: [], allocBuffers: [], matchBuffers: [], ...block },
  };
}

function primFunc(params: TirVar[], buffers: Buffer[], body: Stmt, extra: Partial<PrimFunc> = {}): PrimFunc {
  const bufferMap = new Map<TirVar, Buffer>();
  buffers.forEach((b, i) => bufferMap.set(params[i]!, b));
  return { kind: 'tir.PrimFunc', params, bufferMap, body, isPrivate: true, attrs: attrDict([['tir.noalias', true]]), ...extra };
}

function printOnly(f: PrimFunc, classic = false): string {
  const text = printModule(irModule('Module', new Map([['f', f]])), classic ? { dialect: 'classic' } : {});
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('class '));
  return lines.slice(start + 1).map((l) => l.slice(4)).join('\n').trimEnd();
}

/** A 2x3 @ 3x4 matmul with a root-level scratch buffer, as LegalizeOps would produce. */
function matmul(): PrimFunc {
  const A = buf('A', [i64(2), i64(3)]);
  const B = buf('B', [i64(3), i64(4)]);
  const C = buf('matmul', [i64(2), i64(4)]);
  const tmp = buf('T_tmp', [i64(2)]);
  const [i0, i1, k] = [tvar('i0'), tvar('i1'), tvar('k')];
  const [v0, v1, vk] = [tvar('v0'), tvar('v1'), tvar('k')];
  const inner = realize(
    {
      name: 'matmul',
      iterVars: [iv(v0, i64(2)), iv(v1, i64(4)), iv(vk, i64(3), 'reduce')],
      reads: [point(A, v0, vk), point(B, vk, v1)],
      writes: [point(C, v0, v1)],
      init: store(C, floatImm(0, 'float32'), v0, v1),
      body: store(C, binary('add', load(C, v0, v1), binary('mul', load(A, v0, vk), load(B, vk, v1))), v0, v1),
    },
    [i0, i1, k],
  );
  const body = loop(i0, i64(2), loop(i1, i64(4), loop(k, i64(3), inner)));
  const root = realize({ name: 'root', allocBuffers: [tmp], body });
  return primFunc([tvar('A', 'handle'), tvar('B', 'handle'), tvar('matmul', 'handle')], [A, B, C], root);
}

describe('PrimFunc printing', () => {
  it('prints the v0.26 form: T.Buffer params, root elided, T.grid, remap, init', () => {
    expect(printOnly(matmul())).toBe(
      [
        '@T.prim_func(private=True)',
        'def f(A: T.Buffer((T.int64(2), T.int64(3)), "float32"), B: T.Buffer((T.int64(3), T.int64(4)), "float32"), matmul: T.Buffer((T.int64(2), T.int64(4)), "float32")):',
        '    T.func_attr({"tirx.noalias": True})',
        '    # with T.sblock("root"):',
        '    T_tmp = T.sblock_alloc_buffer((T.int64(2),))',
        '    for i0, i1, k in T.grid(T.int64(2), T.int64(4), T.int64(3)):',
        '        with T.sblock("matmul"):',
        '            v0, v1, k_1 = T.axis.remap("SSR", [i0, i1, k])',
        '            T.reads(A[v0, k_1], B[k_1, v1])',
        '            T.writes(matmul[v0, v1])',
        '            with T.init():',
        '                matmul[v0, v1] = T.float32(0.0)',
        '            matmul[v0, v1] = matmul[v0, v1] + A[v0, k_1] * B[k_1, v1]',
      ].join('\n'),
    );
  });

  it('prints the classic spelling', () => {
    const text = printOnly(matmul(), true);
    expect(text).toContain('T.func_attr({"tir.noalias": True})');
    expect(text).toContain('# with T.block("root"):');
    expect(text).toContain('T_tmp = T.alloc_buffer((T.int64(2),))');
    expect(text).toContain('with T.block("matmul"):');
    const full = printModule(irModule('Module', new Map([['f', matmul()]])), { dialect: 'classic' });
    expect(full.split('\n')[1]).toBe('# from tvm.script import tir as T');
  });

  it('prints symbolic buffers as handle + match_buffer with declared vars', () => {
    const n = tvar('n');
    const A = buf('A', [n, i64(4)]);
    const B = buf('B', [n, i64(4)], 'int32');
    const [i, j] = [tvar('i'), tvar('j')];
    const body = loop(i, n, loop(j, i64(4), store(B, { kind: 'tir.Cast', dtype: 'int32', value: load(A, i, j) }, i, j)));
    const f = primFunc([tvar('var_A', 'handle'), tvar('var_B', 'handle')], [A, B], body, { isPrivate: false, attrs: undefined });
    expect(printOnly(f)).toBe(
      [
        '@T.prim_func',
        'def f(var_A: T.handle, var_B: T.handle):',
        '    n = T.int64()',
        '    A = T.match_buffer(var_A, (n, T.int64(4)))',
        '    B = T.match_buffer(var_B, (n, T.int64(4)), "int32")',
        '    for i, j in T.grid(n, T.int64(4)):',
        '        B[i, j] = T.Cast("int32", A[i, j])',
      ].join('\n'),
    );
  });

  it('prints loop kinds, thread bindings, single iter vars, where, attrs, if/else, let, assert, evaluate', () => {
    const A = buf('A', [i64(8)]);
    const [bx, tx, vi] = [tvar('bx'), tvar('tx'), tvar('vi')];
    const x = tvar('x', 'int32');
    const blk = realize(
      {
        name: 'blk',
        iterVars: [iv(vi, i64(8))],
        reads: [],
        writes: [{ buffer: A, region: [{ min: i64(0), extent: i64(8) }] }],
        annotations: attrDict([['meta', intImm(1, 'int32')]]),
        body: {
          kind: 'tir.IfThenElse',
          cond: binary('lt', vi, i64(4)),
          then: store(A, floatImm(1, 'float32'), vi),
          else: {
            kind: 'tir.LetStmt',
            v: x,
            value: intImm(3, 'int32'),
            body: {
              kind: 'tir.AssertStmt',
              cond: binary('gt', x, intImm(0, 'int32')),
              message: { kind: 'tir.StringImm', value: 'x positive' },
              body: { kind: 'tir.Evaluate', value: intImm(0, 'int32') },
            },
          },
        },
      },
      [binary('add', binary('mul', bx, i64(4)), tx)],
      binary('lt', binary('add', binary('mul', bx, i64(4)), tx), i64(8)),
    );
    const body = loop(bx, i64(2), loop(tx, i64(4), blk, { forKind: 'thread_binding', threadTag: 'threadIdx.x' }), {
      forKind: 'parallel',
    });
    const f = primFunc([tvar('A', 'handle')], [A], body, { attrs: undefined, isPrivate: false, sTir: true });
    expect(printOnly(f)).toBe(
      [
        '@T.prim_func(s_tir=True)',
        'def f(A: T.Buffer((T.int64(8),), "float32")):',
        '    for bx in T.parallel(T.int64(2)):',
        '        for tx in T.thread_binding(T.int64(4), thread="threadIdx.x"):',
        '            with T.sblock("blk"):',
        '                vi = T.axis.spatial(T.int64(8), bx * T.int64(4) + tx)',
        '                T.where(bx * T.int64(4) + tx < T.int64(8))',
        '                T.reads()',
        '                T.writes(A[T.int64(0):T.int64(8)])',
        '                T.sblock_attr({"meta": T.int32(1)})',
        '                if vi < T.int64(4):',
        '                    A[vi] = T.float32(1.0)',
        '                else:',
        '                    x: T.int32 = 3',
        '                    assert x > 0, "x positive"',
        '                    T.evaluate(0)',
      ].join('\n'),
    );
  });
});

describe('loops, buffers and iter vars', () => {
  it('prints range sugar, T.serial with annotations, block match_buffer, scoped buffers and mixed iter vars', () => {
    const A = { ...buf('A', [i64(4), i64(8)]), strides: [i64(8), i64(1)], extra: attrDict([['offset_factor', i64(1)]]) };
    const S = buf('S', [i64(8)], 'float16', 'shared');
    const sub = buf('sub', [i64(8)]);
    const [i, j, k] = [tvar('i'), tvar('j'), tvar('k')];
    const [vi, vj, vk] = [tvar('vi'), tvar('vj'), tvar('vk')];
    const inner = realize(
      {
        name: 'b',
        iterVars: [iv(vi, i64(4)), { v: vj, dom: { min: i64(2), extent: i64(6) }, iterType: 'spatial' }, iv(vk, i64(8), 'reduce')],
        reads: [{ buffer: A, region: [{ min: vi, extent: i64(1) }, { min: i64(0), extent: i64(8) }] }],
        writes: [point(S, vk)],
        allocBuffers: [S],
        matchBuffers: [{ buffer: sub, source: { buffer: A, region: [{ min: vi, extent: i64(1) }, { min: i64(0), extent: i64(8) }] } }],
        body: store(S, { kind: 'tir.Cast', dtype: 'float16', value: load(sub, vk) }, vk),
      },
      [i, j, k],
    );
    const body = loop(i, i64(4), loop(j, i64(6), loop(k, i64(8), inner), { min: i64(2) }), {
      annotations: attrDict([['pragma_unroll', i64(1)]]),
    });
    const f = primFunc([tvar('A', 'handle')], [A], body, { attrs: undefined, isPrivate: false });
    expect(printOnly(f, true)).toBe(
      [
        '@T.prim_func',
        'def f(A: T.Buffer((T.int64(4), T.int64(8)), "float32", strides=(T.int64(8), T.int64(1)), offset_factor=1)):',
        '    for i in T.serial(T.int64(4), annotations={"pragma_unroll": 1}):',
        '        for j in range(T.int64(2), T.int64(8)):',
        '            for k in range(T.int64(8)):',
        '                with T.block("b"):',
        '                    vi, vj, vk = T.axis.remap("SSR", [i, j, k])',
        '                    S = T.alloc_buffer((T.int64(8),), "float16", scope="shared")',
        '                    sub = T.match_buffer(A[vi, T.int64(0):T.int64(8)], (T.int64(8),))',
        '                    T.reads(A[vi, T.int64(0):T.int64(8)])',
        '                    T.writes(S[vk])',
        '                    S[vk] = T.Cast("float16", sub[vk])',
      ].join('\n'),
    );
  });
});

describe('PrimExpr printing', () => {
  const [a, b, c] = [tvar('a', 'int32'), tvar('b', 'int32'), tvar('c', 'int32')];
  const f = tvar('f', 'float32');
  it.each<[PrimExpr, string]>([
    [binary('mul', binary('add', a, b), c), '(a + b) * c'],
    [binary('add', a, binary('mul', b, c)), 'a + b * c'],
    [binary('sub', a, binary('sub', b, c)), 'a - (b - c)'],
    [binary('sub', binary('sub', a, b), c), 'a - b - c'],
    [binary('floordiv', a, binary('floormod', b, c)), 'a // (b % c)'],
    [binary('div', a, b), 'T.truncdiv(a, b)'],
    [binary('mod', a, b), 'T.truncmod(a, b)'],
    [binary('div', f, floatImm(2, 'float32')), 'f / T.float32(2.0)'],
    [binary('min', a, binary('max', b, c)), 'T.min(a, T.max(b, c))'],
    [binary('and', binary('lt', a, b), binary('or', binary('ge', b, c), binary('eq', a, c))), 'a < b and (b >= c or a == c)'],
    [binary('eq', binary('lt', a, b), boolImm(true)), '(a < b) == T.bool(True)'],
    [{ kind: 'tir.Not', a: binary('and', binary('lt', a, b), binary('lt', b, c)), dtype: 'bool' }, 'not (a < b and b < c)'],
    [binary('mul', a, intImm(-1, 'int32')), 'a * -1'],
    [{ kind: 'tir.Select', cond: binary('lt', a, b), t: a, f: b, dtype: 'int32' }, 'T.Select(a < b, a, b)'],
    [{ kind: 'tir.Call', op: 'exp', args: [f], dtype: 'float32' }, 'T.exp(f)'],
    [{ kind: 'tir.Call', op: 'if_then_else', args: [binary('lt', a, b), f, floatImm(0, 'float32')], dtype: 'float32' }, 'T.if_then_else(a < b, f, T.float32(0.0))'],
    [floatImm(-3.4028234663852886e38, 'float32'), 'T.float32(-3.4028234663852886e+38)'],
    [floatImm(-Infinity, 'float32'), 'T.float32("-inf")'],
    [intImm(4, 'int64'), 'T.int64(4)'],
    [{ kind: 'tir.Call', op: 'call_extern', args: [{ kind: 'tir.StringImm', value: 'f' }, a], dtype: 'float32' }, 'T.call_extern("float32", "f", a)'],
    [{ kind: 'tir.Call', op: 'my_intrin', args: [f], dtype: 'float16' }, 'T.my_intrin(f, dtype="float16")'],
    [{ kind: 'tir.Call', op: 'isnan', args: [f], dtype: 'bool' }, 'T.isnan(f)'],
    [intImm(4, 'int32'), '4'],
    [intImm(4, 'uint8'), 'T.uint8(4)'],
    [{ kind: 'tir.Let', v: tvar('t', 'int32'), value: a, body: binary('add', tvar('t', 'int32'), b), dtype: 'int32' }, 'T.Let(t + b, where={t: a})'],
  ])('%#: %s', (e, want) => {
    expect(printPrimExpr(e)).toBe(want);
  });

  it('prints int64 plain in the Relax context', () => {
    const n = tvar('n');
    expect(printPrimExpr(binary('mul', n, intImm(4, 'int64')), { context: 'relax' })).toBe('n * 4');
  });
});
