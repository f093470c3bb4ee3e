/**
 * The fixture harness: every `.tvmscript` file under core/ir/fixtures is checked automatically.
 *
 * - Valid fixtures (every folder but `bad/`): strict parse has no errors; the verifier finds nothing; printing is
 *   idempotent; `parse(print(m))` is structurally equal to `m` in both dialects; the text -> graph -> text round
 *   trip gives the canonical text; and the canonical print matches the golden `<name>.v026.golden` (and
 *   `<name>.classic.golden`) beside it. `UPDATE_GOLDEN=1 npm test` rewrites goldens; `FILTER=name` runs one case.
 * - `infer/` fixtures also have `<name>.check.golden`: one `name: <struct info>` line per param and binding,
 *   exactly what `relax-studio check` prints.
 * - `bad/` fixtures declare what they expect in leading comments: `# expect: R201 at 5:12` (code, line, column of
 *   the span start). Each expected diagnostic must be reported, and loose parsing must not throw.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from './parser/index.js';
import { printModule, printStructInfo } from './printer/index.js';
import type { Dialect } from './printer/index.js';
import { verifyModule } from './verify/index.js';
import { structuralEqual } from './structural.js';
import { LineMap } from './span.js';
import { graphToModule, moduleToGraph, graphFromJson, graphToJson } from './graph/index.js';
import type { IRModule } from './module.js';
import type { Binding, SeqExpr } from './relax/nodes.js';

const ROOT = fileURLToPath(new URL('./fixtures/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const FILTER = process.env['FILTER'];

function listFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFixtures(p));
    else if (entry.name.endsWith('.tvmscript')) out.push(p);
  }
  return out.sort();
}

function golden(path: string, actual: string): void {
  if (UPDATE || !existsSync(path)) {
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

function formatDiags(text: string, ds: readonly { code: string; message: string; span?: { start: number } }[]): string {
  const lm = new LineMap(text);
  return ds
    .map((d) => {
      const lc = d.span ? lm.lineCol(d.span.start) : { line: 0, col: 0 };
      return `${lc.line}:${lc.col} ${d.code} ${d.message}`;
    })
    .join('\n');
}

function bindingsOf(seq: SeqExpr, out: Binding[]): void {
  for (const block of seq.blocks)
    for (const b of block.bindings) {
      out.push(b);
      if (b.value.kind === 'relax.If') {
        bindingsOf(b.value.trueBranch, out);
        bindingsOf(b.value.falseBranch, out);
      }
    }
}

/** The `check` listing: `name: <sinfo>` per param and binding of every Relax function. */
export function checkListing(mod: IRModule, dialect: Dialect = 'v0.26'): string {
  const lines: string[] = [];
  for (const [name, fn] of mod.functions) {
    if (fn.kind !== 'relax.Function') continue;
    lines.push(`@${name}`);
    for (const p of fn.params) lines.push(`${p.name}: ${printStructInfo(p.sinfo, { dialect })}`);
    const bs: Binding[] = [];
    bindingsOf(fn.body, bs);
    for (const b of bs) lines.push(`${b.v.name}: ${printStructInfo(b.v.sinfo, { dialect })}`);
  }
  return lines.join('\n') + '\n';
}

const files = listFixtures(ROOT).filter((f) => !FILTER || f.includes(FILTER));

describe('valid fixtures', () => {
  for (const file of files.filter((f) => !f.includes('/bad/'))) {
    const name = relative(ROOT, file);
    it(name, () => {
      const text = readFileSync(file, 'utf8');
      const res = parse(text, { fileName: name });
      const errors = res.diagnostics.filter((d) => d.severity === 'error');
      expect(formatDiags(text, errors)).toBe('');
      const mod = res.module!;
      expect(formatDiags(text, verifyModule(mod))).toBe('');
      const base = file.replace(/\.tvmscript$/, '');
      for (const dialect of ['v0.26', 'classic'] as const) {
        const printed = printModule(mod, { dialect });
        const again = parse(printed, { fileName: `${name} (printed ${dialect})` });
        expect(formatDiags(printed, again.diagnostics.filter((d) => d.severity === 'error'))).toBe('');
        expect(structuralEqual(mod, again.module)).toBeNull();
        expect(printModule(again.module!, { dialect })).toBe(printed);
        golden(`${base}.${dialect === 'v0.26' ? 'v026' : 'classic'}.golden`, printed);
      }
      const canonical = printModule(mod);
      const graph = graphFromJson(JSON.parse(JSON.stringify(graphToJson(moduleToGraph(mod)))));
      const back = graphToModule(graph);
      expect(printModule(back)).toBe(canonical);
      expect(structuralEqual(mod, back)).toBeNull();
      if (name.startsWith('infer/')) golden(`${base}.check.golden`, checkListing(mod));
    });
  }
});

interface Expectation {
  code: string;
  line: number;
  col: number;
}

function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const m of text.matchAll(/^# expect: (\w+) at (\d+):(\d+)/gm))
    out.push({ code: m[1]!, line: Number(m[2]), col: Number(m[3]) });
  return out;
}

describe('bad fixtures', () => {
  for (const file of files.filter((f) => f.includes('/bad/'))) {
    const name = relative(ROOT, file);
    it(name, () => {
      const text = readFileSync(file, 'utf8');
      const wanted = expectations(text);
      expect(wanted.length).toBeGreaterThan(0);
      const res = parse(text, { loose: true, fileName: name });
      const diags = [...res.diagnostics];
      if (res.module && !res.diagnostics.some((d) => d.severity === 'error')) diags.push(...verifyModule(res.module));
      const lm = new LineMap(text);
      const got = diags.map((d) => {
        const lc = d.span ? lm.lineCol(d.span.start) : { line: 0, col: 0 };
        return `${d.code} at ${lc.line}:${lc.col}`;
      });
      for (const w of wanted) expect(got).toContain(`${w.code} at ${w.line}:${w.col}`);
      expect(diags.some((d) => d.severity === 'error')).toBe(true);
    });
  }
});
