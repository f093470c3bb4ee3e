/**
 * The IndexedDB database (Dexie). Every schema version the app ever shipped is declared here, in order, with the
 * upgrade function that carries the data forward (record transforms live in schema.ts). Opening an old database
 * runs the missing upgrades inside one versionchange transaction, so a failure leaves the old data untouched.
 *
 * The constructor takes Dexie's `indexedDB`/`IDBKeyRange` dependencies so that tests run in Node on fake-indexeddb.
 */
import { Dexie } from 'dexie';
import type { DexieOptions, EntityTable, Table } from 'dexie';
import type { FileRecord, MetaRecord, ProjectRecord, ProjectV1, RunRecord, VersionRecord, VersionV1 } from './schema.js';
import { upgradeProjectV1, upgradeVersionV1 } from './schema.js';

/** The database name the app uses. */
export const DB_NAME = 'relax-studio';

/** Version 1 stores (as shipped first). */
export const STORES_V1 = {
  projects: '++id, updatedAt',
  versions: '++id, projectId',
  meta: 'key',
} as const;

/** Version 2 stores: projects indexed by file path, versions by project and time, and the files table. */
export const STORES_V2 = {
  projects: '++id, updatedAt, filePath',
  versions: '++id, projectId, [projectId+createdAt]',
  files: '&path, projectId, openedAt',
  meta: 'key',
} as const;

/** Version 3 stores: version 2 plus the run history, listed by project and time. */
export const STORES_V3 = {
  ...STORES_V2,
  runs: '++id, projectId, [projectId+time]',
} as const;

/** Declares schema version 1 on a Dexie instance (used by the app's history and by the migration test). */
export function declareV1(db: Dexie): void {
  db.version(1).stores(STORES_V1);
}

/** Declares version 2 and its upgrade from version 1. */
export function declareV2(db: Dexie): void {
  db.version(2)
    .stores(STORES_V2)
    .upgrade(async (tx) => {
      await tx.table('projects').toCollection().modify((rec, ctx) => {
        ctx.value = upgradeProjectV1(rec as ProjectV1);
      });
      await tx.table('versions').toCollection().modify((rec, ctx) => {
        ctx.value = upgradeVersionV1(rec as VersionV1);
      });
    });
}

/** Declares version 3: the `runs` table. Nothing else changes, so there is no record upgrade to run. */
export function declareV3(db: Dexie): void {
  db.version(3).stores(STORES_V3);
}

/** The app's database at the current schema version. */
export class StudioDB extends Dexie {
  projects!: EntityTable<ProjectRecord, 'id'>;
  versions!: EntityTable<VersionRecord, 'id'>;
  files!: Table<FileRecord, string>;
  meta!: Table<MetaRecord, string>;
  runs!: EntityTable<RunRecord, 'id'>;

  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    declareV1(this);
    declareV2(this);
    declareV3(this);
  }
}
