/**
 * What an export (a run output "saved as .npy", a profile "exported as a Chrome trace") may be, checked the same way
 * on both sides: the main process checks what crossed IPC before it opens a dialog, and the browser adapter checks
 * before it downloads, so a bad request fails with the same message in the desktop app and under `npm run web`.
 * Pure (no Node, no DOM, no Electron): the renderer imports it too.
 */
import type { ExportKind } from './api.js';

/** One export format: the file extension, the MIME type of a browser download, and the save dialog's filter label. */
export interface ExportFormat {
  readonly extension: string;
  readonly mimeType: string;
  readonly label: string;
}

/** The formats by kind. A `.npy` is binary; JSON is UTF-8 text. */
export const EXPORT_FORMATS: Readonly<Record<ExportKind, ExportFormat>> = {
  npy: { extension: 'npy', mimeType: 'application/octet-stream', label: 'NumPy array' },
  json: { extension: 'json', mimeType: 'application/json', label: 'JSON' },
};

/** The largest export accepted (a float32 tensor of 128M elements); IPC copies the whole buffer. */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** The longest suggested file name accepted (most file systems allow 255 bytes). */
export const MAX_EXPORT_NAME = 200;

/** A checked export: bytes or text, a plain file name ending in the kind's extension, and the kind. */
export interface ExportRequest {
  readonly data: Uint8Array | string;
  readonly name: string;
  readonly kind: ExportKind;
}

/** The result of checking an export request: the request, or a one-line message saying what was wrong. */
export type ExportCheck = { readonly kind: 'ok'; readonly value: ExportRequest } | { readonly kind: 'error'; readonly message: string };

/** The first bytes of every `.npy` file (`\x93NUMPY`). */
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** True when `value` names a known export kind. */
export function isExportKind(value: unknown): value is ExportKind {
  return value === 'npy' || value === 'json';
}

/**
 * Checks an export request from untrusted input (IPC, or any caller in the page). The kind must be known, the data
 * must be bytes (or, for JSON, text) of at most MAX_EXPORT_BYTES, a `.npy` must start with the NumPy magic, and the
 * name must be a plain file name. The name is normalized (see exportFileName).
 */
export function checkExport(data: unknown, suggestedName: unknown, kind: unknown): ExportCheck {
  if (!isExportKind(kind)) return fail(`The export kind must be "npy" or "json". However, it was ${describe(kind)}.`);
  const dataProblem = checkData(data, kind);
  if (dataProblem) return fail(dataProblem);
  const name = exportFileName(suggestedName, kind);
  if (typeof name !== 'string') return fail(name.problem);
  return { kind: 'ok', value: { data: data as Uint8Array | string, name, kind } };
}

/**
 * The file name to suggest for an export: the caller's name with characters that are not portable (`<>:"|?*`, which
 * Windows refuses) replaced by `_`, and the kind's extension added when missing (`output0` -> `output0.npy`). Names
 * that could point elsewhere (a folder separator, a leading dot, a control character), empty names and over-long
 * names are refused, with the reason.
 */
export function exportFileName(suggestedName: unknown, kind: ExportKind): string | { readonly problem: string } {
  const example = `output.${EXPORT_FORMATS[kind].extension}`;
  if (typeof suggestedName !== 'string') return { problem: `The file name must be text. However, it was ${describe(suggestedName)}.` };
  const name = suggestedName.trim();
  if (name === '') return { problem: `The file name must not be empty (for example ${example}).` };
  if (name.length > MAX_EXPORT_NAME) {
    return { problem: `The file name must be at most ${MAX_EXPORT_NAME} characters. However, it has ${name.length}.` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith('.')) {
    return { problem: `The file name must be a plain name like ${example}, without folders. However, it was ${JSON.stringify(name)}.` };
  }
  const portable = name.replace(/[<>:"|?*]/g, '_');
  const extension = `.${EXPORT_FORMATS[kind].extension}`;
  return portable.toLowerCase().endsWith(extension) ? portable : portable + extension;
}

/** The save dialog filters for a kind: the format itself, then All Files. */
export function exportFilters(kind: ExportKind): { name: string; extensions: string[] }[] {
  const format = EXPORT_FORMATS[kind];
  return [
    { name: format.label, extensions: [format.extension] },
    { name: 'All Files', extensions: ['*'] },
  ];
}

/** Why `data` cannot be exported as `kind`, or null when it can. */
function checkData(data: unknown, kind: ExportKind): string | null {
  if (typeof data === 'string') {
    if (kind === 'npy') return 'A .npy export must be the array file\'s bytes. However, it was text.';
    return textTooLarge(data) ? tooLarge() : null;
  }
  if (!(data instanceof Uint8Array)) return `The export data must be bytes or text. However, it was ${describe(data)}.`;
  if (data.byteLength > MAX_EXPORT_BYTES) return tooLarge();
  if (kind === 'npy' && !NPY_MAGIC.every((b, i) => data[i] === b)) {
    return 'A .npy export must start with the NumPy header (\\x93NUMPY). However, these bytes do not.';
  }
  return null;
}

/** True when `text` is over the limit in UTF-8; encodes only when it could be (3 bytes per UTF-16 unit at most). */
function textTooLarge(text: string): boolean {
  return text.length * 3 > MAX_EXPORT_BYTES && new TextEncoder().encode(text).byteLength > MAX_EXPORT_BYTES;
}

function tooLarge(): string {
  return `An export must be at most ${MAX_EXPORT_BYTES / 1024 / 1024} MB. However, this one is larger.`;
}

/** A short description of an unexpected value, for messages (never its whole content). */
function describe(value: unknown): string {
  if (value === null || value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') {
    const type = (value as object).constructor?.name ?? 'object';
    return `${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}`;
  }
  return `${typeof value} ${String(value)}`;
}

function fail(message: string): ExportCheck {
  return { kind: 'error', message };
}
