import { describe, expect, it } from 'vitest';
import { parse } from '../../ir/parser/index.js';
import type { Diagnostic } from '../../ir/diagnostics/diagnostic.js';
import { lambdaLift } from './lambda-lift.js';
import { build } from '../build.js';
import { VirtualMachine } from '../../vm/vm.js';
import { JsKernelBackend } from '../../vm/kernels/js-codegen.js';
import { Tensor } from '../../vm/tensor.js';
import { printModule } from '../../ir/printer/index.js';

const LOCAL = `
@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
        @R.function
        def twice(y: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
            z = R.add(y, y)
            return z

        a = twice(x)
        b = twice(a)
        return b
`;

describe('LambdaLift', () => {
  it('lifts a local function to a private module function and calls it directly', () => {
    const diags: Diagnostic[] = [];
    const out = lambdaLift().run(parse(LOCAL).module!, { options: {}, report: (d) => diags.push(d) });
    expect(diags).toEqual([]);
    expect([...out.functions.keys()]).toEqual(['main', 'main_twice']);
    const text = printModule(out);
    expect(text).toContain('a: R.Tensor((2,), dtype="float32") = cls.main_twice(x)');
    expect(text).toContain('@R.function(private=True)');
  });

  it('runs on the VM after lifting', async () => {
    const { exec } = build(parse(LOCAL).module!, { verify: 'each-pass' });
    const vm = new VirtualMachine(exec, { backend: new JsKernelBackend() });
    const y = (await vm.invoke('main', [Tensor.from([2], 'float32', [1, 2])])) as Tensor;
    expect(Array.from(y.data)).toEqual([4, 8]);
  });

  it('reports a closure that captures a variable', () => {
    const diags: Diagnostic[] = [];
    const src = LOCAL.replace('z = R.add(y, y)', 'z = R.add(y, x)');
    lambdaLift().run(parse(src).module!, { options: {}, report: (d) => diags.push(d) });
    expect(diags.map((d) => d.code)).toEqual(['B605']);
    expect(diags[0]!.message).toMatch(/`twice` in main captures `x`/);
  });
});
