import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPassFixtures } from './fixture-harness.js';
import { MAX_FOLD_ELEMENTS, foldConstant } from './fold-constant.js';
import * as K from './fusion.test-helpers.js';
import type { RelaxFunction } from '../../ir/relax/nodes.js';
import type { PassContext } from '../pass.js';
import { Tensor } from '../../vm/tensor.js';

runPassFixtures({
  pass: foldConstant,
  dir: fileURLToPath(new URL('./fixtures/fold-constant/', import.meta.url)),
  fs: { readdirSync, readFileSync, writeFileSync },
  env: process.env,
});

const EXP_OF_CONST = (rows: number): string => `
    @R.function
    def main() -> R.Tensor((${rows}, 8), dtype="float32"):
        cls = Module
        with R.dataflow():
            c = R.call_tir(cls.exp, (R.const([${Array.from({ length: rows }, () => `[${Array(8).fill('0.0').join(', ')}]`).join(', ')}], "float32"),), out_ty=R.Tensor((${rows}, 8), dtype="float32"))
            R.output(c)
        return c
`;

function firstValue(mod: ReturnType<typeof K.moduleOf>) {
  return (mod.functions.get('main') as RelaxFunction).body.blocks[0]!.bindings[0]!.value;
}

describe('FoldConstant', () => {
  it('runs kernels through the injected evaluator when the context has one', () => {
    const mod = K.moduleOf({ exp: K.exp2d() }, EXP_OF_CONST(2));
    const calls: string[] = [];
    const ctx: PassContext = {
      options: {},
      report: () => undefined,
      evaluate: (_f, args, outs) => {
        calls.push(`${(args[0] as Tensor).shape.join('x')} -> ${outs.map((o) => o.shape.join('x')).join(',')}`);
        return outs.map((o) => Tensor.from(o.shape, o.dtype, new Array(16).fill(7)));
      },
    };
    const out = foldConstant().run(mod, ctx);
    expect(calls).toEqual(['2x8 -> 2x8']);
    const v = firstValue(out);
    expect(v.kind === 'relax.Constant' && v.data?.slice(0, 3)).toEqual([7, 7, 7]);
    expect(out.functions.has('exp')).toBe(false);
  });

  it('evaluates with the JS reference backend by default', () => {
    const out = foldConstant().run(K.moduleOf({ exp: K.exp2d() }, EXP_OF_CONST(1)), { options: {}, report: () => undefined });
    const v = firstValue(out);
    expect(v.kind === 'relax.Constant' && v.shape).toEqual([1, 8]);
    expect(v.kind === 'relax.Constant' && v.data).toEqual(new Array(8).fill(1));
  });

  it('leaves outputs over the size limit to run time', () => {
    const mod = K.moduleOf({ exp: K.exp2d() }, EXP_OF_CONST(1).replace(/\(1, 8\)/g, `(${MAX_FOLD_ELEMENTS / 4}, 8)`).replace('[[', '[['));
    let called = false;
    const ctx: PassContext = { options: {}, report: () => undefined, evaluate: () => ((called = true), []) };
    expect(foldConstant().run(mod, ctx)).toBe(mod);
    expect(called).toBe(false);
  });

  it('keeps the call when the kernel fails to run', () => {
    const mod = K.moduleOf({ exp: K.exp2d() }, EXP_OF_CONST(1));
    const ctx: PassContext = { options: {}, report: () => undefined, evaluate: () => { throw new Error('boom'); } };
    expect(foldConstant().run(mod, ctx)).toBe(mod);
  });
});
