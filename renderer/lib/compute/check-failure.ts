/**
 * Runtime shape checks, said about what the user chose. The VM checks each parameter against its annotation and
 * each `match_cast` against its struct info, and reports TVM's `ErrorContext(fn=..., loc=..., ...)`: exact, but about
 * the program. In the run panel the fix is usually an input: a `.npy` of the wrong shape, or a dim bound to another
 * value. This turns such an error into one about the input field (`inputs.w`) when the checked value is a parameter,
 * and about the binding's node (the `match_cast`) in every case, keeping TVM's words for what was expected.
 */
import type { IRModule } from '../../../core/ir/module.js';
import type { Binding } from '../../../core/ir/relax/nodes.js';
import { printStructInfo } from '../../../core/ir/printer/index.js';
import { VMRuntimeError } from '../../../core/vm/builtins.js';
import { Tensor } from '../../../core/vm/tensor.js';
import type { Value } from '../../../core/vm/value.js';
import type { ComputeError } from './protocol.js';

const CONTEXT = /^ErrorContext\(fn=([^,]+), loc=(match_cast|param\[(\d+)\]), (?:var|param)=([^,]+), (?:struct_info|annotation)=(.*)\): ([^]*)$/;

/** What a parameter's value is, for a message: `float32[5, 4]`. */
function describe(v: Value | undefined): string {
  return v instanceof Tensor ? `${v.dtype}[${v.shape.join(', ')}]` : String(v);
}

function bindingsOf(mod: IRModule, fn: string): Binding[] {
  const f = mod.functions.get(fn);
  return f?.kind === 'relax.Function' ? f.body.blocks.flatMap((b) => b.bindings) : [];
}

/**
 * The ComputeError for a VM shape-check failure of function `fn`, or undefined when `e` is not one. `params` and
 * `args` are the function's parameter names and the values passed.
 */
export function checkFailure(e: unknown, mod: IRModule | undefined, params: readonly string[], args: readonly Value[]): ComputeError | undefined {
  if (!(e instanceof VMRuntimeError)) return undefined;
  const m = CONTEXT.exec(e.message);
  if (!m) return undefined;
  const [, fn, loc, index, name, sinfo, why] = m as unknown as [string, string, string, string | undefined, string, string, string];
  if (loc !== 'match_cast') {
    const i = Number(index);
    const p = params[i] ?? name;
    return { message: `input \`${p}\` must be ${sinfo}: ${why}. However, it is ${describe(args[i])}.`, field: `inputs.${p}` };
  }
  const binding = mod ? bindingsOf(mod, fn).find((b) => b.kind === 'relax.MatchCast' && b.v.name === name) : undefined;
  const source = binding?.value.kind === 'relax.Var' ? binding.value.name : undefined;
  const at = params.indexOf(source ?? '');
  const target = binding && binding.kind === 'relax.MatchCast' ? printStructInfo(binding.sinfo) : sinfo;
  if (at >= 0) {
    return {
      message: `input \`${source}\` must match \`${name} = R.match_cast(${source}, ${target})\`: ${why}. However, it is ${describe(args[at])}.`,
      field: `inputs.${source}`,
      nodes: [name],
    };
  }
  return { message: `\`${name} = R.match_cast(...)\` expects ${target}: ${why}.`, nodes: [name] };
}
