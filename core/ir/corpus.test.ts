/**
 * The real-world corpus: whole TVMScript programs under `fixtures/corpus/<dialect>/*.py`, written the way TVM's
 * printer emits them (legalized, fused and lowered modules, frontend models) and the way people write them by hand,
 * in every dialect the parser reads (2022 RFC, classic, v0.24/v0.25 tirx/sblock, v0.26 out_ty/ty_args, PEP 695).
 *
 * - Every program outside `reject/`: strict parse has no errors, the verifier finds nothing, and for both printed
 *   dialects (v0.26, classic) the print re-parses without errors, is structurally equal to the original and prints
 *   identically again (idempotent).
 * - Every program in `reject/` gives at least one error (loose parse, then the verifier when parsing was clean),
 *   and loose parsing never throws.
 *
 * A first-line `# category: core|tir|other` comment says which coverage class a valid program belongs to (core
 * syntax with shortlist ops, block-style TIR, everything else); the summary test checks each class is populated.
 * Goldens are left to `fixtures.test.ts`; this file only checks invariants, so adding a program needs no blessing.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from './parser/index.js';
import { printModule } from './printer/index.js';
import { verifyModule } from './verify/index.js';
import { structuralEqual } from './structural.js';
import { LineMap } from './span.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';

const ROOT = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const FILTER = process.env['FILTER'];

function listPrograms(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listPrograms(p));
    else if (entry.name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

function formatDiags(text: string, ds: readonly Diagnostic[]): string {
  const lm = new LineMap(text);
  return ds
    .map((d) => {
      const lc = d.span ? lm.lineCol(d.span.start) : { line: 0, col: 0 };
      return `${lc.line}:${lc.col} ${d.code} ${d.message}`;
    })
    .join('\n');
}

function errorsOf(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.filter((d) => d.severity === 'error');
}

function categoryOf(text: string): string {
  return /^# category: (\w+)/m.exec(text)?.[1] ?? 'other';
}

/**
 * Valid programs the product does not read yet, with the reason. Each must still fail (so a fix is noticed and
 * the entry removed); they count against the "everything else" class.
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  'v0.25/buffer_data_ptr.py': 'TIR `A.data` (a buffer\'s data pointer) has no IR node',
  'v0.25/while_loop.py': 'TIR `while` loops have no IR node',
};

const all = listPrograms(ROOT);
const files = all.filter((f) => !FILTER || f.includes(FILTER));
const isReject = (f: string): boolean => relative(ROOT, f).startsWith('reject/');

describe('corpus: valid programs round-trip', () => {
  for (const file of files.filter((f) => !isReject(f))) {
    const name = relative(ROOT, file);
    (KNOWN_GAPS[name] ? it.fails : it)(name, () => {
      const text = readFileSync(file, 'utf8');
      const res = parse(text, { fileName: name });
      expect(formatDiags(text, errorsOf(res.diagnostics))).toBe('');
      const mod = res.module!;
      expect(formatDiags(text, verifyModule(mod))).toBe('');
      for (const dialect of ['v0.26', 'classic'] as const) {
        const printed = printModule(mod, { dialect });
        const again = parse(printed, { fileName: `${name} (printed ${dialect})` });
        expect(formatDiags(printed, errorsOf(again.diagnostics))).toBe('');
        expect(structuralEqual(mod, again.module)).toBeNull();
        expect(printModule(again.module!, { dialect })).toBe(printed);
      }
    });
  }
});

describe('corpus: programs meant to be rejected get an error', () => {
  for (const file of files.filter(isReject)) {
    const name = relative(ROOT, file);
    it(name, () => {
      const text = readFileSync(file, 'utf8');
      const res = parse(text, { loose: true, fileName: name });
      const diags = [...res.diagnostics];
      if (res.module && errorsOf(diags).length === 0) diags.push(...verifyModule(res.module));
      expect(errorsOf(diags).length).toBeGreaterThan(0);
    });
  }
});

describe('corpus: values that must survive exactly', () => {
  it('prints int64 sentinels and non-finite constants so that they read back', () => {
    const text = readFileSync(join(ROOT, 'classic/torch_export.py'), 'utf8');
    for (const dialect of ['v0.26', 'classic'] as const) {
      const printed = printModule(parse(text).module!, { dialect });
      expect(printed).toContain('9223372036854775807');
      expect(printed).toContain('-9223372036854775808');
      expect(printed).toContain('4611686018427387904');
    }
    const consts = parse(readFileSync(join(ROOT, 'classic/consts.py'), 'utf8')).module!;
    expect(printModule(consts)).toContain('R.const(float("-inf"), "float32")');
  });
});

describe('corpus: coverage', () => {
  it('has programs in every dialect and category', () => {
    const count = (pred: (f: string) => boolean): number => all.filter(pred).length;
    for (const dialect of ['rfc', 'classic', 'v0.24', 'v0.25', 'v0.26', 'pep695', 'handwritten', 'reject'])
      expect(count((f) => relative(ROOT, f).startsWith(`${dialect}/`))).toBeGreaterThan(2);
    for (const cat of ['core', 'tir', 'other'])
      expect(count((f) => !isReject(f) && categoryOf(readFileSync(f, 'utf8')) === cat)).toBeGreaterThan(5);
  });
});
