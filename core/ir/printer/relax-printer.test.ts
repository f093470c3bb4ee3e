import { describe, expect, it } from 'vitest';
import { printExpr, printModule, printModuleWithSpans, printStructInfo } from './index.js';
import { irModule } from '../module.js';
import type { BaseFunc } from '../module.js';
import { attrDict } from '../attrs.js';
import { call, op, relaxVar, SI } from '../relax/nodes.js';
import type {
  Binding, BindingBlock, Expr, ExternFunc, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
} from '../relax/nodes.js';
import { binary, boolImm, floatImm, intImm, tvar } from '../tir/nodes.js';
import type { PrimExpr } from '../tir/nodes.js';

// ---------------------------------------------------------------- IR helpers

const i64 = (v: number): PrimExpr => intImm(v, 'int64');
const f32 = (...dims: (number | PrimExpr)[]): StructInfo =>
  SI.tensor(dims.map((d) => (typeof d === 'number' ? i64(d) : d)), 'float32');
const bind = (v: RelaxVar, value: Expr): Binding => ({ kind: 'relax.VarBinding', v, value });
const bb = (...bindings: Binding[]): BindingBlock => ({ kind: 'relax.BindingBlock', bindings });
const df = (...bindings: Binding[]): BindingBlock => ({ kind: 'relax.DataflowBlock', bindings });
const seq = (blocks: BindingBlock[], body: Expr): SeqExpr => ({ kind: 'relax.SeqExpr', blocks, body });
const gv = (name: string): Expr => ({ kind: 'relax.GlobalVar', name });
const extern = (s: string): ExternFunc => ({ kind: 'relax.ExternFunc', globalSymbol: s });
const tuple = (...fields: Expr[]): Expr => ({ kind: 'relax.Tuple', fields });
const pv = (value: PrimExpr): Expr => ({ kind: 'relax.PrimValue', value });

function fn(params: RelaxVar[], body: SeqExpr, ret: StructInfo, extra: Partial<RelaxFunction> = {}): RelaxFunction {
  return { kind: 'relax.Function', params, body, retSInfo: ret, isPure: true, isPrivate: false, ...extra };
}

function mod(fns: [string, BaseFunc][], extra = {}): ReturnType<typeof irModule> {
  return irModule('Module', new Map(fns), extra);
}

/** The printed body of the only function, without header and class lines, dedented by 4. */
function printFn(f: RelaxFunction, classic = false): string {
  const text = printModule(mod([['main', f]]), classic ? { dialect: 'classic' } : {});
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('class '));
  return lines.slice(start + 1).map((l) => l.slice(4)).join('\n').trimEnd();
}

// ---------------------------------------------------------------- tests

describe('module layout', () => {
  const n = tvar('n');
  const x = relaxVar('x', f32(n, 4));
  const lv = relaxVar('lv', f32(n, 4), true);
  const gv0 = relaxVar('gv', f32(n, 4));
  const main = fn([x], seq([df(bind(lv, call(op('relax.add'), [x, x])), bind(gv0, call(op('relax.nn.relu'), [lv])))], gv0), f32(n, 4), {
    attrs: attrDict([['global_symbol', 'main'], ['num_input', i64(1)]]),
  });

  it('prints the v0.26 canonical form', () => {
    expect(printModule(mod([['main', main]]))).toBe(
      [
        '# from tvm.script import ir as I',
        '# from tvm.script import tirx as T',
        '# from tvm.script import relax as R',
        '',
        '@I.ir_module',
        'class Module:',
        '    @R.function',
        '    def main(x: R.Tensor(("n", 4), dtype="float32")) -> R.Tensor(("n", 4), dtype="float32"):',
        '        n = T.int64()',
        '        R.func_attr({"global_symbol": "main", "num_input": 1})',
        '        with R.dataflow():',
        '            lv: R.Tensor((n, 4), dtype="float32") = R.add(x, x)',
        '            gv: R.Tensor((n, 4), dtype="float32") = R.nn.relu(lv)',
        '            R.output(gv)',
        '        return gv',
        '',
      ].join('\n'),
    );
  });

  it('prints classic headers', () => {
    const text = printModule(mod([['main', main]]), { dialect: 'classic' });
    expect(text.startsWith('# from tvm.script import ir as I\n# from tvm.script import tir as T\n# from tvm.script import relax as R\n\n')).toBe(true);
  });

  it('separates functions by one blank line and prints module attrs, global infos and metadata', () => {
    const y = relaxVar('y', SI.object());
    const f = fn([y], seq([], y), SI.object(), { isPure: false, isPrivate: true });
    const m = mod([['f', f], ['g', fn([], seq([], tuple()), SI.tuple([]))]], {
      attrs: attrDict([['system_lib_prefix', 'lib_']]),
      globalInfos: [['vdevice', [{ kind: 'ir.GlobalInfo', ctor: 'vdevice', args: [attrDict([['kind', 'cuda']]), i64(0), 'global'], kwargs: [] }]]],
      metadata: '{"a": 1}',
    });
    expect(printModule(m)).toBe(
      [
        '# from tvm.script import ir as I',
        '# from tvm.script import relax as R',
        '',
        'metadata = tvm.ir.load_json("""{"a": 1}""")',
        '',
        '@I.ir_module',
        'class Module:',
        '    I.module_attrs({"system_lib_prefix": "lib_"})',
        '    I.module_global_infos({"vdevice": [I.vdevice({"kind": "cuda"}, 0, "global")]})',
        '',
        '    @R.function(pure=False, private=True)',
        '    def f(y: R.Any) -> R.Any:',
        '        return y',
        '',
        '    @R.function',
        '    def g() -> R.Tuple:',
        '        return R.tuple()',
        '',
      ].join('\n'),
    );
  });
});

describe('struct info', () => {
  const n = tvar('n');
  const sh = relaxVar('sh', SI.shape(undefined, 2));
  const cases: [StructInfo, string, string][] = [
    [f32(n, 4), 'R.Tensor((n, 4), dtype="float32")', 'R.Tensor((n, 4), dtype="float32")'],
    [SI.tensor([], 'bool'), 'R.Tensor((), dtype="bool")', 'R.Tensor((), dtype="bool")'],
    [SI.tensor([i64(3)], ''), 'R.Tensor((3,))', 'R.Tensor((3,))'],
    [SI.tensorNdim('float32', 2), 'R.Tensor(dtype="float32", ndim=2)', 'R.Tensor(dtype="float32", ndim=2)'],
    [SI.tensorNdim('float32', -1), 'R.Tensor(dtype="float32")', 'R.Tensor(dtype="float32")'],
    [SI.tensorNdim('', 2), 'R.Tensor(ndim=2)', 'R.Tensor(ndim=2)'],
    [SI.tensorNdim('', -1), 'R.Tensor', 'R.Tensor'],
    [{ kind: 'si.Tensor', shape: sh, dtype: 'float32', ndim: 2 }, 'R.Tensor(sh, dtype="float32")', 'R.Tensor(sh, dtype="float32")'],
    [SI.tensor([i64(2)], 'float16', 'cuda:0'), 'R.Tensor((2,), dtype="float16", vdevice="cuda:0")', 'R.Tensor((2,), dtype="float16", vdevice="cuda:0")'],
    [SI.shape([n, i64(4)]), 'R.Shape([n, 4])', 'R.Shape([n, 4])'],
    [SI.shape(undefined, 3), 'R.Shape(ndim=3)', 'R.Shape(ndim=3)'],
    [SI.shape(undefined), 'R.Shape', 'R.Shape'],
    [SI.tuple([f32(2), SI.object()]), 'R.Tuple(R.Tensor((2,), dtype="float32"), R.Any)', 'R.Tuple(R.Tensor((2,), dtype="float32"), R.Object)'],
    [SI.tuple([]), 'R.Tuple', 'R.Tuple'],
    [SI.object(), 'R.Any', 'R.Object'],
    [SI.prim('int64'), 'T.int64', 'R.Prim("int64")'],
    [SI.prim('int64', n), 'R.Prim(value=n)', 'R.Prim(value=n)'],
    [SI.prim('bool'), 'T.bool', 'R.Prim("bool")'],
    [SI.func([f32(2)], f32(2), true), 'R.Callable((R.Tensor((2,), dtype="float32"),), R.Tensor((2,), dtype="float32"), True)', 'R.Callable((R.Tensor((2,), dtype="float32"),), R.Tensor((2,), dtype="float32"), True)'],
    [{ kind: 'si.Func', ret: SI.object(), purity: false, packed: true }, 'R.PackedFunc', 'R.PackedFunc'],
    [f32(binary('mul', n, i64(2)), binary('floordiv', binary('add', n, i64(1)), i64(2))), 'R.Tensor((n * 2, (n + 1) // 2), dtype="float32")', 'R.Tensor((n * 2, (n + 1) // 2), dtype="float32")'],
  ];
  it.each(cases)('%#: v0.26 and classic', (si, v26, classic) => {
    expect(printStructInfo(si)).toBe(v26);
    expect(printStructInfo(si, { dialect: 'classic' })).toBe(classic);
  });
});

describe('calls', () => {
  const n = tvar('n');
  const x = relaxVar('x', f32(n, 4));
  const w = relaxVar('w', f32(4, 4));
  const out = f32(n, 4);

  it('call_tir: v0.26 inline symbolic args, classic tir_vars', () => {
    const c = call(op('relax.call_tir'), [gv('f'), tuple(x, w, pv(n))], null, [out]);
    expect(printExpr(c)).toBe('R.call_tir(cls.f, (x, w, n), out_ty=R.Tensor((n, 4), dtype="float32"))');
    expect(printExpr(c, { dialect: 'classic' })).toBe(
      'R.call_tir(cls.f, (x, w), out_sinfo=R.Tensor((n, 4), dtype="float32"), tir_vars=R.shape([n]))',
    );
  });

  it('call_tir with several outputs and call_tir_inplace', () => {
    const two = call(op('relax.call_tir'), [gv('f'), tuple(x)], null, [out, f32(2)]);
    expect(printExpr(two)).toBe('R.call_tir(cls.f, (x,), out_ty=[R.Tensor((n, 4), dtype="float32"), R.Tensor((2,), dtype="float32")])');
    const inplace = call(op('relax.call_tir_inplace'), [gv('f'), tuple(x, w)], attrDict([['inplace_indices', [i64(0)]]]), [out]);
    expect(printExpr(inplace)).toBe('R.call_tir_inplace(cls.f, (x, w), inplace_indices=[0], out_ty=R.Tensor((n, 4), dtype="float32"))');
  });

  it('packed calls (README rule 4)', () => {
    expect(printExpr(call(extern('vm.builtin.copy'), [x], null, [out]))).toBe(
      'R.call_packed("vm.builtin.copy", x, ty_args=R.Tensor((n, 4), dtype="float32"))',
    );
    expect(printExpr(call(extern('f'), [x], null, [out]), { dialect: 'classic' })).toBe(
      'R.call_packed("f", x, sinfo_args=R.Tensor((n, 4), dtype="float32"))',
    );
    expect(printExpr(call(op('relax.call_pure_packed'), [extern('g'), x, w], null, [out, out]))).toBe(
      'R.call_pure_packed("g", x, w, ty_args=[R.Tensor((n, 4), dtype="float32"), R.Tensor((n, 4), dtype="float32")])',
    );
    expect(printExpr(call(op('relax.call_dps_packed'), [extern('ext'), tuple(x)], null, [out]))).toBe(
      'R.call_dps_packed("ext", (x,), out_ty=R.Tensor((n, 4), dtype="float32"))',
    );
    expect(printExpr(call(gv('sub') as never, [x, w]))).toBe('cls.sub(x, w)');
    expect(printExpr(extern('h'))).toBe('R.ExternFunc("h")');
  });

  it('op attributes: ints, lists, strings, floats, None, bools, symbolic', () => {
    const attrs = attrDict([
      ['strides', [i64(1), i64(1)]],
      ['layout', 'NCHW'],
      ['eps', floatImm(1e-5, 'float64')],
      ['axis', null],
      ['keepdims', true],
      ['size', n],
      ['typed', intImm(3, 'int32')],
      ['flag', boolImm(true)],
    ]);
    expect(printExpr(call(op('relax.nn.foo'), [x], attrs))).toBe(
      'R.nn.foo(x, strides=[1, 1], layout="NCHW", eps=1e-05, axis=None, keepdims=True, size=n, typed=T.int32(3), flag=T.bool(True))',
    );
  });

  it('unknown-op ty_args', () => {
    expect(printExpr(call(op('relax.my.op'), [x], null, [SI.object()]))).toBe('R.my.op(x, ty_args=R.Any)');
    expect(printExpr(call(op('relax.my.op'), [x], null, [SI.object()]), { dialect: 'classic' })).toBe('R.my.op(x, sinfo_args=R.Object)');
  });
});

describe('literals', () => {
  const n = tvar('n');
  const t = relaxVar('t', SI.tuple([]));
  it.each<[Expr, string, string]>([
    [{ kind: 'relax.Constant', dtype: 'float32', shape: [], data: [1] }, 'R.const(1.0, "float32")', 'R.const(1.0, "float32")'],
    [{ kind: 'relax.Constant', dtype: 'bool', shape: [], data: [false] }, 'R.const(False, "bool")', 'R.const(False, "bool")'],
    [{ kind: 'relax.Constant', dtype: 'int32', shape: [2, 2], data: [1, 2, 3, 4] }, 'R.const([[1, 2], [3, 4]], "int32")', 'R.const([[1, 2], [3, 4]], "int32")'],
    [{ kind: 'relax.Constant', dtype: '', metaRef: { key: 'relax.expr.Constant', index: 0 } }, 'metadata["relax.expr.Constant"][0]', 'metadata["relax.expr.Constant"][0]'],
    [pv(i64(1)), '1', 'R.prim_value(1)'],
    [pv(floatImm(0.5, 'float64')), '0.5', 'R.prim_value(T.float64(0.5))'],
    [pv(boolImm(true)), 'True', 'R.prim_value(T.bool(True))'],
    [pv(intImm(3, 'int32')), 'R.prim_value(T.int32(3))', 'R.prim_value(T.int32(3))'],
    [pv(binary('add', n, i64(1))), 'R.prim_value(n + 1)', 'R.prim_value(n + 1)'],
    [{ kind: 'relax.StringImm', value: 'hi' }, 'R.str("hi")', 'R.str("hi")'],
    [{ kind: 'relax.DataTypeImm', value: 'float32' }, 'R.dtype("float32")', 'R.dtype("float32")'],
    [{ kind: 'relax.ShapeExpr', values: [n, i64(4)] }, 'R.shape([n, 4])', 'R.shape([n, 4])'],
    [tuple(t, t), '(t, t)', '(t, t)'],
    [tuple(t), '(t,)', '(t,)'],
    [tuple(), 'R.tuple()', 'R.tuple()'],
    [{ kind: 'relax.TupleGetItem', tuple: t, index: 0 }, 't[0]', 't[0]'],
  ])('%#', (e, v26, classic) => {
    expect(printExpr(e)).toBe(v26);
    expect(printExpr(e, { dialect: 'classic' })).toBe(classic);
  });
});

describe('functions', () => {
  it('makes names unique and declares match_cast vars at the top', () => {
    const x = relaxVar('x', SI.tensorNdim('float32', 1));
    const m = tvar('m');
    const lv = relaxVar('lv', f32(m));
    const lv2 = relaxVar('lv', f32(m));
    const f = fn([x], seq([bb({ kind: 'relax.MatchCast', v: lv, value: x, sinfo: f32(m) }, bind(lv2, call(op('relax.exp'), [lv])))], lv2), f32(m));
    expect(printFn(f)).toBe(
      [
        '@R.function',
        'def main(x: R.Tensor(dtype="float32", ndim=1)) -> R.Tensor(("m",), dtype="float32"):',
        '    m = T.int64()',
        '    lv: R.Tensor((m,), dtype="float32") = R.match_cast(x, R.Tensor((m,), dtype="float32"))',
        '    lv_1: R.Tensor((m,), dtype="float32") = R.exp(lv)',
        '    return lv_1',
      ].join('\n'),
    );
  });

  it('prints PEP 695 type params without declarations', () => {
    const n = tvar('n');
    const x = relaxVar('x', f32(n, binary('mul', n, i64(2))));
    const f = fn([x], seq([], x), f32(n, binary('mul', n, i64(2))), { typeParams: [n] });
    expect(printFn(f)).toBe(
      [
        '@R.function',
        'def main[n](x: R.Tensor((n, n * 2), dtype="float32")) -> R.Tensor((n, n * 2), dtype="float32"):',
        '    return x',
      ].join('\n'),
    );
  });

  it('quotes whole signature dims that use a signature var', () => {
    const n = tvar('n');
    const x = relaxVar('x', f32(binary('mul', n, i64(2)), n));
    expect(printFn(fn([x], seq([], x), SI.object()))).toBe(
      ['@R.function', 'def main(x: R.Tensor(("n * 2", "n"), dtype="float32")) -> R.Any:', '    n = T.int64()', '    return x'].join('\n'),
    );
  });

  it('never names a body var in the signature (falls back to the var\'s shape)', () => {
    const n = tvar('n');
    const s = relaxVar('s', SI.shape([n]));
    const x = relaxVar('x', f32(n));
    const y = relaxVar('y', { kind: 'si.Tensor', shape: s, dtype: 'float32', ndim: 1 });
    const f = fn([x], seq([bb(bind(s, { kind: 'relax.ShapeExpr', values: [n] }), bind(y, x))], y), y.sinfo);
    expect(printFn(f).split('\n')[1]).toBe('def main(x: R.Tensor(("n",), dtype="float32")) -> R.Tensor(("n",), dtype="float32"):');
    expect(printFn(f)).toContain('    y: R.Tensor(s, dtype="float32") = x');
  });

  it('prints If per README rule 7 and cls for sibling calls', () => {
    const c = relaxVar('c', SI.tensor([], 'bool'));
    const x = relaxVar('x', f32(2));
    const a = relaxVar('a', f32(2));
    const y = relaxVar('y', f32(2));
    const iff: Expr = {
      kind: 'relax.If',
      cond: c,
      trueBranch: seq([bb(bind(a, call(gv('k') as never, [x])))], a),
      falseBranch: seq([], x),
    };
    const f = fn([c, x], seq([bb(bind(y, iff))], y), f32(2), { attrs: attrDict([['global_symbol', 'main']]) });
    expect(printFn(f)).toBe(
      [
        '@R.function',
        'def main(c: R.Tensor((), dtype="bool"), x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):',
        '    R.func_attr({"global_symbol": "main"})',
        '    cls = Module',
        '    if c:',
        '        a: R.Tensor((2,), dtype="float32") = cls.k(x)',
        '        y: R.Tensor((2,), dtype="float32") = a',
        '    else:',
        '        y: R.Tensor((2,), dtype="float32") = x',
        '    return y',
      ].join('\n'),
    );
  });

  it('prints local functions nested, and dataflow blocks without outputs', () => {
    const x = relaxVar('x', f32(2));
    const p = relaxVar('p', f32(2));
    const inner = fn([p], seq([], p), f32(2));
    const g = relaxVar('g', SI.func([f32(2)], f32(2)));
    const d = relaxVar('d', f32(2), true);
    const f = fn([x], seq([bb(bind(g, inner)), df(bind(d, call(g as never, [x])))], x), f32(2));
    expect(printFn(f)).toBe(
      [
        '@R.function',
        'def main(x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):',
        '    @R.function',
        '    def g(p: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):',
        '        return p',
        '    with R.dataflow():',
        '        d: R.Tensor((2,), dtype="float32") = g(x)',
        '        R.output()',
        '    return x',
      ].join('\n'),
    );
  });

  it('lets the discard name `_` repeat', () => {
    const x = relaxVar('x', f32(2));
    const a = relaxVar('_', SI.object());
    const b = relaxVar('_', SI.object());
    const pk = (v: RelaxVar): Binding => bind(v, call(extern('f'), [x], null, [SI.object()]));
    const f = fn([x], seq([bb(pk(a), pk(b))], x), f32(2), { isPure: false });
    expect(printFn(f).split('\n').slice(2, 4)).toEqual([
      '    _: R.Any = R.call_packed("f", x, ty_args=R.Any)',
      '    _: R.Any = R.call_packed("f", x, ty_args=R.Any)',
    ]);
  });

  it('avoids keywords and prefixes as names', () => {
    const a = relaxVar('R', f32(2));
    const b = relaxVar('lambda', f32(2));
    const c = relaxVar('', f32(2));
    const f = fn([a, b, c], seq([], tuple(a, b, c)), SI.object());
    expect(printFn(f).split('\n')[1]).toBe(
      'def main(R_1: R.Tensor((2,), dtype="float32"), lambda_1: R.Tensor((2,), dtype="float32"), v: R.Tensor((2,), dtype="float32")) -> R.Any:',
    );
  });
});

describe('spans and performance', () => {
  it('maps bindings and functions to their printed ranges', () => {
    const x = relaxVar('x', f32(2));
    const y = relaxVar('y', f32(2));
    const b = bind(y, call(op('relax.exp'), [x]));
    const f = fn([x], seq([bb(b)], y), f32(2));
    const { text, spans } = printModuleWithSpans(mod([['main', f]]));
    const bs = spans.get(b)!;
    expect(text.slice(bs.start, bs.end)).toBe('y: R.Tensor((2,), dtype="float32") = R.exp(x)');
    const fs = spans.get(f)!;
    expect(text.slice(fs.start, fs.end).startsWith('@R.function\n    def main(')).toBe(true);
    expect(text.slice(fs.start, fs.end).endsWith('return y')).toBe(true);
  });

  it('spans cover dataflow bindings and whole if/else bindings', () => {
    const c = relaxVar('c', SI.tensor([], 'bool'));
    const x = relaxVar('x', f32(2));
    const d = relaxVar('d', f32(2), true);
    const o = relaxVar('o', f32(2));
    const y = relaxVar('y', f32(2));
    const bd = bind(d, call(op('relax.exp'), [x]));
    const bo = bind(o, d);
    const iff: Expr = { kind: 'relax.If', cond: c, trueBranch: seq([], o), falseBranch: seq([], x) };
    const by = bind(y, iff);
    const f = fn([c, x], seq([df(bd, bo), bb(by)], y), f32(2));
    const { text, spans } = printModuleWithSpans(mod([['main', f]]));
    const at = (n: object): string => text.slice(spans.get(n)!.start, spans.get(n)!.end);
    expect(at(bd)).toBe('d: R.Tensor((2,), dtype="float32") = R.exp(x)');
    expect(at(bo)).toBe('o: R.Tensor((2,), dtype="float32") = d');
    expect(at(by)).toBe(
      [
        'if c:',
        '            y: R.Tensor((2,), dtype="float32") = o',
        '        else:',
        '            y: R.Tensor((2,), dtype="float32") = x',
      ].join('\n'),
    );
  });

  it('prints a 10,000-binding function quickly', () => {
    const chain = (count: number): RelaxFunction => {
      const x = relaxVar('x', f32(4, 4));
      const bindings: Binding[] = [];
      let prev = x;
      for (let i = 0; i < count; i++) {
        const v = relaxVar('lv', f32(4, 4), true);
        bindings.push(bind(v, call(op('relax.add'), [prev, x])));
        prev = v;
      }
      const out = relaxVar('gv', f32(4, 4));
      bindings.push(bind(out, prev));
      return fn([x], seq([df(...bindings)], out), f32(4, 4));
    };
    // Speed is measured by `npm run bench`; this checks printing at scale is correct.
    const text = printModule(mod([['main', chain(10_000)]]));
    expect(text).toContain('lv_9999: R.Tensor((4, 4), dtype="float32") = R.add(lv_9998, x)');
  });
});
