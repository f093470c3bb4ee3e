/**
 * Graph edits on the IR: each edit re-infers so vars carry new symbolic shapes, prints and re-reads to the same
 * module, and a refused edit explains itself.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from '../parser/index.js';
import { printModule, printStructInfo } from '../printer/index.js';
import { structuralEqual } from '../structural.js';
import type { IRModule } from '../module.js';
import type { RelaxFunction, RelaxVar } from '../relax/nodes.js';
import type { GraphEdit } from './edit.js';
import { applyGraphEdit } from './edit.js';

const read = (path: string): IRModule => {
  const r = parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
  if (!r.module) throw new Error(JSON.stringify(r.diagnostics));
  return r.module;
};
const mlp = () => read('assets/examples/mlp.tvmscript');
const cnn = () => read('assets/examples/cnn.tvmscript');

/** The printed module without binding annotations, so tests read like the source. */
const plain = (mod: IRModule): string => printModule(mod).replace(/^(\s+\w+): .*? = /gm, '$1 = ');

function edit(mod: IRModule, e: GraphEdit): IRModule {
  const r = applyGraphEdit(mod, e);
  if (!r.ok) throw new Error(r.error.message);
  return r.module;
}

function varOf(mod: IRModule, name: string, fn = 'main'): RelaxVar {
  const f = mod.functions.get(fn) as RelaxFunction;
  for (const p of f.params) if (p.name === name) return p;
  for (const b of f.body.blocks) for (const x of b.bindings) if (x.v.name === name) return x.v;
  throw new Error(`no ${name}`);
}
const sinfo = (mod: IRModule, name: string) => printStructInfo(varOf(mod, name).sinfo);

/** The edited module prints, re-reads without errors, and the re-read module equals it. */
function expectStable(mod: IRModule): string {
  const text = printModule(mod);
  const back = parse(text);
  expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(structuralEqual(back.module!, mod)).toBeNull();
  return text;
}

describe('addNode', () => {
  it('binds the op to the chosen input, with default attrs, right after it, and infers its shape', () => {
    const m = edit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nn.relu', input: 'lv1' });
    expect(sinfo(m, 'relu')).toBe('R.Tensor((n, 128), dtype="float32")');
    expectStable(m);
    expect(plain(m)).toContain('lv1 = R.add(lv0, b1)\n            relu = R.nn.relu(lv1)\n');
  });
  it('defaults to the first param and fills attrs (softmax axis=-1)', () => {
    const r = applyGraphEdit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nn.softmax' });
    expect(r.ok && r.created).toEqual(['softmax']);
    const m = edit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nn.softmax' });
    expect(plain(m)).toContain('softmax = R.nn.softmax(x, axis=-1)');
    expectStable(m);
  });
  it('refuses an unknown op', () => {
    const r = applyGraphEdit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E804');
  });
});

describe('connect', () => {
  it('rewires an input and re-infers downstream', () => {
    let m = edit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nn.relu', input: 'x' });
    m = edit(m, { kind: 'connect', fn: 'main', source: 'lv1', target: 'relu', input: 0 });
    expect(sinfo(m, 'relu')).toBe('R.Tensor((n, 128), dtype="float32")');
    m = edit(m, { kind: 'connect', fn: 'main', source: 'relu', target: 'lv3', input: 0 });
    expect(plain(m)).toContain('lv3 = R.matmul(relu, w2, out_dtype="void")');
    expectStable(m);
  });
  it('reorders a block when the producer came after its consumer, and refuses cycles', () => {
    let m = edit(mlp(), { kind: 'addNode', fn: 'main', op: 'relax.nn.relu', input: 'lv4' });
    m = edit(m, { kind: 'connect', fn: 'main', source: 'lv1', target: 'relu', input: 0 });
    m = edit(m, { kind: 'connect', fn: 'main', source: 'relu', target: 'lv3', input: 0 });
    expectStable(m);
    const text = plain(m);
    expect(text.indexOf('relu = R.nn.relu(lv1)')).toBeLessThan(text.indexOf('lv3 = R.matmul(relu, w2, out_dtype="void")'));
    const r = applyGraphEdit(m, { kind: 'connect', fn: 'main', source: 'lv4', target: 'lv0', input: 0 });
    expect(r.ok ? 'ok' : r.error.code).toBe('E808');
  });
  it('wiring a dataflow var to the output makes it a block output and retypes the return', () => {
    const m = edit(mlp(), { kind: 'connect', fn: 'main', source: 'lv1', target: 'return', input: 0 });
    const text = expectStable(m);
    expect(text).toContain('R.output(lv1');
    expect(text).toContain('-> R.Tensor(("n", 128), dtype="float32")');
  });
  it('a proven shape mismatch is a diagnostic on the node, not a refusal', () => {
    const r = applyGraphEdit(mlp(), { kind: 'connect', fn: 'main', source: 'x', target: 'lv3', input: 0 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.diagnostics.map((d) => d.message).join()).toMatch(/^lv3: /);
  });
});

describe('setAttr', () => {
  it('changing a conv2d stride changes the shapes downstream', () => {
    const m = edit(cnn(), { kind: 'setAttr', fn: 'main', node: 'lv0', name: 'strides', value: '2, 2' });
    expect(sinfo(m, 'lv0')).toBe('R.Tensor((1, 8, 8, 8), dtype="float32")');
    expect(sinfo(m, 'lv3')).toBe('R.Tensor((1, 8, 4, 4), dtype="float32")');
    expect(sinfo(m, 'lv4')).toBe('R.Tensor((1, 16, 2, 2), dtype="float32")');
    expect(plain(m)).toContain('strides=[2, 2]');
    expectStable(m);
  });
  it('a single int is normalized like the parser does (strides=2 -> [2, 2])', () => {
    const m = edit(cnn(), { kind: 'setAttr', fn: 'main', node: 'lv0', name: 'strides', value: '2' });
    expect(plain(m)).toContain('strides=[2, 2]');
  });
  it('validates by the attribute type', () => {
    const bad = (node: string, name: string, value: string) => {
      const r = applyGraphEdit(cnn(), { kind: 'setAttr', fn: 'main', node, name, value });
      return r.ok ? 'ok' : `${r.error.code} ${r.error.message}`;
    };
    expect(bad('lv0', 'strides', 'two')).toMatch(/^E810 strides: /);
    expect(bad('lv0', 'data_layout', '"XYZW"')).toMatch(/^E810 /);
    expect(bad('lv0', 'out_dtype', 'floaty')).toMatch(/^E810 out_dtype: A dtype/);
    expect(bad('lv0', 'nope', '1')).toMatch(/^E809 /);
    expect(bad('lv0', 'strides', '[1, 2')).toMatch(/^E810 /);
  });
});

describe('setParamSInfo', () => {
  it('reads "(n, 784), float32" and the new symbolic shape flows to every edge', () => {
    const m = edit(mlp(), { kind: 'setParamSInfo', fn: 'main', param: 'x', text: '(m, 784), float32' });
    expect(sinfo(m, 'x')).toBe('R.Tensor((m, 784), dtype="float32")');
    expect(sinfo(m, 'lv4')).toBe('R.Tensor((m, 10), dtype="float32")');
    expectStable(m);
  });
  it('keeps the dtype when only a shape is given and reuses existing shape vars', () => {
    const m = edit(mlp(), { kind: 'setParamSInfo', fn: 'main', param: 'x', text: '(n, 784)' });
    expect(structuralEqual(m, mlp())).toBeNull();
  });
  it('refuses a text that is not a struct info', () => {
    const r = applyGraphEdit(mlp(), { kind: 'setParamSInfo', fn: 'main', param: 'x', text: 'float32' });
    expect(r.ok ? 'ok' : r.error.code).toBe('E810');
  });
});

describe('deleteNodes and duplicateNodes', () => {
  it('deleting a node in a chain passes its first input on', () => {
    const m = edit(mlp(), { kind: 'deleteNodes', fn: 'main', nodes: ['lv2'] });
    expect(plain(m)).toContain('lv3 = R.matmul(lv1, w2, out_dtype="void")');
    expectStable(m);
  });
  it('deleting the output var promotes what replaces it', () => {
    const m = edit(mlp(), { kind: 'deleteNodes', fn: 'main', nodes: ['gv'] });
    const text = expectStable(m);
    expect(text).toContain('R.output(lv4)');
  });
  it('refuses to delete a used param', () => {
    const r = applyGraphEdit(mlp(), { kind: 'deleteNodes', fn: 'main', nodes: ['w1'] });
    expect(r.ok ? 'ok' : r.error.code).toBe('E811');
  });
  it('duplicates with fresh names', () => {
    const m = edit(mlp(), { kind: 'duplicateNodes', fn: 'main', nodes: ['lv2'] });
    expect(plain(m)).toContain('lv2 = R.nn.relu(lv1)\n            lv21 = R.nn.relu(lv1)');
    expectStable(m);
  });
});
