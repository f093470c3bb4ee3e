/**
 * Diagnostics for people and for programs: `FILE:LINE:COL: error[CODE]: message` with the source line and a caret
 * line under the span (stderr), or `{code, severity, message, line, col, endLine, endCol}` objects (--json).
 * Positions are 1-based; columns count UTF-16 code units like editors do. A diagnostic without a span (a file
 * that cannot be read) has no position: `FILE: error[CODE]: ...` and nulls in JSON.
 */
import type { Diagnostic } from '../core/ir/diagnostics/diagnostic.js';
import { LineMap } from '../core/ir/span.js';

/** The --json form of a diagnostic. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly line: number | null;
  readonly col: number | null;
  readonly endLine: number | null;
  readonly endCol: number | null;
}

/** Converts diagnostics of one file to their --json form. */
export function jsonDiagnostics(text: string | undefined, ds: readonly Diagnostic[]): JsonDiagnostic[] {
  const lm = text === undefined ? undefined : new LineMap(text);
  return ds.map((d) => {
    const base = { code: d.code, severity: d.severity, message: d.message };
    if (!d.span || !lm) return { ...base, line: null, col: null, endLine: null, endCol: null };
    const s = lm.lineCol(clamp(d.span.start, text!));
    const e = lm.lineCol(clamp(d.span.end, text!));
    return { ...base, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  });
}

function clamp(offset: number, text: string): number {
  return Math.max(0, Math.min(offset, text.length));
}

/** The human form of one file's diagnostics: header, source line, carets; related notes under it. */
export function formatDiagnostics(file: string, text: string | undefined, ds: readonly Diagnostic[]): string {
  if (ds.length === 0) return '';
  const lm = text === undefined ? undefined : new LineMap(text);
  return ds.map((d) => formatOne(file, lm, d)).join('');
}

function formatOne(file: string, lm: LineMap | undefined, d: Diagnostic): string {
  const head = `${d.severity}[${d.code}]: ${d.message}`;
  if (!d.span || !lm) return `${file}: ${head}\n`;
  let out = `${file}:${position(lm, d.span.start)}: ${head}\n${excerpt(lm, d.span.start, d.span.end)}`;
  for (const r of d.related ?? []) {
    out += `${file}:${position(lm, r.span.start)}: note: ${r.message}\n${excerpt(lm, r.span.start, r.span.end)}`;
  }
  return out;
}

function position(lm: LineMap, offset: number): string {
  const lc = lm.lineCol(clamp(offset, lm.text));
  return `${lc.line}:${lc.col}`;
}

/**
 * The source line of `start` and a caret line under `[start, end)`, cut at the end of that line (at least one
 * caret, so an empty span at the end of a line still points somewhere). Tabs are kept so carets line up.
 */
export function excerpt(lm: LineMap, start: number, end: number): string {
  const s = lm.lineCol(clamp(start, lm.text));
  const line = lm.lineText(s.line).replace(/\r$/, '');
  const from = Math.min(s.col - 1, line.length);
  const e = lm.lineCol(clamp(end, lm.text));
  const to = e.line === s.line ? Math.min(e.col - 1, line.length) : line.length;
  const width = Math.max(1, to - from);
  const gutter = String(s.line).padStart(5);
  const pad = line.slice(0, from).replace(/[^\t]/g, ' ');
  return `${gutter} | ${line}\n${' '.repeat(gutter.length)} | ${pad}${'^'.repeat(width)}\n`;
}

/** The internal-error diagnostic (C599): the one place where a throw from core turns into data. */
export function internalError(e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  const where = e instanceof Error && e.stack ? ` (at ${e.stack.split('\n')[1]?.trim().replace(/^at /, '') ?? '?'})` : '';
  return {
    code: 'C599',
    severity: 'error',
    message: `internal error: relax-studio should report problems as diagnostics. However, it failed with: ${message}${where}`,
  };
}
