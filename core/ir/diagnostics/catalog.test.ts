import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, catalogMarkdown } from './catalog.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('/diagnostics/codes-') && !p.endsWith('codes-wf.ts')) out.push(p);
  }
  return out;
}

describe('diagnostic catalog', () => {
  it('has an entry for every code the sources emit', () => {
    const missing: string[] = [];
    for (const file of [...sources(join(REPO, 'core')), ...sources(join(REPO, 'cli')), ...sources(join(REPO, 'renderer/lib'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['"`]((?:[PRTICBE]\d{3})|(?:WF\d{2}))['"`]/g))
        if (!CATALOG[m[1]!]) missing.push(`${m[1]} in ${file.slice(REPO.length)}`);
    }
    expect(missing).toEqual([]);
  });

  it('has a title and a doc for every code', () => {
    for (const [code, info] of Object.entries(CATALOG)) {
      expect(info.title, code).not.toBe('');
      expect(info.doc, code).not.toBe('');
    }
  });

  it('matches the generated docs/diagnostics.md (UPDATE_GOLDEN=1 regenerates it)', () => {
    const path = join(REPO, 'docs/diagnostics.md');
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, catalogMarkdown());
    expect(readFileSync(path, 'utf8')).toBe(catalogMarkdown());
  });
});
