/**
 * ToNonDataflow (TVM `relax.transform.ToNonDataflow`): dataflow blocks become ordinary binding blocks and every
 * DataflowVar becomes a Var (same name and struct info), so later passes can insert impure calls (kills, packed
 * calls) anywhere.
 *
 * Precondition: none beyond well-formedness. The result has no DataflowBlock and no DataflowVar; consecutive
 * binding blocks are merged (the form the parser gives when reading the printed text back). Nested functions are
 * converted too. Nothing else changes.
 */
import type { BindingBlock, RelaxFunction, RelaxVar } from '../../ir/relax/nodes.js';
import type { Pass } from '../pass.js';
import { modulePass } from '../pass.js';
import { mapRelaxFunctions, normalizeBlocks, substituteSeq } from './binding-rewriter.js';

/** Creates the ToNonDataflow pass. */
export function toNonDataflow(): Pass {
  return modulePass('ToNonDataflow', (mod) => mapRelaxFunctions(mod, convertFunction));
}

function convertFunction(f: RelaxFunction): RelaxFunction {
  const renamed = new Map<RelaxVar, RelaxVar>();
  const leaf = (v: RelaxVar): RelaxVar => {
    if (v.kind !== 'relax.DataflowVar') return v;
    let w = renamed.get(v);
    if (!w) {
      w = { ...v, kind: 'relax.Var' };
      renamed.set(v, w);
    }
    return w;
  };
  const body = substituteSeq(f.body, leaf);
  return { ...f, body: flattenBlocks(body) };
}

/** Turns every dataflow block (at any depth) into a binding block and merges neighbours. */
function flattenBlocks<T extends { blocks: readonly BindingBlock[] }>(seq: T): T {
  const blocks = seq.blocks.map((b): BindingBlock => ({
    ...b,
    kind: 'relax.BindingBlock',
    bindings: b.bindings.map((x) => {
      const v = x.value;
      if (v.kind === 'relax.If') return { ...x, value: { ...v, trueBranch: flattenBlocks(v.trueBranch), falseBranch: flattenBlocks(v.falseBranch) } };
      if (v.kind === 'relax.SeqExpr') return { ...x, value: flattenBlocks(v) };
      if (v.kind === 'relax.Function') return { ...x, value: convertFunction(v) };
      return x;
    }),
  }));
  return { ...seq, blocks: normalizeBlocks(blocks) };
}
