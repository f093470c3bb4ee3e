// The export checks shared by the main process and the browser adapter: suggested names normalized or refused with
// the reason, data of the right type and size, the .npy magic, and the dialog filters per kind.
import { describe, expect, it } from 'vitest';
import { checkExport, EXPORT_FORMATS, exportFileName, exportFilters, isExportKind, MAX_EXPORT_BYTES } from './export-format.js';

const npy = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);

describe('exportFileName', () => {
  it('adds the missing extension and keeps a present one in any case', () => {
    expect(exportFileName('main_output0', 'npy')).toBe('main_output0.npy');
    expect(exportFileName('  x.NPY ', 'npy')).toBe('x.NPY');
    expect(exportFileName('trace.json', 'json')).toBe('trace.json');
    expect(exportFileName('trace.npy', 'json')).toBe('trace.npy.json');
  });

  it('replaces characters Windows refuses', () => {
    expect(exportFileName('profile 12:30 <mlp>|"a"?*', 'json')).toBe('profile 12_30 _mlp___a___.json');
  });

  it('refuses names that could point elsewhere, empty or over-long names, and non-text', () => {
    for (const bad of ['a/b', 'a\\b', '../x', '.hidden', 'x\u0000y', 'tab\there']) {
      expect(exportFileName(bad, 'npy')).toEqual({ problem: expect.stringMatching(/^The file name must be a plain name like output\.npy/) });
    }
    expect(exportFileName('   ', 'json')).toEqual({ problem: 'The file name must not be empty (for example output.json).' });
    expect(exportFileName('n'.repeat(201), 'npy')).toEqual({ problem: 'The file name must be at most 200 characters. However, it has 201.' });
    expect(exportFileName(undefined, 'npy')).toEqual({ problem: 'The file name must be text. However, it was missing.' });
  });
});

describe('checkExport', () => {
  it('accepts .npy bytes and JSON text or bytes, with the normalized name', () => {
    expect(checkExport(npy, 'out', 'npy')).toEqual({ kind: 'ok', value: { data: npy, name: 'out.npy', kind: 'npy' } });
    expect(checkExport('{}', 'trace', 'json')).toEqual({ kind: 'ok', value: { data: '{}', name: 'trace.json', kind: 'json' } });
    expect(checkExport(new Uint8Array([0x7b, 0x7d]), 't.json', 'json')).toMatchObject({ kind: 'ok' });
  });

  it('refuses unknown kinds, the wrong data type, a .npy without its header, and oversized data', () => {
    expect(checkExport(npy, 'a', 'NPY')).toEqual({ kind: 'error', message: 'The export kind must be "npy" or "json". However, it was "NPY".' });
    expect(checkExport(npy.buffer, 'a', 'npy')).toEqual({ kind: 'error', message: 'The export data must be bytes or text. However, it was an ArrayBuffer.' });
    expect(checkExport(42, 'a', 'json')).toEqual({ kind: 'error', message: 'The export data must be bytes or text. However, it was number 42.' });
    expect(checkExport('\x93NUMPY', 'a', 'npy')).toMatchObject({ kind: 'error', message: expect.stringMatching(/However, it was text\.$/) });
    expect(checkExport(npy.subarray(0, 5), 'a', 'npy')).toMatchObject({ kind: 'error', message: expect.stringContaining('NumPy header') });
    const huge = Object.defineProperty(new Uint8Array(npy), 'byteLength', { value: MAX_EXPORT_BYTES + 1 });
    expect(checkExport(huge, 'a', 'npy')).toEqual({ kind: 'error', message: 'An export must be at most 512 MB. However, this one is larger.' });
    expect(checkExport(npy, '/etc/passwd', 'npy').kind).toBe('error');
  });
});

describe('formats', () => {
  it('knows each kind: extension, MIME type of a download, and dialog filters', () => {
    expect(isExportKind('npy') && isExportKind('json') && !isExportKind('csv') && !isExportKind(null)).toBe(true);
    expect(EXPORT_FORMATS.npy.mimeType).toBe('application/octet-stream');
    expect(EXPORT_FORMATS.json.mimeType).toBe('application/json');
    expect(exportFilters('npy')).toEqual([
      { name: 'NumPy array', extensions: ['npy'] },
      { name: 'All Files', extensions: ['*'] },
    ]);
    expect(exportFilters('json')[0]).toEqual({ name: 'JSON', extensions: ['json'] });
  });
});
