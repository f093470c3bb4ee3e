// The file IPC handlers' logic with fake dialogs on a real temp folder: open/save/save-as, the granted-path rule,
// the recent list, and one-line errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecentFile } from './api.js';
import { FileService } from './file-service.js';
import { addRecent, MAX_RECENT, parseRecent } from './recent-files.js';

let dir: string;
let openAnswer: string | null;
let saveAnswer: string | null;
let recentChanges: (readonly RecentFile[])[];
let clock = 0;
const service = (recent: RecentFile[] = []) =>
  new FileService(
    {
      showOpenDialog: async () => openAnswer,
      showSaveDialog: async () => saveAnswer,
      onRecentChanged: (l) => void recentChanges.push(l),
      now: () => ++clock,
    },
    recent,
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-service-'));
  openAnswer = saveAnswer = null;
  recentChanges = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileService', () => {
  it('opens the file chosen in the dialog and adds it to the recent list', async () => {
    const path = join(dir, 'mlp.tvmscript');
    writeFileSync(path, '# mlp\n');
    openAnswer = path;
    const files = service();
    expect(await files.openFile()).toEqual({ kind: 'ok', value: { path, name: 'mlp.tvmscript', text: '# mlp\n' } });
    expect(files.recentFiles().map((f) => f.path)).toEqual([path]);
    expect(recentChanges).toHaveLength(1);
  });

  it('reports a dismissed dialog as cancelled', async () => {
    const files = service();
    expect(await files.openFile()).toEqual({ kind: 'cancelled' });
    expect(await files.saveFileAs('x')).toEqual({ kind: 'cancelled' });
    expect(await files.saveFile(null, 'x')).toEqual({ kind: 'cancelled' });
  });

  it('refuses paths the user never chose, reading and writing nothing', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'keep');
    const files = service();
    const open = await files.openFile(secret);
    expect(open).toEqual({ kind: 'error', message: 'Not allowed to access secret.txt: choose it with Open... or Save As... first' });
    expect((await files.saveFile(secret, 'overwritten')).kind).toBe('error');
    expect(readFileSync(secret, 'utf8')).toBe('keep');
  });

  it('saves back to an opened file, and reopens recent files', async () => {
    const path = join(dir, 'a.py');
    writeFileSync(path, 'v1');
    openAnswer = path;
    const files = service();
    await files.openFile();
    expect(await files.saveFile(path, 'v2')).toEqual({ kind: 'ok', value: { path, name: 'a.py' } });
    expect(readFileSync(path, 'utf8')).toBe('v2');
    const later = service([...files.recentFiles()]); // a new session: only the recent list grants it
    expect(await later.openFile(path)).toMatchObject({ kind: 'ok', value: { text: 'v2' } });
  });

  it('saves as the chosen path, atomically, then allows saving there again', async () => {
    const path = join(dir, 'out.tvmscript');
    saveAnswer = path;
    const files = service();
    expect(await files.saveFileAs('text 1', 'model.tvmscript')).toEqual({ kind: 'ok', value: { path, name: 'out.tvmscript' } });
    expect(await files.saveFile(path, 'text 2')).toMatchObject({ kind: 'ok' });
    expect(readFileSync(path, 'utf8')).toBe('text 2');
  });

  it('gives one-line errors: missing file (dropped from recent), binary file, unwritable folder', async () => {
    const gone = join(dir, 'gone.py');
    const files = service([{ path: gone, name: 'gone.py', at: 1 }]);
    expect(await files.openFile(gone)).toEqual({ kind: 'error', message: 'Could not open gone.py: the folder does not exist' });
    expect(files.recentFiles()).toEqual([]);
    const bin = join(dir, 'weights.bin');
    writeFileSync(bin, Buffer.from([1, 0, 2]));
    openAnswer = bin;
    expect(await files.openFile()).toEqual({ kind: 'error', message: 'Could not open weights.bin: it is not a text file' });
    saveAnswer = join(dir, 'no-such-folder', 'x.py');
    expect(await files.saveFileAs('x')).toEqual({ kind: 'error', message: 'Could not save x.py: the folder does not exist' });
  });
});

describe('recent list', () => {
  it('keeps the newest first, without duplicates, at most MAX_RECENT', () => {
    let list: RecentFile[] = [];
    for (let i = 0; i < 15; i++) list = addRecent(list, `/f${i % 12}.py`, i);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toEqual({ path: '/f2.py', name: 'f2.py', at: 14 });
    expect(new Set(list.map((f) => f.path)).size).toBe(MAX_RECENT);
  });

  it('drops malformed stored entries', () => {
    expect(parseRecent([{ path: '/a.py', at: 1 }, { path: 3 }, null, 'x'])).toEqual([{ path: '/a.py', name: 'a.py', at: 1 }]);
    expect(parseRecent({})).toEqual([]);
  });
});
