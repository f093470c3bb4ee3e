/**
 * AttachGlobalSymbol (TVM `relax.transform.AttachGlobalSymbol`): every public function (Relax function or
 * PrimFunc) gets `"global_symbol": <its name>` in its attrs, the name the executable exports it under. Private
 * functions (`private=True`, e.g. the kernels LegalizeOps makes) get none, and a symbol already present is kept.
 * TVM attaches one to every function (privacy there is the absence of a symbol); our IR keeps privacy as a flag
 * (core/ir/README.md), so the README's rule, public functions only, keeps printing and privacy consistent.
 * Runs last: nothing after it renames functions.
 */
import type { BaseFunc } from '../../ir/module.js';
import { irModule } from '../../ir/module.js';
import { attrDict, attrGet, attrSet } from '../../ir/attrs.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { extraOf } from './binding-rewriter.js';

/** The attribute holding a function's exported name. */
export const GLOBAL_SYMBOL = 'global_symbol';

/** Creates the AttachGlobalSymbol pass. */
export function attachGlobalSymbol(): Pass {
  return modulePass('AttachGlobalSymbol', (mod) => {
    const out = new Map<string, BaseFunc>();
    for (const [name, f] of mod.functions) out.set(name, withSymbol(name, f));
    return irModule(mod.name, out, extraOf(mod));
  });
}

function withSymbol(name: string, f: BaseFunc): BaseFunc {
  if (f.isPrivate || attrGet(f.attrs, GLOBAL_SYMBOL) !== undefined) return f;
  return { ...f, attrs: attrSet(f.attrs ?? attrDict([]), GLOBAL_SYMBOL, name) } as BaseFunc;
}
