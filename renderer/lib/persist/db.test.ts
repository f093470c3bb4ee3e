// The database schema and its migrations, on fake-indexeddb: a real v1 database upgrades to v2 with its data intact,
// and the record transforms handle damaged input without losing text.
import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { StudioDB, declareV1 } from './db.js';
import { parseLayoutV1, SCHEMA_VERSION, upgradeProjectV1, upgradeVersionV1 } from './schema.js';
import type { ProjectV1, VersionV1 } from './schema.js';

const TEXT = '# a module\n';

function deps() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

describe('schema v1 -> v2', () => {
  it('upgrades a real v1 database with its data intact', async () => {
    const env = deps();
    const v1 = new Dexie('studio', env);
    declareV1(v1);
    const projectId = (await v1.table('projects').add({
      name: 'mlp', text: TEXT, layout: JSON.stringify({ 'main/x': { x: 1, y: 2 }, 'main/bad': { x: 'no' } }), theme: 'dark', updatedAt: 1000,
    } satisfies ProjectV1)) as number;
    await v1.table('versions').add({ projectId, createdAt: 900, text: 'old text', layout: '{not json' } satisfies VersionV1);
    await v1.table('meta').put({ key: 'lastProjectId', value: projectId });
    v1.close();

    const db = new StudioDB('studio', env);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const p = await db.projects.get(projectId);
    expect(p).toEqual({
      id: projectId, schema: 2, name: 'mlp', text: TEXT, positions: { 'main/x': { x: 1, y: 2 } },
      settings: { theme: 'dark', textPaneOpen: true }, dirty: false, createdAt: 1000, updatedAt: 1000,
    });
    const versions = await db.versions.where('[projectId+createdAt]').between([projectId, 0], [projectId, Infinity]).toArray();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ schema: 2, projectId, text: 'old text', positions: {}, reason: 'interval', createdAt: 900 });
    expect((await db.meta.get('lastProjectId'))?.value).toBe(projectId);
    // The new v2 table and index work on the upgraded database.
    await db.files.put({ schema: 2, path: '/tmp/mlp.py', projectId, openedAt: 5 });
    expect(await db.files.where('projectId').equals(projectId).count()).toBe(1);
    db.close();
  });

  it('creates a fresh database at the current version', async () => {
    const db = new StudioDB('fresh', deps());
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['files', 'meta', 'projects', 'runs', 'versions']);
    db.close();
  });
});

describe('record transforms', () => {
  it('reads damaged layouts as no layout, keeping finite positions only', () => {
    expect(parseLayoutV1('')).toEqual({});
    expect(parseLayoutV1('[1,2]')).toEqual({});
    expect(parseLayoutV1('{"a":{"x":1,"y":2},"b":{"x":null,"y":1},"c":3}')).toEqual({ a: { x: 1, y: 2 } });
  });

  it('upgrades records without ids and unknown themes', () => {
    const p = upgradeProjectV1({ name: 'n', text: 't', layout: '{}', theme: 'neon' as 'light', updatedAt: 7 });
    expect(p).not.toHaveProperty('id');
    expect(p.settings.theme).toBe('light');
    expect(upgradeVersionV1({ projectId: 3, createdAt: 1, text: 't', layout: '{}' }).reason).toBe('interval');
  });
});
