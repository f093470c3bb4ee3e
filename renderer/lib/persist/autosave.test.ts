// Autosave on the real document store and a fake-indexeddb database: changes are written, a new store (a reload)
// gets the work back, versions are taken on save and on a timer and can be restored, and files opened from disk are
// tracked with their paths and modified state.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { DocumentStore } from '../document/store.js';
import { Autosave } from './autosave.js';
import { StudioDB } from './db.js';
import { ProjectRepo, projectName } from './repo.js';

const TEXT = `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((2, 3), dtype="float32")) -> R.Tensor((2, 3), dtype="float32"):
        with R.dataflow():
            y = R.exp(x)
            R.output(y)
        return y
`;

/** Opens `text` as the file at `path` and lets autosave see the new file (it switches project on the next tick). */
async function openFile(store: DocumentStore, path: string, text = TEXT): Promise<void> {
  store.apply({ kind: 'setText', text, origin: 'file', filePath: path });
  await new Promise((r) => setTimeout(r, 20));
}

function env() {
  const deps = { indexedDB: new IDBFactory(), IDBKeyRange };
  let t = 1_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const open = () => new ProjectRepo(new StudioDB('studio', deps), clock.now);
  return { open, clock };
}

describe('Autosave', () => {
  it('stores a first project, then restores the work into a fresh store (a reload)', async () => {
    const { open } = env();
    const repo1 = open();
    const store1 = new DocumentStore(TEXT);
    const { autosave: a1, restored } = await Autosave.start(store1, repo1, { delayMs: 5 });
    expect(restored).toBe(false);
    const typed = store1.state.text.replace('R.exp(x)', 'R.sigmoid(x)');
    store1.apply({ kind: 'setText', text: typed, origin: 'text-pane' });
    store1.apply({ kind: 'setPositions', positions: { 'main/y': { x: 40, y: 80 } } });
    store1.apply({ kind: 'setTheme', theme: 'dark' });
    await a1.flush();
    a1.dispose();
    repo1.db.close();

    const repo2 = open();
    const store2 = new DocumentStore();
    const { autosave: a2, restored: again } = await Autosave.start(store2, repo2, { delayMs: 5 });
    expect(again).toBe(true);
    expect(a2.projectId).toBe(a1.projectId);
    expect(store2.state.text).toContain('R.sigmoid(x)');
    expect(store2.state.positions).toEqual({ 'main/y': { x: 40, y: 80 } });
    expect(store2.state.theme).toBe('dark');
    a2.dispose();
  });

  it('restores broken text as typed (the graph stays at its last good state)', async () => {
    const { open } = env();
    const repo = open();
    const store = new DocumentStore(TEXT);
    const { autosave } = await Autosave.start(store, repo, { delayMs: 0 });
    const broken = store.state.text.replace('R.exp(x)', 'R.exp(x');
    store.apply({ kind: 'setText', text: broken, origin: 'text-pane' });
    await autosave.flush();
    const store2 = new DocumentStore();
    await Autosave.start(store2, repo, { delayMs: 0 });
    expect(store2.state.text).toBe(broken);
    expect(store2.state.textValid).toBe(false);
  });

  it('takes a version every N minutes of edits and on save; versions restore, keeping the current one', async () => {
    const { open, clock } = env();
    const repo = open();
    const store = new DocumentStore(TEXT);
    const { autosave } = await Autosave.start(store, repo, { delayMs: 0, snapshotEveryMs: 60_000 });
    const original = store.state.text;
    store.apply({ kind: 'setText', text: original.replace('R.exp(x)', 'R.sigmoid(x)'), origin: 'text-pane' });
    await autosave.flush();
    expect(await autosave.versions()).toHaveLength(0);
    clock.advance(61_000);
    store.apply({ kind: 'setText', text: original.replace('R.exp(x)', 'R.tanh(x)'), origin: 'text-pane' });
    await autosave.flush();
    let versions = await autosave.versions();
    expect(versions.map((v) => v.reason)).toEqual(['interval']);
    expect(versions[0]!.text).toContain('R.tanh(x)');

    clock.advance(1);
    store.apply({ kind: 'markSaved', path: '/home/me/model.py' });
    await new Promise((r) => setTimeout(r, 20));
    await autosave.flush();
    versions = await autosave.versions();
    expect(versions.map((v) => v.reason)).toEqual(['save', 'interval']);

    clock.advance(1);
    store.apply({ kind: 'setText', text: original, origin: 'text-pane' });
    await autosave.flush();
    expect(await autosave.restoreVersion(versions[1]!.id!)).toBe(true);
    expect(store.state.text).toContain('R.tanh(x)');
    const after = await autosave.versions();
    expect(after[0]!.reason).toBe('before-restore');
    expect(after[0]!.text).toBe(original);
    expect(await autosave.restoreVersion(9999)).toBe(false);
  });

  it('tracks files opened from disk with their path and modified state, and reuses their project', async () => {
    const { open, clock } = env();
    const repo = open();
    const store = new DocumentStore(TEXT);
    const { autosave } = await Autosave.start(store, repo, { delayMs: 0 });
    const first = autosave.projectId;

    await openFile(store, '/data/mlp.py');
    await autosave.flush();
    const fileProject = autosave.projectId;
    expect(fileProject).not.toBe(first);
    let p = await repo.load(fileProject);
    expect(p).toMatchObject({ filePath: '/data/mlp.py', dirty: false, name: 'mlp.py' });
    expect((await repo.recentFiles()).map((f) => f.path)).toEqual(['/data/mlp.py']);

    store.apply({ kind: 'setText', text: store.state.text.replace('R.exp(x)', 'R.abs(x)'), origin: 'text-pane' });
    await autosave.flush();
    p = await repo.load(fileProject);
    expect(p?.dirty).toBe(true);

    clock.advance(10);
    store.apply({ kind: 'markSaved', path: '/data/mlp.py' });
    await new Promise((r) => setTimeout(r, 20));
    await autosave.flush();
    expect((await repo.load(fileProject))?.dirty).toBe(false);

    // Opening the same path again goes back to the same project.
    await openFile(store, '/data/mlp.py');
    await autosave.flush();
    expect(autosave.projectId).toBe(fileProject);
    expect(await repo.db.projects.count()).toBe(2);
  });

  it('keeps packed functions with the project: a reload restores them, and reopening the file brings them back', async () => {
    const { open } = env();
    const repo = open();
    const store = new DocumentStore(TEXT);
    const { autosave } = await Autosave.start(store, repo, { delayMs: 0 });
    await openFile(store, '/data/seed.py');
    await autosave.flush();
    const seedProject = autosave.projectId;
    const packed = { custom_inplace_update: '(t) => { t.data.fill(1); }' };
    store.apply({ kind: 'setPacked', packed });
    await autosave.flush();
    expect((await repo.load(seedProject))?.settings.packed).toEqual(packed);

    // Another file starts without them; its project stores none.
    await openFile(store, '/data/other.py');
    await autosave.flush();
    expect(store.state.packed).toEqual({});
    expect((await repo.load(autosave.projectId))?.settings.packed).toBeUndefined();

    // Reopening the seed's file brings its packed functions back instead of wiping them.
    await openFile(store, '/data/seed.py');
    await autosave.flush();
    expect(autosave.projectId).toBe(seedProject);
    expect(store.state.packed).toEqual(packed);
    expect((await repo.load(seedProject))?.settings.packed).toEqual(packed);
    autosave.dispose();
    repo.db.close();

    // A reload (a fresh store on the same database) restores them too.
    const repo2 = open();
    const store2 = new DocumentStore();
    const { autosave: a2 } = await Autosave.start(store2, repo2, { delayMs: 0 });
    expect(store2.state.packed).toEqual(packed);
    a2.dispose();
  });

  it('names projects after their file', () => {
    expect(projectName()).toBe('Untitled');
    expect(projectName('C:\\models\\cnn.tvmscript')).toBe('cnn.tvmscript');
    expect(projectName('/a/b/')).toBe('Untitled');
  });

  it('names untitled projects after their first function and ops', () => {
    expect(projectName(undefined, TEXT)).toBe('Untitled: main (exp)');
    const cnn = 'def main(x):\n    lv0 = R.nn.conv2d(x, w)\n    lv1 = R.add(lv0, b)\n    lv2 = R.nn.relu(lv1)\n    lv3 = R.add(lv2, b)\n    lv4 = R.nn.max_pool2d(lv3)\n';
    expect(projectName(undefined, '@R.function\n' + cnn)).toBe('Untitled: main (conv2d, add, relu, …)');
    expect(projectName(undefined, '')).toBe('Untitled');
  });
});

describe('Autosave: the project list', () => {
  it('opens another stored project with its own text, layout and packed functions, and a reload keeps it', async () => {
    const { open } = env();
    const repo = open();
    const store = new DocumentStore(TEXT);
    const { autosave } = await Autosave.start(store, repo, { delayMs: 0 });
    await openFile(store, '/data/a.py');
    store.apply({ kind: 'setPositions', positions: { 'main/y': { x: 5, y: 6 } } });
    store.apply({ kind: 'setPacked', packed: { f: '() => 1' } });
    await autosave.flush();
    const a = autosave.projectId;
    const other = TEXT.replace('R.exp(x)', 'R.abs(x)');
    await openFile(store, '/data/b.py', other);
    await autosave.flush();
    const b = autosave.projectId;
    expect((await autosave.projects()).map((p) => p.id)).toEqual(expect.arrayContaining([a, b]));

    expect(await autosave.openProject(a)).toBe(true);
    expect(autosave.projectId).toBe(a);
    expect(store.state.text).toContain('R.exp(x)');
    expect(store.state.positions).toEqual({ 'main/y': { x: 5, y: 6 } });
    expect(store.state.packed).toEqual({ f: '() => 1' });
    expect(store.canUndo).toBe(false);
    // Edits now go to project a, and b is untouched.
    store.apply({ kind: 'setText', text: store.state.text.replace('R.exp(x)', 'R.sigmoid(x)'), origin: 'text-pane' });
    await autosave.flush();
    expect((await repo.load(a))?.text).toContain('R.sigmoid(x)');
    expect((await repo.load(b))?.text).toContain('R.abs(x)');
    expect(await autosave.openProject(9999)).toBe(false);
    autosave.dispose();
    repo.db.close();

    const repo2 = open();
    const store2 = new DocumentStore();
    const { autosave: again } = await Autosave.start(store2, repo2, { delayMs: 0 });
    expect(again.projectId).toBe(a);
    expect(store2.state.text).toContain('R.sigmoid(x)');
    again.dispose();
  });
});
