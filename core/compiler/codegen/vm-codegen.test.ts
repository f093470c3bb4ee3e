/**
 * VM codegen golden tests: hand-written modules in the fully lowered form (what the pipeline leaves) are compiled
 * with `vmCodegen` and their `asText()` compared with `<name>.astext` beside them (`UPDATE_GOLDEN=1` rewrites,
 * `FILTER=name` selects). Plus checks of provenance per instruction and of the errors codegen gives.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStrict } from '../passes/fixture-harness.js';
import { CodegenError, vmCodegen } from './vm-codegen.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
const FILTER = process.env['FILTER'];

describe('vmCodegen goldens', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.tvmscript')).sort()) {
    if (FILTER && !file.includes(FILTER)) continue;
    it(file, () => {
      const exec = vmCodegen(parseStrict(readFileSync(`${DIR}/${file}`, 'utf8'), file));
      const golden = `${DIR}/${file.replace(/\.tvmscript$/, '.astext')}`;
      if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(golden)) writeFileSync(golden, exec.asText());
      expect(exec.asText()).toBe(readFileSync(golden, 'utf8'));
    });
  }
});

describe('vmCodegen', () => {
  it('records the provenance of each call and runs the lowered memory form', async () => {
    const mod = parseStrict(readFileSync(`${DIR}/memory.tvmscript`, 'utf8'), 'memory');
    const exec = vmCodegen(mod);
    expect(exec.provenance.filter(Boolean).length).toBeGreaterThan(0);
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    const out = (await vm.invoke('main', [Tensor.from([4], 'float32', [0, 1, 2, 3])])) as Tensor;
    expect(out.shape).toEqual([2, 2]);
    Array.from(out.data).forEach((v, i) => expect(Math.abs(v / Math.exp(Math.exp(i)) - 1)).toBeLessThan(1e-5));
  });

  it('runs the control-flow fixture through both branches', async () => {
    const exec = vmCodegen(parseStrict(readFileSync(`${DIR}/control.tvmscript`, 'utf8'), 'control'));
    const logged: unknown[][] = [];
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend(), packed: { 'my.log': (...a) => void logged.push(a) } });
    const x = Tensor.from([2], 'float32', [1, 2]);
    expect(await vm.invoke('main', [x, 1])).toBe(x);
    expect(await vm.invoke('main', [x, 0])).toBe(x);
    expect(logged.length).toBe(2);
    expect(logged[0]![2]).toBe('tag');
    expect(logged[0]![3]).toBe(0.5);
  });

  it('refuses an op that was not lowered, naming the binding', () => {
    const text = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        y = R.add(x, x)
        return y
`;
    expect(() => vmCodegen(parseStrict(text, 'unlowered'))).toThrow(CodegenError);
    try {
      vmCodegen(parseStrict(text, 'unlowered'));
    } catch (e) {
      expect((e as CodegenError).message).toContain('R.add');
      expect((e as CodegenError).message).toContain('at y');
    }
  });
});
