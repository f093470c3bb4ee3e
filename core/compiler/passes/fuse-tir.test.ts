import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPassFixtures } from './fixture-harness.js';
import { fuseTIR } from './fuse-tir.js';
import { fuseOps } from './fuse-ops.js';
import { annotateTIROpPattern } from './annotate-tir-op-pattern.js';
import * as K from './fusion.test-helpers.js';
import type { IRModule } from '../../ir/module.js';
import type { RelaxFunction } from '../../ir/relax/nodes.js';
import type { PrimFunc } from '../../ir/tir/nodes.js';
import { printModule } from '../../ir/printer/index.js';
import { parse } from '../../ir/parser/index.js';
import { structuralEqual } from '../../ir/structural.js';
import { verifyModule } from '../../ir/verify/index.js';
import { Tensor } from '../../vm/tensor.js';

runPassFixtures({
  pass: fuseTIR,
  dir: fileURLToPath(new URL('./fixtures/fuse-tir/', import.meta.url)),
  fs: { readdirSync, readFileSync, writeFileSync },
  env: process.env,
});

const ctx = { options: {}, report: () => undefined };

function fuse(mod: IRModule): IRModule {
  return fuseTIR().run(fuseOps().run(annotateTIROpPattern().run(mod, ctx), ctx), ctx);
}

function callees(mod: IRModule): string[] {
  const main = mod.functions.get('main') as RelaxFunction;
  return main.body.blocks.flatMap((b) => b.bindings).map((b) => {
    const v = b.value;
    return v.kind === 'relax.Call' && v.args[0]?.kind === 'relax.GlobalVar' ? v.args[0].name : v.kind;
  });
}

function expectClose(a: Tensor, b: Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [Array.from(a.data), Array.from(b.data)];
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 5));
}

/** Runs `main` of the unfused and the fused module on the same random inputs and compares. */
function compareRuns(before: IRModule, after: IRModule, shapes: readonly (readonly number[])[], seed: number): void {
  const args = shapes.map((s, i) => Tensor.from(s, 'float32', K.randomValues(s.reduce((a, d) => a * d, 1), seed + i)));
  expectClose(K.runRelax(after, 'main', args), K.runRelax(before, 'main', args));
}

function roundTrips(mod: IRModule): void {
  expect(verifyModule(mod).map((d) => d.message)).toEqual([]);
  const again = parse(printModule(mod)).module!;
  expect(structuralEqual(mod, again)).toBeNull();
}

const MATMUL_CHAIN = `
    @R.function
    def main(x: R.Tensor(("n", 16), dtype="float32"), w: R.Tensor((16, 8), dtype="float32"), b: R.Tensor((8,), dtype="float32")) -> R.Tensor(("n", 8), dtype="float32"):
        n = T.int64()
        cls = Module
        with R.dataflow():
            lv = R.call_tir(cls.matmul, (x, w), out_ty=R.Tensor((n, 8), dtype="float32"))
            lv1 = R.call_tir(cls.add, (lv, b), out_ty=R.Tensor((n, 8), dtype="float32"))
            gv = R.call_tir(cls.gelu, (lv1,), out_ty=R.Tensor((n, 8), dtype="float32"))
            R.output(gv)
        return gv
`;

const CONV_CHAIN = `
    @R.function
    def main(d: R.Tensor((1, 3, 6, 6), dtype="float32"), k: R.Tensor((4, 3, 3, 3), dtype="float32"), cb: R.Tensor((1, 4, 1, 1), dtype="float32")) -> R.Tensor((1, 4, 6, 6), dtype="float32"):
        cls = Module
        with R.dataflow():
            lv = R.call_tir(cls.conv2d, (d, k), out_ty=R.Tensor((1, 4, 6, 6), dtype="float32"))
            lv1 = R.call_tir(cls.add, (lv, cb), out_ty=R.Tensor((1, 4, 6, 6), dtype="float32"))
            gv = R.call_tir(cls.relu, (lv1,), out_ty=R.Tensor((1, 4, 6, 6), dtype="float32"))
            R.output(gv)
        return gv
`;

const DIAMOND = `
    @R.function
    def main(x: R.Tensor(("n", 8), dtype="float32")) -> R.Tensor(("n", 8), dtype="float32"):
        n = T.int64()
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((n, 8), dtype="float32"))
            b = R.call_tir(cls.gelu, (a,), out_ty=R.Tensor((n, 8), dtype="float32"))
            c = R.call_tir(cls.gelu, (b,), out_ty=R.Tensor((n, 8), dtype="float32"))
            d = R.call_tir(cls.multiply, (a, c), out_ty=R.Tensor((n, 8), dtype="float32"))
            R.output(d)
        return d
`;

describe('FuseTIR numerics: a fused kernel computes what the unfused kernels compute in sequence', () => {
  it('matmul + bias add + gelu become one kernel that keeps the symbolic n', () => {
    const before = K.moduleOf({ matmul: K.matmul(), add: K.addBias(), gelu: K.gelu() }, MATMUL_CHAIN);
    const after = fuse(before);
    expect(callees(after)).toEqual(['fused_matmul_add_gelu']);
    expect([...after.functions.keys()].sort()).toEqual(['fused_matmul_add_gelu', 'main']);
    const kernel = after.functions.get('fused_matmul_add_gelu') as PrimFunc;
    expect(kernel.provenance).toEqual(['lv', 'lv1', 'gv']);
    roundTrips(after);
    for (const n of [1, 5]) compareRuns(before, after, [[n, 16], [16, 8], [8]], n);
  });

  it('conv2d + bias add + relu become one kernel', () => {
    const before = K.moduleOf({ conv2d: K.conv2d(), add: K.biasAdd4d(), relu: K.relu4d() }, CONV_CHAIN);
    const after = fuse(before);
    expect(callees(after)).toEqual(['fused_conv2d_add_relu']);
    roundTrips(after);
    compareRuns(before, after, [[1, 3, 6, 6], [4, 3, 3, 3], [1, 4, 1, 1]], 11);
  });

  it('inlines a kernel used twice in one group as two independent copies', () => {
    const before = K.moduleOf({ exp: K.exp2d(), gelu: K.gelu(), multiply: K.mul2d() }, DIAMOND);
    const after = fuse(before);
    expect(callees(after)).toEqual(['fused_exp_gelu_gelu_multiply']);
    roundTrips(after);
    for (const n of [2, 3]) compareRuns(before, after, [[n, 8]], 20 + n);
  });

  it('passes a constant argument of a fused call as a parameter of the fused kernel', () => {
    const before = K.moduleOf({ matmul: K.matmul(), add: K.addBias(), gelu: K.gelu() }, MATMUL_CHAIN.replace(
      'R.call_tir(cls.add, (lv, b)', 'R.call_tir(cls.add, (lv, R.const([0.5, -1.0, 2.0, 0.0, 1.0, -0.25, 0.75, 3.0], "float32"))'));
    const after = fuse(before);
    expect(callees(after)).toEqual(['fused_matmul_add_gelu']);
    const call = (after.functions.get('main') as RelaxFunction).body.blocks[0]!.bindings[0]!.value;
    expect(call.kind === 'relax.Call' && call.args[1]?.kind === 'relax.Tuple' && call.args[1].fields.map((f) => f.kind))
      .toEqual(['relax.Var', 'relax.Var', 'relax.Constant']);
    roundTrips(after);
    compareRuns(before, after, [[3, 16], [16, 8], [8]], 40);
  });

  it('leaves a module without Primitive functions untouched', () => {
    const mod = K.moduleOf({ exp: K.exp2d() }, `
    @R.function
    def main(x: R.Tensor((2, 8), dtype="float32")) -> R.Tensor((2, 8), dtype="float32"):
        cls = Module
        with R.dataflow():
            a = R.call_tir(cls.exp, (x,), out_ty=R.Tensor((2, 8), dtype="float32"))
            R.output(a)
        return a
`);
    expect(fuseTIR().run(mod, ctx)).toBe(mod);
  });
});
