import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPassFixtures } from './fixture-harness.js';
import { fuseOps } from './fuse-ops.js';
import { annotateTIROpPattern } from './annotate-tir-op-pattern.js';
import * as K from './fusion.test-helpers.js';
import type { RelaxFunction } from '../../ir/relax/nodes.js';

runPassFixtures({
  pass: fuseOps,
  dir: fileURLToPath(new URL('./fixtures/fuse-ops/', import.meta.url)),
  fs: { readdirSync, readFileSync, writeFileSync },
  env: process.env,
});

const ctx = { options: {}, report: () => undefined };

describe('FuseOps', () => {
  it('gives the call to a fused function the provenance of every fused binding', () => {
    const mod = annotateTIROpPattern().run(K.moduleOf({ exp: K.exp2d(), gelu: K.gelu() }, `
    @R.function
    def main(x: R.Tensor(("n", 8), dtype="float32")) -> R.Tensor(("n", 8), dtype="float32"):
        n = T.int64()
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((n, 8), dtype="float32"))
            g = R.call_tir(cls.gelu, (a,), out_ty=R.Tensor((n, 8), dtype="float32"))
            R.output(g)
        return g
`), ctx);
    const out = fuseOps().run(mod, ctx);
    const main = out.functions.get('main') as RelaxFunction;
    const value = main.body.blocks[0]!.bindings[0]!.value;
    expect(value.kind === 'relax.Call' && value.provenance).toEqual(['a', 'g']);
    expect(out.functions.has('fused_exp_gelu')).toBe(true);
  });

  it('returns the module itself when nothing fuses', () => {
    const mod = annotateTIROpPattern().run(K.moduleOf({ exp: K.exp2d() }, `
    @R.function
    def main(x: R.Tensor(("n", 8), dtype="float32")) -> R.Tensor(("n", 8), dtype="float32"):
        n = T.int64()
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((n, 8), dtype="float32"))
            R.output(a)
        return a
`), ctx);
    expect(fuseOps().run(mod, ctx)).toBe(mod);
  });
});
