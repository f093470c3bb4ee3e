/**
 * Our diagnostics as CodeMirror lint diagnostics. The shapes map 1:1 (conventions 7): the span becomes `from`/`to`,
 * the catalog code becomes `source`, and related spans become extra marks that point back to the main message.
 * Spans are clamped to the document, so a diagnostic of a slightly older text never throws inside the editor.
 */
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';

/** Converts diagnostics for `@codemirror/lint`'s `setDiagnostics`, for a document of `docLength` characters. */
export function toLintDiagnostics(diagnostics: readonly Diagnostic[], docLength: number): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const { from, to } = clampSpan(d.span, docLength);
    out.push({ from, to, severity: d.severity, source: d.code, message: d.message });
    for (const r of d.related ?? []) {
      const rs = clampSpan(r.span, docLength);
      out.push({ ...rs, severity: 'info', source: d.code, message: `${r.message} (see: ${d.message})` });
    }
  }
  return out;
}

/** A span as an in-range `{from, to}`; a diagnostic without a span marks the start of the document. */
export function clampSpan(span: { start: number; end: number } | undefined, docLength: number): { from: number; to: number } {
  if (!span) return { from: 0, to: 0 };
  const from = clamp(span.start, docLength);
  return { from, to: Math.max(from, clamp(span.end, docLength)) };
}

function clamp(n: number, max: number): number {
  return Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), max) : 0;
}

/** One line for the diagnostics list under the editor: `error P102 at 9:19: message`. */
export function describeDiagnostic(d: Diagnostic, text: string): string {
  const where = d.span ? ` at ${lineCol(text, d.span.start)}` : '';
  return `${d.severity} ${d.code}${where}: ${d.message}`;
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return `${line}:${before.length - before.lastIndexOf('\n')}`;
}
