import { describe, expect, it } from 'vitest';
import { block, LINE, renderDoc, span } from './doc.js';

describe('renderDoc', () => {
  it('indents blocks, leaves blank lines empty and records spans without indentation', () => {
    const a = {};
    const b = {};
    const doc = [block('def f():', [span(a, 'x = 1'), '', block('if c:', [span(b, 'y = 2')])]), LINE];
    const { text, spans } = renderDoc(doc, 4);
    expect(text).toBe('def f():\n    x = 1\n\n    if c:\n        y = 2\n');
    expect(text.slice(spans.get(a)!.start, spans.get(a)!.end)).toBe('x = 1');
    expect(text.slice(spans.get(b)!.start, spans.get(b)!.end)).toBe('y = 2');
  });

  it('honours the indent unit', () => {
    expect(renderDoc(block('a:', ['b']), 2).text).toBe('a:\n  b');
  });
});
