import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPass, parseStrict, runPassFixtures, splitFixture } from './fixture-harness.js';
import { dtypeBytes, staticPlanBlockMemory } from './static-plan-block-memory.js';
import { lowerAllocTensor } from './lower-alloc-tensor.js';
import { lowerRuntimeBuiltin } from './lower-runtime-builtin.js';
import { vmShapeLower } from './vm-shape-lower.js';
import { vmCodegen } from '../codegen/vm-codegen.js';
import type { Pass } from '../pass.js';
import type { IRModule } from '../../ir/module.js';
import type { RelaxFunction, StructInfo } from '../../ir/relax/nodes.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import type { Value } from '../../vm/value.js';
import { printModule } from '../../ir/printer/index.js';
import { build } from '../build.js';
import { defaultPipeline } from '../pipeline.js';
import '../legalize/all.js';

const DIR = fileURLToPath(new URL('./fixtures/static-plan-block-memory/', import.meta.url));

runPassFixtures({ pass: staticPlanBlockMemory, dir: DIR, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });

/** Runs the finalize passes after StaticPlanBlockMemory (or without it) and compiles to an executable. */
function lower(mod: IRModule, plan: boolean): IRModule {
  const passes: Pass[] = [...(plan ? [staticPlanBlockMemory()] : []), lowerAllocTensor(), lowerRuntimeBuiltin(), vmShapeLower()];
  return passes.reduce((m, p) => {
    const r = applyPass(p, m);
    expect(r.diagnostics.filter((d) => d.severity === 'error'), p.name).toEqual([]);
    return r.module;
  }, mod);
}

/** Deterministic inputs for a parameter: symbolic dims are 5, a bool scalar is `cond`. */
function input(si: StructInfo, seed: number, cond: boolean): Value {
  if (si.kind !== 'si.Tensor' || si.shape?.kind !== 'relax.ShapeExpr') throw new Error('test inputs are tensors of known rank');
  const shape = si.shape.values.map((d) => (d.kind === 'tir.IntImm' ? d.value : 5));
  if (si.dtype === 'bool') return Tensor.from(shape, 'bool', [cond ? 1 : 0]);
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(shape, si.dtype, Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 11) - 5));
}

async function run(mod: IRModule, cond: boolean): Promise<unknown> {
  const exec = vmCodegen(mod);
  const storages: number[] = [];
  const vm = new VirtualMachine(exec, { backend: new JsKernelBackend(), packed: { 'test.touch': () => null } });
  vm.setInstrument((ev) => {
    if (ev.before && ev.funcName === 'vm.builtin.alloc_storage') storages.push(storages.length);
  });
  const main = mod.functions.get('main') as RelaxFunction;
  const out = await vm.invoke('main', main.params.map((p, i) => input(p.sinfo, i, cond)));
  const plain = (v: Value): unknown => (v instanceof Tensor ? { shape: v.shape, data: Array.from(v.data) } : Array.isArray(v) ? v.map(plain) : v);
  return { out: plain(out), storages: storages.length };
}

describe('StaticPlanBlockMemory at run time', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.tvmscript'))) {
    it(`${file}: planned and unplanned programs compute the same values with fewer storages`, async () => {
      const before = parseStrict(splitFixture(readFileSync(`${DIR}/${file}`, 'utf8')).before, file);
      for (const cond of [true, false]) {
        const planned = lower(before, true);
        const a = (await run(lower(before, false), cond)) as { out: unknown; storages: number };
        const b = (await run(planned, cond)) as { out: unknown; storages: number };
        expect(b.out, printModule(planned)).toEqual(a.out);
        expect(b.storages).toBeLessThanOrEqual(a.storages);
      }
    });
  }

  it('reuses storage in a chain: 5 tensors, 3 storages at run time', async () => {
    const before = parseStrict(splitFixture(readFileSync(`${DIR}/static-chain-reuse.tvmscript`, 'utf8')).before, 'chain');
    const r = (await run(lower(before, true), true)) as { out: { data: number[] }; storages: number };
    expect(r.storages).toBe(3);
    // x[i] = ((7i) % 11) - 5; lv = x + 1; lv1 = 2 lv; lv2 = pair sums; lv3 = +1; lv4 = pair sums.
    const x = Array.from({ length: 16 }, (_, i) => ((i * 7) % 11) - 5);
    const lv1 = x.map((v) => (v + 1) * 2);
    const lv3 = Array.from({ length: 8 }, (_, i) => lv1[2 * i]! + lv1[2 * i + 1]! + 1);
    expect(r.out.data).toEqual(Array.from({ length: 4 }, (_, i) => lv3[2 * i]! + lv3[2 * i + 1]!));
  });
});

describe('StaticPlanBlockMemory: a three-kernel chain', () => {
  const chain = (): IRModule => parseStrict(splitFixture(readFileSync(`${DIR}/three-kernel-chain.tvmscript`, 'utf8')).before, 'three-kernel-chain');

  it('c takes the storage a left, at run time, and the values are right', async () => {
    const planned = lower(chain(), true);
    const r = (await run(planned, true)) as { out: { data: number[] }; storages: number };
    // storage (a, then c), storage_1 (b), and d's own allocation.
    expect(r.storages).toBe(3);
    const x = Array.from({ length: 8 }, (_, i) => ((i * 7) % 11) - 5);
    const expected = x.reduce((acc, v) => acc + Math.max(Math.exp(v), 0) + 1, 0);
    expect(Math.abs(r.out.data[0]! - expected)).toBeLessThan(1e-4 * expected);
    expect((await run(lower(chain(), false), true)) as { storages: number }).toMatchObject({ storages: 4 });
  });

  it('plans a returned tensor never: chain_out keeps c in its own allocation', () => {
    const text = printModule(applyPass(staticPlanBlockMemory(), chain()).module);
    const body = text.slice(text.indexOf('def chain_out'));
    expect(body).toContain('c: R.Tensor((8,), dtype="float32") = R.builtin.alloc_tensor(');
    expect(body.match(/R\.memory\.alloc_storage/g)).toHaveLength(2);
  });
});

describe('dtypeBytes', () => {
  it('uses the VM storage sizes', () => {
    expect(['float32', 'float16', 'float64', 'int64', 'int32', 'int8', 'bool', 'uint8'].map(dtypeBytes)).toEqual([4, 4, 8, 8, 4, 1, 1, 1]);
    expect(dtypeBytes('float8_e4m3')).toBeUndefined();
  });
});

describe('StaticPlanBlockMemory in the whole pipeline', () => {
  const SRC = `
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 4), dtype="float32"), w: R.Tensor((4, 4), dtype="float32"), b: R.Tensor((4,), dtype="float32")):
        with R.dataflow():
            h = R.matmul(x, w)
            h1 = R.add(h, b)
            h2 = R.nn.relu(h1)
            h3 = R.matmul(h2, w)
            h4 = R.add(h3, h1)
            r = R.reshape(h4, R.shape([8]))
            e = R.exp(r)
            s = R.multiply(e, r)
            R.output(s)
        return s
`;
  it('computes the same values as the unplanned program with fewer storages', async () => {
    const mod = parseStrict(SRC, 'mlp');
    const passes = (plan: boolean): Pass[] =>
      defaultPipeline().flatMap((p) => (p.name === 'VMShapeLower' ? [vmShapeLower()] : p.name === 'StaticPlanBlockMemory' && !plan ? [] : [p]));
    const results = [];
    for (const plan of [false, true]) {
      const { exec } = build(mod, { passes: passes(plan) });
      let storages = 0;
      const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
      vm.setInstrument((ev) => {
        if (ev.before && ev.funcName === 'vm.builtin.alloc_storage') storages++;
      });
      const args = [Tensor.from([2, 4], 'float32', [1, -2, 3, 0.5, -1, 2, 0, 1]), Tensor.from([4, 4], 'float32', Array.from({ length: 16 }, (_, i) => ((i % 5) - 2) / 4)), Tensor.from([4], 'float32', [0.1, -0.2, 0.3, 0])];
      const out = (await vm.invoke('main', args)) as Tensor;
      results.push({ data: Array.from(out.data), storages });
    }
    expect(results[1]!.data).toEqual(results[0]!.data);
    expect(results[1]!.storages).toBeLessThan(results[0]!.storages);
  });
});
