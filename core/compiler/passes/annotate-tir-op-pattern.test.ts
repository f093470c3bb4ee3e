import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPassFixtures } from './fixture-harness.js';
import { OpPattern, analyzeOpPattern, annotateTIROpPattern } from './annotate-tir-op-pattern.js';
import * as K from './fusion.test-helpers.js';

runPassFixtures({
  pass: annotateTIROpPattern,
  dir: fileURLToPath(new URL('./fixtures/annotate-tir-op-pattern/', import.meta.url)),
  fs: { readdirSync, readFileSync, writeFileSync },
  env: process.env,
});

describe('analyzeOpPattern on TE-built kernels', () => {
  it('classifies element-wise, injective, reductions and out-elemwise-fusable kernels', () => {
    expect(analyzeOpPattern(K.addBias())).toBe(OpPattern.ElemWise);
    expect(analyzeOpPattern(K.gelu())).toBe(OpPattern.ElemWise);
    expect(analyzeOpPattern(K.biasAdd4d())).toBe(OpPattern.ElemWise);
    expect(analyzeOpPattern(K.transpose())).toBe(OpPattern.Injective);
    expect(analyzeOpPattern(K.rowSum())).toBe(OpPattern.CommReduce);
    expect(analyzeOpPattern(K.rowMax())).toBe(OpPattern.CommReduce);
    expect(analyzeOpPattern(K.matmul())).toBe(OpPattern.OutEWiseFusable);
    expect(analyzeOpPattern(K.conv2d())).toBe(OpPattern.OutEWiseFusable);
  });

  it('leaves a module without PrimFuncs unchanged', () => {
    const mod = K.moduleOf({}, `
    @R.function
    def main(x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
        return x
`);
    expect(annotateTIROpPattern().run(mod, { options: {}, report: () => undefined })).toBe(mod);
  });
});
