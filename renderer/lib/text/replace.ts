/**
 * The smallest edit that turns one text into another (common prefix and suffix kept). The text pane replaces its
 * content with this edit when the graph rewrites the text, so the editor maps the cursor, selection and scroll
 * through the change instead of jumping to the start.
 */

/** Replace `[from, to)` of the old text with `insert`. */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

/** The minimal single edit from `a` to `b`, or null when they are equal. */
export function minimalEdit(a: string, b: string): TextEdit | null {
  if (a === b) return null;
  const max = Math.min(a.length, b.length);
  let pre = 0;
  while (pre < max && a.charCodeAt(pre) === b.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < max - pre && a.charCodeAt(a.length - 1 - suf) === b.charCodeAt(b.length - 1 - suf)) suf++;
  return { from: pre, to: a.length - suf, insert: b.slice(pre, b.length - suf) };
}
