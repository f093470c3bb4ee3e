/**
 * LowerAllocTensor (TVM's `lower_alloc_tensor.cc`): every `R.builtin.alloc_tensor` that StaticPlanBlockMemory left
 * (dynamic shapes, returned tensors) becomes its own storage plus a tensor at offset 0:
 *
 *   lv = R.builtin.alloc_tensor(R.shape([n, 4]), R.dtype("float32"), R.prim_value(0), R.str("global"))
 * becomes
 *   storage = R.memory.alloc_storage(R.shape([n * 16]), R.prim_value(0), R.str("global"), R.dtype("float32"))
 *   lv = R.memory.alloc_tensor(storage, R.prim_value(0), R.shape([n, 4]), R.dtype("float32"))
 *
 * The byte size uses the VM's storage element sizes (see static-plan-block-memory.ts `dtypeBytes`) and may be
 * symbolic; VMShapeLower computes it at run time. An allocation whose shape has no known dims or whose dtype the
 * VM cannot store is reported (B701) and left as is (VM codegen still runs `R.builtin.alloc_tensor` directly).
 */
import type { Binding } from '../../ir/relax/nodes.js';
import { SI } from '../../ir/relax/nodes.js';
import type { Pass, PassContext } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, newBinding, rewriteFunctionBody, stamped } from './binding-rewriter.js';
import { allocStorageCall, builtinAllocParts, byteSizeExpr, dtypeBytes, memAllocTensorCall } from './static-plan-block-memory.js';

function lowerBinding(b: Binding, fnName: string, ctx: PassContext): readonly Binding[] {
  if (b.kind !== 'relax.VarBinding') return [b];
  const a = builtinAllocParts(b.value);
  if (!a) return [b];
  const elem = dtypeBytes(a.dtype);
  if (!a.dims || elem === undefined) {
    const why = !a.dims ? 'its shape has no known dims' : `the VM cannot store dtype "${a.dtype}"`;
    const span = b.value.span ?? b.span;
    ctx.report({
      code: 'B701', severity: 'error',
      message: `LowerAllocTensor: at \`${b.v.name}\` in ${fnName}, an allocation needs a known shape and a storable dtype. However, ${why}.`,
      ...(span ? { span } : {}),
    });
    return [b];
  }
  const storage = newBinding('storage', stamped(allocStorageCall(byteSizeExpr(a.dims, elem), a.dev, a.scope, a.dtype), b), SI.object(), b);
  return [storage, { ...b, value: stamped(memAllocTensorCall(storage.v, 0, a.shape, a.dtypeExpr), b) }];
}

/** The LowerAllocTensor pass (see the file header). */
export function lowerAllocTensor(): Pass {
  return modulePass('LowerAllocTensor', (mod, ctx) => mapRelaxFunctions(mod, (f, name) => rewriteFunctionBody(f, (b) => lowerBinding(b, name, ctx))));
}
