import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPass, parseStrict, runPassFixtures, splitFixture } from './fixture-harness.js';
import { vmShapeLower } from './vm-shape-lower.js';
import { vmCodegen } from '../codegen/vm-codegen.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import { ShapeTuple } from '../../vm/value.js';
import type { Value } from '../../vm/value.js';
import { parse } from '../../ir/parser/index.js';
import { build } from '../build.js';
import { defaultPipeline } from '../pipeline.js';
import '../legalize/all.js';

const DIR = fileURLToPath(new URL('./fixtures/vm-shape-lower/', import.meta.url));

runPassFixtures({ pass: vmShapeLower, dir: DIR, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });

function fixtureVM(name: string, packed: Record<string, (...a: Value[]) => Value> = {}): VirtualMachine {
  const before = parseStrict(splitFixture(readFileSync(`${DIR}/${name}.tvmscript`, 'utf8')).before, name);
  const r = applyPass(vmShapeLower(), before);
  expect(r.diagnostics).toEqual([]);
  return new VirtualMachine(vmCodegen(r.module), { backend: new JsKernelBackend(), packed });
}

const range = (n: number, f = (i: number) => i): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('VMShapeLower at run time', () => {
  it('runs a symbolic function for several n, m (heap, shape_func, make_shape, make_prim_value)', async () => {
    const vm = fixtureVM('symbolic');
    for (const [n, m] of [[2, 3], [4, 1], [1, 5]] as const) {
      const x = Tensor.from([n, m], 'float32', range(n * m));
      const y = Tensor.from([m], 'float32', range(m, (j) => 10 * j));
      const out = (await vm.invoke('main', [x, y])) as Tensor;
      expect(out.shape).toEqual([n * m]);
      expect(Array.from(out.data)).toEqual(range(n * m, (i) => (i + 10 * (i % m)) * n * m));
    }
  });

  it('reports a wrong rank, dtype or dimension with the TVM message and the error context', async () => {
    const vm = fixtureVM('symbolic');
    const y = Tensor.from([3], 'float32', [0, 0, 0]);
    await expect(vm.invoke('main', [Tensor.zeros([2, 3, 1], 'float32'), y])).rejects.toThrow(
      'ErrorContext(fn=main, loc=param[0], param=x, annotation=R.Tensor((n, m), dtype="float32")): expected tensor with ndim 2, but got 3',
    );
    await expect(vm.invoke('main', [Tensor.zeros([2, 3], 'int32'), y])).rejects.toThrow('expected tensor with dtype float32, but got int32');
    await expect(vm.invoke('main', [Tensor.zeros([2, 4], 'float32'), y])).rejects.toThrow(
      'ErrorContext(fn=main, loc=param[1], param=y, annotation=R.Tensor((m,), dtype="float32")): expected dimension 0 to be 4, but got 3',
    );
    const st = fixtureVM('static');
    await expect(st.invoke('main', [Tensor.zeros([2, 4], 'float32'), Tensor.zeros([3], 'float32')])).rejects.toThrow(
      'annotation=R.Tensor((2, 3), dtype="float32")): expected dimension 1 to be 3, but got 4',
    );
  });

  it('binds a match_cast var at run time and checks the cast value', async () => {
    const positive = (x: Value): Value => {
      const vals = Array.from((x as Tensor).data).filter((v) => v > 0);
      return Tensor.from([vals.length], 'float32', vals);
    };
    const vm = fixtureVM('match-cast', { 'test.positive': positive });
    const out = (await vm.invoke('main', [Tensor.from([5], 'float32', [3, -1, 4, -1, 5])])) as Tensor;
    expect(Array.from(out.data)).toEqual([3, 4, 5]);
    const bad = fixtureVM('match-cast', { 'test.positive': () => Tensor.zeros([2, 2], 'float32') });
    await expect(bad.invoke('main', [Tensor.zeros([5], 'float32')])).rejects.toThrow(
      'ErrorContext(fn=main, loc=match_cast, var=y, struct_info=R.Tensor((k,), dtype="float32")): expected tensor with ndim 1, but got 2',
    );
  });

  it('scopes a match_cast inside an If branch', async () => {
    const vm = fixtureVM('if-match-cast', { 'test.f': () => Tensor.zeros([5], 'float32') });
    const x = Tensor.zeros([3], 'float32');
    expect(((await vm.invoke('main', [x, Tensor.from([], 'bool', [1])])) as ShapeTuple).dims).toEqual([10]);
    expect(((await vm.invoke('main', [x, Tensor.from([], 'bool', [0])])) as ShapeTuple).dims).toEqual([4]);
  });

  it('checks tuple fields, derived dims and prim values', async () => {
    const vm = fixtureVM('tuple-param');
    const x = [Tensor.zeros([3, 2], 'float32'), new ShapeTuple([3, 7])];
    const out = (await vm.invoke('main', [x, Tensor.zeros([6], 'int32'), 7])) as ShapeTuple;
    expect(out.dims).toEqual([7, 6]);
    await expect(vm.invoke('main', [x, Tensor.zeros([5], 'int32'), 7])).rejects.toThrow('expected dimension 0 to be 6, but got 5');
    await expect(vm.invoke('main', [x, Tensor.zeros([6], 'int32'), 8])).rejects.toThrow('expected the value to be 7, but got 8');
    await expect(vm.invoke('main', [[Tensor.zeros([3, 2], 'float32')], Tensor.zeros([6], 'int32'), 7])).rejects.toThrow(
      'expected tuple with 2 fields, but got 1',
    );
  });
});

describe('VMShapeLower diagnostics', () => {
  it('reports a symbolic var nothing defines and leaves its shape alone', () => {
    const mod = parse(`
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n",), dtype="float32")) -> R.Shape(ndim=1):
        n = T.int64()
        j = T.int64()
        s = R.shape([j + 1])
        return s
`).module!;
    const r = applyPass(vmShapeLower(), mod);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['B702']);
    expect(r.diagnostics[0]!.message).toContain('the shape value j + 1 is needed at run time. However, j is not defined by a parameter or a match_cast');
  });
});

describe('VMShapeLower in the whole pipeline', () => {
  it('runs a symbolic program (matmul, add, relu, reshape to n * 2, sum, exp) for several n', async () => {
    const mod = parseStrict(`
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), w: R.Tensor((4, 8), dtype="float32"), b: R.Tensor((8,), dtype="float32")):
        n = T.int64()
        with R.dataflow():
            h = R.matmul(x, w)
            h1 = R.add(h, b)
            h2 = R.nn.relu(h1)
            r = R.reshape(h2, R.shape([n * 2, 4]))
            s = R.sum(r, axis=[1])
            R.output(s)
        return s
`, 'symbolic');
    const passes = defaultPipeline().map((p) => (p.name === 'VMShapeLower' ? vmShapeLower() : p));
    const { exec } = build(mod, { passes });
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    const w = range(32, (i) => (i % 5) - 2);
    const b = range(8, (i) => i - 3);
    for (const n of [1, 3]) {
      const x = range(n * 4, (i) => (i % 7) - 3);
      const out = (await vm.invoke('main', [Tensor.from([n, 4], 'float32', x), Tensor.from([4, 8], 'float32', w), Tensor.from([8], 'float32', b)])) as Tensor;
      const h2 = range(n * 8, (i) => {
        const [r, c] = [Math.floor(i / 8), i % 8];
        return Math.max(0, range(4).reduce((acc, k) => acc + x[r * 4 + k]! * w[k * 8 + c]!, 0) + b[c]!);
      });
      expect(out.shape).toEqual([n * 2]);
      expect(Array.from(out.data)).toEqual(range(n * 2, (i) => h2.slice(i * 4, i * 4 + 4).reduce((a, v) => a + v, 0)));
    }
    await expect(vm.invoke('main', [Tensor.zeros([2, 5], 'float32'), Tensor.from([4, 8], 'float32', w), Tensor.from([8], 'float32', b)])).rejects.toThrow(
      'ErrorContext(fn=main, loc=param[0], param=x, annotation=R.Tensor((n, 4), dtype="float32")): expected dimension 1 to be 4, but got 5',
    );
  });
});
