/**
 * The run form on real modules: the RFC seed's function, params and dims; dims bound by typing or by a `.npy`
 * file; kept and dropped choices when the module changes; field errors keyed as the engine keys them; and the
 * request and stored settings a form becomes (a request that the engine really runs).
 */
import { describe, expect, it } from 'vitest';
import SEED from '../../../core/ir/fixtures/rfc/seed.tvmscript?raw';
import type { IRModule } from '../../../core/ir/module.js';
import { parse } from '../../../core/ir/parser/index.js';
import { writeNpy } from '../../../core/vm/npy.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { compute } from '../compute/engine.js';
import type { RunResponse } from '../compute/protocol.js';
import type { InputChoice, RunForm } from './form.js';
import { packedTemplate } from './packed.js';
import { choiceOfKind, defaultForm, fieldErrorsOf, panelFields, unplacedErrors, formFromSettings, parseDim, runModel, toRunRequest, toRunSettings, validateForm } from './form.js';

function mod(text: string): IRModule {
  const r = parse(text, { loose: true });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.module!;
}

const TWO = `
@I.ir_module
class Module:
    @R.function
    def helper(a: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
        return a

    @R.function
    def main(x: R.Tensor(("n", 4), dtype="float32"), y: R.Tensor(("n * 2", "m"), dtype="float32"), s: R.Shape(["m"])) -> R.Tensor(("n", 4), dtype="float32"):
        n = T.int64()
        m = T.int64()
        return x
`;

const EXP = `
@R.function
def main(x: R.Tensor(("n", 4), dtype="float32"), y: R.Tensor(("n", 4), dtype="float32")) -> R.Tensor(("n", 4), dtype="float32"):
    n = T.int64()
    a = R.add(x, y)
    return a
`;

const npyOf = (shape: number[], values: number[], file = 'x.npy'): InputChoice => ({ kind: 'npy', file, bytes: writeNpy(Tensor.from(shape, 'float32', values)) });

describe('run form model', () => {
  it('reads the RFC seed: relax_func, its params and the dims n, k', () => {
    const m = runModel(mod(SEED));
    expect(m.functions).toEqual(['relax_func']);
    expect(m.func).toBe('relax_func');
    expect(m.dims).toEqual(['n', 'k']);
    expect(m.params.map((p) => [p.name, p.isTensor, p.canMake, p.binds])).toEqual([
      ['x', true, true, ['n', 'k']],
      ['w', true, false, []],
    ]);
    expect(m.params[0]!.sinfo).toBe('R.Tensor((n, k), dtype="float32")');
  });

  it('lists each dim once in order, including one seen only inside an expression, and prefers main', () => {
    const m = runModel(mod(TWO));
    expect(m.functions).toEqual(['helper', 'main']);
    expect(m.func).toBe('main');
    expect(m.dims).toEqual(['n', 'm']);
    expect(m.params.map((p) => [p.name, p.isTensor, p.binds])).toEqual([['x', true, ['n']], ['y', true, ['m']], ['s', false, []]]);
    expect(runModel(mod(TWO), 'helper')).toMatchObject({ func: 'helper', dims: [] });
    expect(runModel(undefined)).toEqual({ functions: [], func: undefined, params: [], dims: [] });
  });
});

describe('defaultForm', () => {
  it('makes every input random with its own seed, dims empty', () => {
    const f = defaultForm(mod(EXP));
    expect(f).toEqual({ func: 'main', sym: { n: '' }, inputs: { x: { kind: 'random', seed: 0 }, y: { kind: 'random', seed: 1 } }, device: 'auto', warmup: 1, repeat: 5, profile: true });
  });

  it('keeps previous choices that still apply and drops the rest', () => {
    const prev: RunForm = {
      func: 'main', sym: { n: '8', gone: '3' }, inputs: { x: { kind: 'ones' }, s: npyOf([1], [1]), old: { kind: 'zeros' } },
      device: 'wasm', warmup: 0, repeat: 9, profile: false,
    };
    const f = defaultForm(mod(TWO), prev);
    expect(f.sym).toEqual({ n: '8', m: '' });
    // s is a shape: a .npy does not apply to it.
    expect(f.inputs).toEqual({ x: { kind: 'ones' }, y: { kind: 'random', seed: 1 }, s: { kind: 'random', seed: 2 } });
    expect(f).toMatchObject({ device: 'wasm', warmup: 0, repeat: 9, profile: false });
    // A function that is gone falls back to main.
    expect(defaultForm(mod(EXP), { func: 'relax_func' }).func).toBe('main');
  });
});

describe('validateForm', () => {
  it('asks to bind an unbound dim, and says what was typed when it is not a number', () => {
    const module = mod(EXP);
    const f = defaultForm(module);
    expect(validateForm(f, runModel(module))).toEqual({ 'sym.n': 'bind n to a whole number >= 0 (e.g. n = 64)' });
    const bad = validateForm({ ...f, sym: { n: '-2' } }, runModel(module));
    expect(bad['sym.n']).toBe('bind n to a whole number >= 0 (e.g. n = 64). However, it is "-2".');
    expect(validateForm({ ...f, sym: { n: ' 64 ' } }, runModel(module))).toEqual({});
  });

  it('lets a .npy input bind a bare dim, but not a dim used only inside an expression', () => {
    const module = mod(TWO);
    const model = runModel(module);
    const f = defaultForm(module);
    const withX = { ...f, inputs: { ...f.inputs, x: npyOf([2, 4], new Array(8).fill(0)) } };
    expect(Object.keys(validateForm(withX, model))).toEqual(['sym.m']);
    const seedModule = mod(SEED);
    const s = defaultForm(seedModule);
    // w's shape is unknown: it starts as a .npy still to be chosen, and cannot be made; x given as .npy binds n and k.
    expect(s.inputs['w']).toEqual({ kind: 'npy', file: '', bytes: new Uint8Array() });
    expect(validateForm(s, runModel(seedModule))).toEqual({
      'sym.n': 'bind n to a whole number >= 0 (e.g. n = 64)',
      'sym.k': 'bind k to a whole number >= 0 (e.g. k = 64)',
      'inputs.w': 'choose a .npy file for w',
    });
    expect(validateForm({ ...s, inputs: { ...s.inputs, w: { kind: 'zeros' } } }, runModel(seedModule))['inputs.w']).toBe(
      'w is R.Tensor(dtype="float32"), whose shape or dtype is not known, so it cannot be made; give it as a .npy file',
    );
    const ok = { ...s, inputs: { x: npyOf([2, 3], new Array(6).fill(0)), w: npyOf([3, 4], new Array(12).fill(0), 'w.npy') } };
    expect(validateForm(ok, runModel(seedModule))).toEqual({});
  });

  it('checks a .npy on a non-tensor, seeds, the device and the counts', () => {
    const module = mod(TWO);
    const f = { ...defaultForm(module), sym: { n: '2', m: '3' } };
    const e = validateForm({ ...f, inputs: { ...f.inputs, s: npyOf([1], [1]), x: { kind: 'random', seed: 1.5 } }, warmup: -1, repeat: NaN, device: 'gpu' as never }, runModel(module));
    expect(Object.keys(e).sort()).toEqual(['device', 'inputs.s', 'inputs.x', 'repeat', 'warmup']);
    expect(e['repeat']).toBe('the number of timed repeats must be a whole number from 1 to 1000. However, it is empty.');
    expect(e['warmup']).toBe('the number of warm-up runs must be a whole number from 0 to 100. However, it is -1.');
    expect(e['inputs.s']).toMatch(/^s is R\.Shape\(\[m\]\), so it cannot come from a \.npy file/);
  });

  it('asks for a file when .npy is chosen but none was picked yet', () => {
    const module = mod(EXP);
    const f = { ...defaultForm(module), sym: { n: '2' } };
    const e = validateForm({ ...f, inputs: { ...f.inputs, y: choiceOfKind('npy', 1, f.inputs['y']) } }, runModel(module));
    expect(e).toEqual({ 'inputs.y': 'choose a .npy file for y' });
    expect(choiceOfKind('random', 3)).toEqual({ kind: 'random', seed: 3 });
    expect(choiceOfKind('random', 3, { kind: 'random', seed: 9 })).toEqual({ kind: 'random', seed: 9 });
    expect(choiceOfKind('ones', 0)).toEqual({ kind: 'ones' });
  });

  it('lists the errors no panel field shows, leaving packed ones to the packed editor', () => {
    const model = runModel(mod(EXP));
    expect(panelFields(model)).toEqual(['func', 'sym.n', 'inputs.x', 'inputs.y', 'device', 'warmup', 'repeat']);
    const errors = { 'sym.n': 'a', run: 'b', text: 'c', 'packed.f': 'd', 'inputs.z': 'e' };
    expect(unplacedErrors(errors, model)).toEqual([['run', 'b'], ['text', 'c'], ['inputs.z', 'e']]);
  });

  it('names the function field when the module has none', () => {
    expect(validateForm(defaultForm(undefined), runModel(undefined))).toMatchObject({ func: 'the program has no Relax function to run' });
  });
});

describe('conversions', () => {
  it('parses dims as typed', () => {
    expect([parseDim('64'), parseDim(' 3 '), parseDim(''), parseDim('1.5'), parseDim('n'), parseDim(undefined)]).toEqual([64, 3, undefined, undefined, undefined, undefined]);
  });

  it('turns a form into a run request: npy choices become npy inputs, empty dims are left out', () => {
    const x = npyOf([2, 4], [0, 1, 2, 3, 4, 5, 6, 7]);
    const form: RunForm = { ...defaultForm(mod(EXP)), inputs: { x, y: { kind: 'random', seed: 7 } } };
    const req = toRunRequest(form, EXP, { f: 'function () {}' });
    expect(req).toMatchObject({ kind: 'run', text: EXP, func: 'main', sym: {}, device: 'auto', warmup: 1, repeat: 5, profile: true, npy: true, packed: { f: 'function () {}' } });
    expect(req.inputs).toEqual({ x: { kind: 'npy', bytes: (x as { bytes: Uint8Array }).bytes }, y: { kind: 'random', seed: 7 } });
    expect(toRunRequest({ ...form, sym: { n: '2' } }, EXP, {}).sym).toEqual({ n: 2 });
  });

  it('makes a request the engine runs, with n bound by the .npy file', async () => {
    const form: RunForm = { ...defaultForm(mod(EXP)), device: 'js', inputs: { x: npyOf([2, 4], [0, 1, 2, 3, 4, 5, 6, 7]), y: { kind: 'ones' } }, repeat: 2 };
    const r = (await compute(toRunRequest(form, EXP, {}))) as RunResponse;
    expect(r.outputs[0]).toMatchObject({ shape: [2, 4], min: 1, max: 8 });
    expect(r.profile!.repeat).toBe(2);
    expect(r.outputs[0]!.npy).toBeInstanceOf(Uint8Array);
  });

  it("runs the RFC seed from its form, with the project's custom_inplace_update from the template", async () => {
    const module = mod(SEED);
    const x = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    const w = [0.5, -0.1, 0.2, 0.3, -0.4, 0.6, 0.1, 0.0, 0.2, 0.2, -0.3, 0.7];
    const form: RunForm = { ...defaultForm(module), device: 'js', inputs: { x: npyOf([2, 3], x), w: npyOf([3, 4], w, 'w.npy') } };
    expect(validateForm(form, runModel(module))).toEqual({});
    const packed = { custom_inplace_update: packedTemplate('custom_inplace_update') };
    const r = (await compute(toRunRequest(form, SEED, packed))) as RunResponse;
    expect(r.outputs[0]!.shape).toEqual([8]);
    const first = Math.exp(x[0]! * w[0]! + x[1]! * w[4]! + x[2]! * w[8]!) * 2;
    expect(r.outputs[0]!.preview[0]).toBeCloseTo(first, 4);
  });

  it('stores settings without npy bytes, and reads them back as a previous form', () => {
    const module = mod(EXP);
    const form: RunForm = { ...defaultForm(module), sym: { n: '16' }, inputs: { x: npyOf([16, 4], new Array(64).fill(0), 'data.npy'), y: { kind: 'random', seed: 3 } }, device: 'webgl2' };
    const s = toRunSettings(form);
    expect(s).toEqual({
      func: 'main', sym: { n: 16 }, device: 'webgl2', repeat: 5, warmup: 1,
      inputs: [{ name: 'x', kind: 'npy', file: 'data.npy' }, { name: 'y', kind: 'random', seed: 3 }],
    });
    const back = defaultForm(module, formFromSettings(s));
    expect(back).toMatchObject({ sym: { n: '16' }, device: 'webgl2', inputs: { x: { kind: 'random', seed: 0 }, y: { kind: 'random', seed: 3 } } });
  });

  it('puts an engine failure on its field, and a cancelled run on none', () => {
    expect(fieldErrorsOf({ message: 'bad', field: 'inputs.x' })).toEqual({ 'inputs.x': 'bad' });
    expect(fieldErrorsOf({ message: 'boom' })).toEqual({ run: 'boom' });
    expect(fieldErrorsOf({ message: 'the run was cancelled', cancelled: true })).toEqual({});
  });
});
