// The preload's surface: exactly the listed functions reach the renderer, each on its own channel, with checked
// arguments; menu events are filtered and the IPC event is never handed over. preload.ts runs against a mocked
// `electron` module (the real one would try to download a binary in plain Node).
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, DESKTOP_API_KEY, DESKTOP_API_METHODS } from './api.js';
import type { DesktopApi, MenuAction } from './api.js';
import { createDesktopApi } from './preload-api.js';
import type { IpcTransport } from './preload-api.js';

const exposed = vi.hoisted(() => [] as Array<[string, unknown]>);
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
  ipcRenderer: { invoke: async () => undefined, send: () => undefined, on: () => undefined, removeListener: () => undefined },
}));

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcTransport = {
    invoke: async (...args) => {
      invoked.push(args);
      return { kind: 'cancelled' };
    },
    send: (...args) => void sent.push(args),
    on: (ch, l) => listeners.set(ch, (listeners.get(ch) ?? new Set()).add(l)),
    removeListener: (ch, l) => listeners.get(ch)?.delete(l),
  };
  const emit = (ch: string, ...args: unknown[]) => listeners.get(ch)?.forEach((l) => l({ sender: 'secret ipcRenderer' }, ...args));
  return { ipc, invoked, sent, emit, listeners };
}

describe('preload', () => {
  it('exposes one object, under relaxStudioDesktop, with exactly the listed functions', async () => {
    await import('./preload.js');
    expect(exposed).toHaveLength(1);
    const [key, api] = exposed[0]!;
    expect(key).toBe(DESKTOP_API_KEY);
    expect(Object.keys(api as object).sort()).toEqual([...DESKTOP_API_METHODS].sort());
    expect(DESKTOP_API_METHODS).toEqual([
      'openFile', 'saveFile', 'saveFileAs', 'recentFiles', 'exportFile', 'onMenu', 'setDirty', 'setTitle',
    ]);
    for (const m of DESKTOP_API_METHODS) expect(typeof (api as Record<string, unknown>)[m]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('forwards each call on its own channel with sanitized arguments', async () => {
    const { ipc, invoked, sent } = fakeIpc();
    const api = createDesktopApi(ipc);
    await api.openFile();
    await api.openFile('/home/u/m.py');
    await api.openFile({ evil: true } as unknown as string);
    await api.saveFile('/home/u/m.py', 'text');
    await api.saveFile(undefined, 'text');
    await api.saveFileAs('text', 'mlp.tvmscript');
    await api.recentFiles();
    const bytes = new Uint8Array([0x93, 0x4e]);
    await api.exportFile(bytes, 'out.npy', 'npy');
    await api.exportFile('{}', 'trace.json', 'json');
    await api.exportFile({ buffer: 1 } as unknown as string, 7 as unknown as string, { kind: 'npy' } as unknown as 'npy');
    await api.exportFile('{}', 'x', `${'z'.repeat(100)}` as 'json');
    api.setDirty(true);
    api.setDirty('yes' as unknown as boolean);
    api.setTitle('x'.repeat(500));
    expect(invoked).toEqual([
      [CHANNELS.openFile, undefined],
      [CHANNELS.openFile, '/home/u/m.py'],
      [CHANNELS.openFile, undefined],
      [CHANNELS.saveFile, '/home/u/m.py', 'text'],
      [CHANNELS.saveFile, null, 'text'],
      [CHANNELS.saveFileAs, 'text', 'mlp.tvmscript'],
      [CHANNELS.recentFiles],
      [CHANNELS.exportFile, bytes, 'out.npy', 'npy'],
      [CHANNELS.exportFile, '{}', 'trace.json', 'json'],
      [CHANNELS.exportFile, null, null, null],
      [CHANNELS.exportFile, '{}', 'x', 'z'.repeat(40)],
    ]);
    expect(sent).toEqual([
      [CHANNELS.setDirty, true],
      [CHANNELS.setDirty, false],
      [CHANNELS.setTitle, 'x'.repeat(200)],
    ]);
  });

  it('passes well-formed menu actions only, without the IPC event, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const api: DesktopApi = createDesktopApi(ipc);
    const got: unknown[][] = [];
    const off = api.onMenu((...args) => got.push(args));
    emit(CHANNELS.menu, { type: 'edit.undo' } satisfies MenuAction);
    emit(CHANNELS.menu, { type: 'file.openRecent', path: '/a.py' } satisfies MenuAction);
    emit(CHANNELS.menu, { type: 'file.openRecent' });
    emit(CHANNELS.menu, { type: 'shell.exec', cmd: 'rm -rf /' });
    emit(CHANNELS.menu, 'file.new');
    expect(got).toEqual([[{ type: 'edit.undo' }], [{ type: 'file.openRecent', path: '/a.py' }]]);
    off();
    expect(listeners.get(CHANNELS.menu)?.size).toBe(0);
    emit(CHANNELS.menu, { type: 'edit.redo' });
    expect(got).toHaveLength(2);
  });
});
