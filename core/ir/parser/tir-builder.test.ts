/**
 * The TIR builder on programs written for these tests, in each dialect: classic `tir` (T.block, T.alloc_buffer,
 * "tir.noalias"), v0.24+ `tirx` (T.sblock, T.sblock_alloc_buffer, s_tir=True) and the 2022 RFC seed form.
 * Asserts IR shape (node kinds, dtypes, iter var types, root block, shared var identity) and T3xx codes with spans.
 */
import { describe, expect, test } from 'vitest';
import type { PyExpr, PyFunctionDef, PyStmt } from './pyast.js';
import type {
  Block, BlockRealize, Buffer, BufferRegion, For, PrimExpr, PrimFunc, Stmt, TirVar,
} from '../tir/nodes.js';
import { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { TIR_CODES } from '../diagnostics/codes-tir.js';
import { attrGet } from '../attrs.js';
import { parsePython } from './py-parser.js';
import { buildPrimExpr, buildPrimFunc, createTirScope, symbolicVarDecl } from './tir-builder.js';
import { tvar } from '../tir/nodes.js';

// ---------------------------------------------------------------- helpers

interface Built {
  f: PrimFunc;
  diags: DiagnosticBag;
  text: string;
}

function findDef(stmts: readonly PyStmt[]): PyFunctionDef | undefined {
  for (const s of stmts) {
    if (s.kind === 'FunctionDef') return s;
    if (s.kind === 'ClassDef') return findDef(s.body);
  }
  return undefined;
}

function build(text: string, opts: { implicitVars?: boolean; aliases?: string[] } = {}): Built {
  const py = parsePython(text, { loose: true });
  expect(py.diagnostics).toEqual([]);
  const diags = new DiagnosticBag();
  const def = findDef(py.module.body)!;
  const f = buildPrimFunc(def, { diags, tAliases: new Set(opts.aliases ?? ['T']), implicitVars: opts.implicitVars })!;
  expect(f).toBeDefined();
  return { f, diags, text };
}

function ok(text: string, opts: { implicitVars?: boolean; aliases?: string[] } = {}): PrimFunc {
  const b = build(text, opts);
  expect(b.diags.items).toEqual([]);
  return b.f;
}

/** The span of the nth occurrence of `needle` in `text`. */
function spanOf(text: string, needle: string, nth = 0): { start: number; end: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`no ${needle}`);
  return { start: at, end: at + needle.length };
}

function codes(b: Built): string[] {
  return b.diags.items.map((d) => d.code);
}

/** A compact text form of an expression for assertions: leaves carry dtypes. */
function s(e: PrimExpr): string {
  switch (e.kind) {
    case 'tir.Var': return `${e.name}:${e.dtype}`;
    case 'tir.IntImm': return `${e.value}:${e.dtype}`;
    case 'tir.FloatImm': return `${e.value}f:${e.dtype}`;
    case 'tir.StringImm': return JSON.stringify(e.value);
    case 'tir.Binary': return `(${e.op} ${s(e.a)} ${s(e.b)})`;
    case 'tir.Not': return `(not ${s(e.a)})`;
    case 'tir.Select': return `(select ${s(e.cond)} ${s(e.t)} ${s(e.f)})`;
    case 'tir.Cast': return `(cast:${e.dtype} ${s(e.value)})`;
    case 'tir.Call': return `(${e.op}:${e.dtype}${e.args.map((a) => ' ' + s(a)).join('')})`;
    case 'tir.BufferLoad': return `${e.buffer.name}[${e.indices.map(s).join(', ')}]`;
    case 'tir.Let': return `(let ${s(e.v)}=${s(e.value)} ${s(e.body)})`;
  }
}

function region(r: BufferRegion): string {
  return `${r.buffer.name}[${r.region.map((x) => `${s(x.min)}+${s(x.extent)}`).join(', ')}]`;
}

function expr(src: string, vars: TirVar[] = [], buffers: Buffer[] = [], implicitVars = false, hint?: string) {
  const py = parsePython(`(${src})\n`, { loose: true });
  const st = py.module.body[0]!;
  const e = (st as { value: PyExpr }).value;
  const scope = createTirScope();
  for (const v of vars) scope.define(v.name, v);
  for (const b of buffers) scope.define(b.name, b);
  const diags = new DiagnosticBag();
  const out = buildPrimExpr(e, scope, { diags, tAliases: new Set(['T']), implicitVars }, hint);
  return { out, diags, scope, text: `(${src})\n` };
}

function rootBlock(f: PrimFunc): Block {
  expect(f.body.kind).toBe('tir.BlockRealize');
  const root = (f.body as BlockRealize).block;
  expect(root.name).toBe('root');
  expect(root.iterVars).toEqual([]);
  return root;
}

/** Every BlockRealize in a statement, in order. */
function realizes(st: Stmt): BlockRealize[] {
  const out: BlockRealize[] = [];
  const walk = (x: Stmt | undefined): void => {
    if (!x) return;
    switch (x.kind) {
      case 'tir.BlockRealize': out.push(x); walk(x.block.init); walk(x.block.body); return;
      case 'tir.For': walk(x.body); return;
      case 'tir.SeqStmt': x.seq.forEach(walk); return;
      case 'tir.IfThenElse': walk(x.then); walk(x.else); return;
      case 'tir.LetStmt': case 'tir.AssertStmt': walk(x.body); return;
      default: return;
    }
  };
  walk(st);
  return out.filter((r) => r.block.name !== 'root');
}

function loops(st: Stmt): For[] {
  const out: For[] = [];
  let cur: Stmt = st;
  while (cur.kind === 'tir.For') {
    out.push(cur);
    cur = cur.body;
  }
  return out;
}

const buf = (name: string, shape: PrimExpr[], dtype = 'float32'): Buffer => ({ kind: 'tir.Buffer', name, dtype, shape, strides: [], scope: 'global' });

// ---------------------------------------------------------------- worked examples

const MATMUL = `
@T.prim_func(private=True)
def matmul(var_A: T.handle, var_B: T.handle, var_C: T.handle):
    T.func_attr({"tir.noalias": True})
    n = T.int64()
    m = T.int64()
    A = T.match_buffer(var_A, (n, T.int64(16)), "float32")
    B = T.match_buffer(var_B, [T.int64(16), m], dtype="float32")
    C = T.match_buffer(var_C, (n, m))
    for i0, i1, k in T.grid(n, m, T.int64(16)):
        with T.block("matmul"):
            v_i0, v_i1, v_k = T.axis.remap("SSR", [i0, i1, k])
            T.reads(A[v_i0, v_k], B[v_k, v_i1])
            T.writes(C[v_i0, v_i1])
            with T.init():
                C[v_i0, v_i1] = T.float32(0)
            C[v_i0, v_i1] = C[v_i0, v_i1] + A[v_i0, v_k] * B[v_k, v_i1]
`;

describe('legalized matmul with symbolic shapes (classic tir)', () => {
  const f = ok(MATMUL);

  test('signature: handles bound to buffers through match_buffer, one var per symbolic name', () => {
    expect(f.params.map((p) => `${p.name}:${p.dtype}`)).toEqual(['var_A:handle', 'var_B:handle', 'var_C:handle']);
    expect(f.isPrivate).toBe(true);
    expect(f.sTir).toBeUndefined();
    expect(attrGet(f.attrs, 'tir.noalias')).toBe(true);
    const [A, B, C] = f.params.map((p) => f.bufferMap.get(p)!);
    expect(A!.shape.map(s)).toEqual(['n:int64', '16:int64']);
    expect(B!.shape.map(s)).toEqual(['16:int64', 'm:int64']);
    expect(C!.dtype).toBe('float32');
    expect(A!.shape[0]).toBe(C!.shape[0]);
    expect(B!.shape[1]).toBe(C!.shape[1]);
  });

  test('body: root block around a 3-deep grid and an SSR reduction block with init', () => {
    const root = rootBlock(f);
    expect(root.allocBuffers).toEqual([]);
    const ls = loops(root.body);
    expect(ls.map((l) => `${l.loopVar.name}:${l.loopVar.dtype} ${s(l.min)} ${s(l.extent)} ${l.forKind}`)).toEqual([
      'i0:int64 0:int64 n:int64 serial', 'i1:int64 0:int64 m:int64 serial', 'k:int64 0:int64 16:int64 serial',
    ]);
    expect(ls[0]!.extent).toBe(f.bufferMap.get(f.params[0]!)!.shape[0]);
    const br = ls[2]!.body as BlockRealize;
    expect(br.kind).toBe('tir.BlockRealize');
    expect(s(br.predicate)).toBe('1:bool');
    expect(br.iterValues).toEqual(ls.map((l) => l.loopVar));
    const b = br.block;
    expect(b.name).toBe('matmul');
    expect(b.iterVars.map((iv) => `${iv.v.name}:${iv.v.dtype} ${iv.iterType} ${s(iv.dom.min)}+${s(iv.dom.extent)}`)).toEqual([
      'v_i0:int64 spatial 0:int64+n:int64', 'v_i1:int64 spatial 0:int64+m:int64', 'v_k:int64 reduce 0:int64+16:int64',
    ]);
    expect(b.reads.map(region)).toEqual(['A[v_i0:int64+1:int64, v_k:int64+1:int64]', 'B[v_k:int64+1:int64, v_i1:int64+1:int64]']);
    expect(b.writes.map(region)).toEqual(['C[v_i0:int64+1:int64, v_i1:int64+1:int64]']);
    expect(b.init?.kind).toBe('tir.BufferStore');
    const store = b.body;
    expect(store.kind).toBe('tir.BufferStore');
    if (store.kind !== 'tir.BufferStore') return;
    expect(s(store.value)).toBe('(add C[v_i0:int64, v_i1:int64] (mul A[v_i0:int64, v_k:int64] B[v_k:int64, v_i1:int64]))');
    expect(store.indices[0]).toBe(b.iterVars[0]!.v);
  });

  test('reads/writes are inferred when not written (reads in order of first use, the reduction target included)', () => {
    const g = ok(MATMUL.replace(/ *T\.reads.*\n/, '').replace(/ *T\.writes.*\n/, ''));
    const b = realizes(g.body)[0]!.block;
    expect(b.reads.map((r) => r.buffer.name)).toEqual(['C', 'A', 'B']);
    expect(b.writes.map(region)).toEqual(['C[v_i0:int64+1:int64, v_i1:int64+1:int64]']);
  });
});

const SOFTMAX = `
# from tvm.script import tirx as T
@T.prim_func(private=True, s_tir=True)
def softmax(A: T.Buffer((T.int64(4), T.int64(10)), "float32"), T_softmax_norm: T.Buffer((T.int64(4), T.int64(10)), "float32")):
    T.func_attr({"tirx.noalias": True})
    T_softmax_maxelem = T.sblock_alloc_buffer((T.int64(4),))
    T_softmax_exp = T.sblock_alloc_buffer((T.int64(4), T.int64(10)))
    T_softmax_expsum = T.sblock_alloc_buffer((T.int64(4),), "float32")
    for i0, k in T.grid(T.int64(4), T.int64(10)):
        with T.sblock("T_softmax_maxelem"):
            v_i0, v_k = T.axis.remap("SR", [i0, k])
            T.reads(A[v_i0, v_k])
            T.writes(T_softmax_maxelem[v_i0])
            with T.init():
                T_softmax_maxelem[v_i0] = T.float32(-3.4028234663852886e+38)
            T_softmax_maxelem[v_i0] = T.max(T_softmax_maxelem[v_i0], A[v_i0, v_k])
    for i0, i1 in T.grid(T.int64(4), T.int64(10)):
        with T.sblock("T_softmax_exp"):
            v_i0, v_i1 = T.axis.remap("SS", [i0, i1])
            T.reads(A[v_i0, v_i1], T_softmax_maxelem[v_i0])
            T.writes(T_softmax_exp[v_i0, v_i1])
            T_softmax_exp[v_i0, v_i1] = T.exp(A[v_i0, v_i1] - T_softmax_maxelem[v_i0])
    for i0, k in T.grid(T.int64(4), T.int64(10)):
        with T.sblock("T_softmax_expsum"):
            v_i0, v_k = T.axis.remap("SR", [i0, k])
            T.reads(T_softmax_exp[v_i0, v_k])
            T.writes(T_softmax_expsum[v_i0])
            with T.init():
                T_softmax_expsum[v_i0] = T.float32(0)
            T_softmax_expsum[v_i0] = T_softmax_expsum[v_i0] + T_softmax_exp[v_i0, v_k]
    for i0, i1 in T.grid(T.int64(4), T.int64(10)):
        with T.sblock("T_softmax_norm"):
            v_i0, v_i1 = T.axis.remap("SS", [i0, i1])
            T.reads(T_softmax_exp[v_i0, v_i1], T_softmax_expsum[v_i0])
            T.writes(T_softmax_norm[v_i0, v_i1])
            T.sblock_attr({"axis": 1})
            T_softmax_norm[v_i0, v_i1] = T_softmax_exp[v_i0, v_i1] / T_softmax_expsum[v_i0]
`;

describe('4-block softmax (tirx dialect: T.sblock, T.sblock_alloc_buffer, s_tir=True)', () => {
  const f = ok(SOFTMAX);

  test('flags, "tirx.noalias" stored as "tir.noalias", buffer params', () => {
    expect(f.sTir).toBe(true);
    expect(f.isPrivate).toBe(true);
    expect(attrGet(f.attrs, 'tir.noalias')).toBe(true);
    expect(attrGet(f.attrs, 'tirx.noalias')).toBeUndefined();
    expect(f.params.map((p) => p.dtype)).toEqual(['handle', 'handle']);
    expect(f.bufferMap.get(f.params[1]!)!.name).toBe('T_softmax_norm');
  });

  test('function-level allocs become the root block allocs; four blocks in a SeqStmt', () => {
    const root = rootBlock(f);
    expect(root.allocBuffers.map((b) => `${b.name}:${b.dtype}:${b.shape.length}`)).toEqual([
      'T_softmax_maxelem:float32:1', 'T_softmax_exp:float32:2', 'T_softmax_expsum:float32:1',
    ]);
    expect(root.body.kind).toBe('tir.SeqStmt');
    const blocks = realizes(root.body).map((r) => r.block);
    expect(blocks.map((b) => b.name)).toEqual(['T_softmax_maxelem', 'T_softmax_exp', 'T_softmax_expsum', 'T_softmax_norm']);
    expect(blocks.map((b) => b.iterVars.map((iv) => iv.iterType[0]).join(''))).toEqual(['sr', 'ss', 'sr', 'ss']);
    expect(blocks[0]!.writes[0]!.buffer).toBe(root.allocBuffers[0]);
  });

  test('expressions: float32 max-reduce init, T.max, T.exp dtype, division, block attr', () => {
    const blocks = realizes(f.body).map((r) => r.block);
    const init = blocks[0]!.init!;
    expect(init.kind === 'tir.BufferStore' && s(init.value)).toBe('-3.4028234663852886e+38f:float32');
    const body0 = blocks[0]!.body;
    expect(body0.kind === 'tir.BufferStore' && s(body0.value)).toBe('(max T_softmax_maxelem[v_i0:int64] A[v_i0:int64, v_k:int64])');
    const body1 = blocks[1]!.body;
    expect(body1.kind === 'tir.BufferStore' && s(body1.value)).toBe('(exp:float32 (sub A[v_i0:int64, v_i1:int64] T_softmax_maxelem[v_i0:int64]))');
    const body3 = blocks[3]!.body;
    expect(body3.kind === 'tir.BufferStore' && s(body3.value)).toBe('(div T_softmax_exp[v_i0:int64, v_i1:int64] T_softmax_expsum[v_i0:int64])');
    expect(blocks[3]!.annotations?.entries.map(([k, v]) => [k, s(v as PrimExpr)])).toEqual([['axis', '1:int64']]);
  });

  test('the same program in classic spelling builds the same shape', () => {
    const classic = SOFTMAX.replace(/T\.sblock_alloc_buffer/g, 'T.alloc_buffer').replace(/T\.sblock_attr/g, 'T.block_attr')
      .replace(/T\.sblock\(/g, 'T.block(').replace('"tirx.noalias"', '"tir.noalias"').replace(', s_tir=True', '');
    const g = ok(classic);
    expect(g.sTir).toBeUndefined();
    expect(rootBlock(g).allocBuffers.length).toBe(3);
    expect(realizes(g.body).map((r) => r.block.name)).toEqual(realizes(f.body).map((r) => r.block.name));
  });
});

// ---------------------------------------------------------------- RFC seed

const RFC = `
@T.prim_func
def tir_exp_func(x: T.handle, y: T.handle):
    X = T.match_buffer(x, (n,), "float32")
    Y = T.match_buffer(y, (n,), "float32")
    with T.grid(n) as i:
        Y[i] = T.exp(X[i])
`;

describe('RFC seed program', () => {
  test('implicit vars: one int64 var with one T308 warning at its first use; `with T.grid(n) as i`', () => {
    const b = build(RFC, { implicitVars: true });
    expect(b.diags.items.map((d) => [d.code, d.severity, d.span])).toEqual([['T308', 'warning', spanOf(RFC, 'n', 4)]]);
    expect(b.diags.hasErrors).toBe(false);
    const [X, Y] = b.f.params.map((p) => b.f.bufferMap.get(p)!);
    expect(s(X!.shape[0]!)).toBe('n:int64');
    expect(Y!.shape[0]).toBe(X!.shape[0]);
    const loop = b.f.body as For;
    expect(loop.kind).toBe('tir.For');
    expect(loop.extent).toBe(X!.shape[0]);
    expect(loop.loopVar.dtype).toBe('int64');
    expect(loop.body.kind === 'tir.BufferStore' && s(loop.body.value)).toBe('(exp:float32 X[i:int64])');
  });

  test('without implicit vars the undeclared name is T301', () => {
    const b = build(RFC);
    expect(codes(b)).toEqual(['T301']);
    expect(b.diags.items[0]!.span).toEqual(spanOf(RFC, 'n', 4));
  });

  test('T.var("int64") declarations and T.Buffer[...] annotations', () => {
    const text = `
@T.prim_func
def f(a: T.handle, B: T.Buffer[(16,), "float32"]):
    n = T.var("int64")
    A = T.match_buffer(a, (n,), "float32")
    with T.serial(0, 16) as i:
        B[i] = A[i]
`;
    const f = ok(text);
    const A = f.bufferMap.get(f.params[0]!)!;
    const B = f.bufferMap.get(f.params[1]!)!;
    expect(s(A.shape[0]!)).toBe('n:int64');
    expect(B.shape.map(s)).toEqual(['16:int32']);
    expect((f.body as For).loopVar.dtype).toBe('int32');
  });
});

// ---------------------------------------------------------------- signatures

describe('signatures and decorators', () => {
  test('T.Buffer forms: mixed int64/int32 dims, dtype keyword, strides/scope/offset kwargs, scalar params, return type', () => {
    const text = `
@T.prim_func(check_well_formed=False)
def f(A: T.Buffer((T.int64(2), 3), "float32"), B: T.Buffer([8], dtype="float16", strides=[1], scope="shared", elem_offset=T.int32(4), offset_factor=0, foo="x"), n: T.int64, x: T.float32) -> T.int32:
    T.evaluate(0)
`;
    const f = ok(text);
    expect(f.params.map((p) => `${p.name}:${p.dtype}`)).toEqual(['A:handle', 'B:handle', 'n:int64', 'x:float32']);
    const A = f.bufferMap.get(f.params[0]!)!;
    const B = f.bufferMap.get(f.params[1]!)!;
    expect(A.shape.map(s)).toEqual(['2:int64', '3:int32']);
    expect(B.dtype).toBe('float16');
    expect(B.strides.map(s)).toEqual(['1:int32']);
    expect(B.scope).toBe('shared');
    expect(B.extra?.entries.map(([k, v]) => [k, typeof v === 'string' ? v : s(v as PrimExpr)])).toEqual([['elem_offset', '4:int32'], ['foo', 'x']]);
    expect(f.retType).toBe('int32');
    expect(f.body.kind).toBe('tir.Evaluate');
    expect(f.bufferMap.size).toBe(2);
  });

  test('buffer params may use scalar params in their shapes', () => {
    const f = ok(`
@T.prim_func
def f(n: T.int32, A: T.Buffer((n,), "int8")):
    for i in range(n):
        A[i] = T.int8(1)
`);
    expect(f.bufferMap.get(f.params[1]!)!.shape[0]).toBe(f.params[0]);
  });

  test('tAliases: a module importing tirx as TX', () => {
    const f = ok(`
@TX.prim_func
def f(A: TX.Buffer((4,), "float32")):
    for i in TX.serial(4):
        A[i] = TX.float32(1)
`, { aliases: ['TX'] });
    expect(f.bufferMap.size).toBe(1);
  });

  test('bad decorator flag and missing annotation', () => {
    const text = `
@T.prim_func(privat=True)
def f(a, B: T.Buffer((4,), "float32")):
    T.evaluate(0)
`;
    const b = build(text);
    expect(b.diags.items.map((d) => [d.code, d.span])).toEqual([
      ['T312', spanOf(text, 'privat=True')],
      ['T311', spanOf(text, 'a,').start === undefined ? undefined : { start: spanOf(text, 'a,').start, end: spanOf(text, 'a,').start + 1 }],
    ]);
    expect(b.f.params.length).toBe(1);
  });
});

// ---------------------------------------------------------------- loops

describe('loops', () => {
  test('serial/range/parallel/vectorized/unroll, lo-hi forms, annotations, loop var dtype follows the extent', () => {
    const f = ok(`
@T.prim_func
def f(A: T.Buffer((T.int64(64),), "float32")):
    for i in T.serial(T.int64(4)):
        for j in T.serial(2, T.int64(6)):
            for k in range(1, 3):
                for p in T.parallel(2):
                    for v in T.vectorized(0, 2):
                        for u in T.unroll(2, annotations={"pragma_unroll_explicit": 1}):
                            A[i * 16 + j + k + p + v + u] = T.float32(0)
`);
    const ls = loops(f.body);
    expect(ls.map((l) => `${l.loopVar.name}:${l.loopVar.dtype} ${s(l.min)} ${s(l.extent)} ${l.forKind}`)).toEqual([
      'i:int64 0:int64 4:int64 serial',
      'j:int64 2:int64 4:int64 serial',
      'k:int32 1:int32 2:int32 serial',
      'p:int32 0:int32 2:int32 parallel',
      'v:int32 0:int32 2:int32 vectorized',
      'u:int32 0:int32 2:int32 unroll',
    ]);
    expect(attrGet(ls[5]!.annotations, 'pragma_unroll_explicit')).toMatchObject({ kind: 'tir.IntImm', value: 1 });
    const store = ls[5]!.body;
    expect(store.kind === 'tir.BufferStore' && s(store.indices[0]!)).toBe(
      '(add (add (add (add (add (mul i:int64 16:int64) j:int64) (cast:int64 k:int32)) (cast:int64 p:int32)) (cast:int64 v:int32)) (cast:int64 u:int32))',
    );
  });

  test('symbolic lo-hi extents and thread bindings', () => {
    const f = ok(`
@T.prim_func
def f(a: T.handle):
    n = T.int64()
    A = T.match_buffer(a, (n,))
    for b in T.thread_binding(T.int64(8), thread="blockIdx.x"):
        for t in T.thread_binding(0, 32, thread="threadIdx.x"):
            for r in T.serial(T.int64(1), n):
                A[r] = T.float32(1)
`);
    const ls = loops(f.body);
    expect(ls.map((l) => `${l.forKind}:${l.threadTag ?? ''}`)).toEqual(['thread_binding:blockIdx.x', 'thread_binding:threadIdx.x', 'serial:']);
    expect(s(ls[2]!.extent)).toBe('(sub n:int64 1:int64)');
    expect(s(ls[1]!.extent)).toBe('32:int32');
  });

  test('T.grid target count must match the extents (T302)', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((4, 4), "float32")):
    for i, j in T.grid(4, 4, 4):
        A[i, j] = T.float32(0)
`;
    const b = build(text);
    expect(b.diags.items.map((d) => [d.code, d.span])).toEqual([['T302', spanOf(text, 'i, j')]]);
  });
});

// ---------------------------------------------------------------- blocks

describe('blocks', () => {
  test('explicit axes (tuple domains, S/R shorthands, scan, opaque), slices, whole buffers, empty reads, where, attrs', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((16, 16), "float32"), B: T.Buffer((16,), "float32")):
    for i, j in T.grid(16, 4):
        with T.block("b"):
            vi = T.axis.spatial(16, i)
            vj = T.axis.reduce((4, 8), j + 4)
            vs = T.axis.S(16, i)
            vr = T.axis.R(T.int64(4), j)
            vc = T.axis.scan(16, i)
            vo = T.axis.opaque(16, i)
            T.where(i < 15)
            T.reads(A[vi, 0:vj], A[:, vi], B)
            T.writes()
            T.block_attr({"meta_schedule.unroll": 16, "flag": True})
            B[vi] = A[vi, vj]
`;
    const f = ok(text);
    const br = realizes(f.body)[0]!;
    const b = br.block;
    expect(b.iterVars.map((iv) => `${iv.v.name}:${iv.v.dtype}:${iv.iterType}:${s(iv.dom.min)}+${s(iv.dom.extent)}`)).toEqual([
      'vi:int32:spatial:0:int32+16:int32', 'vj:int32:reduce:4:int32+4:int32', 'vs:int32:spatial:0:int32+16:int32',
      'vr:int64:reduce:0:int64+4:int64', 'vc:int32:scan:0:int32+16:int32', 'vo:int32:opaque:0:int32+16:int32',
    ]);
    expect(br.iterValues.map(s)).toEqual(['i:int32', '(add j:int32 4:int32)', 'i:int32', '(cast:int64 j:int32)', 'i:int32', 'i:int32']);
    expect(s(br.predicate)).toBe('(lt i:int32 15:int32)');
    expect(b.reads.map(region)).toEqual([
      'A[vi:int32+1:int32, 0:int32+vj:int32]', 'A[0:int32+16:int32, vi:int32+1:int32]', 'B[0:int32+16:int32]',
    ]);
    expect(b.writes).toEqual([]);
    expect(b.annotations?.entries.map(([k]) => k)).toEqual(['meta_schedule.unroll', 'flag']);
    expect(attrGet(b.annotations, 'flag')).toBe(true);
  });

  test('allocs inside a block, match_buffer of a region, nested blocks and the explicit root block', () => {
    const f = ok(`
@T.prim_func
def f(A: T.Buffer((16, 16), "float32")):
    with T.block("root"):
        T.reads()
        T.writes()
        for i in range(4):
            with T.block("outer"):
                vi = T.axis.spatial(4, i)
                S = T.alloc_buffer([4], "float32", scope="local")
                A_sub = T.match_buffer(A[vi * 4:vi * 4 + 4, 0:16], (4, 16), "float32", offset_factor=1)
                for j in range(4):
                    with T.block("inner"):
                        vj = T.axis.spatial(4, j)
                        S[vj] = A_sub[vj, 0]
`);
    const root = rootBlock(f);
    expect(root.allocBuffers).toEqual([]);
    const [outer, inner] = realizes(f.body).map((r) => r.block);
    expect(outer!.allocBuffers.map((b) => `${b.name}:${b.scope}`)).toEqual(['S:local']);
    expect(outer!.matchBuffers.length).toBe(1);
    const mb = outer!.matchBuffers[0]!;
    expect(mb.buffer.name).toBe('A_sub');
    expect(attrGet(mb.buffer.extra, 'offset_factor')).toMatchObject({ kind: 'tir.IntImm', value: 1 });
    expect(region(mb.source)).toBe('A[(mul vi:int32 4:int32)+4:int32, 0:int32+16:int32]');
    expect(inner!.reads.map((r) => r.buffer.name)).toEqual(['A_sub']);
    // the outer block's inferred reads: the matched source region (accesses through A_sub are local)
    expect(outer!.reads.map((r) => r.buffer.name)).toEqual(['A']);
    expect(outer!.writes).toEqual([]);
  });

  test('inferred regions relax inner loop vars to their ranges', () => {
    const f = ok(`
@T.prim_func
def f(A: T.Buffer((16, 16), "float32"), B: T.Buffer((16,), "float32")):
    for i in range(16):
        with T.block("rowsum"):
            vi = T.axis.spatial(16, i)
            B[vi] = T.float32(0)
            for k in range(16):
                B[vi] = B[vi] + A[vi, k]
`);
    const b = realizes(f.body)[0]!.block;
    expect(b.reads.map(region)).toEqual(['B[vi:int32+1:int32]', 'A[vi:int32+1:int32, 0:int32+16:int32]']);
    expect(b.writes.map(region)).toEqual(['B[vi:int32+1:int32]']);
  });

  test('remap errors: bad kinds, length mismatch, non-loop binding (T305)', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((4, 4), "float32")):
    for i, j in T.grid(4, 4):
        with T.block("a"):
            vi, vj = T.axis.remap("SX", [i, j])
            A[0, 0] = T.float32(0)
        with T.block("b"):
            vi, vj = T.axis.remap("SSR", [i, j])
            A[0, 0] = T.float32(0)
        with T.block("c"):
            vi = T.axis.remap("S", [i + 1])
            A[0, 0] = T.float32(0)
`;
    const b = build(text);
    expect(b.diags.items.map((d) => [d.code, d.span])).toEqual([
      ['T305', spanOf(text, '"SX"')],
      ['T305', spanOf(text, 'T.axis.remap("SSR", [i, j])')],
      ['T305', spanOf(text, 'i + 1')],
    ]);
  });

  test('block constructs outside a block are T307', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((4,), "float32")):
    for i in range(4):
        vi = T.axis.spatial(4, i)
        T.reads(A[i])
        with T.init():
            A[i] = T.float32(0)
        A[i] = T.float32(1)
`;
    const b = build(text);
    expect(b.diags.items.map((d) => [d.code, d.span])).toEqual([
      ['T307', spanOf(text, 'T.axis.spatial(4, i)')],
      ['T307', spanOf(text, 'T.reads(A[i])')],
      ['T307', spanOf(text, 'T.init()')],
    ]);
  });
});

// ---------------------------------------------------------------- statements

describe('statements', () => {
  test('scalar store, if/else, evaluate, bare calls, let, T.LetStmt, assert, T.Assert, sequences', () => {
    const f = ok(`
@T.prim_func
def f(A: T.Buffer((), "int32"), B: T.Buffer((4,), "float32"), n: T.int32):
    A[()] = 1
    if n > 2:
        B[0] = T.float32(1)
    else:
        B[1] = 2.5
    T.evaluate(T.call_extern("int32", "tick", n))
    T.call_packed("log", n)
    x = n * 2
    with T.LetStmt(x + 1) as y:
        B[2] = T.Cast("float32", y)
    assert n >= 0, "n must be non-negative"
    T.Assert(n < 100, "too big")
    B[3] = T.float32(0)
`);
    const body = f.body;
    expect(body.kind).toBe('tir.SeqStmt');
    if (body.kind !== 'tir.SeqStmt') return;
    expect(body.seq.map((x) => x.kind)).toEqual(['tir.BufferStore', 'tir.IfThenElse', 'tir.Evaluate', 'tir.Evaluate', 'tir.LetStmt']);
    const [st0, ite, ev, call, letx] = body.seq as [Stmt, Stmt, Stmt, Stmt, Stmt];
    expect(st0!.kind === 'tir.BufferStore' && [st0.indices.length, s(st0.value)]).toEqual([0, '1:int32']);
    expect(ite!.kind === 'tir.IfThenElse' && [s(ite.cond), ite.else?.kind]).toEqual(['(gt n:int32 2:int32)', 'tir.BufferStore']);
    if (ite!.kind === 'tir.IfThenElse' && ite.else?.kind === 'tir.BufferStore') expect(s(ite.else.value)).toBe('2.5f:float32');
    expect(ev!.kind === 'tir.Evaluate' && s(ev.value)).toBe('(call_extern:int32 "tick" n:int32)');
    expect(call!.kind === 'tir.Evaluate' && s(call.value)).toBe('(call_packed:int32 "log" n:int32)');
    if (letx!.kind !== 'tir.LetStmt') throw new Error('let');
    expect(`${s(letx.v)} = ${s(letx.value)}`).toBe('x:int32 = (mul n:int32 2:int32)');
    const rest = letx.body;
    expect(rest.kind).toBe('tir.SeqStmt');
    if (rest.kind !== 'tir.SeqStmt') return;
    expect(rest.seq.map((x) => x.kind)).toEqual(['tir.LetStmt', 'tir.AssertStmt']);
    const lety = rest.seq[0]!;
    if (lety.kind !== 'tir.LetStmt') return;
    expect(s(lety.value)).toBe('(add x:int32 1:int32)');
    expect(lety.body.kind === 'tir.BufferStore' && s(lety.body.value)).toBe('(cast:float32 y:int32)');
    const a1 = rest.seq[1]!;
    if (a1.kind !== 'tir.AssertStmt') return;
    expect([s(a1.cond), s(a1.message)]).toEqual(['(ge n:int32 0:int32)', '"n must be non-negative"']);
    expect(a1.body.kind).toBe('tir.AssertStmt');
    if (a1.body.kind !== 'tir.AssertStmt') return;
    expect(a1.body.body.kind).toBe('tir.BufferStore');
    expect(f.body.kind).not.toBe('tir.BlockRealize');
  });

  test('a single statement is not wrapped; augmented stores; annotated lets', () => {
    const f = ok(`
@T.prim_func
def f(B: T.Buffer((4,), "float32")):
    for i in range(4):
        B[i] += 1
`);
    const loop = f.body as For;
    expect(loop.body.kind === 'tir.BufferStore' && s(loop.body.value)).toBe('(add B[i:int32] 1f:float32)');
    const g = ok(`
@T.prim_func
def g(B: T.Buffer((4,), "float32")):
    x: T.float32 = 1
    B[0] = x
`);
    expect(g.body.kind === 'tir.LetStmt' && s(g.body.value)).toBe('1f:float32');
  });

  test('stores: index count (T303), non-buffer targets (T306), undefined names (T301)', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((4, 4), "float32"), n: T.int32):
    A[0] = T.float32(0)
    n[0] = 1
    Q[0] = 1
    A[0, 0] = zz
`;
    const b = build(text);
    expect(b.diags.items.map((d) => [d.code, d.span])).toEqual([
      ['T303', spanOf(text, 'A[0]')],
      ['T306', spanOf(text, 'n[0]').start === 0 ? undefined : { start: spanOf(text, 'n[0]').start, end: spanOf(text, 'n[0]').start + 1 }],
      ['T301', { start: spanOf(text, 'Q[0]').start, end: spanOf(text, 'Q[0]').start + 1 }],
      ['T301', spanOf(text, 'zz')],
    ]);
  });

  test('unsupported statements are T309; errors do not stop the rest of the body', () => {
    const text = `
@T.prim_func
def f(A: T.Buffer((4,), "float32")):
    while True:
        A[0] = T.float32(0)
    A[1] = T.float32(1)
`;
    const b = build(text);
    expect(codes(b)).toEqual(['T309']);
    expect(b.f.body.kind).toBe('tir.BufferStore');
  });
});

// ---------------------------------------------------------------- expressions

describe('expressions', () => {
  const n64 = tvar('n', 'int64');
  const i32 = tvar('i', 'int32');
  const x32 = tvar('x', 'float32');
  const h16 = tvar('h', 'float16');
  const A = buf('A', [n64, n64]);
  const one = (src: string, hint?: string) => {
    const r = expr(src, [n64, i32, x32, h16], [A], false, hint);
    expect(r.diags.items).toEqual([]);
    return s(r.out!);
  };

  test('operators map as TVMScript does', () => {
    expect(one('n + 1')).toBe('(add n:int64 1:int64)');
    expect(one('n - i')).toBe('(sub n:int64 (cast:int64 i:int32))');
    expect(one('n * 2 // 3 % 4')).toBe('(floormod (floordiv (mul n:int64 2:int64) 3:int64) 4:int64)');
    expect(one('x / 2')).toBe('(div x:float32 2f:float32)');
    expect(one('x ** 2')).toBe('(pow:float32 x:float32 2f:float32)');
    expect(one('-n')).toBe('(mul n:int64 -1:int64)');
    expect(one('-3')).toBe('-3:int32');
    expect(one('2 * 3 + n')).toBe('(add 6:int64 n:int64)');
    expect(one('i < n')).toBe('(lt (cast:int64 i:int32) n:int64)');
    expect(one('0 <= i < 10')).toBe('(and (le 0:int32 i:int32) (lt i:int32 10:int32))');
    expect(one('not (i == 1) or i != 2 and True')).toBe('(or (not (eq i:int32 1:int32)) (and (ne i:int32 2:int32) 1:bool))');
    expect(one('x if i > 0 else 0')).toBe('(select (gt i:int32 0:int32) x:float32 0f:float32)');
  });

  test('literal and promotion dtypes', () => {
    expect(one('1')).toBe('1:int32');
    expect(one('4294967296')).toBe('4294967296:int64');
    expect(one('1.5')).toBe('1.5f:float32');
    expect(one('h + 1.0')).toBe('(add h:float16 1f:float16)');
    expect(one('h * x')).toBe('(mul (cast:float32 h:float16) x:float32)');
    expect(one('i * 0.5')).toBe('(mul (cast:float32 i:int32) 0.5f:float32)');
    expect(one('4', 'int64')).toBe('4:int64');
    expect(one('True')).toBe('1:bool');
  });

  test('T.* arithmetic, typed literals, casts and intrinsics', () => {
    expect(one('T.max(x, 0)')).toBe('(max x:float32 0f:float32)');
    expect(one('T.min(n, i)')).toBe('(min n:int64 (cast:int64 i:int32))');
    expect(one('T.floordiv(n, 2)')).toBe('(floordiv n:int64 2:int64)');
    expect(one('T.truncmod(i, 3)')).toBe('(mod i:int32 3:int32)');
    expect(one('T.truncdiv(i, 3)')).toBe('(div i:int32 3:int32)');
    expect(one('T.floormod(i, 3)')).toBe('(floormod i:int32 3:int32)');
    expect(one('T.Select(i > 0, x, T.float32(1))')).toBe('(select (gt i:int32 0:int32) x:float32 1f:float32)');
    expect(one('T.if_then_else(i > 0, x, 0)')).toBe('(if_then_else:float32 (gt i:int32 0:int32) x:float32 0f:float32)');
    expect(one('T.Cast("float16", x)')).toBe('(cast:float16 x:float32)');
    expect(one('T.And(i > 0, i < 2)')).toBe('(and (gt i:int32 0:int32) (lt i:int32 2:int32))');
    expect(one('T.Not(i > 0)')).toBe('(not (gt i:int32 0:int32))');
    expect(one('T.int64(4)')).toBe('4:int64');
    expect(one('T.int64(i)')).toBe('(cast:int64 i:int32)');
    expect(one('T.int64(n)')).toBe('n:int64');
    expect(one('T.int32(0)')).toBe('0:int32');
    expect(one('T.uint8(1)')).toBe('1:uint8');
    expect(one('T.float32(0)')).toBe('0f:float32');
    expect(one('T.float16(-1.5)')).toBe('-1.5f:float16');
    expect(one('T.bool(True)')).toBe('1:bool');
    expect(one('T.float32("inf")')).toBe('Infinityf:float32');
    expect(one('T.float32("-inf")')).toBe('-Infinityf:float32');
    expect(one('T.float32("nan")')).toBe('NaNf:float32');
    expect(one('T.FloatImm("float32", 0.5)')).toBe('0.5f:float32');
    expect(one('T.IntImm("int64", 7)')).toBe('7:int64');
    expect(one('T.exp(x)')).toBe('(exp:float32 x:float32)');
    expect(one('T.exp(x, dtype="float32")')).toBe('(exp:float32 x:float32)');
    expect(one('T.sqrt(T.Cast("float32", n))')).toBe('(sqrt:float32 (cast:float32 n:int64))');
    expect(one('T.isnan(x)')).toBe('(isnan:bool x:float32)');
    expect(one('T.pow(x, 2)')).toBe('(pow:float32 x:float32 2f:float32)');
    expect(one('T.call_pure_extern("float32", "expf", x)')).toBe('(call_pure_extern:float32 "expf" x:float32)');
    expect(one('T.my_new_intrinsic(x, n)')).toBe('(my_new_intrinsic:float32 x:float32 n:int64)');
    expect(one('A[n, 0]')).toBe('A[n:int64, 0:int32]');
    expect(one('T.Let(y, n + 1, y * 2)')).toBe('(let y:int64=(add n:int64 1:int64) (mul y:int64 2:int64))');
    for (const op of ['log', 'log2', 'log10', 'log1p', 'exp2', 'exp10', 'rsqrt', 'tanh', 'sigmoid', 'erf', 'fabs', 'abs',
      'floor', 'ceil', 'round', 'nearbyint', 'trunc', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'asin', 'acos', 'atan']) {
      expect(one(`T.${op}(h)`)).toBe(`(${op}:float16 h:float16)`);
    }
    expect(one('T.atan2(x, x)')).toBe('(atan2:float32 x:float32 x:float32)');
    expect(one('T.fmod(x, 1)')).toBe('(fmod:float32 x:float32 1f:float32)');
    expect(one('T.popcount(i)')).toBe('(popcount:int32 i:int32)');
  });

  test('errors: arity (T302), dtype (T304), non-expressions (T310), rank (T303), undefined (T301), axis outside block (T307)', () => {
    const cases: [string, string, string][] = [
      ['T.max(x)', 'T302', 'T.max(x)'],
      ['T.exp(x, x)', 'T302', 'T.exp(x, x)'],
      ['T.Cast("float33", x)', 'T304', '"float33"'],
      ['x + [1]', 'T310', '[1]'],
      ['A + 1', 'T310', 'A'],
      ['A[0]', 'T303', 'A[0]'],
      ['q + 1', 'T301', 'q'],
      ['T.axis.spatial(4, i)', 'T307', 'T.axis.spatial(4, i)'],
    ];
    for (const [src, code, at] of cases) {
      const r = expr(src, [n64, i32, x32], [A]);
      if (code !== 'T301') expect(r.out, src).toBeUndefined();
      expect(r.diags.items.map((d) => [d.code, d.span]), src).toEqual([[code, spanOf(r.text, at)]]);
    }
  });

  test('implicit vars from buildPrimExpr (Relax shapes in the RFC dialect)', () => {
    const r = expr('n * m', [n64], [], true);
    expect(s(r.out!)).toBe('(mul n:int64 m:int64)');
    expect(r.diags.items.map((d) => d.code)).toEqual(['T308']);
    expect(r.scope.lookup('m')).toBeDefined();
  });

  test('symbolicVarDecl recognizes declarations only', () => {
    const decl = (src: string) => {
      const e = (parsePython(`(${src})\n`).module.body[0] as { value: PyExpr }).value;
      return symbolicVarDecl(e, { diags: new DiagnosticBag(), tAliases: new Set(['T']) });
    };
    expect(decl('T.int64()')).toBe('int64');
    expect(decl('T.int32()')).toBe('int32');
    expect(decl('T.int64(is_size_var=True)')).toBe('int64');
    expect(decl('T.var("int64")')).toBe('int64');
    expect(decl('T.int64(4)')).toBeUndefined();
    expect(decl('R.int64()')).toBeUndefined();
  });
});

test('every emitted T3xx code is in the catalog', () => {
  for (const c of ['T301', 'T302', 'T303', 'T304', 'T305', 'T306', 'T307', 'T308', 'T309', 'T310', 'T311', 'T312']) {
    expect(TIR_CODES[c], c).toBeDefined();
  }
});
