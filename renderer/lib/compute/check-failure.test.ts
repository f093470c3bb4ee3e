// VM shape-check failures in the run panel: a match_cast of a parameter is about that input (and its node); a
// parameter check is about the input; anything else is left alone.
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../core/vm/npy.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { EXAMPLES } from '../ui/examples.js';
import { compute } from './engine.js';
import type { ComputeError, InputSpec } from './protocol.js';

const seed = EXAMPLES.find((e) => e.file === 'seed.tvmscript')!;
const npy = (shape: number[]): InputSpec => ({ kind: 'npy', bytes: writeNpy(Tensor.from(shape, 'float32', new Array(shape.reduce((a, b) => a * b, 1)).fill(1))) });

async function failure(inputs: Record<string, InputSpec>, sym: Record<string, number>): Promise<ComputeError> {
  try {
    await compute({ kind: 'run', text: seed.text, device: 'js', sym, packed: seed.packed, inputs });
  } catch (e) {
    return (e as { error: ComputeError }).error;
  }
  throw new Error('the run did not fail');
}

describe('shape-check failures name the input', () => {
  it('a .npy that does not fit a match_cast of the parameter is about that input and the match_cast node', async () => {
    const e = await failure({ x: npy([2, 3]), w: npy([5, 4]) }, { n: 2, k: 3 });
    expect(e.field).toBe('inputs.w');
    expect(e.nodes).toEqual(['lv0']);
    expect(e.message).toBe('input `w` must match `lv0 = R.match_cast(w, R.Tensor((k, m), dtype="float32"))`: expected dimension 0 to be 3, but got 5. However, it is float32[5, 4].');
  });

  it('a .npy of the wrong rank for an annotated parameter is about that input', async () => {
    const e = await failure({ x: npy([2, 3, 1]), w: npy([3, 4]) }, { n: 2, k: 3 });
    expect(e.field).toBe('inputs.x');
    expect(e.message).toMatch(/rank 2, not 3/);
  });
});

describe('packed-function failures name the calling node', () => {
  it('a statement call (`_`) that throws is reported on the binding that calls the function', async () => {
    const e = await (async () => {
      try {
        await compute({ kind: 'run', text: seed.text, device: 'js', sym: { n: 2, k: 3 }, packed: { custom_inplace_update: 'function (t) { throw new Error("boom"); }' }, inputs: { x: { kind: 'ones' }, w: npy([3, 4]) } });
      } catch (err) {
        return (err as { error: ComputeError }).error;
      }
      throw new Error('the run did not fail');
    })();
    expect(e.field).toBe('packed.custom_inplace_update');
    expect(e.nodes).toEqual(['_']);
    expect(e.message).toMatch(/threw: boom/);
  });
});
