/**
 * RewriteDataflowReshape (TVM `relax.transform.RewriteDataflowReshape`): a reshape that LegalizeOps turned into a
 * copy kernel becomes `R.reshape` again, so that LowerRuntimeBuiltin can make it a zero-copy `vm.builtin.reshape`.
 *
 * Precondition: LegalizeOps tagged reshape-like kernels (`reshape`, `flatten`, `expand_dims`, `squeeze`) with the
 * PrimFunc attribute `"relax_studio.reshape": True` (TVM instead pattern-matches the kernel body).
 * Rewrites, inside dataflow blocks only (outside them a copy may be observable):
 *   lv = R.call_tir(cls.reshape, (x,), out_ty=R.Tensor((n, 4), "float32"))
 *   ->  lv = R.reshape(x, R.shape([n, 4]))
 * when the kernel takes exactly one tensor input (plus trailing symbolic PrimValues, which the shape already
 * names) and has one output of known dims. The kernel itself stays in the module, as in TVM (dead-code
 * elimination is not part of this pipeline); VM codegen only loads kernels that are called.
 */
import type { Binding, BindingBlock, Call, Expr } from '../../ir/relax/nodes.js';
import { call, op, tensorDims } from '../../ir/relax/nodes.js';
import type { IRModule } from '../../ir/module.js';
import { attrGet, isPrimAttr } from '../../ir/attrs.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { opCall, mapRelaxFunctions, rewriteFunctionBody, stamped } from './binding-rewriter.js';

/** The PrimFunc attribute LegalizeOps sets on reshape-like copy kernels. */
export const RESHAPE_ATTR = 'relax_studio.reshape';

/** Creates the RewriteDataflowReshape pass. */
export function rewriteDataflowReshape(): Pass {
  return modulePass('RewriteDataflowReshape', (mod) =>
    mapRelaxFunctions(mod, (f) => rewriteFunctionBody(f, (b, block) => [rewriteBinding(mod, b, block)])),
  );
}

function rewriteBinding(mod: IRModule, b: Binding, block: BindingBlock): Binding {
  if (block.kind !== 'relax.DataflowBlock' || b.kind !== 'relax.VarBinding') return b;
  const reshaped = asReshape(mod, b.value);
  return reshaped ? { ...b, value: stamped(reshaped, b) } : b;
}

/** `R.reshape(x, R.shape(dims))` for a call_tir of a tagged kernel, or undefined when the call is not one. */
function asReshape(mod: IRModule, e: Expr): Call | undefined {
  const c = opCall(e, 'relax.call_tir');
  if (!c) return undefined;
  const [callee, inputs] = c.args;
  if (callee?.kind !== 'relax.GlobalVar' || !isReshapeKernel(mod, callee.name)) return undefined;
  const tensors = inputs?.kind === 'relax.Tuple' ? inputs.fields.filter((x) => x.kind !== 'relax.PrimValue') : inputs ? [inputs] : [];
  const out = c.sinfoArgs.length === 1 ? c.sinfoArgs[0]! : undefined;
  const dims = out ? tensorDims(out) : undefined;
  if (tensors.length !== 1 || !dims) return undefined;
  return call(op('relax.reshape'), [tensors[0]!, { kind: 'relax.ShapeExpr', values: dims }]);
}

function isReshapeKernel(mod: IRModule, name: string): boolean {
  const f = mod.functions.get(name);
  if (f?.kind !== 'tir.PrimFunc') return false;
  const v = attrGet(f.attrs, RESHAPE_ATTR);
  return v === true || (isPrimAttr(v) && v.kind === 'tir.IntImm' && v.value !== 0);
}
