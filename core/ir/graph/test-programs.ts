/**
 * @internal Hand-built IR for the serialization and graph tests (they must not depend on the parser being done).
 * Not part of the product API; lives beside the tests that use it.
 */
import type { IRModule } from '../module.js';
import { irModule } from '../module.js';
import { attrDict } from '../attrs.js';
import type { Binding, BindingBlock, Expr, RelaxFunction, RelaxVar, StructInfo } from '../relax/nodes.js';
import { call, op, relaxVar, SI } from '../relax/nodes.js';
import type { Buffer, PrimFunc, TirVar } from '../tir/nodes.js';
import { binary, floatImm, intImm, tvar } from '../tir/nodes.js';

function bind(v: RelaxVar, value: Expr, span?: { start: number; end: number }): Binding {
  return { kind: 'relax.VarBinding', v, value, ...(span ? { span } : {}) };
}

function block(dataflow: boolean, bindings: Binding[]): BindingBlock {
  return { kind: dataflow ? 'relax.DataflowBlock' : 'relax.BindingBlock', bindings };
}

/** A PrimFunc `exp(x: handle, y: handle)` over symbolic n, with a buffer map and a loop. */
export function expPrimFunc(): PrimFunc {
  const n = tvar('n');
  const x = tvar('x', 'handle');
  const y = tvar('y', 'handle');
  const X: Buffer = { kind: 'tir.Buffer', name: 'X', dtype: 'float32', shape: [n], strides: [], scope: 'global' };
  const Y: Buffer = { kind: 'tir.Buffer', name: 'Y', dtype: 'float32', shape: [n], strides: [], scope: 'global' };
  const i = tvar('i');
  const load = { kind: 'tir.BufferLoad' as const, buffer: X, indices: [i], dtype: 'float32' };
  const body = {
    kind: 'tir.For' as const,
    loopVar: i,
    min: intImm(0),
    extent: n,
    forKind: 'serial' as const,
    body: {
      kind: 'tir.BufferStore' as const,
      buffer: Y,
      indices: [i],
      value: { kind: 'tir.Call' as const, op: 'exp', args: [load], dtype: 'float32' },
    },
  };
  return {
    kind: 'tir.PrimFunc',
    params: [x, y],
    bufferMap: new Map<TirVar, Buffer>([[x, X], [y, Y]]),
    body,
    attrs: attrDict([['tir.noalias', true]]),
    isPrivate: false,
  };
}

/** A Relax function with symbolic dims, a dataflow block, call_tir, a tuple, get_item, a const and a packed call. */
export function mainFunction(): RelaxFunction {
  const n = tvar('n');
  const m = tvar('m');
  const tensor = (dims: (TirVar | number)[]): StructInfo =>
    SI.tensor(dims.map((d) => (typeof d === 'number' ? intImm(d) : d)), 'float32');
  const x = relaxVar('x', tensor([n, m]));
  const w = relaxVar('w', tensor([m, m]));
  const lv0 = relaxVar('lv0', tensor([n, m]), true);
  const lv1 = relaxVar('lv1', tensor([n, m]), true);
  const lv2 = relaxVar('lv2', SI.tensor([binary('mul', n, m)], 'float32'), true);
  const gv = relaxVar('gv', SI.tensor([binary('mul', n, m)], 'float32'));
  const t = relaxVar('t', SI.tuple([gv.sinfo, x.sinfo]));
  const e = relaxVar('e', gv.sinfo);
  const c = relaxVar('c', SI.tensor([], 'float32'));
  const flat = { kind: 'relax.ShapeExpr' as const, values: [binary('mul', n, m)] };
  const df = block(true, [
    bind(lv0, call(op('relax.matmul'), [x, w], attrDict([['out_dtype', 'void']])), { start: 10, end: 30 }),
    bind(lv1, call(op('relax.add'), [lv0, x])),
    bind(lv2, call(op('relax.reshape'), [lv1, flat])),
    bind(gv, call(op('relax.call_tir'), [{ kind: 'relax.GlobalVar', name: 'exp' }, { kind: 'relax.Tuple', fields: [lv2] }], null, [gv.sinfo])),
  ]);
  const plain = block(false, [
    bind(t, { kind: 'relax.Tuple', fields: [gv, x] }),
    bind(e, { kind: 'relax.TupleGetItem', tuple: t, index: 0 }),
    bind(c, { kind: 'relax.Constant', dtype: 'float32', shape: [], data: [Infinity] }),
    bind(relaxVar('_', SI.object()), call({ kind: 'relax.ExternFunc', globalSymbol: 'my_print' }, [e, c], null, [SI.object()])),
  ]);
  return {
    kind: 'relax.Function',
    params: [x, w],
    body: { kind: 'relax.SeqExpr', blocks: [df, plain], body: e },
    retSInfo: gv.sinfo,
    isPure: false,
    isPrivate: false,
    attrs: attrDict([['global_symbol', 'main'], ['num_input', intImm(1)], ['eps', floatImm(NaN)]]),
  };
}

/** A module with both functions, module attrs and a global info. */
export function sampleModule(): IRModule {
  return irModule(
    'Module',
    new Map<string, RelaxFunction | PrimFunc>([
      ['exp', expPrimFunc()],
      ['main', mainFunction()],
    ]),
    {
      attrs: attrDict([['system_lib_prefix', 'lib_']]),
      globalInfos: [['vdevice', [{ kind: 'ir.GlobalInfo', ctor: 'vdevice', args: ['cuda', intImm(0)], kwargs: [] }]]],
    },
  );
}
