import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../core/compiler/build.js';
import { parse } from '../core/ir/parser/index.js';
import { cli, tempDir } from '../test/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADD_ONE = join(ROOT, 'test/fixtures/add-one-twice.tvmscript');

const UNKNOWN_OP = `# from tvm.script import ir as I
# from tvm.script import tirx as T
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
        with R.dataflow():
            gv: R.Tensor((4,), dtype="float32") = R.my.custom_op(x)
            R.output(gv)
        return gv
`;

function write(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

describe('relax-studio build', () => {
  it('prints the executable as TVM as_text by default', async () => {
    const r = await cli(['build', ADD_ONE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = build(parse(readFileSync(ADD_ONE, 'utf8')).module!).exec.asText();
    expect(r.stdout).toBe(expected);
    expect(r.stdout).toMatch(/^@main:\n/);
    expect(r.stdout).toMatch(/ {2}call {2}add_one {10}in: %0, %\d+ +dst: %void\n/);
    expect(r.stdout).toContain('@add_one packed_func;');
  });

  it('--emit lowered prints the module after the pipeline; --emit tir only its PrimFuncs', async () => {
    const lowered = await cli(['build', ADD_ONE, '--emit', 'lowered']);
    expect(lowered.code).toBe(0);
    const mod = parse(lowered.stdout).module!;
    expect([...mod.functions.keys()].sort()).toEqual(['add_one', 'main']);
    expect(lowered.stdout).not.toContain('R.call_tir');
    expect(lowered.stdout).toContain('R.vm.alloc_tensor');
    const tir = await cli(['build', ADD_ONE, '--emit=tir']);
    expect(tir.code).toBe(0);
    expect(tir.stdout).toContain('def add_one(');
    expect(tir.stdout).not.toContain('@R.function');
    expect([...parse(tir.stdout).module!.functions.keys()]).toEqual(['add_one']);
  });

  it('--print-after-all prints the module after every pass, in pipeline order, then the output', async () => {
    const r = await cli(['build', ADD_ONE, '--print-after-all']);
    expect(r.code).toBe(0);
    const names = [...r.stdout.matchAll(/^# ==> after (\w+) <==$/gm)].map((m) => m[1]);
    const expected = build(parse(readFileSync(ADD_ONE, 'utf8')).module!).afterPass.map((p) => p.name);
    expect(names).toEqual(expected);
    expect(names.slice(0, 2)).toEqual(['LambdaLift', 'LegalizeOps']);
    expect(r.stdout.trimEnd()).toMatch(/@add_one packed_func;$/);
  });

  it('-o saves an executable that run loads and runs like the source', async () => {
    const dir = tempDir();
    const out = join(dir, 'sub', 'add.json');
    const r = await cli(['build', ADD_ONE, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { format: string; signatures: Record<string, unknown> };
    expect(saved.format).toBe('relax-studio-executable');
    expect(Object.keys(saved.signatures)).toEqual(['main']);
    const fromExec = await cli(['run', out, '--input', 'x=ones']);
    const fromSource = await cli(['run', ADD_ONE, '--input', 'x=ones']);
    expect(fromExec.stdout).toBe('output0: float32[4] min=3 max=3 mean=3\n');
    expect(fromExec.stdout).toBe(fromSource.stdout);
    expect((await cli(['build', ADD_ONE, '-o', join(dir, 'b.json'), '--emit', 'vm'])).stdout).toMatch(/^@main:/);
  });

  it('reports a program the pipeline cannot compile as FILE:LINE:COL diagnostics (exit 1), warnings first', async () => {
    const f = write('unknown-op.tvmscript', UNKNOWN_OP);
    const r = await cli(['build', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${f}:10:51: warning[R202]`);
    expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.]/g, '\\.')}:10:13: error\\[B\\d+\\]: .*R\\.my\\.custom_op`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports parse errors and unreadable files (exit 1)', async () => {
    const f = write('bad.tvmscript', '@I.ir_module\nclass M:\n    @R.function\n    def main(x: R.Tensor((2,), "float32")):\n        return R.nn.relu(y)\n');
    const r = await cli(['build', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.tvmscript:5:\d+: error\[/);
    const missing = await cli(['build', join(tempDir(), 'none.tvmscript')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^relax-studio: error: cannot read `.*none\.tvmscript` \(ENOENT\)\n$/);
  });

  it.each([
    [['build'], 'C504'],
    [['build', 'a', 'b'], 'C504'],
    [['build', 'a', '--emit', 'asm'], 'C503'],
    [['build', 'a', '--json'], 'C502'],
    [['build', 'a', '-o'], 'C503'],
  ])('%j is a usage error %s (exit 2)', async (argv, code) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
  });

  it('is listed in --help with run', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toContain('relax-studio build [--emit vm|lowered|tir] [--print-after-all] [-o EXEC.json] FILE');
    expect(r.stdout).toContain('relax-studio run ');
    expect(r.stdout).toContain('--save-outputs DIR');
  });
});
