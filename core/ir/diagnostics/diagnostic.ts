import type { Span } from '../span.js';

/**
 * Diagnostics are data: a stable code from the catalog, a severity, a message (the rule, then "However, ..." with
 * what was found), and the span it points at. They map 1:1 onto CodeMirror lint diagnostics and CLI output.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Related {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: Span;
  readonly related?: readonly Related[];
}

/** Thrown by strict-mode entry points; carries every diagnostic collected so far. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => `${d.severity}[${d.code}]: ${d.message}`).join('\n'));
    this.name = 'DiagnosticError';
  }
}

/** Collects diagnostics while a phase runs. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(d: Diagnostic): void {
    this.items.push(d);
  }
  error(code: string, message: string, span?: Span, related?: Related[]): void {
    this.items.push({ code, severity: 'error', message, span, ...(related ? { related } : {}) });
  }
  warning(code: string, message: string, span?: Span): void {
    this.items.push({ code, severity: 'warning', message, span });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
