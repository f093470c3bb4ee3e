import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { parse } from '../../ir/parser/index.js';
import { printModule } from '../../ir/printer/index.js';
import { structuralEqual } from '../../ir/structural.js';
import type { PassContext } from '../pass.js';
import { legalizeOps } from './legalize-ops.js';
import type { Diagnostic } from '../../ir/diagnostics/diagnostic.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import type { PrimFunc } from '../../ir/tir/nodes.js';

const DIR = fileURLToPath(new URL('./fixtures/legalize-ops/', import.meta.url));

// Golden fixtures: representative ops with their legalized module (the real legalizers of legalize/<category>.ts).
runPassFixtures({ pass: legalizeOps, dir: DIR, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });

function ctx(): PassContext & { diags: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  return { options: {}, report: (d) => diags.push(d), diags };
}

const SRC = `
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), b: R.Tensor((4,), dtype="float32"), y: R.Tensor((2, 4), dtype="float32")):
        n = T.int64()
        with R.dataflow():
            a = R.add(x, b)
            r = R.nn.relu(a)
            c = R.add(y, b)
            d = R.add(r, b)
            R.output(d, c)
        return (d, c)
`;

describe('LegalizeOps', () => {
  it('rewrites op calls to call_tir with deduplicated, op-named kernels and provenance', () => {
    const mod = parse(SRC).module!;
    const c = ctx();
    const out = legalizeOps().run(mod, c);
    expect(c.diags).toEqual([]);
    const names = [...out.functions.keys()];
    expect(names).toEqual(['main', 'add', 'relu', 'add1']);
    const add = out.functions.get('add') as PrimFunc;
    expect([...(add.provenance ?? [])].sort()).toEqual(['a', 'd']);
    const text = printModule(out);
    expect(text).toContain('a = R.call_tir(cls.add, (x, b), out_ty=R.Tensor((n, 4), dtype="float32"))'.replace('a = ', 'a: R.Tensor((n, 4), dtype="float32") = '));
    const again = parse(text);
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(structuralEqual(out, again.module)).toBeNull();
  });

  it('produces kernels that run for any n', () => {
    const out = legalizeOps().run(parse(SRC).module!, ctx());
    const add = out.functions.get('add') as PrimFunc;
    const k = new JsKernelBackend().compile('add', add);
    for (const n of [1, 3, 17]) {
      const x = Tensor.from([n, 4], 'float32', Array.from({ length: n * 4 }, (_, i) => i));
      const b = Tensor.from([4], 'float32', [10, 20, 30, 40]);
      const o = new Tensor([n, 4], 'float32');
      k.run([x, b, o]);
      expect(Array.from(o.data)).toEqual(Array.from({ length: n * 4 }, (_, i) => i + [10, 20, 30, 40][i % 4]!));
    }
  });

  it('reports a binding whose rank is unknown instead of lowering it', () => {
    const mod = parse(`
@R.function
def main(x: R.Tensor(dtype="float32")):
    y = R.nn.relu(x)
    return y
`).module!;
    const c = ctx();
    legalizeOps().run(mod, c);
    expect(c.diags.map((d) => d.code)).toEqual(['B601']);
    expect(c.diags[0]!.message).toMatch(/at `y` in main, the shape of `x` is not known/);
  });

  it('matches a tensor of known rank but unknown dims to fresh symbolic dims, then lowers it', () => {
    const mod = parse(`
@R.function
def main(x: R.Tensor(dtype="float32", ndim=2)):
    y = R.nn.relu(x)
    return y
`).module!;
    const c = ctx();
    const text = printModule(legalizeOps().run(mod, c));
    expect(c.diags).toEqual([]);
    expect(text).toContain('x_m: R.Tensor((x_d0, x_d1), dtype="float32") = R.match_cast(x, R.Tensor((x_d0, x_d1), dtype="float32"))');
    expect(text).toContain('y: R.Tensor(dtype="float32", ndim=2) = R.call_tir(cls.relu, (x_m,), out_ty=R.Tensor((x_d0, x_d1), dtype="float32"))');
  });
});
