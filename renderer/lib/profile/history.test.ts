// Run history: schema v3 on fake-indexeddb (a v2 database upgrades with its data kept), save/list/delete, and the
// per-node comparison of two runs, including runs that fused differently.
import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { declareV1, declareV2, StudioDB } from '../persist/db.js';
import type { RunProfileRow } from '../persist/schema.js';
import { compareRuns, RunHistory } from './history.js';
import type { NewRun } from './history.js';

function deps() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

function row(name: string, durationUs: number, nodes: string[], backend = 'webasm'): RunProfileRow {
  return { name, durationUs, percent: 0, device: 'cpu0', count: 1, argShapes: '', backend, nodes };
}

function run(projectId: number, time: number, profile: RunProfileRow[] = [], func = 'main'): NewRun {
  return {
    projectId, time, device: 'wasm', totalUs: 10,
    settings: { func, sym: { n: 4 }, inputs: [{ name: 'x', kind: 'random', seed: 1 }], device: 'auto', repeat: 3 },
    outputs: [{ shape: [4, 10], dtype: 'float32', min: 0, max: 1, mean: 0.1, nanCount: 0, infCount: 0, preview: [0.1, 0.2] }],
    profile, kernels: [{ name: 'softmax', backend: 'js', fallbackReason: 'why' }],
  };
}

describe('schema v2 -> v3', () => {
  it('upgrades a real v2 database: projects, versions, files and meta kept; runs added', async () => {
    const env = deps();
    const v2 = new Dexie('studio', env);
    declareV1(v2);
    declareV2(v2);
    const project = { schema: 2, name: 'mlp', text: 'T', positions: { 'main/x': { x: 1, y: 2 } }, settings: { theme: 'dark', textPaneOpen: true }, dirty: false, createdAt: 1, updatedAt: 2 };
    const projectId = (await v2.table('projects').add(project)) as number;
    await v2.table('versions').add({ schema: 2, projectId, createdAt: 3, reason: 'save', text: 'old', positions: {}, settings: project.settings });
    await v2.table('files').put({ schema: 2, path: '/m.py', projectId, openedAt: 4 });
    await v2.table('meta').put({ key: 'lastProjectId', value: projectId });
    v2.close();

    const db = new StudioDB('studio', env);
    await db.open();
    expect(db.verno).toBe(3);
    expect(await db.projects.get(projectId)).toEqual({ id: projectId, ...project });
    expect(await db.versions.where('projectId').equals(projectId).toArray()).toMatchObject([{ schema: 2, text: 'old', reason: 'save' }]);
    expect(await db.files.get('/m.py')).toEqual({ schema: 2, path: '/m.py', projectId, openedAt: 4 });
    expect((await db.meta.get('lastProjectId'))?.value).toBe(projectId);
    const id = await new RunHistory(db).save(run(projectId, 5));
    expect((await db.runs.get(id))?.schema).toBe(3);
    db.close();
  });

  it('creates a fresh database with the runs table', async () => {
    const db = new StudioDB('fresh', deps());
    await db.open();
    expect(db.tables.map((t) => t.name).sort()).toEqual(['files', 'meta', 'projects', 'runs', 'versions']);
    db.close();
  });
});

describe('RunHistory', () => {
  it('saves, lists newest first per project, gets and deletes runs', async () => {
    const h = new RunHistory(new StudioDB('h', deps()));
    const a = await h.save(run(1, 100, [row('k', 3, ['lv0'])]));
    const b = await h.save(run(1, 200));
    await h.save(run(2, 150));
    expect((await h.list(1)).map((r) => r.id)).toEqual([b, a]);
    const got = await h.get(a);
    expect(got).toMatchObject({ schema: 3, projectId: 1, time: 100, settings: { func: 'main', sym: { n: 4 }, repeat: 3 }, profile: [{ name: 'k', nodes: ['lv0'] }] });
    expect(got?.outputs[0]?.shape).toEqual([4, 10]);
    expect(got?.kernels[0]?.fallbackReason).toBe('why');
    await h.delete(a);
    expect((await h.list(1)).map((r) => r.id)).toEqual([b]);
    await h.deleteProject(1);
    expect(await h.list(1)).toEqual([]);
    expect(await h.list(2)).toHaveLength(1);
    expect(await h.list(99)).toEqual([]);
  });

  it('keeps at most maxRuns per project, dropping the oldest', async () => {
    const h = new RunHistory(new StudioDB('cap', deps()), 2);
    for (const t of [30, 10, 20]) await h.save(run(1, t));
    await h.save(run(2, 5));
    expect((await h.list(1)).map((r) => r.time)).toEqual([30, 20]);
    expect(await h.list(2)).toHaveLength(1);
  });
});

describe('compareRuns', () => {
  it('gives per-node speed-ups and slow-downs with ratio and delta', () => {
    const a = run(1, 1, [row('k0', 10, ['lv0']), row('k1', 10, ['lv1']), row('k2', 10, ['lv2'])]);
    const b = run(1, 2, [row('k0', 5, ['lv0']), row('k1', 20, ['lv1']), row('k2', 10.2, ['lv2'])]);
    const c = compareRuns(a, b);
    expect(c.byNode.get('main/lv0')).toMatchObject({ aUs: 10, bUs: 5, ratio: 2, deltaUs: -5, change: 'faster', regrouped: false });
    expect(c.byNode.get('main/lv1')).toMatchObject({ ratio: 0.5, deltaUs: 10, change: 'slower' });
    expect(c.byNode.get('main/lv2')!.change).toBe('same');
    expect(c.entries.map((e) => e.nodes)).toEqual([['main/lv1'], ['main/lv0'], ['main/lv2']]); // largest change first
    expect([c.totalA, c.totalB]).toEqual([30, 35.2]);
  });

  it('compares a fused group with the sum of its parts when the runs fused differently', () => {
    const a = run(1, 1, [row('fused_a_b_c', 30, ['lv0', 'lv1', 'lv2']), row('k3', 4, ['lv3'])]);
    const b = run(1, 2, [row('a', 10, ['lv0']), row('b', 10, ['lv1']), row('c', 20, ['lv2']), row('k3', 4, ['lv3'])]);
    const c = compareRuns(a, b);
    const group = c.byNode.get('main/lv1')!;
    expect(group).toMatchObject({ nodes: ['main/lv0', 'main/lv1', 'main/lv2'], aUs: 30, bUs: 40, deltaUs: 10, change: 'slower', regrouped: true });
    expect(c.byNode.get('main/lv0')).toBe(group);
    expect(c.byNode.get('main/lv3')).toMatchObject({ ratio: 1, change: 'same', regrouped: false });
    expect(c.entries).toHaveLength(2);
    expect([c.totalA, c.totalB]).toEqual([34, 44]); // each row counted once
  });

  it('merges overlapping groups of both runs into one comparison', () => {
    const a = run(1, 1, [row('f01', 6, ['lv0', 'lv1']), row('k2', 2, ['lv2'])]);
    const b = run(1, 2, [row('k0', 2, ['lv0']), row('f12', 3, ['lv1', 'lv2'])]);
    const c = compareRuns(a, b);
    expect(c.entries).toHaveLength(1);
    expect(c.entries[0]).toMatchObject({ nodes: ['main/lv0', 'main/lv1', 'main/lv2'], aUs: 8, bUs: 5, change: 'faster' });
  });

  it('lists nodes timed in only one run separately', () => {
    const a = run(1, 1, [row('k0', 1, ['lv0']), row('old', 2, ['gone'])]);
    const b = run(1, 2, [row('k0', 1, ['lv0']), row('new', 3, ['added'])]);
    const c = compareRuns(a, b);
    expect(c.onlyA).toEqual([{ nodes: ['main/gone'], timeUs: 2 }]);
    expect(c.onlyB).toEqual([{ nodes: ['main/added'], timeUs: 3 }]);
    expect(c.entries.map((e) => e.nodes)).toEqual([['main/lv0']]);
  });

  it('handles empty profiles and zero times', () => {
    expect(compareRuns(run(1, 1), run(1, 2))).toMatchObject({ entries: [], onlyA: [], onlyB: [], totalA: 0, totalB: 0 });
    const c = compareRuns(run(1, 1, [row('k', 4, ['x']), row('z', 0, ['y'])]), run(1, 2, [row('k', 0, ['x']), row('z', 0, ['y'])]));
    expect(c.byNode.get('main/x')).toMatchObject({ ratio: Infinity, change: 'faster' });
    expect(c.byNode.get('main/y')).toMatchObject({ ratio: 1, change: 'same' });
  });

  it('ignores node-less rows (they are not on the graph)', () => {
    const c = compareRuns(run(1, 1, [row('vm.builtin.alloc', 5, [], 'host')]), run(1, 2, []));
    expect(c).toMatchObject({ entries: [], onlyA: [], totalA: 0 });
  });
});
