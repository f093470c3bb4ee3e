// The browser adapter with a fake page: File System Access open/save in place, the <input>/download fallback,
// exports as downloads, cancelled pickers, one-line errors, the localStorage recent list, and getPlatform's choice.
import { describe, expect, it } from 'vitest';
import { createBrowserPlatform } from './browser.js';
import type { BrowserEnv, FileHandleLike } from './browser.js';
import { electronPlatform } from './electron.js';
import { desktopApi } from './index.js';
import { MAX_RECENT, pushRecent, readRecent, RECENT_KEY } from './recent.js';
import type { DesktopApi } from '../../../electron/api.js';

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

function handle(name: string, disk: Map<string, string>): FileHandleLike {
  return {
    name,
    getFile: async () => ({ text: async () => disk.get(name) ?? '' }),
    createWritable: async () => {
      let buf = '';
      return { write: async (d: string) => void (buf += d), close: async () => void disk.set(name, buf) };
    },
  };
}

function env(over: Partial<BrowserEnv> = {}) {
  const log: string[] = [];
  let t = 0;
  const base: BrowserEnv = {
    storage: new MemoryStorage(),
    pickWithInput: async () => null,
    download: (name, text) => void log.push(`download ${name}: ${text}`),
    downloadBytes: (name, data, type) =>
      void log.push(`bytes ${name} ${type}: ${typeof data === 'string' ? data : `[${[...data].join(',')}]`}`),
    setTitle: (title) => void log.push(`title ${title}`),
    warnBeforeUnload: (on) => void log.push(`warn ${on}`),
    now: () => ++t,
  };
  return { env: { ...base, ...over }, log };
}

const abort = () => Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });

describe('browser platform with the File System Access API', () => {
  it('opens, saves in place, and reopens from the recent list', async () => {
    const disk = new Map([['mlp.tvmscript', 'v1']]);
    const { env: e } = env({ showOpenFilePicker: async () => handle('mlp.tvmscript', disk) });
    const p = createBrowserPlatform(e);
    const opened = await p.openFile();
    expect(opened).toMatchObject({ kind: 'ok', value: { name: 'mlp.tvmscript', text: 'v1' } });
    const path = opened.kind === 'ok' ? opened.value.path : null;
    expect(path).toMatch(/^browser:/);
    expect(await p.saveFile(path, 'v2')).toEqual({ kind: 'ok', value: { path, name: 'mlp.tvmscript' } });
    expect(disk.get('mlp.tvmscript')).toBe('v2');
    expect((await p.recentFiles()).map((f) => f.path)).toEqual([path]);
    expect(await p.openFile(path!)).toMatchObject({ kind: 'ok', value: { text: 'v2' } });
  });

  it('saves a new document through the save picker and treats a dismissed picker as cancelled', async () => {
    const disk = new Map<string, string>();
    const names: string[] = [];
    const { env: e } = env({
      showSaveFilePicker: async (n) => (names.push(n), handle('chosen.py', disk)),
      showOpenFilePicker: async () => Promise.reject(abort()),
    });
    const p = createBrowserPlatform(e);
    expect(await p.saveFile(null, 'text', 'model.tvmscript')).toMatchObject({ kind: 'ok', value: { name: 'chosen.py' } });
    expect(names).toEqual(['model.tvmscript']);
    expect(disk.get('chosen.py')).toBe('text');
    expect(await p.openFile()).toEqual({ kind: 'cancelled' });
  });

  it('turns failures into one-line errors and refuses unknown paths with advice', async () => {
    const { env: e } = env({
      showOpenFilePicker: async () => ({ ...handle('x.py', new Map()), getFile: () => Promise.reject(new Error('NotReadableError\nstack')) }),
    });
    const p = createBrowserPlatform(e);
    expect(await p.openFile()).toEqual({ kind: 'error', message: 'Could not open the file: NotReadableError' });
    expect(await p.openFile('browser:7:old.py')).toEqual({
      kind: 'error',
      message: 'The browser cannot reopen old.py by name after a reload: use Open... to pick it again',
    });
  });
});

describe('browser platform fallback (no File System Access API)', () => {
  it('opens through <input type=file> and saves by download', async () => {
    const { env: e, log } = env({ pickWithInput: async () => ({ name: 'cnn.py', text: async () => 'x = 1' }) });
    const p = createBrowserPlatform(e);
    expect(await p.openFile()).toEqual({ kind: 'ok', value: { path: null, name: 'cnn.py', text: 'x = 1' } });
    expect(await p.saveFile(null, 'y = 2', 'cnn.py')).toEqual({ kind: 'ok', value: { path: null, name: 'cnn.py' } });
    expect(log).toContain('download cnn.py: y = 2');
    expect((await p.recentFiles()).map((f) => f.name)).toEqual(['cnn.py']);
  });

  it('reports a cancelled input as cancelled; dirty state and title go to the page', async () => {
    const { env: e, log } = env();
    const p = createBrowserPlatform(e);
    expect(await p.openFile()).toEqual({ kind: 'cancelled' });
    p.setDirty(true);
    p.setTitle('mlp.tvmscript - Relax Studio');
    expect(log).toEqual(['warn true', 'title mlp.tvmscript - Relax Studio']);
    expect(p.onMenu(() => undefined)).toBeTypeOf('function');
  });
});

describe('browser exports', () => {
  const npy = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0, 255]);

  it('downloads a .npy as octet-stream bytes and JSON as application/json, outside the recent list', async () => {
    const saved: string[] = [];
    const { env: e, log } = env({ showSaveFilePicker: async (n) => (saved.push(n), handle(n, new Map())) });
    const p = createBrowserPlatform(e);
    expect(await p.exportFile(npy, 'main-output0', 'npy')).toEqual({ kind: 'ok', value: { path: null, name: 'main-output0.npy' } });
    expect(await p.exportFile('{"traceEvents":[]}', 'main-trace.json', 'json')).toEqual({
      kind: 'ok',
      value: { path: null, name: 'main-trace.json' },
    });
    expect(log).toEqual([
      'bytes main-output0.npy application/octet-stream: [147,78,85,77,80,89,0,255]',
      'bytes main-trace.json application/json: {"traceEvents":[]}',
    ]);
    expect(saved).toEqual([]); // always a download, even where the save picker exists
    expect(await p.recentFiles()).toEqual([]);
  });

  it('refuses malformed exports without downloading, and reports a failed download in one line', async () => {
    const { env: e, log } = env();
    const p = createBrowserPlatform(e);
    expect(await p.exportFile('not bytes', 'x', 'npy')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^A \.npy export must be/) });
    expect(await p.exportFile(npy, 'a/b.npy', 'npy')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^The file name must be a plain name/) });
    expect(await p.exportFile('{}', 'x', 'csv' as 'json')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^The export kind must be/) });
    expect(log).toEqual([]);
    const failing = createBrowserPlatform(env({ downloadBytes: () => { throw new Error('Blocked by the browser\nstack'); } }).env);
    expect(await failing.exportFile('{}', 't', 'json')).toEqual({ kind: 'error', message: 'Could not export t.json: Blocked by the browser' });
  });
});

describe('recent list in localStorage', () => {
  it('keeps the newest first, at most MAX_RECENT, and survives corrupt or failing storage', () => {
    const s = new MemoryStorage();
    for (let i = 0; i < 14; i++) pushRecent(s, { path: `browser:${i % 11}:f.py`, name: 'f.py', at: i });
    const list = readRecent(s);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]!.at).toBe(13);
    s.setItem(RECENT_KEY, '{not json');
    expect(readRecent(s)).toEqual([]);
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(pushRecent(full, { path: null, name: 'a.py', at: 1 })).toHaveLength(1);
    expect(readRecent(null)).toEqual([]);
  });
});

describe('platform choice', () => {
  const calls: unknown[][] = [];
  const api: DesktopApi = {
    openFile: async (...a) => (calls.push(['openFile', ...a]), { kind: 'cancelled' }),
    saveFile: async (...a) => (calls.push(['saveFile', ...a]), { kind: 'cancelled' }),
    saveFileAs: async (...a) => (calls.push(['saveFileAs', ...a]), { kind: 'cancelled' }),
    recentFiles: async () => [],
    exportFile: async (...a) => (calls.push(['exportFile', ...a]), { kind: 'cancelled' }),
    onMenu: () => () => undefined,
    setDirty: (d) => void calls.push(['setDirty', d]),
    setTitle: (t) => void calls.push(['setTitle', t]),
  };

  it('uses the desktop API only when the preload exposed all of it', () => {
    expect(desktopApi({ relaxStudioDesktop: api })).toBe(api);
    expect(desktopApi({ relaxStudioDesktop: { openFile: () => null } })).toBeUndefined();
    expect(desktopApi({})).toBeUndefined();
  });

  it('electronPlatform forwards, and a save without a path becomes Save As', async () => {
    const p = electronPlatform(api);
    expect(p.kind).toBe('electron');
    await p.saveFile('/a.py', 't');
    await p.saveFile(null, 't', 'new.tvmscript');
    await p.exportFile('{}', 'trace.json', 'json');
    p.setDirty(true);
    expect(calls).toEqual([
      ['saveFile', '/a.py', 't'],
      ['saveFileAs', 't', 'new.tvmscript'],
      ['exportFile', '{}', 'trace.json', 'json'],
      ['setDirty', true],
    ]);
  });
});
