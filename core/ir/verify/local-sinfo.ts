/**
 * The struct info of an expression as far as it can be read off the IR without op inference: vars carry theirs,
 * literals are exact, tuples are built field by field, a call of a module function has its declared return, and
 * the DPS calls (`call_tir`, `call_dps_packed`) carry their output struct info. Everything else is unknown
 * (undefined), and the verifier then checks nothing. Op inference proper is `../relax/infer.ts`.
 */
import type { Expr, StructInfo } from '../relax/nodes.js';
import type { IRModule } from '../module.js';
import { leafSInfo, SI } from '../relax/nodes.js';

const DPS_OPS: ReadonlySet<string> = new Set([
  'relax.call_tir',
  'relax.call_tir_inplace',
  'relax.call_tir_with_grad',
  'relax.call_dps_packed',
]);

/** Struct info readable without inference, or undefined. Cost: the size of `e` minus nested SeqExpr bindings. */
export function localSInfo(e: Expr, mod: IRModule): StructInfo | undefined {
  switch (e.kind) {
    case 'relax.Tuple':
      return SI.tuple(e.fields.map((f) => localSInfo(f, mod) ?? SI.object()));
    case 'relax.TupleGetItem': {
      const t = localSInfo(e.tuple, mod);
      return t?.kind === 'si.Tuple' ? t.fields[e.index] : undefined;
    }
    case 'relax.SeqExpr':
      return localSInfo(e.body, mod);
    case 'relax.Call':
      return callSInfo(e, mod);
    default:
      return leafSInfo(e);
  }
}

function callSInfo(e: Expr & { kind: 'relax.Call' }, mod: IRModule): StructInfo | undefined {
  const f = e.op;
  if (f.kind === 'relax.GlobalVar') {
    const g = mod.functions.get(f.name);
    return g?.kind === 'relax.Function' ? g.retSInfo : undefined;
  }
  if (f.kind === 'relax.Op' && DPS_OPS.has(f.name) && e.sinfoArgs.length > 0) {
    return e.sinfoArgs.length === 1 ? e.sinfoArgs[0] : SI.tuple(e.sinfoArgs);
  }
  return undefined;
}
