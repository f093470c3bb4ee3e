/**
 * The packed-function model: the names a program calls (the RFC seed's custom_inplace_update, every call form, the
 * VM's own names left out), which are missing, name and syntax checks, and the template, which the engine runs.
 */
import { describe, expect, it } from 'vitest';
import SEED from '../../../core/ir/fixtures/rfc/seed.tvmscript?raw';
import type { IRModule } from '../../../core/ir/module.js';
import { parse } from '../../../core/ir/parser/index.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { compilePacked } from '../compute/engine.js';
import { calledPackedNames, missingPacked, packedErrors, packedSyntaxError, packedTemplate, validatePackedName } from './packed.js';

function mod(text: string): IRModule {
  const r = parse(text, { loose: true });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.module!;
}

const CALLS = `
@I.ir_module
class Module:
    @R.function(pure=False)
    def main(x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
        a = R.call_packed("vm.builtin.copy", x, sinfo_args=(R.Tensor((2,), dtype="float32"),))
        b = R.call_dps_packed("my.dps", (a,), out_sinfo=R.Tensor((2,), dtype="float32"))
        c = R.call_pure_packed("pure_fn", b, sinfo_args=(R.Tensor((2,), dtype="float32"),))
        ef = R.ExternFunc("by_var")
        d = R.call_packed(ef, c, sinfo_args=(R.Object,))
        e = R.call_packed("my.dps", c, sinfo_args=(R.Object,))
        if R.const(True, "bool"):
            g = R.call_packed("in_branch", c, sinfo_args=(R.Object,))
            h = c
        else:
            h = c
        return h
`;

describe('calledPackedNames', () => {
  it("finds the RFC seed's custom_inplace_update", () => {
    const m = mod(SEED);
    expect(calledPackedNames(m)).toEqual(['custom_inplace_update']);
    expect(missingPacked(m, {})).toEqual(['custom_inplace_update']);
    expect(missingPacked(m, { custom_inplace_update: packedTemplate('custom_inplace_update') })).toEqual([]);
  });

  it('walks every packed call form, once per name, leaving out the VM builtins', () => {
    const names = calledPackedNames(mod(CALLS));
    expect(names.sort()).toEqual(['by_var', 'in_branch', 'my.dps', 'pure_fn']);
    expect(missingPacked(mod(CALLS), { pure_fn: '', 'my.dps': '' }).sort()).toEqual(['by_var', 'in_branch']);
    expect(calledPackedNames(undefined)).toEqual([]);
  });
});

describe('checks', () => {
  it('accepts dotted identifiers and says why others are refused', () => {
    expect(validatePackedName('custom_inplace_update')).toBeUndefined();
    expect(validatePackedName('my.lib.$scale2')).toBeUndefined();
    expect(validatePackedName('')).toMatch(/needs a name/);
    expect(validatePackedName('2fast')).toMatch(/dotted identifier .* However, it is "2fast"\./);
    expect(validatePackedName('a..b')).toMatch(/dotted identifier/);
    expect(validatePackedName('a-b')).toMatch(/dotted identifier/);
    expect(validatePackedName('vm.builtin.copy')).toMatch(/belong to the VM's own functions/);
    expect(validatePackedName('f', { f: '' })).toBe('a packed function named f is already defined');
  });

  it('reports syntax errors by name, and accepts the forms the engine accepts', () => {
    expect(packedSyntaxError('(t) => t')).toBeUndefined();
    expect(packedSyntaxError('arguments[0].data[0] = 1;')).toBeUndefined();
    expect(packedSyntaxError('function (t) { t.data[0] = ; }')).toEqual(expect.any(String));
    const e = packedErrors({ good: 'function (t) {}', bad: 'function (t) { t.data[0] = ; }' });
    expect(Object.keys(e)).toEqual(['packed.bad']);
    expect(e['packed.bad']).toMatch(/^the packed function `bad` does not compile: ./);
  });

  it('gives a template that compiles in the engine and updates a tensor in place', async () => {
    const src = packedTemplate('custom_inplace_update');
    expect(src).toContain('R.call_packed("custom_inplace_update"');
    expect(src).toContain('{shape, dtype, data}');
    expect(packedSyntaxError(src)).toBeUndefined();
    const t = Tensor.from([3], 'float32', [1, 2, 3]);
    await compilePacked('custom_inplace_update', src)(t);
    expect(Array.from(t.data)).toEqual([2, 4, 6]);
  });
});
