import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, USAGE } from './main.js';
import type { Io } from './io.js';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs main() in-process over an in-memory file system; returns exit status and captured streams. */
async function run(argv: string[], files: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const written: Record<string, string> = {};
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return files[p]!;
    },
    writeFile: (p, t) => void (written[p] = t),
    flush: () => {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

const GOOD = `# from tvm.script import ir as I
# from tvm.script import tirx as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 10), dtype="float32"), w: R.Tensor((10, 10), dtype="float32")) -> R.Tensor(("n", 10), dtype="float32"):
        n = T.int64()
        with R.dataflow():
            lv0 = R.matmul(x, w)
            lv1 = R.nn.relu(lv0)
            R.output(lv1)
        return lv1
`;

/** The same program written loosely (classic header, spacing): fmt must give GOOD back. */
const LOOSE = GOOD.replace('lv0 = R.matmul(x, w)', 'lv0 = R.matmul( x,w )').replace('tirx as T', 'tir as T');

/** What fmt must print for GOOD and LOOSE: the canonical print of the parsed program. */
const CANON = printModule(parse(GOOD).module!);

const BAD = GOOD.replace('R.nn.relu(lv0)', 'R.nn.relu(undefined_var)');

describe('relax-studio usage', () => {
  it('prints usage listing every command for --help, -h and help (exit 0)', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['fmt', '--help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(USAGE);
    }
    for (const cmd of ['fmt', 'check', 'graph', 'text', '--version', '--json', '--out-dir', '--dialect']) expect(USAGE).toContain(cmd);
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^relax-studio \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], 'C501'],
    [['frobnicate', 'a.py'], 'C501'],
    [['fmt', '--bogus', 'a.py'], 'C502'],
    [['check', '--out-dir', 'd', 'a.py'], 'C502'],
    [['fmt', '--dialect', 'v0.1', 'a.py'], 'C503'],
    [['fmt', '--dialect'], 'C503'],
    [['fmt'], 'C504'],
    [['graph', 'a.py', 'b.py'], 'C504'],
  ])('exits 2 with a usage error for %j', async (argv, code) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
    expect(r.stdout).toBe('');
  });
});

describe('relax-studio on files', () => {
  it('reports an unreadable file as C510, exit 1, and goes on with the others', async () => {
    const r = await run(['fmt', 'missing.py', 'good.py'], { 'good.py': GOOD });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.py: error[C510]: An input file must be readable. However, `missing.py` cannot be read (ENOENT).');
    expect(r.stdout).toContain('# ==> good.py <==\n');
  });

  it('fmt prints the canonical form of one file', async () => {
    const r = await run(['fmt', 'a.py'], { 'a.py': LOOSE });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CANON);
    expect(r.stdout).toContain('lv0');
    expect((await run(['fmt', 'c.py'], { 'c.py': CANON })).stdout).toBe(CANON);
  });

  it('fmt separates several files and writes --out-dir files, skipping files with errors', async () => {
    const many = await run(['fmt', 'a.py', 'b.py'], { 'a.py': GOOD, 'b.py': GOOD });
    expect(many.stdout).toBe(`# ==> a.py <==\n${CANON}\n# ==> b.py <==\n${CANON}`);
    const out = await run(['fmt', '--out-dir', 'out', 'dir/a.py', 'bad.py'], { 'dir/a.py': LOOSE, 'bad.py': BAD });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(Object.keys(out.written)).toEqual(['out/a.py']);
    expect(out.written['out/a.py']).toBe(CANON);
  });

  it('fmt --dialect classic prints the classic spelling', async () => {
    const r = await run(['fmt', '--dialect=classic', 'a.py'], { 'a.py': GOOD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from tvm.script import tir as T');
  });

  it('check lists struct info per param and binding', async () => {
    const r = await run(['check', 'a.py'], { 'a.py': GOOD });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '@main',
        'x: R.Tensor((n, 10), dtype="float32")',
        'w: R.Tensor((10, 10), dtype="float32")',
        'lv0: R.Tensor((n, 10), dtype="float32")',
        'lv1: R.Tensor((n, 10), dtype="float32")',
        '',
      ].join('\n'),
    );
  });

  it('prints errors with position, source line and carets, exit 1', async () => {
    const r = await run(['check', 'bad.py'], { 'bad.py': BAD });
    expect(r.code).toBe(1);
    const line = BAD.split('\n').findIndex((l) => l.includes('undefined_var')) + 1;
    const col = BAD.split('\n')[line - 1]!.indexOf('undefined_var') + 1;
    expect(r.stderr).toMatch(new RegExp(`^bad\\.py:${line}:${col}: error\\[R\\d+\\]: `));
    const [, src, carets] = r.stderr.split('\n');
    expect(src).toBe(`${String(line).padStart(5)} |             lv1 = R.nn.relu(undefined_var)`);
    expect(carets).toBe(`      | ${' '.repeat(col - 1)}${'^'.repeat('undefined_var'.length)}`);
  });

  it('check --json gives one entry per file with diagnostics and functions', async () => {
    const r = await run(['check', '--json', 'a.py', 'bad.py', 'nope.py'], { 'a.py': GOOD, 'bad.py': BAD });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries.map((e) => [e['file'], e['ok']])).toEqual([['a.py', true], ['bad.py', false], ['nope.py', false]]);
    expect(entries[0]!['functions']).toEqual([
      {
        name: 'main',
        params: [
          { name: 'x', sinfo: 'R.Tensor((n, 10), dtype="float32")' },
          { name: 'w', sinfo: 'R.Tensor((10, 10), dtype="float32")' },
        ],
        bindings: [
          { name: 'lv0', sinfo: 'R.Tensor((n, 10), dtype="float32")' },
          { name: 'lv1', sinfo: 'R.Tensor((n, 10), dtype="float32")' },
        ],
        ret: 'R.Tensor((n, 10), dtype="float32")',
      },
    ]);
    const d = (entries[1]!['diagnostics'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(d)).toEqual(['code', 'severity', 'message', 'line', 'col', 'endLine', 'endCol']);
    expect(d['severity']).toBe('error');
    expect(d['endCol']).toBe((d['col'] as number) + 'undefined_var'.length);
    expect((entries[2]!['diagnostics'] as Record<string, unknown>[])[0]).toMatchObject({ code: 'C510', line: null });
  });

  it('fmt --json carries the formatted text', async () => {
    const r = await run(['fmt', '--json', 'a.py'], { 'a.py': LOOSE });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ file: 'a.py', ok: true, diagnostics: [], text: CANON }]);
  });

  it('graph and text round-trip a file', async () => {
    const g = await run(['graph', 'a.py'], { 'a.py': GOOD });
    expect(g.code).toBe(0);
    const json = JSON.parse(g.stdout) as Record<string, unknown>;
    expect(json['format']).toBe('relax-studio-graph');
    const t = await run(['text', 'g.json'], { 'g.json': g.stdout });
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(CANON);
  });

  it('text rejects a file that is not a graph JSON with C520', async () => {
    for (const content of ['{not json', '{"format": "other"}']) {
      const r = await run(['text', 'g.json'], { 'g.json': content });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^g\.json: error\[C520\]: The input of `text` must be a graph JSON document\. However, /);
    }
  });

  it('handles thousands of small files in one call', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`f${i}.py`] = GOOD;
    const r = await run(['check', '--json', ...Object.keys(files)], files);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(2000);
  });
});

describe('the bin', () => {
  it('runs from source without a build: node cli/relax-studio.mjs --help', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/relax-studio.mjs'), '--help'], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(USAGE);
  });

  it('writes --out-dir files on disk and exits 1 for an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'relax-studio-'));
    const input = join(dir, 'in.py');
    writeFileSync(input, GOOD);
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/relax-studio.mjs'), 'fmt', '--out-dir', join(dir, 'out'), input, join(dir, 'none.py')], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[C510]');
    expect(existsSync(join(dir, 'out', 'in.py'))).toBe(true);
    expect(readFileSync(join(dir, 'out', 'in.py'), 'utf8')).toBe(CANON);
  });
});
