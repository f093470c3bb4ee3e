// The file IPC handlers' logic with fake dialogs on a real temp folder: open/save/save-as/export, the granted-path
// rule, the recent list (exports stay out of it), and one-line errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecentFile } from './api.js';
import { FileService } from './file-service.js';
import { addRecent, MAX_RECENT, parseRecent } from './recent-files.js';

let dir: string;
let openAnswer: string | null;
let saveAnswer: string | null;
let exportAnswer: string | null;
let exportDialogs: [string, string][];
let recentChanges: (readonly RecentFile[])[];
let clock = 0;
const service = (recent: RecentFile[] = []) =>
  new FileService(
    {
      showOpenDialog: async () => openAnswer,
      showSaveDialog: async () => saveAnswer,
      showExportDialog: async (name, kind) => (exportDialogs.push([name, kind]), exportAnswer),
      onRecentChanged: (l) => void recentChanges.push(l),
      now: () => ++clock,
    },
    recent,
  );

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-service-'));
  openAnswer = saveAnswer = exportAnswer = null;
  exportDialogs = [];
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

describe('FileService.exportFile', () => {
  const npy = (...rest: number[]) => new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...rest]);

  it('writes the bytes of a .npy to the chosen path, without touching the recent list or granting the path', async () => {
    const path = join(dir, 'picked.npy');
    exportAnswer = path;
    const files = service();
    const bytes = npy(1, 0, 0xff, 0x80);
    expect(await files.exportFile(bytes, 'main_output0', 'npy')).toEqual({ kind: 'ok', value: { path, name: 'picked.npy' } });
    expect(exportDialogs).toEqual([['main_output0.npy', 'npy']]);
    expect([...readFileSync(path)]).toEqual([...bytes]);
    expect(recentChanges).toEqual([]);
    expect(files.recentFiles()).toEqual([]);
    expect(await files.saveFile(path, 'text')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Not allowed/) });
  });

  it('writes JSON text as UTF-8, or JSON bytes as given', async () => {
    const files = service();
    exportAnswer = join(dir, 'trace.json');
    const trace = '{"traceEvents":[{"name":"matmul µs","ph":"X"}]}';
    expect(await files.exportFile(trace, 'profile: mlp.json', 'json')).toMatchObject({ kind: 'ok' });
    expect(exportDialogs).toEqual([['profile_ mlp.json', 'json']]);
    expect(readFileSync(exportAnswer, 'utf8')).toBe(trace);
    exportAnswer = join(dir, 'bytes.json');
    expect(await files.exportFile(new TextEncoder().encode('[1]'), 'b.json', 'json')).toMatchObject({ kind: 'ok' });
    expect(readFileSync(exportAnswer, 'utf8')).toBe('[1]');
  });

  it('reports a dismissed dialog as cancelled and writes nothing', async () => {
    expect(await service().exportFile(npy(), 'a.npy', 'npy')).toEqual({ kind: 'cancelled' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses malformed requests before showing a dialog', async () => {
    const files = service();
    exportAnswer = join(dir, 'never.npy');
    const refused = async (data: unknown, name: unknown, kind: unknown) => {
      const r = await files.exportFile(data, name, kind);
      return r.kind === 'error' ? r.message : r.kind;
    };
    expect(await refused(npy(), 'a', 'csv')).toBe('The export kind must be "npy" or "json". However, it was "csv".');
    expect(await refused({ length: 3 }, 'a', 'npy')).toBe('The export data must be bytes or text. However, it was an Object.');
    expect(await refused('text', 'a', 'npy')).toMatch(/^A \.npy export must be the array file's bytes\. However, it was text/);
    expect(await refused(new Uint8Array([1, 2, 3]), 'a', 'npy')).toMatch(/^A \.npy export must start with the NumPy header/);
    expect(await refused(npy(), '../../.bashrc', 'npy')).toMatch(/^The file name must be a plain name like output\.npy/);
    expect(await refused(npy(), 7, 'npy')).toBe('The file name must be text. However, it was number 7.');
    expect(exportDialogs).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives a one-line error when the write fails', async () => {
    exportAnswer = join(dir, 'no-such-folder', 'x.npy');
    expect(await service().exportFile(npy(), 'x', 'npy')).toEqual({
      kind: 'error',
      message: 'Could not save x.npy: the folder does not exist',
    });
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
