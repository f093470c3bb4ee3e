/**
 * The example models the app ships (assets/examples, plus the design note's seed program), for the toolbar's
 * Examples menu. Each opens as a new untitled document; an example may bring packed functions with it (the seed
 * calls `custom_inplace_update`, so it comes with one that the packed-function editor shows and the user may edit).
 * The texts are bundled by Vite (`?raw`), so the web build and the desktop app both have them offline.
 */
import SEED from '../../../core/ir/fixtures/rfc/seed.tvmscript?raw';

/** One example: a file name, a title for the menu, the TVMScript text and any packed functions it needs. */
export interface Example {
  readonly file: string;
  readonly title: string;
  readonly text: string;
  readonly packed?: Readonly<Record<string, string>>;
}

const FILES = import.meta.glob('../../../assets/examples/*.tvmscript', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The seed's in-place update (the same contract as `relax-studio run --packed`: tensors with shape, dtype, data). */
export const SEED_PACKED: Readonly<Record<string, string>> = {
  custom_inplace_update: `// Updates the tensor in place: v[i] = 2 * v[i] + i.
function (t) {
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * 2 + i;
}`,
};

/** The first comment line of a file, without the `# `, or the file's base name. */
export function exampleTitle(file: string, text: string): string {
  const first = /^#\s*(.+)$/m.exec(text.split('\n', 1)[0] ?? '');
  const base = file.replace(/^.*\//, '').replace(/\.tvmscript$/, '');
  return first ? `${base}: ${first[1]!.replace(/[:.]$/, '')}` : base;
}

/** Every example, the seed first. */
export const EXAMPLES: readonly Example[] = [
  { file: 'seed.tvmscript', title: 'seed: the design note\'s program (with its packed function)', text: SEED, packed: SEED_PACKED },
  ...Object.entries(FILES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, text]) => {
      const file = path.replace(/^.*\//, '');
      return { file, title: exampleTitle(file, text), text };
    }),
];
