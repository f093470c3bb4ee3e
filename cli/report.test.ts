import { describe, expect, it } from 'vitest';
import { LineMap } from '../core/ir/span.js';
import { excerpt, formatDiagnostics, internalError, jsonDiagnostics } from './report.js';

const TEXT = 'a = 1\n\tb = foo(a)\nc = 3';

describe('diagnostic reports', () => {
  it('puts carets under the span, keeping tabs so they line up', () => {
    const start = TEXT.indexOf('foo');
    expect(excerpt(new LineMap(TEXT), start, start + 3)).toBe('    2 | \tb = foo(a)\n      | \t    ^^^\n');
  });

  it('cuts a multi-line span at the end of its first line and shows one caret for an empty span', () => {
    const lm = new LineMap(TEXT);
    const start = TEXT.indexOf('foo');
    expect(excerpt(lm, start, TEXT.length).split('\n')[1]).toBe('      | \t    ^^^^^^');
    expect(excerpt(lm, 5, 5).split('\n')[1]).toBe('      |      ^');
  });

  it('formats header, excerpt and related notes', () => {
    const start = TEXT.indexOf('foo');
    const out = formatDiagnostics('f.py', TEXT, [
      { code: 'R201', severity: 'error', message: 'Rule. However, x.', span: { start, end: start + 3 }, related: [{ span: { start: 0, end: 1 }, message: 'defined here' }] },
      { code: 'W1', severity: 'warning', message: 'careful' },
    ]);
    expect(out).toBe(
      'f.py:2:6: error[R201]: Rule. However, x.\n    2 | \tb = foo(a)\n      | \t    ^^^\n' +
        'f.py:1:1: note: defined here\n    1 | a = 1\n      | ^\n' +
        'f.py: warning[W1]: careful\n',
    );
  });

  it('gives 1-based positions in JSON, null without a span', () => {
    const start = TEXT.indexOf('foo');
    expect(jsonDiagnostics(TEXT, [{ code: 'X', severity: 'error', message: 'm', span: { start, end: start + 3 } }, { code: 'Y', severity: 'warning', message: 'n' }])).toEqual([
      { code: 'X', severity: 'error', message: 'm', line: 2, col: 6, endLine: 2, endCol: 9 },
      { code: 'Y', severity: 'warning', message: 'n', line: null, col: null, endLine: null, endCol: null },
    ]);
  });

  it('turns a throw into a C599 internal error diagnostic', () => {
    const d = internalError(new TypeError('boom'));
    expect(d.code).toBe('C599');
    expect(d.message).toMatch(/^internal error: .*However, it failed with: boom/);
  });
});
