// The bundled examples: every file of assets/examples plus the seed, each parses, and the seed brings its packed function.
import { describe, expect, it } from 'vitest';
import { parse } from '../../../core/ir/parser/index.js';
import { compilePacked } from '../compute/engine.js';
import { EXAMPLES, exampleTitle } from './examples.js';

describe('EXAMPLES', () => {
  it('lists the seed and every assets/examples model, each a valid module', () => {
    expect(EXAMPLES.map((e) => e.file)).toEqual(expect.arrayContaining(['seed.tvmscript', 'cnn.tvmscript', 'mlp.tvmscript', 'transformer.tvmscript']));
    for (const e of EXAMPLES) {
      const r = parse(e.text, { loose: true });
      expect(r.diagnostics.filter((d) => d.severity === 'error'), e.file).toEqual([]);
    }
  });

  it("gives the seed a packed function that updates in place as the design note's contract says", async () => {
    const seed = EXAMPLES.find((e) => e.file === 'seed.tvmscript')!;
    const fn = compilePacked('custom_inplace_update', seed.packed!['custom_inplace_update']!);
    const t = { shape: [3], dtype: 'float32', data: new Float32Array([1, 2, 3]) };
    await fn(t as never);
    expect([...t.data]).toEqual([2, 5, 8]);
  });

  it('titles an example by its first comment line', () => {
    expect(exampleTitle('a/cnn.tvmscript', '# A small classifier:\nx')).toBe('cnn: A small classifier');
    expect(exampleTitle('mlp.tvmscript', 'import tvm')).toBe('mlp');
  });
});
