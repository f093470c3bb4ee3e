// The main process's wiring, run against a recorded fake of the `electron` module (no binary here): the window gets
// the options from security.ts, app:// serves dist/web with the CSP header, every response gets the CSP, remote
// requests and permissions are refused, navigation and popups are blocked, and the file IPC channels (exports
// included) are handled.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from './api.js';
import { contentSecurityPolicy } from './security.js';

type Fn = (...args: never[]) => unknown;
const rec = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; url?: string; handlers: Map<string, Fn> }>,
  protocol: new Map<string, Fn>(),
  schemes: [] as unknown[],
  webRequest: new Map<string, Fn>(),
  ipcHandle: new Map<string, Fn>(),
  ipcOn: new Map<string, Fn>(),
  appOn: new Map<string, Fn>(),
  permission: undefined as Fn | undefined,
  menu: undefined as unknown,
  userData: '',
  saveDialogs: [] as Array<Record<string, unknown>>,
  saveAnswer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => rec.windows;
    readonly handlers = new Map<string, Fn>();
    url?: string;
    webContents = { send: () => undefined };
    constructor(readonly options: Record<string, unknown>) {
      rec.windows.push(this as never);
    }
    once(e: string, f: Fn) {
      this.handlers.set(e, f);
    }
    on(e: string, f: Fn) {
      this.handlers.set(e, f);
    }
    async loadURL(url: string) {
      this.url = url;
    }
    maximize() {}
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
    isMaximized = () => false;
  }
  return {
    app: {
      isPackaged: false,
      getPath: () => rec.userData,
      setPath: () => undefined,
      whenReady: () => Promise.resolve(),
      on: (e: string, f: Fn) => rec.appOn.set(e, f),
      quit: () => undefined,
      exit: () => undefined,
      addRecentDocument: () => undefined,
      clearRecentDocuments: () => undefined,
    },
    BrowserWindow,
    dialog: {
      showErrorBox: (t: string, m: string) => { throw new Error(`${t}: ${m}`); },
      showSaveDialog: async (_win: unknown, options: Record<string, unknown>) => (rec.saveDialogs.push(options), rec.saveAnswer),
    },
    ipcMain: { handle: (c: string, f: Fn) => rec.ipcHandle.set(c, f), on: (c: string, f: Fn) => rec.ipcOn.set(c, f) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (rec.menu = m) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.schemes.push(...s),
      handle: (scheme: string, f: Fn) => rec.protocol.set(scheme, f),
    },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (f: Fn) => rec.webRequest.set('headers', f),
          onBeforeRequest: (f: Fn) => rec.webRequest.set('request', f),
        },
        setPermissionRequestHandler: (f: Fn) => (rec.permission = f),
        setPermissionCheckHandler: () => undefined,
      },
    },
  };
});

beforeAll(async () => {
  rec.userData = mkdtempSync(join(tmpdir(), 'main-test-'));
  await import('./main.js');
  await vi.waitFor(() => expect(rec.windows[0]?.url).toBeDefined());
});

describe('main process', () => {
  it('creates the window with the secure options and the bundled preload, then loads app://', () => {
    const { options, url } = rec.windows[0]!;
    expect(options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect((options['webPreferences'] as { preload: string }).preload).toMatch(/[\\/]preload\.cjs$/);
    expect(url).toBe('app://relax-studio/index.html');
    expect(rec.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });

  it('serves the renderer over app:// with the CSP header, and 404s outside it', async () => {
    const serve = rec.protocol.get('app') as (r: { url: string }) => Promise<Response>;
    const missing = await serve({ url: 'app://relax-studio/no-such-file.js' });
    expect(missing.status).toBe(404);
    const escape = await serve({ url: 'app://relax-studio/..%2F..%2Fpackage.json' });
    expect(escape.status).toBe(404);
  });

  it('adds the CSP and cross-origin isolation headers to every response and cancels remote requests', () => {
    let headers: unknown;
    (rec.webRequest.get('headers') as (d: unknown, cb: (r: unknown) => void) => void)(
      { responseHeaders: { 'X-Other': ['1'] } },
      (r) => (headers = r),
    );
    expect(headers).toEqual({
      responseHeaders: {
        'X-Other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy()],
        'Cross-Origin-Opener-Policy': ['same-origin'], 'Cross-Origin-Embedder-Policy': ['require-corp'],
      },
    });
    const decide = (url: string) => {
      let out: unknown;
      (rec.webRequest.get('request') as (d: unknown, cb: (r: unknown) => void) => void)({ url }, (r) => (out = r));
      return out;
    };
    expect(decide('app://relax-studio/assets/x.js')).toEqual({ cancel: false });
    expect(decide('https://example.com/x.js')).toEqual({ cancel: true });
    let granted: unknown;
    (rec.permission as (w: unknown, p: string, cb: (g: boolean) => void) => void)(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('blocks navigation away, popups and webviews in every web contents', () => {
    const events = new Map<string, Fn>();
    let openHandler: Fn | undefined;
    const contents = { on: (e: string, f: Fn) => events.set(e, f), setWindowOpenHandler: (f: Fn) => (openHandler = f) };
    (rec.appOn.get('web-contents-created') as (e: unknown, c: unknown) => void)({}, contents);
    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      (events.get('will-navigate') as (e: unknown, u: string) => void)(event, url);
      return event.prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('app://relax-studio/index.html')).toBe(false);
    expect((openHandler as () => unknown)()).toEqual({ action: 'deny' });
    expect(events.has('will-attach-webview')).toBe(true);
  });

  it('handles the file channels and refuses IPC from other origins', async () => {
    const handled = [CHANNELS.openFile, CHANNELS.recentFiles, CHANNELS.saveFile, CHANNELS.saveFileAs, CHANNELS.exportFile];
    expect([...rec.ipcHandle.keys()].sort()).toEqual(handled.sort());
    expect([...rec.ipcOn.keys()].sort()).toEqual([CHANNELS.setDirty, CHANNELS.setTitle].sort());
    const save = rec.ipcHandle.get(CHANNELS.saveFile) as (e: unknown, ...a: unknown[]) => Promise<unknown>;
    const foreign = { senderFrame: { url: 'https://evil.example.com/' } };
    expect(await save(foreign, '/etc/passwd', 'x')).toEqual({ kind: 'error', message: 'Refused: the request did not come from the app' });
    const ours = { senderFrame: { url: 'app://relax-studio/index.html' } };
    expect(await save(ours, '/etc/passwd', 'x')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Not allowed to access passwd/) });
    expect(Array.isArray(rec.menu)).toBe(true);
  });

  it('exports through a save dialog filtered to the kind, writes the bytes, and keeps exports out of the recent list', async () => {
    const exportFile = rec.ipcHandle.get(CHANNELS.exportFile) as (e: unknown, ...a: unknown[]) => Promise<unknown>;
    const recent = rec.ipcHandle.get(CHANNELS.recentFiles) as (e: unknown) => Promise<unknown>;
    const ours = { senderFrame: { url: 'app://relax-studio/index.html' } };
    const target = join(rec.userData, 'chosen.npy');
    rec.saveAnswer = { canceled: false, filePath: target };
    const bytes = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0xff]);
    expect(await exportFile(ours, bytes, 'main_output0', 'npy')).toEqual({ kind: 'ok', value: { path: target, name: 'chosen.npy' } });
    expect([...readFileSync(target)]).toEqual([...bytes]);
    expect(rec.saveDialogs.at(-1)).toEqual({
      defaultPath: join(rec.userData, 'main_output0.npy'),
      filters: [{ name: 'NumPy array', extensions: ['npy'] }, { name: 'All Files', extensions: ['*'] }],
    });
    rec.saveAnswer = { canceled: false, filePath: join(rec.userData, 'trace.json') };
    expect(await exportFile(ours, '{"traceEvents":[]}', 'trace', 'json')).toMatchObject({ kind: 'ok' });
    expect(readFileSync(join(rec.userData, 'trace.json'), 'utf8')).toBe('{"traceEvents":[]}');
    expect((rec.saveDialogs.at(-1)!['filters'] as unknown[])[0]).toEqual({ name: 'JSON', extensions: ['json'] });
    expect(await recent(ours)).toEqual([]);
  });

  it('answers malformed or foreign export requests with an error and shows no dialog', async () => {
    const exportFile = rec.ipcHandle.get(CHANNELS.exportFile) as (e: unknown, ...a: unknown[]) => Promise<unknown>;
    const ours = { senderFrame: { url: 'app://relax-studio/index.html' } };
    const dialogs = rec.saveDialogs.length;
    expect(await exportFile(ours, { 0: 147 }, 'x', 'npy')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^The export data must be bytes/) });
    expect(await exportFile(ours, '{}', 'x', 'exe')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^The export kind must be/) });
    expect(await exportFile(ours, '{}', '/tmp/x', 'json')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^The file name must be a plain name/) });
    const foreign = { senderFrame: { url: 'https://evil.example.com/' } };
    expect(await exportFile(foreign, '{}', 'x', 'json')).toEqual({ kind: 'error', message: 'Refused: the request did not come from the app' });
    expect(rec.saveDialogs.length).toBe(dialogs);
  });
});
