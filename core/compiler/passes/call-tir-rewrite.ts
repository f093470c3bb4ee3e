/**
 * CallTIRRewrite (TVM `relax.transform.CallTIRRewrite`): calls in destination-passing style become an explicit
 * allocation per output and a call that writes into it.
 *
 *   lv = R.call_tir(cls.f, (x, R.prim_value(n)), out_ty=R.Tensor((n, 4), "float32"))
 *   ->  lv = R.builtin.alloc_tensor(R.shape([n, 4]), R.dtype("float32"), R.prim_value(0), R.str("global"))
 *       _ = cls.f(x, lv, R.prim_value(n))
 *
 * The kernel's parameters are its tensor inputs, then its outputs, then the trailing symbolic scalars (README
 * decision 3; the order LegalizeOps gives its PrimFuncs and TVM's call_tir uses). Several outputs get one
 * allocation each (`lv_0`, `lv_1`, ...) and `lv = (lv_0, lv_1)`. `call_tir_with_grad` is a call_tir.
 * `call_tir_inplace` allocates only the outputs that are not written in place; an in-place output is the input
 * itself (`lv = x`). `R.call_dps_packed("f", (x,), out_ty=...)` becomes allocations and
 * `_ = R.call_packed("f", x, lv)`.
 * Preconditions: RemovePurityChecking ran (the new calls are impure); every out_ty has known dims and dtype
 * (otherwise B701 at the binding, and the call is left as it is). Left to later passes: planning the allocations
 * (StaticPlanBlockMemory, LowerAllocTensor).
 */
import type { Binding, BindingBlock, Call, Expr, RelaxVar, StructInfo } from '../../ir/relax/nodes.js';
import { call, op, tensorDims } from '../../ir/relax/nodes.js';
import { attrGet, attrIntList } from '../../ir/attrs.js';
import type { IRModule } from '../../ir/module.js';
import type { Pass, PassContext } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, newBinding, rewriteFunctionBody, sinfoOfValue, stamped } from './binding-rewriter.js';

const DPS_OPS = new Set(['relax.call_tir', 'relax.call_tir_with_grad', 'relax.call_tir_inplace', 'relax.call_dps_packed']);

/** Creates the CallTIRRewrite pass. */
export function callTIRRewrite(): Pass {
  return modulePass('CallTIRRewrite', (mod, ctx) =>
    mapRelaxFunctions(mod, (f) => rewriteFunctionBody(f, (b, block) => rewriteBinding(mod, ctx, b, block))),
  );
}

function rewriteBinding(mod: IRModule, ctx: PassContext, b: Binding, block: BindingBlock): readonly Binding[] {
  const c = b.value;
  if (b.kind !== 'relax.VarBinding' || c.kind !== 'relax.Call' || c.op.kind !== 'relax.Op' || !DPS_OPS.has(c.op.name)) return [b];
  const bad = c.sinfoArgs.findIndex((s) => !tensorDims(s) || (s.kind === 'si.Tensor' && !s.dtype));
  if (bad >= 0 || c.sinfoArgs.length === 0) {
    ctx.report({
      code: 'B701',
      severity: 'error',
      message: `CallTIRRewrite allocates every output from out_ty, so each must be a tensor with known dims and dtype. However, output ${Math.max(bad, 0)} of ${b.v.name} is ${c.sinfoArgs.length ? 'not' : 'missing'}.`,
      ...(b.span ?? c.span ? { span: (b.span ?? c.span)! } : {}),
    });
    return [b];
  }
  return new DpsLowering(mod, b, c, block.kind === 'relax.DataflowBlock').run();
}

/** Lowers one DPS call binding: allocations, the call, then the original var bound to the result(s). */
class DpsLowering {
  private readonly out: Binding[] = [];

  constructor(
    private readonly mod: IRModule,
    private readonly b: Binding,
    private readonly c: Call,
    private readonly dataflow: boolean,
  ) {}

  run(): Binding[] {
    const { tensors, scalars } = splitInputs(this.c.args[1]);
    const inplace = inplaceIndices(this.c);
    const n = this.c.sinfoArgs.length;
    // A single allocated output binds the original var directly: `lv = alloc; _ = f(x, lv)`.
    const direct = n === 1 && (inplace[0] ?? -1) < 0;
    const results = this.c.sinfoArgs.map((s, i): Expr => {
      const idx = inplace[i] ?? -1;
      return idx >= 0 ? tensors[idx]! : this.alloc(s, direct ? undefined : i);
    });
    const outs = results.filter((_, i) => (inplace[i] ?? -1) < 0);
    this.emitCall([...tensors, ...outs, ...scalars]);
    if (!direct) this.out.push({ ...this.b, value: n === 1 ? results[0]! : { kind: 'relax.Tuple', fields: results } } as Binding);
    return this.out;
  }

  /** Emits an allocation: into the original var (`index` undefined) or a new `<name>_<index>`. */
  private alloc(s: StructInfo, index: number | undefined): RelaxVar {
    const value = stamped(allocTensor(s), this.b);
    const nb = index === undefined ? ({ ...this.b, value } as Binding) : newBinding(`${this.b.v.name}_${index}`, value, s, this.b, this.dataflow);
    this.out.push(nb);
    return nb.v;
  }

  private emitCall(args: readonly Expr[]): void {
    const callee = this.c.args[0] as Call['op'];
    const value = stamped(call(callee, args), this.b);
    this.out.push(newBinding('_', value, sinfoOfValue(value, this.mod), this.b, this.dataflow));
  }
}

function inplaceIndices(c: Call): number[] {
  if ((c.op as { name: string }).name !== 'relax.call_tir_inplace') return [];
  return attrIntList(attrGet(c.attrs, 'inplace_indices')) ?? [];
}

/** Splits a call_tir input tuple into its tensors and its trailing symbolic PrimValues. */
function splitInputs(e: Expr | undefined): { tensors: Expr[]; scalars: Expr[] } {
  const fields = e?.kind === 'relax.Tuple' ? [...e.fields] : e ? [e] : [];
  let k = fields.length;
  while (k > 0 && fields[k - 1]!.kind === 'relax.PrimValue') k--;
  return { tensors: fields.slice(0, k), scalars: fields.slice(k) };
}

/** `R.builtin.alloc_tensor(R.shape(dims), R.dtype(dt), R.prim_value(0), R.str("global"))`. */
export function allocTensor(s: StructInfo): Call {
  const dims = tensorDims(s)!;
  const dtype = s.kind === 'si.Tensor' ? s.dtype : 'float32';
  return call(op('relax.builtin.alloc_tensor'), [
    { kind: 'relax.ShapeExpr', values: dims },
    { kind: 'relax.DataTypeImm', value: dtype },
    { kind: 'relax.PrimValue', value: { kind: 'tir.IntImm', dtype: 'int64', value: 0 } },
    { kind: 'relax.StringImm', value: 'global' },
  ]);
}
