import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPass, parseStrict, runPassFixtures, splitFixture } from './fixture-harness.js';
import { lowerAllocTensor } from './lower-alloc-tensor.js';
import { lowerRuntimeBuiltin } from './lower-runtime-builtin.js';
import { vmShapeLower } from './vm-shape-lower.js';
import { vmCodegen } from '../codegen/vm-codegen.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';

const DIR = fileURLToPath(new URL('./fixtures/lower-alloc-tensor/', import.meta.url));

runPassFixtures({ pass: lowerAllocTensor, dir: DIR, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });

describe('LowerAllocTensor at run time', () => {
  it('allocates symbolic storages of the right size for every n, m', async () => {
    const before = parseStrict(splitFixture(readFileSync(`${DIR}/symbolic-and-static.tvmscript`, 'utf8')).before, 'symbolic');
    const mod = [lowerAllocTensor(), lowerRuntimeBuiltin(), vmShapeLower()].reduce((m, p) => applyPass(p, m).module, before);
    const sizes: number[] = [];
    const vm = new VirtualMachine(vmCodegen(mod), { backend: new JsKernelBackend() });
    vm.setInstrument((ev) => {
      if (!ev.before && ev.funcName === 'vm.builtin.alloc_storage') sizes.push((ev.result as { bytes: number }).bytes);
    });
    for (const [n, m] of [[2, 3], [1, 7]] as const) {
      sizes.length = 0;
      const x = Tensor.from([n, m], 'float32', Array.from({ length: n * m }, (_, i) => i));
      const out = (await vm.invoke('main', [x])) as Tensor[];
      expect(Array.from(out[0]!.data)).toEqual(Array.from(x.data));
      expect(out[1]!.shape).toEqual([n, 3]);
      expect(sizes).toEqual([n * m * 4, n * 3 * 8, 2 * 5 * 4, 16]);
    }
  });
});
