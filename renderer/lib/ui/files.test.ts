// File commands over a fake Platform and the real document store: open, save (in place, as download, as), new,
// cancel and error outcomes, pending typing flushed before a save, window title/dirty sync, menu routing.
import { describe, expect, it } from 'vitest';
import { DocumentStore, EMPTY_MODULE_TEXT } from '../document/store.js';
import type { FileRef, FileResult, OpenedFile, Platform } from '../platform/types.js';
import { baseName, FileCommands, windowTitle } from './files.js';

const TEXT = new DocumentStore(EMPTY_MODULE_TEXT.replace(/784/g, '16')).state.text; // canonical

function fakePlatform(kind: Platform['kind'] = 'browser') {
  const log: string[] = [];
  const disk = new Map<string, string>();
  let next: FileResult<OpenedFile> = { kind: 'cancelled' };
  let saveAsResult: (name: string) => FileResult<FileRef> = (name) => ({ kind: 'ok', value: { path: null, name } });
  const p: Platform = {
    exportFile: async () => ({ kind: 'cancelled' }),
    kind,
    openFile: async (path) => (log.push(`open ${path ?? '?'}`), next),
    saveFile: async (path, text, name) => {
      log.push(`save ${path} ${name}`);
      if (!path) return p.saveFileAs(text, name);
      disk.set(path, text);
      return { kind: 'ok', value: { path, name: baseName(path) } };
    },
    saveFileAs: async (text, name = 'x') => {
      log.push(`saveAs ${name}`);
      const r = saveAsResult(name);
      if (r.kind === 'ok') disk.set(r.value.path ?? r.value.name, text);
      return r;
    },
    recentFiles: async () => [],
    onMenu: () => () => undefined,
    setDirty: (d) => void log.push(`dirty ${d}`),
    setTitle: (t) => void log.push(`title ${t}`),
  };
  return {
    p, log, disk,
    willOpen: (r: FileResult<OpenedFile>) => void (next = r),
    willSaveAs: (f: typeof saveAsResult) => void (saveAsResult = f),
  };
}

describe('FileCommands', () => {
  it('opens a file as a new clean document with its path, and saves it back in place', async () => {
    const store = new DocumentStore();
    const f = fakePlatform();
    const cmd = new FileCommands(store, f.p);
    f.willOpen({ kind: 'ok', value: { path: 'browser:1:mlp.py', name: 'mlp.py', text: TEXT } });
    expect(await cmd.open()).toEqual({ kind: 'ok' });
    expect(store.state).toMatchObject({ filePath: 'browser:1:mlp.py', dirty: false, text: TEXT });
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    expect(store.state.dirty).toBe(true);
    expect(await cmd.save()).toEqual({ kind: 'ok' });
    expect(f.disk.get('browser:1:mlp.py')).toBe(TEXT);
    expect(store.state.dirty).toBe(false);
  });

  it('saves a download-only file under its name (Save As each time) and marks it saved', async () => {
    const store = new DocumentStore(TEXT);
    const f = fakePlatform();
    const cmd = new FileCommands(store, f.p);
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    expect(await cmd.save()).toEqual({ kind: 'ok' });
    expect(f.log).toContain('save null untitled.tvmscript');
    expect(store.state).toMatchObject({ filePath: 'untitled.tvmscript', dirty: false });
    expect(await cmd.save()).toEqual({ kind: 'ok' });
    expect(f.log.filter((l) => l.startsWith('saveAs'))).toEqual(['saveAs untitled.tvmscript', 'saveAs untitled.tvmscript']);
  });

  it('flushes pending typing before saving, so the file has what the user sees', async () => {
    const store = new DocumentStore(TEXT);
    const f = fakePlatform('electron');
    const typed = TEXT.replace('R.nn.relu(x)', 'R.nn.gelu(x)');
    const cmd = new FileCommands(store, f.p, { flushText: () => store.apply({ kind: 'setText', text: typed, origin: 'text-pane' }) });
    f.willSaveAs(() => ({ kind: 'ok', value: { path: '/home/u/m.tvmscript', name: 'm.tvmscript' } }));
    expect(await cmd.saveAs()).toEqual({ kind: 'ok' });
    expect(f.disk.get('/home/u/m.tvmscript')).toBe(typed);
    expect(store.state.filePath).toBe('/home/u/m.tvmscript');
  });

  it('keeps the document on cancel and error, and reports the error', async () => {
    const store = new DocumentStore(TEXT);
    const f = fakePlatform();
    const cmd = new FileCommands(store, f.p);
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    expect(await cmd.open()).toEqual({ kind: 'cancelled' });
    f.willOpen({ kind: 'error', message: 'Could not open the file: NotReadableError' });
    expect(await cmd.open()).toEqual({ kind: 'error', message: 'Could not open the file: NotReadableError' });
    f.willSaveAs(() => ({ kind: 'error', message: 'Could not save x: disk full' }));
    expect(await cmd.saveAs()).toMatchObject({ kind: 'error' });
    expect(store.state).toMatchObject({ text: TEXT, dirty: true });
  });

  it('New asks before discarding unsaved work and starts an untitled document', () => {
    const store = new DocumentStore(TEXT);
    store.apply({ kind: 'markSaved', path: '/a/b.py' });
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    let answer = false;
    const asked: string[] = [];
    const cmd = new FileCommands(store, fakePlatform().p, { confirmDiscard: (w) => (asked.push(w), answer) });
    expect(cmd.newFile()).toEqual({ kind: 'cancelled' });
    expect(store.state.text).toBe(TEXT);
    answer = true;
    expect(cmd.newFile()).toEqual({ kind: 'ok' });
    expect(store.state.text).toBe(new DocumentStore(EMPTY_MODULE_TEXT).state.text);
    expect(store.state.filePath).toBeUndefined();
    expect(store.state.dirty).toBe(false);
    expect(asked).toHaveLength(2);
  });

  it('opens an example as an untitled document with its packed functions, asking first when work is unsaved', () => {
    const store = new DocumentStore(TEXT);
    store.apply({ kind: 'markSaved', path: '/a/b.py' });
    store.apply({ kind: 'setPacked', packed: { old: '() => 1' } });
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    let answer = false;
    const cmd = new FileCommands(store, fakePlatform().p, { confirmDiscard: () => answer });
    const example = { text: EMPTY_MODULE_TEXT, packed: { custom_inplace_update: '(t) => t' } };
    expect(cmd.openExample(example)).toEqual({ kind: 'cancelled' });
    expect(store.state.packed).toEqual({ old: '() => 1' });
    answer = true;
    expect(cmd.openExample(example)).toEqual({ kind: 'ok' });
    expect(store.state.filePath).toBeUndefined();
    expect(store.state.packed).toEqual(example.packed);
    expect(cmd.openExample({ text: TEXT })).toEqual({ kind: 'ok' });
    expect(store.state.packed).toEqual({});
  });

  it('keeps the window title and dirty flag in step, and routes file menu actions', async () => {
    const store = new DocumentStore(TEXT);
    const f = fakePlatform();
    const cmd = new FileCommands(store, f.p);
    const off = cmd.syncWindow();
    store.apply({ kind: 'setPositions', positions: { 'main/gv': { x: 1, y: 2 } } });
    await cmd.menu({ type: 'file.save' });
    expect(f.log.filter((l) => !l.startsWith('save'))).toEqual([
      'title Untitled - Relax Studio', 'dirty false', 'title Untitled • - Relax Studio', 'dirty true',
      'title untitled.tvmscript - Relax Studio', 'dirty false',
    ]);
    expect(cmd.menu({ type: 'edit.undo' })).toBeUndefined();
    await cmd.menu({ type: 'file.openRecent', path: '/r.py' });
    expect(f.log).toContain('open /r.py');
    off();
  });

  it('names files and titles', () => {
    expect(baseName('browser:12:mlp.py')).toBe('mlp.py');
    expect(baseName('C:\\m\\cnn.tvmscript')).toBe('cnn.tvmscript');
    expect(baseName(undefined)).toBe('untitled.tvmscript');
    expect(windowTitle({ filePath: '/x/y.py', dirty: true })).toBe('y.py • - Relax Studio');
  });
});
