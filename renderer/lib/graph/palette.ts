/**
 * The palette's content: every registered op grouped by category (sorted), filtered by a search over the name and
 * the one-line doc. Plain TS so it is tested in Node.
 */
import { allOps } from '../../../core/ir/op/registry.js';
import '../../../core/ir/op/all.js';

export interface PaletteGroup {
  readonly category: string;
  readonly ops: readonly { readonly name: string; readonly label: string; readonly doc: string }[];
}

/** The MIME type a palette item carries in a drag. */
export const OP_MIME = 'application/x-relax-op';

/** Ops grouped by category, filtered by `query` (case-insensitive substring of name or doc). */
export function paletteGroups(query = ''): PaletteGroup[] {
  const q = query.trim().toLowerCase();
  const groups = new Map<string, { name: string; label: string; doc: string }[]>();
  for (const op of allOps()) {
    const doc = op.doc ?? '';
    if (q && !op.name.toLowerCase().includes(q) && !doc.toLowerCase().includes(q)) continue;
    let g = groups.get(op.category);
    if (!g) groups.set(op.category, (g = []));
    g.push({ name: op.name, label: op.name.replace(/^relax\./, ''), doc });
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b))
    .map(([category, ops]) => ({ category, ops: ops.sort((a, b) => a.label.localeCompare(b.label)) }));
}
