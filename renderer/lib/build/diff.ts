/**
 * Pass diffs for the Build view: the module text after one pass against the text after the pass before, as hunks
 * of lines with a few lines of context, with counts of added and removed lines and a plain "unchanged" when the
 * texts are equal (most passes leave most of the module alone, so the view shows hunks, not two whole modules).
 * The line diff is jsdiff's (`structuredPatch`); this module only shapes its output for rendering.
 */
import { structuredPatch } from 'diff';
import type { ModuleAfterPass } from '../compute/protocol.js';

/** How many unchanged lines the view shows around each change. */
export const DIFF_CONTEXT = 3;

/** One line of a hunk, with its line number in the old text, the new text, or both. */
export interface DiffLine {
  readonly kind: 'context' | 'add' | 'del';
  readonly text: string;
  readonly oldNo?: number;
  readonly newNo?: number;
}

/** A run of changes with its context: `@@ -oldStart,oldLines +newStart,newLines @@`. */
export interface DiffHunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

export interface TextDiff {
  readonly unchanged: boolean;
  readonly added: number;
  readonly removed: number;
  readonly hunks: readonly DiffHunk[];
}

/** One pass as the pass list shows it: what it changed against the previous module (`Input` has none). */
export interface PassChange extends TextDiff {
  readonly pass: string;
  readonly index: number;
}

/** The line diff of two texts, with `context` unchanged lines around each change. */
export function diffTexts(before: string, after: string, context = DIFF_CONTEXT): TextDiff {
  if (before === after) return { unchanged: true, added: 0, removed: 0, hunks: [] };
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context });
  const hunks = patch.hunks.map(toHunk);
  const count = (kind: DiffLine['kind']): number => hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === kind).length, 0);
  return { unchanged: false, added: count('add'), removed: count('del'), hunks };
}

/** jsdiff's `' '`/`'+'`/`'-'`-prefixed lines with numbers; its "\ No newline at end of file" markers are dropped. */
function toHunk(h: { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] }): DiffHunk {
  let oldNo = h.oldStart;
  let newNo = h.newStart;
  const lines: DiffLine[] = [];
  for (const raw of h.lines) {
    const text = raw.slice(1);
    if (raw[0] === '+') lines.push({ kind: 'add', text, newNo: newNo++ });
    else if (raw[0] === '-') lines.push({ kind: 'del', text, oldNo: oldNo++ });
    else if (raw[0] === ' ') lines.push({ kind: 'context', text, oldNo: oldNo++, newNo: newNo++ });
  }
  return { oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines };
}

/** Every module against the one before it; the first (`Input`) is compared with nothing and reads as unchanged. */
export function passChanges(modules: readonly ModuleAfterPass[], context = DIFF_CONTEXT): PassChange[] {
  return modules.map((m, i) => ({ pass: m.pass, index: i, ...(i === 0 ? diffTexts(m.text, m.text) : diffTexts(modules[i - 1]!.text, m.text, context)) }));
}

/** `+12 −3`, or `unchanged`: the pass list's summary of one pass. */
export function changeLabel(d: TextDiff): string {
  return d.unchanged ? 'unchanged' : `+${d.added} −${d.removed}`;
}
