/**
 * Core and lowered-level ops: the call family (`call_tir`, `call_tir_inplace`, `call_tir_with_grad`,
 * `call_dps_packed`, `call_pure_packed`, `call_builtin_with_ctx`), whose result is their written `out_ty` /
 * `ty_args` (see core/ir/README.md decisions 3 and 4); `print`/`assert_op` (impure, return an empty tuple);
 * `shape_of`, `null_value`, closures, and the `memory.*`, `vm.*` and `builtin.*` ops that lowering introduces.
 */
import type { Call, Expr, StructInfo } from '../relax/nodes.js';
import { SI } from '../relax/nodes.js';
import { a, defineOps, dimsOf, e, shapeArg, sinfoOf, t, tensorArg } from './common.js';
import type { InferCtx } from './registry.js';

/** The struct info written on a call: one `out_ty` as is, several as a tuple, none as `R.Any`. */
export function sinfoArgsResult(call: Call): StructInfo {
  if (call.sinfoArgs.length === 1) return call.sinfoArgs[0]!;
  if (call.sinfoArgs.length === 0) return SI.object();
  return SI.tuple(call.sinfoArgs);
}

const VOID: StructInfo = SI.tuple([]);

/** A dtype given as an argument (`R.dtype("float32")` or a string). */
function dtypeArg(arg: Expr | undefined): string {
  if (!arg) return '';
  if (arg.kind === 'relax.DataTypeImm' || arg.kind === 'relax.StringImm') return arg.value === 'void' ? '' : arg.value;
  return '';
}

/** A tensor of the shape argument at `shapeIdx` and the dtype argument at `dtypeIdx`. */
function allocRule(shapeIdx: number, dtypeIdx: number): (call: Call, ctx: InferCtx) => StructInfo {
  return (call, ctx) => {
    const dtype = dtypeArg(call.args[dtypeIdx]);
    const s = shapeArg(call, shapeIdx, ctx);
    if (!s) return SI.tensorNdim(dtype, -1);
    if (s.dims) return SI.tensor(s.dims, dtype);
    if (s.expr && (s.expr.kind === 'relax.Var' || s.expr.kind === 'relax.DataflowVar')) return { ...SI.tensorNdim(dtype, s.ndim), shape: s.expr };
    return SI.tensorNdim(dtype, s.ndim);
  };
}

function shapeOfRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  if (!x) return SI.shape(undefined, -1);
  const d = dimsOf(x);
  return d ? SI.shape(d) : SI.shape(undefined, x.ndim);
}

function tensorToShapeRule(call: Call, ctx: InferCtx): StructInfo {
  const x = tensorArg(call, 0, ctx);
  const d = x ? dimsOf(x) : undefined;
  const n = d?.[0];
  return SI.shape(undefined, n && n.kind === 'tir.IntImm' ? n.value : -1);
}

function shapeToTensorRule(call: Call, ctx: InferCtx): StructInfo {
  const s = shapeArg(call, 0, ctx);
  return s && s.ndim >= 0 ? SI.tensor([{ kind: 'tir.IntImm', dtype: 'int64', value: s.ndim }], 'int64') : SI.tensorNdim('int64', 1);
}

function sameAsArg(call: Call, ctx: InferCtx): StructInfo {
  return call.args[0] ? sinfoOf(call.args[0], ctx) : SI.object();
}

const fromSinfoArgs = (call: Call): StructInfo => sinfoArgsResult(call);
const objectResult = (): StructInfo => SI.object();
const voidResult = (): StructInfo => VOID;

defineOps('call', [
  { name: 'relax.call_tir', params: [e('func', 'expr'), e('args', 'tensors')], infer: fromSinfoArgs, doc: 'Calls a TIR PrimFunc in destination-passing style; the result is out_ty.' },
  {
    name: 'relax.call_tir_inplace', params: [e('func', 'expr'), e('args', 'tensors'), a('inplace_indices', 'ints')], infer: fromSinfoArgs,
    doc: 'call_tir that writes some outputs into its inputs.',
  },
  {
    name: 'relax.call_tir_with_grad', params: [e('func', 'expr'), e('args', 'tensors'), a('te_grad_name', 'str'), a('te_grad_kwargs', 'any', null)],
    infer: fromSinfoArgs, doc: 'call_tir with a registered TE gradient.',
  },
  { name: 'relax.call_dps_packed', params: [e('func', 'expr'), e('args', 'tensors')], infer: fromSinfoArgs, doc: 'Calls an external destination-passing function.' },
  { name: 'relax.call_pure_packed', params: [e('func', 'expr'), e('args', 'expr')], infer: fromSinfoArgs, doc: 'Calls a packed function known to be pure.' },
  { name: 'relax.call_builtin_with_ctx', params: [e('func', 'expr'), e('args', 'expr')], infer: fromSinfoArgs, doc: 'Calls a VM builtin with the VM context.' },
]);

defineOps('call', [
  { name: 'relax.call_packed', params: [e('func', 'expr'), e('args', 'expr')], infer: fromSinfoArgs, doc: 'Calls a packed function (impure).' },
  { name: 'relax.print', params: [e('values', 'expr'), a('format', 'str', '')], infer: voidResult, doc: 'Prints values at run time.' },
  {
    name: 'relax.assert_op', params: [e('condition', 'expr'), e('format_args', 'expr', true), a('format', 'str', '')], infer: voidResult,
    doc: 'Fails at run time when the condition is false.',
  },
], false);

defineOps('builtin', [
  { name: 'relax.shape_of', params: [t('expr')], infer: shapeOfRule, doc: 'The shape of a tensor as a Shape value.' },
  { name: 'relax.null_value', params: [], infer: objectResult, doc: 'A null object.' },
  { name: 'relax.tensor_to_shape', params: [t('expr')], infer: tensorToShapeRule, doc: 'A 1-D int64 tensor as a Shape.' },
  { name: 'relax.shape_to_tensor', params: [e('expr', 'shape')], infer: shapeToTensorRule, doc: 'A Shape as a 1-D int64 tensor.' },
  { name: 'relax.hint_on_device', params: [e('data', 'expr'), a('device', 'any'), a('memory_scope', 'str', 'global')], infer: sameAsArg, doc: 'Places data on a device (a hint).' },
  { name: 'relax.to_vdevice', params: [e('data', 'expr'), a('dst_vdevice', 'any')], infer: sameAsArg, doc: 'Copies data to a virtual device.' },
  { name: 'relax.make_closure', params: [e('func', 'expr'), e('args', 'expr')], infer: objectResult, doc: 'Captures arguments into a closure.' },
  { name: 'relax.invoke_pure_closure', params: [e('closure', 'expr'), e('args', 'expr')], infer: fromSinfoArgs, doc: 'Calls a closure known to be pure.' },
  { name: 'relax.builtin.stop_lift_params', params: [t('x')], infer: sameAsArg, doc: 'Stops parameter lifting at this point.' },
  {
    name: 'relax.builtin.alloc_tensor', params: [e('shape', 'shape'), e('dtype', 'expr'), e('runtime_device_index', 'prim'), e('storage_scope', 'expr', true)],
    infer: allocRule(0, 1), doc: 'Allocates a tensor (before memory planning).',
  },
]);

defineOps('memory', [
  { name: 'relax.invoke_closure', params: [e('closure', 'expr'), e('args', 'expr')], infer: fromSinfoArgs, doc: 'Calls a closure.' },
  {
    name: 'relax.memory.alloc_storage', params: [e('size', 'shape'), e('virtual_device_index', 'prim'), e('storage_scope', 'expr'), e('dtype', 'expr')],
    infer: objectResult, doc: 'Allocates a storage block.',
  },
  {
    name: 'relax.memory.alloc_tensor', params: [e('storage', 'expr'), e('offset', 'prim'), e('shape', 'shape'), e('dtype', 'expr'), e('runtime_device_index', 'prim', true)],
    infer: allocRule(2, 3), doc: 'Creates a tensor inside a storage block.',
  },
  { name: 'relax.memory.kill_storage', params: [e('storage', 'expr')], infer: voidResult, doc: 'Ends a storage block\'s lifetime.' },
  { name: 'relax.memory.kill_tensor', params: [e('tensor', 'expr')], infer: voidResult, doc: 'Ends a tensor\'s lifetime.' },
  {
    name: 'relax.vm.alloc_storage', params: [e('size', 'shape'), e('runtime_device_index', 'prim'), e('dtype', 'expr'), e('storage_scope', 'expr', true)],
    infer: objectResult, doc: 'VM-level storage allocation.',
  },
  {
    name: 'relax.vm.alloc_tensor', params: [e('storage', 'expr'), e('offset', 'prim'), e('shape', 'shape'), e('dtype', 'expr'), e('runtime_device_index', 'prim', true)],
    infer: allocRule(2, 3), doc: 'VM-level tensor creation in a storage.',
  },
  { name: 'relax.vm.kill_object', params: [e('obj', 'expr')], infer: voidResult, doc: 'Releases a VM register.' },
  { name: 'relax.vm.call_tir_dyn', params: [e('func', 'expr'), e('args', 'expr')], infer: voidResult, doc: 'Calls a PrimFunc with shape arguments unpacked.' },
], false);

