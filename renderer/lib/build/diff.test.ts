/** Pass diffs: hunks with context and line numbers, add/remove counts, and "unchanged" for equal texts. */
import { describe, expect, it } from 'vitest';
import { changeLabel, diffTexts, passChanges } from './diff.js';

const lines = (n: number, edit: (i: number) => string | null = (i) => `line ${i}`): string =>
  Array.from({ length: n }, (_, i) => edit(i + 1))
    .filter((l) => l !== null)
    .join('\n') + '\n';

describe('diffTexts', () => {
  it('reads equal texts as unchanged, with no hunks', () => {
    expect(diffTexts('a\nb\n', 'a\nb\n')).toEqual({ unchanged: true, added: 0, removed: 0, hunks: [] });
  });

  it('gives one hunk per separate change with three lines of context and line numbers', () => {
    const before = lines(30);
    const after = lines(30, (i) => (i === 5 ? 'line five' : i === 25 ? null : `line ${i}`));
    const d = diffTexts(before, after);
    expect(d).toMatchObject({ unchanged: false, added: 1, removed: 2 });
    expect(d.hunks).toHaveLength(2);
    const [h1, h2] = d.hunks;
    expect(h1!.lines.map((l) => l.kind)).toEqual(['context', 'context', 'context', 'del', 'add', 'context', 'context', 'context']);
    expect(h1!.lines[3]).toEqual({ kind: 'del', text: 'line 5', oldNo: 5 });
    expect(h1!.lines[4]).toEqual({ kind: 'add', text: 'line five', newNo: 5 });
    expect(h1!.lines[5]).toEqual({ kind: 'context', text: 'line 6', oldNo: 6, newNo: 6 });
    expect(h2!.lines.find((l) => l.kind === 'del')).toEqual({ kind: 'del', text: 'line 25', oldNo: 25 });
    expect(h2!.lines.at(-1)).toEqual({ kind: 'context', text: 'line 28', oldNo: 28, newNo: 27 });
  });

  it('merges changes closer than twice the context, and takes a smaller context', () => {
    const after = lines(20, (i) => (i === 5 || i === 9 ? `changed ${i}` : `line ${i}`));
    expect(diffTexts(lines(20), after).hunks).toHaveLength(1);
    expect(diffTexts(lines(20), after, 1).hunks).toHaveLength(2);
  });
});

describe('passChanges', () => {
  it('compares each module with the one before, the input with nothing', () => {
    const ch = passChanges([
      { pass: 'Input', text: 'a\n' },
      { pass: 'P1', text: 'a\n' },
      { pass: 'P2', text: 'a\nb\nc\n' },
      { pass: 'P3', text: 'b\n' },
    ]);
    expect(ch.map((c) => [c.pass, c.index, changeLabel(c)])).toEqual([
      ['Input', 0, 'unchanged'],
      ['P1', 1, 'unchanged'],
      ['P2', 2, '+2 −0'],
      ['P3', 3, '+0 −2'],
    ]);
  });
});
