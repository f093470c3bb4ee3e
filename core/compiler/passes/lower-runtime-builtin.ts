/**
 * LowerRuntimeBuiltin (TVM `relax.transform.LowerRuntimeBuiltin`, formerly VMBuiltinLower): the memory and shape
 * ops that remain become the VM's own ops and builtins, one binding at a time:
 *   R.memory.alloc_storage(size, dev, scope, dtype)         -> R.vm.alloc_storage(size, dev, dtype, scope)
 *   R.memory.alloc_tensor(storage, offset, shape, dtype)    -> R.vm.alloc_tensor(storage, offset, shape, dtype)
 *   R.memory.kill_tensor(x) / R.memory.kill_storage(x)     -> R.vm.kill_object(x)
 *   R.reshape(x, shape)                                     -> R.call_packed("vm.builtin.reshape", x, shape, ty_args=<sinfo>)
 *   R.shape_of(x)                                           -> R.call_packed("vm.builtin.shape_of", x, ty_args=<sinfo>)
 *   R.tensor_to_shape(x)                                    -> R.call_packed("vm.builtin.tensor_to_shape", x, ty_args=<sinfo>)
 * (`<sinfo>` is the binding's struct info, so the result keeps its shape.) A remaining `R.builtin.alloc_tensor`
 * (when LowerAllocTensor did not run) is left for VM codegen, which allocates it directly.
 * Precondition: RemovePurityChecking ran (packed calls are impure). Left to VMShapeLower: symbolic shapes.
 */
import type { Binding, Call, ExternFunc, StructInfo } from '../../ir/relax/nodes.js';
import { call, op } from '../../ir/relax/nodes.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, rewriteFunctionBody, stamped } from './binding-rewriter.js';

type Lowering = (c: Call, sinfo: StructInfo) => Call;

const extern = (name: string): ExternFunc => ({ kind: 'relax.ExternFunc', globalSymbol: name });
const packed = (name: string): Lowering => (c, sinfo) => call(extern(name), c.args, null, [sinfo]);
const pick = (name: string, order: readonly number[]): Lowering => (c) =>
  call(op(name), order.map((i) => c.args[i]).filter((x) => x !== undefined));

/** The lowering of each op this pass handles, by TVM op name. */
const LOWERINGS: Readonly<Record<string, Lowering>> = {
  'relax.memory.alloc_storage': pick('relax.vm.alloc_storage', [0, 1, 3, 2]),
  'relax.memory.alloc_tensor': pick('relax.vm.alloc_tensor', [0, 1, 2, 3]),
  'relax.memory.kill_tensor': pick('relax.vm.kill_object', [0]),
  'relax.memory.kill_storage': pick('relax.vm.kill_object', [0]),
  'relax.reshape': packed('vm.builtin.reshape'),
  'relax.shape_of': packed('vm.builtin.shape_of'),
  'relax.tensor_to_shape': packed('vm.builtin.tensor_to_shape'),
};

/** Creates the LowerRuntimeBuiltin pass. */
export function lowerRuntimeBuiltin(): Pass {
  return modulePass('LowerRuntimeBuiltin', (mod) => mapRelaxFunctions(mod, (f) => rewriteFunctionBody(f, (b) => [lowerBinding(b)])));
}

function lowerBinding(b: Binding): Binding {
  const c = b.value;
  if (c.kind !== 'relax.Call' || c.op.kind !== 'relax.Op') return b;
  const lower = LOWERINGS[c.op.name];
  return lower ? { ...b, value: stamped(lower(c, b.v.sinfo), b) } : b;
}
