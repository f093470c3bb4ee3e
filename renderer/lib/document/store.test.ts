/** The document store: text policy, graph edits, undo/redo over snapshots, and the one change stream. */
import { describe, expect, it } from 'vitest';
import type { Change, DocumentState } from './store.js';
import { DocumentStore } from './store.js';

/** assets/examples/mlp.tvmscript (inlined: this folder is type-checked without Node types). */
const MLP = `# A two-layer perceptron for 28x28 digits: 784 -> 128 (relu) -> 10 (softmax), any batch size n.
# The weights are parameters, so they come from .npy files (or seeded random values).
# from tvm.script import ir as I
# from tvm.script import tirx as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 784), dtype="float32"), w1: R.Tensor((784, 128), dtype="float32"), b1: R.Tensor((128,), dtype="float32"), w2: R.Tensor((128, 10), dtype="float32"), b2: R.Tensor((10,), dtype="float32")) -> R.Tensor(("n", 10), dtype="float32"):
        n = T.int64()
        with R.dataflow():
            lv0 = R.matmul(x, w1)
            lv1 = R.add(lv0, b1)
            lv2 = R.nn.relu(lv1)
            lv3 = R.matmul(lv2, w2)
            lv4 = R.add(lv3, b2)
            gv = R.nn.softmax(lv4, axis=-1)
            R.output(gv)
        return gv
`;

function open(text = MLP): DocumentStore {
  const s = new DocumentStore();
  s.apply({ kind: 'setText', text, origin: 'file', filePath: '/tmp/mlp.tvmscript' });
  return s;
}

describe('DocumentStore', () => {
  it('opens a file as canonical text with a graph, clean', () => {
    const s = open();
    expect(s.state.textValid).toBe(true);
    expect(s.state.text).not.toContain('A two-layer perceptron');
    expect(s.state.text).toContain('def main(');
    expect(s.state.graph?.functions.map((f) => f.name)).toEqual(['main']);
    expect(s.state.dirty).toBe(false);
    expect(s.state.filePath).toBe('/tmp/mlp.tvmscript');
    expect(s.state.activeFunction).toBe('main');
  });

  it('keeps typed text as typed, and the last good graph while the text is invalid', () => {
    const s = open();
    const good = s.state.graph;
    const typed = s.state.text.replace('gv = R.nn.softmax', 'gv  =  R.nn.softmax');
    s.apply({ kind: 'setText', text: typed, origin: 'text-pane' });
    expect(s.state.text).toBe(typed);
    expect(s.state.textValid).toBe(true);
    s.apply({ kind: 'setText', text: `${typed}\n    lv9 = R.nn.relu(`, origin: 'text-pane' });
    expect(s.state.textValid).toBe(false);
    expect(s.state.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(s.state.graph?.functions.length).toBe(good?.functions.length);
    expect(s.state.module).toBeDefined();
  });

  it('applies graph edits as canonical text and publishes every change once', () => {
    const s = open();
    const seen: [DocumentState, Change][] = [];
    s.subscribe((st, c) => seen.push([st, c]));
    s.apply({ kind: 'editGraph', edit: { kind: 'addNode', fn: 'main', op: 'relax.nn.relu', input: 'lv1' } });
    expect(s.state.text).toMatch(/relu: R\.Tensor\(\(n, 128\), dtype="float32"\) = R\.nn\.relu\(lv1\)/);
    expect(s.state.dirty).toBe(true);
    expect(seen.map(([, c]) => c.kind)).toEqual(['editGraph']);
    expect(seen[0]![0]).toBe(s.state);
    const main = s.state.graph!.functions[0]!;
    const ids = main.kind === 'relax' ? main.nodes.map((n) => n.id) : [];
    expect(ids).toContain('main/relu');
  });

  it('a refused edit changes nothing but the diagnostics', () => {
    const s = open();
    const text = s.state.text;
    s.apply({ kind: 'editGraph', edit: { kind: 'setAttr', fn: 'main', node: 'gv', name: 'axis', value: 'one' } });
    expect(s.state.text).toBe(text);
    expect(s.state.diagnostics[0]?.code).toBe('E810');
    expect(s.canUndo).toBe(false);
  });

  it('undo and redo restore text and positions', () => {
    const s = open();
    const t0 = s.state.text;
    s.apply({ kind: 'setPositions', positions: { 'main/x': { x: 1, y: 2 } } });
    s.apply({ kind: 'editGraph', edit: { kind: 'deleteNodes', fn: 'main', nodes: ['lv2'] } });
    const t2 = s.state.text;
    expect(t2).not.toContain('lv2');
    s.undo();
    expect(s.state.text).toBe(t0);
    expect(s.state.positions).toEqual({ 'main/x': { x: 1, y: 2 } });
    s.undo();
    expect(s.state.positions).toEqual({});
    expect(s.canUndo).toBe(false);
    s.redo();
    s.redo();
    expect(s.state.text).toBe(t2);
    expect(s.canRedo).toBe(false);
  });

  it('view changes are not undoable; markSaved clears dirty', () => {
    const s = open();
    s.apply({ kind: 'select', nodes: ['main/lv1'] });
    s.apply({ kind: 'setTheme', theme: 'dark' });
    s.apply({ kind: 'toggleTextPane' });
    expect(s.canUndo).toBe(false);
    expect(s.state).toMatchObject({ selection: ['main/lv1'], theme: 'dark', textPaneOpen: false });
    s.apply({ kind: 'editGraph', edit: { kind: 'deleteNodes', fn: 'main', nodes: ['lv2'] } });
    s.apply({ kind: 'markSaved', path: '/tmp/b.tvmscript' });
    expect(s.state).toMatchObject({ dirty: false, filePath: '/tmp/b.tvmscript' });
  });

  it('unsubscribe stops the stream', () => {
    const s = open();
    let n = 0;
    const off = s.subscribe(() => n++);
    s.apply({ kind: 'toggleTextPane' });
    off();
    s.apply({ kind: 'toggleTextPane' });
    expect(n).toBe(1);
  });
});

describe('DocumentStore drops', () => {
  it('places the nodes an edit creates at the drop point, undone together', () => {
    const s = open();
    s.apply({ kind: 'editGraph', edit: { kind: 'addNode', fn: 'main', op: 'relax.nn.relu', input: 'lv1' }, at: { x: 5, y: 6 } });
    expect(s.state.positions['main/relu']).toEqual({ x: 5, y: 6 });
    s.undo();
    expect(s.state.positions).toEqual({});
  });
});
