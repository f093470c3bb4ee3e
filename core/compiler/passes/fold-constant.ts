/**
 * FoldConstant: a `R.call_tir` whose tensor inputs are all constants with data (`R.const`, or vars bound to such a
 * constant earlier, so chains fold) and whose scalar inputs are integer literals is run at compile time and
 * replaced by its result, a `Constant` (a tuple of constants for several outputs).
 *
 * Preconditions: after LegalizeOps (kernels are `call_tir`s to PrimFuncs of the module); output struct info is
 * static (every dim an integer). Constants printed as `metadata[...]` references carry no data and never fold.
 * Stages: per Relax function, walk the bindings in order (If branches too), remember vars bound to constants,
 * evaluate foldable calls through `PassContext.evaluate` (default: the JS reference backend, fold-evaluator.ts);
 * then drop the PrimFuncs that only the folded calls used.
 * Left alone: outputs over `MAX_FOLD_ELEMENTS` elements (folding would bloat the module), calls whose kernel fails
 * to run (the error shows up again at run time, where it has a binding to point at), bindings whose var becomes
 * unused (dead-code elimination is not this pass's job; TVM keeps them too).
 */
import type { IRModule, BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import type {
  Binding, BindingBlock, Call, Constant, Expr, RelaxFunction, RelaxVar, SeqExpr, StructInfo,
} from '../../ir/relax/nodes.js';
import { isRelaxVar, tensorDims } from '../../ir/relax/nodes.js';
import type { PrimFunc } from '../../ir/tir/nodes.js';
import { exprChildren } from '../../ir/relax/visit.js';
import { Tensor } from '../../vm/tensor.js';
import type { Pass, PassContext, TensorSpec } from '../pass.js';
import { evaluateWithJs } from './fold-evaluator.js';

/** Results larger than this many elements (over all outputs) stay computed at run time. */
export const MAX_FOLD_ELEMENTS = 1 << 20;

/** The pass. */
export function foldConstant(): Pass {
  return { name: 'FoldConstant', run: (mod, ctx) => foldModule(mod, ctx) };
}

function foldModule(mod: IRModule, ctx: PassContext): IRModule {
  const folder = new Folder(mod, ctx);
  const out = new Map<string, BaseFunc>();
  for (const [name, f] of mod.functions) out.set(name, f.kind === 'relax.Function' ? folder.fn(f) : f);
  if (!folder.changed) return mod;
  const before = referencedGlobals(mod.functions.values());
  const after = referencedGlobals(out.values());
  for (const name of before) if (!after.has(name) && out.get(name)?.kind === 'tir.PrimFunc') out.delete(name);
  return irModule(mod.name, out, {
    ...(mod.attrs ? { attrs: mod.attrs } : {}),
    ...(mod.globalInfos ? { globalInfos: mod.globalInfos } : {}),
    ...(mod.metadata !== undefined ? { metadata: mod.metadata } : {}),
    ...(mod.span ? { span: mod.span } : {}),
  });
}

/** Names of the GlobalVars the Relax functions among `funcs` mention. */
export function referencedGlobals(funcs: Iterable<BaseFunc>): Set<string> {
  const names = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.kind === 'relax.GlobalVar') names.add(e.name);
    for (const c of exprChildren(e)) visit(c);
  };
  for (const f of funcs) if (f.kind === 'relax.Function') visit(f);
  return names;
}

class Folder {
  changed = false;
  private readonly known = new Map<RelaxVar, Constant>();

  constructor(private readonly mod: IRModule, private readonly ctx: PassContext) {}

  fn(f: RelaxFunction): RelaxFunction {
    const body = this.seq(f.body);
    return body === f.body ? f : { ...f, body };
  }

  private seq(s: SeqExpr): SeqExpr {
    let changed = false;
    const blocks = s.blocks.map((b) => {
      const nb = this.block(b);
      changed ||= nb !== b;
      return nb;
    });
    return changed ? { ...s, blocks } : s;
  }

  private block(b: BindingBlock): BindingBlock {
    let changed = false;
    const bindings = b.bindings.map((x) => {
      const nx = this.binding(x);
      changed ||= nx !== x;
      return nx;
    });
    return changed ? { ...b, bindings } : b;
  }

  private binding(b: Binding): Binding {
    let value = b.value;
    if (value.kind === 'relax.If') {
      const t = this.seq(value.trueBranch);
      const f = this.seq(value.falseBranch);
      if (t !== value.trueBranch || f !== value.falseBranch) value = { ...value, trueBranch: t, falseBranch: f };
    } else if (value.kind === 'relax.Call') {
      value = this.tryFold(value) ?? value;
    }
    if (value.kind === 'relax.Constant' && b.kind === 'relax.VarBinding') this.known.set(b.v, value);
    if (value === b.value) return b;
    this.changed = true;
    return { ...b, value };
  }

  /** The folded value of a call, or undefined when it cannot or should not fold. */
  private tryFold(c: Call): Expr | undefined {
    if (c.op.kind !== 'relax.Op' || c.op.name !== 'relax.call_tir') return undefined;
    const [callee, tuple] = c.args;
    if (callee?.kind !== 'relax.GlobalVar' || tuple?.kind !== 'relax.Tuple') return undefined;
    const func = this.mod.functions.get(callee.name);
    if (func?.kind !== 'tir.PrimFunc') return undefined;
    const args = this.constantArgs(tuple.fields);
    const outs = outSpecs(c.sinfoArgs);
    if (!args || !outs || outs.reduce((n, o) => n + o.shape.reduce((a, d) => a * d, 1), 0) > MAX_FOLD_ELEMENTS) return undefined;
    const results = this.run(func, args, outs);
    if (!results) return undefined;
    const consts = results.map(toConstant);
    return consts.length === 1 && c.sinfoArgs[0]?.kind === 'si.Tensor'
      ? consts[0]
      : { kind: 'relax.Tuple', fields: consts };
  }

  private constantArgs(fields: readonly Expr[]): (Tensor | number)[] | undefined {
    const out: (Tensor | number)[] = [];
    for (const f of fields) {
      if (f.kind === 'relax.PrimValue') {
        if (f.value.kind !== 'tir.IntImm' && f.value.kind !== 'tir.FloatImm') return undefined;
        out.push(f.value.value);
        continue;
      }
      const c = f.kind === 'relax.Constant' ? f : isRelaxVar(f) ? this.known.get(f) : undefined;
      if (!c?.data || !c.shape) return undefined;
      out.push(Tensor.from(c.shape, c.dtype, c.data.map(Number)));
    }
    return out;
  }

  private run(func: PrimFunc, args: (Tensor | number)[], outs: TensorSpec[]): Tensor[] | undefined {
    try {
      return (this.ctx.evaluate ?? evaluateWithJs)(func, args, outs);
    } catch {
      return undefined;
    }
  }
}

/** Static output shapes and dtypes from `out_ty`, or undefined when any is symbolic or unknown. */
function outSpecs(sinfoArgs: readonly StructInfo[]): TensorSpec[] | undefined {
  const fields = sinfoArgs.length === 1 && sinfoArgs[0]!.kind === 'si.Tuple' ? sinfoArgs[0]!.fields : sinfoArgs;
  const out: TensorSpec[] = [];
  for (const si of fields) {
    const dims = tensorDims(si);
    if (si.kind !== 'si.Tensor' || !dims || si.dtype === '') return undefined;
    const shape: number[] = [];
    for (const d of dims) {
      if (d.kind !== 'tir.IntImm') return undefined;
      shape.push(d.value);
    }
    out.push({ shape, dtype: si.dtype });
  }
  return out.length > 0 ? out : undefined;
}

function toConstant(t: Tensor): Constant {
  const values = Array.from(t.data as ArrayLike<number>);
  const data = t.dtype === 'bool' ? values.map((v) => v !== 0) : values;
  return { kind: 'relax.Constant', dtype: t.dtype, shape: [...t.shape], data };
}
