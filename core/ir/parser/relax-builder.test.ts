// Tests for the Relax half of the TVMScript parser: IR structure per dialect (RFC, classic, v0.24/25, v0.26,
// PEP 695), struct-info annotations, special call forms, and R2xx errors with their codes and spans.
import { describe, expect, it } from 'vitest';
import { parse } from './relax-builder.js';
import type { IRModule } from '../module.js';
import type { Binding, Call, Expr, RelaxFunction, RelaxVar, StructInfo, TensorSInfo } from '../relax/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';
import { RELAX_CODES } from '../diagnostics/codes-relax.js';

const HDR = 'from tvm.script import ir as I, relax as R, tir as T\n';

function ok(text: string): IRModule {
  const r = parse(text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  expect(r.module).toBeDefined();
  return r.module!;
}

function fn(m: IRModule, name = 'main'): RelaxFunction {
  const f = m.functions.get(name);
  if (!f || f.kind !== 'relax.Function') throw new Error(`no relax function ${name}`);
  return f;
}

function bindings(f: RelaxFunction): Binding[] {
  return f.body.blocks.flatMap((b) => b.bindings);
}

function binding(f: RelaxFunction, name: string): Binding {
  const b = bindings(f).find((x) => x.v.name === name);
  if (!b) throw new Error(`no binding ${name}`);
  return b;
}

function callOf(f: RelaxFunction, name: string): Call {
  const v = binding(f, name).value;
  if (v.kind !== 'relax.Call') throw new Error(`${name} is ${v.kind}`);
  return v;
}

function callee(c: Call): string {
  const o = c.op;
  return o.kind === 'relax.ExternFunc' ? `extern:${o.globalSymbol}` : o.kind === 'relax.GlobalVar' ? `gv:${o.name}` : o.name;
}

function dims(si: StructInfo): readonly PrimExpr[] {
  if (si.kind !== 'si.Tensor' || !si.shape || si.shape.kind !== 'relax.ShapeExpr') throw new Error(`not a shaped tensor: ${si.kind}`);
  return si.shape.values;
}

/** Compact text of a dim for assertions: `n`, `4`, `(n * 2)`. */
function dimText(d: PrimExpr): string {
  if (d.kind === 'tir.Var') return d.name;
  if (d.kind === 'tir.IntImm') return String(d.value);
  if (d.kind === 'tir.Binary') return `(${dimText(d.a)} ${d.op} ${dimText(d.b)})`;
  return d.kind;
}

/** Diagnostics as `CODE "source text at span"`. */
function diags(text: string, severity?: 'error' | 'warning'): string[] {
  return parse(text, { loose: true })
    .diagnostics.filter((d) => !severity || d.severity === severity)
    .map((d) => `${d.code} ${JSON.stringify(d.span ? text.slice(d.span.start, d.span.end) : '')}`);
}

const RFC_CLASS = `import tvm
from tvm import relax
import tvm.script
from tvm.script import relax as R, tir as T

# Relax IRModule written in TVMScript
@tvm.script.ir_module
class MyIRModule:
    # This is a TIR PrimFunc which calls the TIR intrinsic T.exp
    @T.prim_func
    def tir_exp_func(x: T.handle, y: T.handle):
        X = T.match_buffer(x, (n,), "float32")
        Y = T.match_buffer(y, (n,), "float32")
        with T.grid(n) as i:
            Y[i] = T.exp(X[i])

    # This is a Relax function which contains a dataflow block
    # representing a computational graph, as well as a call to an
    # opaque packed function which performs an in-place update to the
    # data in variable gv0.
    @R.function
    def relax_func(x: R.Tensor[(n, k), "float32"], w: R.Tensor[_, "float32"]):
        # n, k above are symbolic variables to represent Tensor dimensions
        with R.dataflow():
            lv0 = R.match_shape(w, (k, m))
            lv1: R.Tensor[(n, m), "float32"] = R.dot(x, lv0)
            lv2: R.Tensor[(n * m,), "float32"] = R.flatten(lv1) 
            lv3: R.Shape = (n * m,)
            gv0 = R.call_tir(tir_exp_func, [lv2], lv3, dtype="float32")
            R.outputs(gv0)

        R.call_packed("custom_inplace_update", gv0)
        return gv0

# Print IRModule with syntax highlighting
MyIRModule.show()
`;

describe('RFC dialect (2022 seed program)', () => {
  const r = parse(RFC_CLASS);
  it('parses with warnings only', () => {
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.module?.name).toBe('MyIRModule');
    expect([...r.module!.functions.keys()]).toEqual(['tir_exp_func', 'relax_func']);
    const codes = new Set(r.diagnostics.map((d) => d.code));
    expect(codes.has('R211')).toBe(true); // implicit n, k
    expect(codes.has('R214')).toBe(true); // R.dot, R.match_shape
  });
  it('builds the dataflow block with shared symbolic vars', () => {
    const f = fn(r.module!, 'relax_func');
    const [x, w] = f.params;
    expect((w!.sinfo as TensorSInfo).ndim).toBe(-1);
    expect(f.body.blocks.map((b) => b.kind)).toEqual(['relax.DataflowBlock', 'relax.BindingBlock']);
    const lv0 = binding(f, 'lv0');
    expect(lv0.kind).toBe('relax.MatchCast');
    expect(lv0.v.kind).toBe('relax.DataflowVar');
    const [k] = dims(lv0.v.sinfo);
    expect(k).toBe(dims(x!.sinfo)[1]); // same TirVar object
    expect(callee(callOf(f, 'lv1'))).toBe('relax.matmul');
    expect(dims(binding(f, 'lv1').v.sinfo)[0]).toBe(dims(x!.sinfo)[0]);
    expect(binding(f, 'lv3').value.kind).toBe('relax.ShapeExpr');
    const ct = callOf(f, 'gv0');
    expect(callee(ct)).toBe('relax.call_tir');
    expect(ct.args[0]).toMatchObject({ kind: 'relax.GlobalVar', name: 'tir_exp_func' });
    expect(ct.args[1]!.kind).toBe('relax.Tuple');
    expect(ct.sinfoArgs[0]).toMatchObject({ kind: 'si.Tensor', dtype: 'float32', ndim: 1 });
    expect(dimText(dims(ct.sinfoArgs[0]!)[0]!)).toBe('(n mul m)'); // the value of lv3, not the block-local var
    expect(f.isPure).toBe(false); // RFC had no purity; it calls call_packed
    expect(binding(f, 'gv0').v.kind).toBe('relax.Var');
    const packed = f.body.blocks[1]!.bindings[0]!;
    expect(callee(packed.value as Call)).toBe('extern:custom_inplace_update');
    expect(f.body.body).toBe(binding(f, 'gv0').v);
  });
});

const CLASSIC = `# from tvm.script import ir as I
# from tvm.script import tir as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    I.module_attrs({"system_lib_prefix": "lib_"})
    I.module_global_infos({"vdevice": [I.vdevice("llvm", 0), I.dummy_global_info()]})

    @T.prim_func(private=True)
    def add_one(A: T.Buffer((T.int64(4),), "float32"), B: T.Buffer((T.int64(4),), "float32")):
        T.func_attr({"tir.noalias": True})
        for i in range(T.int64(4)):
            with T.block("B"):
                vi = T.axis.spatial(T.int64(4), i)
                B[vi] = A[vi] + T.float32(1)

    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), y: R.Tensor((4,), "f32")) -> R.Tuple(R.Tensor(("n", 4), "float32"), R.Tensor((4,), "float32")):
        R.func_attr({"num_input": 1})
        n = T.int64()
        cls = Module
        with R.dataflow():
            lv = R.add(x, R.multiply(y, y))
            lv1: R.Tensor((n, 4), "float32") = R.nn.relu(lv)
            a, b = R.split(lv1, 2, axis=1)
            t = (a, b)
            c = t[0]
            gv = R.call_tir(cls.add_one, (y,), out_sinfo=R.Tensor((4,), dtype="float32"), tir_vars=R.shape([n]))
            R.output(gv, lv1)
        s = R.call_pure_packed("vm.builtin.shape_of", lv1, sinfo_args=R.Shape(ndim=2))
        z = helper(lv1)
        return (lv1, gv)

    @R.function(private=True)
    def helper(x: R.Tensor(("m", 4), "float32")) -> R.Tensor(("m", 4), "float32"):
        m = T.int64()
        y = R.match_cast(x, R.Tensor((m, 4), "float32"))
        if R.const(True, "bool"):
            z = R.add(y, y)
            w = z
        else:
            w = y
        return w
`;

describe('classic dialect', () => {
  const m = ok(CLASSIC);
  const f = fn(m);
  it('reads module attrs, global infos and header-comment aliases', () => {
    expect(m.attrs?.entries).toEqual([['system_lib_prefix', 'lib_']]);
    expect(m.globalInfos?.[0]?.[0]).toBe('vdevice');
    expect(m.globalInfos?.[0]?.[1].map((g) => g.ctor)).toEqual(['vdevice', 'dummy']);
    expect(m.functions.get('add_one')?.kind).toBe('tir.PrimFunc');
    expect(f.attrs?.entries[0]?.[0]).toBe('num_input');
  });
  it('normalizes nested calls into fresh bindings before their use', () => {
    const names = bindings(f).map((b) => b.v.name);
    expect(names.slice(0, 3)).toEqual(['lv2', 'lv', 'lv1']);
    const add = callOf(f, 'lv');
    expect(add.args[1]).toBe(binding(f, 'lv2').v);
  });
  it('makes DataflowVars except for outputs, and annotation wins', () => {
    expect(binding(f, 'lv').v.kind).toBe('relax.DataflowVar');
    expect(binding(f, 'lv1').v.kind).toBe('relax.Var');
    expect(binding(f, 'gv').v.kind).toBe('relax.Var');
    const lv1 = binding(f, 'lv1');
    expect(lv1.kind === 'relax.VarBinding' && lv1.annotated).toBe(true);
    // `n = T.int64()` reuses the var the string dim "n" declared
    expect(dims(lv1.v.sinfo)[0]).toBe(dims(f.params[0]!.sinfo)[0]);
  });
  it('binds op args and attrs in signature order', () => {
    const split = bindings(f).find((b) => b.value.kind === 'relax.Call' && callee(b.value) === 'relax.split')!;
    const c = split.value as Call;
    expect(c.attrs?.entries.map(([k]) => k)).toEqual(['indices_or_sections', 'axis']);
    expect(binding(f, 'a').value).toMatchObject({ kind: 'relax.TupleGetItem', index: 0, tuple: split.v });
    expect(binding(f, 'b').value).toMatchObject({ kind: 'relax.TupleGetItem', index: 1 });
    expect(binding(f, 't').value.kind).toBe('relax.Tuple');
    expect(binding(f, 'c').value).toMatchObject({ kind: 'relax.TupleGetItem', index: 0 });
  });
  it('reads classic call_tir with out_sinfo and tir_vars', () => {
    const c = callOf(f, 'gv');
    expect(callee(c)).toBe('relax.call_tir');
    expect(c.args[0]).toMatchObject({ kind: 'relax.GlobalVar', name: 'add_one' });
    const tup = c.args[1]!;
    expect(tup.kind).toBe('relax.Tuple');
    const fields = (tup as unknown as { fields: Expr[] }).fields;
    expect(fields[1]).toMatchObject({ kind: 'relax.PrimValue' });
    expect((fields[1] as { value: PrimExpr }).value).toBe(dims(f.params[0]!.sinfo)[0]);
    expect(c.sinfoArgs.map((s) => s.kind)).toEqual(['si.Tensor']);
  });
  it('reads call_pure_packed, GlobalVar calls and the return tuple', () => {
    const s = callOf(f, 's');
    expect(callee(s)).toBe('relax.call_pure_packed');
    expect(s.args[0]).toMatchObject({ kind: 'relax.ExternFunc', globalSymbol: 'vm.builtin.shape_of' });
    expect(s.sinfoArgs).toEqual([{ kind: 'si.Shape', ndim: 2 }]);
    expect(callee(callOf(f, 'z'))).toBe('gv:helper');
    expect(f.body.body.kind).toBe('relax.Tuple');
    expect(f.body.blocks.map((b) => b.kind)).toEqual(['relax.DataflowBlock', 'relax.BindingBlock']);
  });
  it('builds if/else per README rule 7 and match_cast', () => {
    const h = fn(m, 'helper');
    expect(h.isPrivate).toBe(true);
    const y = binding(h, 'y');
    expect(y.kind).toBe('relax.MatchCast');
    const w = binding(h, 'w');
    expect(w.value.kind).toBe('relax.If');
    const iff = w.value as Extract<Expr, { kind: 'relax.If' }>;
    expect(iff.trueBranch.blocks[0]!.bindings.map((b) => b.v.name)).toEqual(['z']);
    expect(iff.trueBranch.body).toBe(iff.trueBranch.blocks[0]!.bindings[0]!.v);
    expect(iff.falseBranch.blocks).toEqual([]);
    expect(iff.falseBranch.body).toBe(y.v);
    expect(h.body.body).toBe(w.v);
  });
});

describe('v0.24 / v0.25 / v0.26 spellings', () => {
  it('reads tirx, s_tir, out_ty, ty_args, R.Any and inline symbolic call_tir args', () => {
    const m = ok(`from tvm.script import ir as I
from tvm.script import tirx as T
from tvm.script import relax as R

@I.ir_module(s_tir=True)
class Module:
    @T.prim_func(private=True, s_tir=True)
    def k(A: T.Buffer((T.int64(2),), "float32"), B: T.Buffer((T.int64(2),), "float32")):
        T.func_attr({"tirx.noalias": True})
        for i in range(T.int64(2)):
            with T.sblock("B"):
                vi = T.axis.spatial(T.int64(2), i)
                B[vi] = A[vi]

    @R.function(pure=False)
    def main(x: R.Tensor((2,), dtype="float32"), n: T.int64) -> R.Any:
        cls = Module
        y = R.call_tir(cls.k, (x, n), out_ty=R.Tensor((2,), dtype="float32"))
        z = R.call_packed("vm.builtin.copy", y, ty_args=R.Tensor((2,), dtype="float32"))
        u = R.call_dps_packed("ext", (z,), out_ty=[R.Tensor((2,), "float32"), R.Tensor((2,), "float32")])
        return z

    @R.function
    def prim() -> T.int64:
        return 1
`);
    const f = fn(m);
    expect(f.isPure).toBe(false);
    expect(f.params[1]!.sinfo).toEqual({ kind: 'si.Prim', dtype: 'int64' });
    expect(f.retSInfo).toEqual({ kind: 'si.Object' });
    const y = callOf(f, 'y');
    expect((y.args[1] as unknown as { fields: Expr[] }).fields[1]).toBe(f.params[1]);
    const z = callOf(f, 'z');
    expect(callee(z)).toBe('extern:vm.builtin.copy');
    expect(z.sinfoArgs).toHaveLength(1);
    const u = callOf(f, 'u');
    expect(callee(u)).toBe('relax.call_dps_packed');
    expect(u.args.map((a) => a.kind)).toEqual(['relax.ExternFunc', 'relax.Tuple']);
    expect(u.sinfoArgs).toHaveLength(2);
    const p = fn(m, 'prim');
    expect(p.retSInfo).toEqual({ kind: 'si.Prim', dtype: 'int64' });
    expect(p.body.body).toMatchObject({ kind: 'relax.PrimValue', value: { kind: 'tir.IntImm', value: 1, dtype: 'int64' } });
  });

  it('reads PEP 695 type params and module-level TypeVars', () => {
    const m = ok(`${HDR}from typing import TypeVar
N = TypeVar("N")

@I.ir_module
class Module:
    @R.function
    def main[M](x: R.Tensor((M, M * 2), "float32"), y: R.Tensor((N,), "float32")) -> R.Tensor((M, M * 2), "float32"):
        z: R.Tensor((M, M * 2), "float32") = R.add(x, x)
        return z
`);
    const f = fn(m);
    expect(f.typeParams?.map((v) => v.name)).toEqual(['M']);
    const [M, M2] = dims(f.params[0]!.sinfo);
    expect(M).toBe(f.typeParams![0]);
    expect(dimText(M2!)).toBe('(M mul 2)');
    expect(dims(binding(f, 'z').v.sinfo)[0]).toBe(M);
    expect(dimText(dims(f.params[1]!.sinfo)[0]!)).toBe('N');
  });

  it('makes a one-function module from a bare top-level @R.function and ignores other Python', () => {
    const m = ok(`${HDR}
@R.function
def f(x: R.Tensor((3,), "float32")) -> R.Tensor((3,), "float32"):
    y = x + x
    return y

print(f)
mod = tvm.IRModule({"f": f})
`);
    expect([...m.functions.keys()]).toEqual(['f']);
    expect(callee(callOf(fn(m, 'f'), 'y'))).toBe('relax.add');
  });
});

describe('struct-info annotations', () => {
  const m = ok(`${HDR}
@I.ir_module
class Module:
    @R.function
    def main(
        a: R.Tensor((2, 3), "float32"),
        b: R.Tensor((2, 3), dtype="float16"),
        c: R.Tensor("float32", ndim=2),
        d: R.Tensor(ndim=2),
        e: R.Tensor,
        f: R.Tensor((), "bool"),
        g: R.Tensor((4,), "float32", vdevice="llvm:0"),
        h: R.Tensor(("n", "n * 2"), "float32"),
        sh: R.Shape(["n", 4]),
        i: R.Tensor(sh, "float32"),
        j: R.Shape(ndim=3),
        k: R.Shape,
        l: R.Tuple(R.Tensor((2,), "float32"), R.Shape([1])),
        m0: R.Tuple,
        m1: R.Tuple(),
        o: R.Any,
        p: R.Object,
        q: R.Callable((R.Tensor((2,), "float32"),), R.Tensor((2,), "float32"), False),
        r: R.PackedFunc,
        s: R.Prim("int64"),
        t: R.Prim(value="k2"),
        u: T.float32,
        v: T.bool,
    ) -> R.Tensor(("n",), "float32"):
        w = R.Prim(value=k2)
        return h
`.replace('        w = R.Prim(value=k2)\n', ''));
  const ps = new Map(fn(m).params.map((p) => [p.name, p.sinfo]));
  it('reads tensor forms', () => {
    expect(dims(ps.get('a')!).map(dimText)).toEqual(['2', '3']);
    expect(ps.get('b')).toMatchObject({ dtype: 'float16', ndim: 2 });
    expect(ps.get('c')).toEqual({ kind: 'si.Tensor', dtype: 'float32', ndim: 2 });
    expect(ps.get('d')).toEqual({ kind: 'si.Tensor', dtype: '', ndim: 2 });
    expect(ps.get('e')).toEqual({ kind: 'si.Tensor', dtype: '', ndim: -1 });
    expect(ps.get('f')).toMatchObject({ dtype: 'bool', ndim: 0 });
    expect(ps.get('g')).toMatchObject({ vdevice: 'llvm:0', ndim: 1 });
    expect(dims(ps.get('h')!).map(dimText)).toEqual(['n', '(n mul 2)']);
    const i = ps.get('i') as TensorSInfo;
    expect(i.shape).toMatchObject({ kind: 'relax.Var', name: 'sh' });
    expect(i.ndim).toBe(2);
  });
  it('reads shape, tuple, object, callable and prim forms', () => {
    const sh = ps.get('sh')!;
    expect(sh.kind === 'si.Shape' && sh.values?.[0]).toBe(dims(ps.get('h')!)[0]);
    expect(ps.get('j')).toEqual({ kind: 'si.Shape', ndim: 3 });
    expect(ps.get('k')).toEqual({ kind: 'si.Shape', ndim: -1 });
    expect(ps.get('l')).toMatchObject({ kind: 'si.Tuple', fields: [{ kind: 'si.Tensor' }, { kind: 'si.Shape', ndim: 1 }] });
    expect(ps.get('m0')).toEqual({ kind: 'si.Tuple', fields: [] });
    expect(ps.get('m1')).toEqual({ kind: 'si.Tuple', fields: [] });
    expect(ps.get('o')).toEqual({ kind: 'si.Object' });
    expect(ps.get('p')).toEqual({ kind: 'si.Object' });
    expect(ps.get('q')).toMatchObject({ kind: 'si.Func', purity: false, params: [{ kind: 'si.Tensor' }] });
    expect(ps.get('r')).toMatchObject({ kind: 'si.Func', packed: true });
    expect(ps.get('s')).toEqual({ kind: 'si.Prim', dtype: 'int64' });
    expect(ps.get('t')).toMatchObject({ kind: 'si.Prim', dtype: 'int64', value: { kind: 'tir.Var', name: 'k2' } });
    expect(ps.get('u')).toEqual({ kind: 'si.Prim', dtype: 'float32' });
    expect(ps.get('v')).toEqual({ kind: 'si.Prim', dtype: 'bool' });
  });
  it('reads RFC subscripts and dtype shorthands', () => {
    const m2 = ok(`${HDR}
@R.function
def f(x: R.Tensor[(2, 3), "f32"], y: R.Tensor[_, "i64"]) -> R.Tensor[(2, 3), "float32"]:
    return x
`);
    const [x, y] = fn(m2, 'f').params;
    expect(x!.sinfo).toMatchObject({ dtype: 'float32', ndim: 2 });
    expect(y!.sinfo).toEqual({ kind: 'si.Tensor', dtype: 'int64', ndim: -1 });
  });
});

describe('expressions and special forms', () => {
  const m = ok(`${HDR}
metadata = tvm.ir.load_json("""{"root": 1}""")

@I.ir_module
class Module:
    @R.function(pure=False)
    def main(x: R.Tensor((2, 2), "float32"), n: R.Prim("int64")) -> R.Tensor((2, 2), "float32"):
        c0 = R.const(1.5, "float32")
        c1 = R.const([[1, 2], [3, -4]], "int32")
        c2 = R.const(True)
        c3 = metadata["relax.expr.Constant"][0]
        s = R.shape([2, 2])
        p = R.prim_value(3)
        st = R.str("hello")
        dt = R.dtype("float16")
        nv = R.null_value()
        tp = R.tuple(x, c0)
        g = R.TupleGetItem(tp, 1)
        ef = R.ExternFunc("my_func")
        a = R.add(c1, 1)
        u = R.some.unknown_op(x, 3, flag=True, ty_args=R.Tensor((2, 2), "float32"))
        r = R.reshape(x, (4,))
        q = R.call_packed(ef, x, sinfo_args=[R.Object])
        return x
`);
  const f = fn(m);
  it('builds constants', () => {
    expect(binding(f, 'c0').value).toMatchObject({ kind: 'relax.Constant', dtype: 'float32', shape: [], data: [1.5] });
    expect(binding(f, 'c1').value).toMatchObject({ kind: 'relax.Constant', dtype: 'int32', shape: [2, 2], data: [1, 2, 3, -4] });
    expect(binding(f, 'c2').value).toMatchObject({ kind: 'relax.Constant', dtype: 'bool', data: [true] });
    expect(binding(f, 'c3').value).toMatchObject({ kind: 'relax.Constant', dtype: '', metaRef: { key: 'relax.expr.Constant', index: 0 } });
    expect(m.metadata).toBe('{"root": 1}');
  });
  it('builds literal forms', () => {
    expect(binding(f, 's').value.kind).toBe('relax.ShapeExpr');
    expect(binding(f, 'p').value).toMatchObject({ kind: 'relax.PrimValue', value: { value: 3, dtype: 'int64' } });
    expect(binding(f, 'st').value).toMatchObject({ kind: 'relax.StringImm', value: 'hello' });
    expect(binding(f, 'dt').value).toMatchObject({ kind: 'relax.DataTypeImm', value: 'float16' });
    expect(callee(callOf(f, 'nv'))).toBe('relax.null_value');
    expect(binding(f, 'tp').value.kind).toBe('relax.Tuple');
    expect(binding(f, 'g').value).toMatchObject({ kind: 'relax.TupleGetItem', index: 1 });
    expect(binding(f, 'ef').value).toMatchObject({ kind: 'relax.ExternFunc', globalSymbol: 'my_func' });
  });
  it('turns a number for a tensor parameter into a scalar const', () => {
    expect(callOf(f, 'a').args[1]).toMatchObject({ kind: 'relax.Constant', dtype: 'int32', shape: [], data: [1] });
    expect(callOf(f, 'r').args[1]).toMatchObject({ kind: 'relax.ShapeExpr' });
  });
  it('keeps unknown ops with attrs and ty_args, with a warning', () => {
    const u = callOf(f, 'u');
    expect(callee(u)).toBe('relax.some.unknown_op');
    expect(u.args[1]).toMatchObject({ kind: 'relax.PrimValue' });
    expect(u.attrs?.entries).toEqual([['flag', true]]);
    expect(u.sinfoArgs).toHaveLength(1);
  });
  it('calls a bound ExternFunc var with call_packed', () => {
    const q = callOf(f, 'q');
    expect(q.op).toBe(binding(f, 'ef').v);
    expect(q.sinfoArgs).toEqual([{ kind: 'si.Object' }]);
  });
  it('warns on unknown ops', () => {
    const text = `${HDR}@R.function\ndef f(x: R.Tensor((2,), "float32")):\n    y = R.foo.bar(x)\n    return y\n`;
    expect(diags(text)).toEqual(['R202 "R.foo.bar(x)"']);
  });
  it('reads forward GlobalVar references, local functions and elif', () => {
    const m2 = ok(`${HDR}
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2,), "float32"), c: R.Tensor((), "bool")) -> R.Tensor((2,), "float32"):
        @R.function
        def inner(y: R.Tensor((2,), "float32")) -> R.Tensor((2,), "float32"):
            return R.add(y, x)

        a = Module.later(x)
        b = inner(a)
        if c:
            d = a
        elif c:
            d = b
        else:
            d = x
        return d

    @R.function
    def later(x: R.Tensor((2,), "float32")) -> R.Tensor((2,), "float32"):
        return x
`);
    const f2 = fn(m2);
    expect(binding(f2, 'inner').value.kind).toBe('relax.Function');
    expect(binding(f2, 'inner').v.sinfo.kind).toBe('si.Func');
    expect(callOf(f2, 'a').op).toMatchObject({ kind: 'relax.GlobalVar', name: 'later' });
    expect(binding(f2, 'a').v.sinfo).toMatchObject({ kind: 'si.Tensor', ndim: 1 });
    expect(callOf(f2, 'b').op).toBe(binding(f2, 'inner').v);
    const d = binding(f2, 'd').value as Extract<Expr, { kind: 'relax.If' }>;
    expect(d.falseBranch.body.kind).toBe('relax.If');
    const inner = binding(f2, 'inner').value as RelaxFunction;
    expect(inner.body.body.kind).toBe('relax.Var'); // `return R.add(...)` is bound first
    expect(inner.body.blocks[0]!.bindings[0]!.value).toMatchObject({ kind: 'relax.Call', args: [inner.params[0], f2.params[0]] });
  });
});

describe('more call forms', () => {
  it('reads call_tir_inplace, call_tir_with_grad, RFC call_dps_packed and builtin names', () => {
    const m = ok(`${HDR}
@I.ir_module
class Module:
    @T.prim_func
    def k(A: T.Buffer((T.int64(2),), "float32")):
        A[0] = T.float32(1)

    @R.function(pure=False)
    def main(x: R.Tensor((2,), "float32")) -> R.Tensor((2,), "float32"):
        a = R.call_tir_inplace(Module.k, (x,), inplace_indices=[0, -1], out_sinfo=[R.Tensor((2,), "float32")])
        b = R.call_tir_with_grad(Module.k, (x,), out_sinfo=R.Tensor((2,), "float32"), te_grad_name="k_grad", te_grad_kwargs={"alpha": 1.0})
        c = R.call_tir("k", x, R.Tensor((2,), "float32"))
        d = R.call_dps_packed("ext", (x,), (2,), dtype="float32")
        e = R.call_builtin_with_ctx("vm.builtin.alloc_shape_heap", (R.prim_value(2),), sinfo_args=[R.Object])
        return x
`);
    const f = fn(m);
    const a = callOf(f, 'a');
    expect(a.attrs?.entries[0]?.[0]).toBe('inplace_indices');
    expect((a.attrs?.entries[0]?.[1] as unknown[]).length).toBe(2);
    const b = callOf(f, 'b');
    expect(b.attrs?.entries.map(([k]) => k)).toEqual(['te_grad_name', 'te_grad_kwargs']);
    expect(b.attrs?.entries[0]?.[1]).toBe('k_grad');
    const c = callOf(f, 'c');
    expect(c.args[0]).toMatchObject({ kind: 'relax.GlobalVar', name: 'k' });
    expect(c.args[1]).toMatchObject({ kind: 'relax.Tuple', fields: [f.params[0]] });
    const d = callOf(f, 'd');
    expect(d.sinfoArgs[0]).toMatchObject({ kind: 'si.Tensor', dtype: 'float32', ndim: 1 });
    expect(callOf(f, 'e').args[0]).toMatchObject({ kind: 'relax.ExternFunc', globalSymbol: 'vm.builtin.alloc_shape_heap' });
  });
  it('reads @R.func, T.var, positional vdevice and a final returning if', () => {
    const m = ok(`${HDR}
@R.func
def f(x: R.Tensor((2,), "float32", "llvm:0"), c: R.Tensor((), "bool")):
    n = T.var("int64")
    y = R.match_cast(x, R.Tensor((n,), "float32"))
    if c:
        return y
    else:
        z = R.add(x, x)
        return z
`);
    const f = fn(m, 'f');
    expect(f.params[0]!.sinfo).toMatchObject({ vdevice: 'llvm:0' });
    expect(dims(binding(f, 'y').v.sinfo)[0]).toMatchObject({ kind: 'tir.Var', name: 'n', dtype: 'int64' });
    const ret = f.body.body as RelaxVar;
    const iff = binding(f, ret.name).value as Extract<Expr, { kind: 'relax.If' }>;
    expect(iff.kind).toBe('relax.If');
    expect(iff.trueBranch.body).toBe(binding(f, 'y').v);
    expect(iff.falseBranch.blocks[0]!.bindings[0]!.v.name).toBe('z');
  });
  it('reads variadic R.print and skips statements with malformed literals', () => {
    const m = ok(`${HDR}@R.function(pure=False)\ndef f(x: R.Tensor((2,), "float32")):\n    _ = R.print(x, x, format="{} {}")\n    return x\n`);
    const p = callOf(fn(m, 'f'), '_');
    expect(p.args).toHaveLength(2);
    expect(p.attrs?.entries).toEqual([['format', '{} {}']]);
    const r = parse(`${HDR}@R.function\ndef f(x: R.Tensor((4, 4), "float32")):\n    a, b = R.split(x, 2, axis=1def)\n    return x\n`, { loose: true });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P108']);
    expect(bindings(fn(r.module!, 'f'))).toEqual([]);
  });
  it('drops the normalized bindings of a statement that failed', () => {
    const r = parse(`${HDR}@R.function\ndef f(x: R.Tensor((2,), "float32")):\n    y = R.add(R.multiply(x, x), nope)\n    return x\n`, { loose: true });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['R201']);
    expect(bindings(fn(r.module!, 'f'))).toEqual([]);
  });
});

describe('errors (codes and spans)', () => {
  const wrap = (body: string, sig = 'x: R.Tensor((2,), "float32")'): string =>
    `${HDR}@I.ir_module\nclass Module:\n    @R.function\n    def main(${sig}):\n${body
      .split('\n')
      .map((l) => `        ${l}`)
      .join('\n')}\n`;

  it('every code used has a catalog entry', () => {
    for (const c of ['R201', 'R202', 'R203', 'R205', 'R210', 'R220', 'R231', 'R299']) expect(RELAX_CODES[c]).toBeDefined();
  });
  it('R201 undefined name', () => {
    expect(diags(wrap('y = R.add(x, zz)\nreturn y'), 'error')).toEqual(['R201 "zz"']);
  });
  it('R201 undeclared symbolic name outside the RFC dialect', () => {
    expect(diags(wrap('return x', 'x: R.Tensor((n,), "float32")'), 'error')).toEqual(['R201 "n"']);
  });
  it('R203/R204/R205/R206 op argument binding', () => {
    expect(diags(wrap('y = R.add(x)\nreturn x'), 'error')).toEqual(['R203 "R.add(x)"']);
    expect(diags(wrap('y = R.add(x, x, x)\nreturn x'), 'error')).toEqual(['R204 "x"']);
    expect(diags(wrap('y = R.nn.softmax(x, axes=1)\nreturn x'), 'error')).toEqual(['R205 "axes=1"']);
    expect(diags(wrap('y = R.nn.softmax(x, 0, axis=1)\nreturn x'), 'error')).toEqual(['R206 "axis=1"']);
  });
  it('R210 bad annotation', () => {
    expect(diags(wrap('return x', 'x: R.Tensr((2,), "float32")'), 'error')).toEqual(['R210 "R.Tensr((2,), \\"float32\\")"']);
    expect(diags(wrap('return x', 'x'), 'error')).toEqual(['R210 "x"']);
  });
  it('R212 T.int32 as a shape var', () => {
    expect(diags(wrap('m = T.int32()\ny = R.match_cast(x, R.Tensor((m,), "float32"))\nreturn y'), 'error')).toEqual(['R212 "m"']);
  });
  it('R220/R221/R222/R223 dataflow outputs', () => {
    expect(diags(wrap('with R.dataflow():\n    y = R.add(x, x)\n    R.output(y)\n    R.output(y)\nreturn y'), 'error')).toEqual(['R220 "R.output(y)"']);
    expect(diags(wrap('R.output(x)\nreturn x'), 'error')).toEqual(['R221 "R.output(x)"']);
    expect(diags(wrap('with R.dataflow():\n    y = R.add(x, x)\n    R.output(y)\n    z = R.add(y, y)\nreturn y'), 'error')).toEqual(['R222 "z = R.add(y, y)"']);
    expect(diags(wrap('with R.dataflow():\n    y = R.add(x, x)\n    R.output(x)\nreturn x'), 'error')).toEqual(['R223 "x"']);
  });
  it('dataflow-local vars do not escape the block', () => {
    expect(diags(wrap('with R.dataflow():\n    y = R.add(x, x)\n    R.output()\nreturn y'), 'error')).toEqual(['R201 "y"']);
  });
  it('R224 if inside dataflow, R225 other with', () => {
    const ifDf = wrap('with R.dataflow():\n    if x:\n        y = x\n    else:\n        y = x\n    R.output()\nreturn x');
    expect(diags(ifDf, 'error')).toEqual([`R224 ${JSON.stringify('if x:\n                y = x\n            else:\n                y = x')}`]);
    expect(diags(wrap('with open("f"):\n    pass\nreturn x'), 'error').map((d) => d.slice(0, 4))).toEqual(['R225']);
  });
  it('R230 return not last, R231 missing return', () => {
    expect(diags(wrap('return x\ny = x'), 'error')).toEqual(['R230 "return x"']);
    expect(diags(wrap('y = x'), 'error')).toEqual(['R231 "main"']);
  });
  it('R232 var escaping an if-branch, R233 mismatched branches', () => {
    expect(diags(wrap('if x:\n    t = x\n    y = t\nelse:\n    y = x\nreturn t'), 'error')).toEqual(['R232 "t"']);
    expect(diags(wrap('if x:\n    y = x\nelse:\n    z = x\nreturn x'), 'error')).toEqual(['R233 "z = x"']);
  });
  it('R234 unsupported statement, R235 bad target', () => {
    expect(diags(wrap('for i in range(3):\n    pass\nreturn x'), 'error').map((d) => d.slice(0, 4))).toEqual(['R234']);
    expect(diags(wrap('x[0] = x\nreturn x'), 'error')).toEqual(['R235 "x[0]"']);
  });
  it('R240 duplicate function names', () => {
    const text = `${HDR}@I.ir_module\nclass Module:\n    @R.function\n    def f(x: R.Tensor):\n        return x\n\n    @R.function\n    def f(x: R.Tensor):\n        return x\n`;
    expect(diags(text, 'error')).toEqual(['R240 "f"']);
  });
  it('R250 bad call_tir callee', () => {
    expect(diags(wrap('y = R.call_tir(nope, (x,), out_ty=R.Tensor((2,), "float32"))\nreturn y'), 'error')).toEqual(['R250 "nope"']);
  });
  it('R252 non-literal tuple index', () => {
    expect(diags(wrap('t = (x, x)\ny = t[x]\nreturn y'), 'error')).toEqual(['R252 "x"']);
  });
  it('strict mode returns no module on errors; loose mode keeps going', () => {
    const text = `${HDR}@I.ir_module\nclass Module:\n    @R.function\n    def f(x: R.Tensor((2,), "float32")):\n        y = R.add(x, q)\n        z = R.add(y, x)\n        return z\n\n    @R.function\n    def g(x: R.Tensor((2,), "float32")):\n        return x\n`;
    const strict = parse(text);
    expect(strict.module).toBeUndefined();
    expect(strict.diagnostics.map((d) => d.code)).toEqual(['R201']);
    const loose = parse(text, { loose: true });
    expect([...loose.module!.functions.keys()]).toEqual(['f', 'g']);
    expect(bindings(fn(loose.module!, 'f')).map((b) => b.v.name)).toEqual(['z']);
  });
  it('syntax errors come through with the partial module in loose mode', () => {
    const r = parse(`${HDR}@R.function\ndef f(x: R.Tensor((2,), "float32")):\n    y = R.add(x, \n    return x\n`, { loose: true });
    expect(r.diagnostics.some((d) => d.code.startsWith('P'))).toBe(true);
    expect(r.module).toBeDefined();
  });
});

describe('performance', () => {
  it('parses a 10,000-binding function (speed: npm run bench)', () => {
    const lines = ['        v0 = R.add(x, x)'];
    for (let i = 1; i < 10000; i++) lines.push(`        v${i} = R.multiply(v${i - 1}, x)`);
    const text = `${HDR}@I.ir_module\nclass Module:\n    @R.function\n    def main(x: R.Tensor((8, "n"), "float32")):\n        n = T.int64()\n        with R.dataflow():\n${lines.map((l) => '    ' + l).join('\n')}\n            R.output(v9999)\n        return v9999\n`;
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(bindings(fn(r.module!)).length).toBe(10000);
  });
});


