/**
 * The golden-fixture harness shared by every pass test (conventions.md item 5). Test-only: imported by
 * `passes/*.test.ts`, never by product code.
 *
 * Fixture format: one `.tvmscript` file per case under `passes/fixtures/<kebab-pass-name>/`. The file holds two
 * complete modules, the input first, then a line that is exactly `# expected:`, then the expected output:
 *
 *     # <what the case shows>
 *     @I.ir_module
 *     class Module: ...
 *     # expected:
 *     @I.ir_module
 *     class Module: ...
 *
 * Leading comment lines of the form `# expect-diagnostic: L702` list diagnostic codes the pass must report (then
 * error diagnostics do not fail the case); otherwise any error the pass reports fails it.
 * Per case the harness: parses both modules strictly; runs the pass; checks the result is well formed
 * (`verifyModule`), prints and re-parses to a structurally equal module (round trip), and is structurally equal to
 * the expected module. On a mismatch it prints the mismatch path and both modules.
 * `UPDATE_GOLDEN=1` rewrites the expected part with the printed result; `FILTER=<name>` runs the cases whose file
 * name contains <name>. File access comes from the test (core/ has no Node built-ins), as `fs` and `env`.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../ir/diagnostics/diagnostic.js';
import type { IRModule } from '../../ir/module.js';
import { parse } from '../../ir/parser/index.js';
import { printModule } from '../../ir/printer/index.js';
import { structuralEqual } from '../../ir/structural.js';
import { verifyModule } from '../../ir/verify/index.js';
import type { CompileOptions, Pass } from '../pass.js';

/** The three file operations the harness needs (node:fs satisfies it). */
export interface FixtureFs {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
}

export interface PassFixtureOptions {
  /** The pass under test (a fresh one per case when a factory). */
  readonly pass: Pass | (() => Pass);
  /** The fixture folder's path, e.g. `fileURLToPath(new URL('./fixtures/to-non-dataflow/', import.meta.url))`. */
  readonly dir: string;
  readonly fs: FixtureFs;
  /** `process.env`, for UPDATE_GOLDEN and FILTER. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly options?: CompileOptions;
}

const EXPECTED_MARK = /^# expected:[ \t]*$/m;

/** A parsed fixture file. */
export interface Fixture {
  readonly before: string;
  readonly expected: string;
  readonly expectCodes: readonly string[];
}

/** Splits a fixture file into its input and expected modules (see the file header). */
export function splitFixture(text: string): Fixture {
  const m = EXPECTED_MARK.exec(text);
  if (!m) throw new Error('a pass fixture needs a line "# expected:" between the input module and the expected module');
  const before = text.slice(0, m.index);
  const expected = text.slice(m.index + m[0].length).replace(/^\r?\n/, '');
  const expectCodes = [...before.matchAll(/^# expect-diagnostic:\s*(\S+)/gm)].map((x) => x[1]!);
  return { before, expected, expectCodes };
}

/** Parses a module strictly, failing with every diagnostic when it cannot. */
export function parseStrict(text: string, what: string): IRModule {
  const r = parse(text);
  if (!r.module) throw new Error(`${what} does not parse:\n${r.diagnostics.map((d) => `  ${d.code} ${d.message}`).join('\n')}`);
  return r.module;
}

/** Runs one pass over a module and returns the result with what the pass reported. */
export function applyPass(pass: Pass, mod: IRModule, options: CompileOptions = {}): { module: IRModule; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const module = pass.run(mod, { options, report: (d) => diagnostics.push(d) });
  return { module, diagnostics };
}

/** Registers one vitest case per fixture file of the folder. */
export function runPassFixtures(opts: PassFixtureOptions): void {
  const filter = opts.env['FILTER'];
  const files = opts.fs.readdirSync(opts.dir).filter((f) => f.endsWith('.tvmscript')).sort();
  const name = opts.dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? 'fixtures';
  describe(`fixtures/${name}`, () => {
    it('has at least one fixture', () => expect(files.length).toBeGreaterThan(0));
    for (const file of files) {
      if (filter && !file.includes(filter)) continue;
      it(file, () => runCase(opts, file));
    }
  });
}

function runCase(opts: PassFixtureOptions, file: string): void {
  const url = `${opts.dir.replace(/[\\/]+$/, '')}/${file}`;
  const text = opts.fs.readFileSync(url, 'utf8');
  const fx = splitFixture(text);
  const pass = typeof opts.pass === 'function' ? opts.pass() : opts.pass;
  const { module: after, diagnostics } = applyPass(pass, parseStrict(fx.before, `${file} (input)`), opts.options);
  checkDiagnostics(fx, diagnostics);
  const printed = printModule(after);
  expect(verifyModule(after).map(formatDiag), `the module after ${pass.name} is not well formed:\n${printed}`).toEqual([]);
  const reparsed = parseStrict(printed, `the module printed after ${pass.name}`);
  expect(structuralEqual(after, reparsed), `printing and re-parsing the result of ${pass.name} changes it:\n${printed}`).toBeNull();
  if (opts.env['UPDATE_GOLDEN'] === '1') {
    opts.fs.writeFileSync(url, `${fx.before.replace(/\s*$/, '\n')}# expected:\n${printed}`);
    return;
  }
  const expected = parseStrict(fx.expected, `${file} (expected)`);
  const path = structuralEqual(after, expected);
  if (path !== null) expect.fail(`${file}: ${pass.name} output differs from the expected module at ${path}\n--- actual\n${printed}\n--- expected\n${printModule(expected)}`);
}

function checkDiagnostics(fx: Fixture, ds: readonly Diagnostic[]): void {
  if (fx.expectCodes.length > 0) {
    expect(ds.map((d) => d.code)).toEqual(expect.arrayContaining([...fx.expectCodes]));
    return;
  }
  expect(ds.filter((d) => d.severity === 'error').map(formatDiag)).toEqual([]);
}

function formatDiag(d: Diagnostic): string {
  return `${d.code} ${d.message}`;
}
