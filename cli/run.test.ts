import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SI } from '../core/ir/relax/nodes.js';
import { tvar } from '../core/ir/tir/nodes.js';
import { Args, Opcode } from '../core/vm/bytecode.js';
import { Executable } from '../core/vm/executable.js';
import { writeNpy } from '../core/vm/npy.js';
import { Tensor } from '../core/vm/tensor.js';
import { twoCalls } from '../core/vm/testing.js';
import { cli, loadOutput, saveTensor, tempDir } from '../test/harness.js';
import { parseArgs } from './args.js';
import { saveProgram } from './run-load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKED = join(ROOT, 'test/fixtures/packed.mjs');

/** main(x: (n,) float32) = x + 2, saved with its signature. */
function addTwoExec(dir: string): string {
  const p = join(dir, 'add2.json');
  writeFileSync(p, saveProgram(twoCalls(), new Map([['main', [{ name: 'x', sinfo: SI.tensor([tvar('n')], 'float32') }]]])));
  return p;
}

/** main(x: (2,) float32): custom_inplace_update(x); return x. */
function packedExec(dir: string): string {
  const exec = new Executable(
    [
      { kind: 'vm_func', name: 'main', startInstr: 0, endInstr: 2, numArgs: 1, registerFileSize: 1, paramNames: ['x'] },
      { kind: 'packed_func', name: 'custom_inplace_update', startInstr: 0, endInstr: 0, numArgs: -1, registerFileSize: 0, paramNames: [] },
    ],
    [],
    [
      { op: Opcode.Call, dst: Args.void().value, funcIdx: 1, args: [Args.reg(0)] },
      { op: Opcode.Ret, result: 0 },
    ],
    new Map(),
    [['update'], undefined],
  );
  const p = join(dir, 'packed.json');
  writeFileSync(p, saveProgram(exec, new Map([['main', [{ name: 'x', sinfo: SI.tensor([{ kind: 'tir.IntImm', dtype: 'int64', value: 2 }], 'float32') }]]])));
  return p;
}

describe('relax-studio run: arguments', () => {
  it('parses every run option', () => {
    const a = parseArgs(['run', 'm.tvmscript', '--func', 'f', '--sym', 'n=2,m=3', '--sym=k=4', '--input', 'x=zeros', '--input=w=a.npy',
      '--seed', '7', '--device', 'webgl2', '--packed', 'p.mjs', '--save-outputs', 'out', '--profile', '--repeat', '3', '--trace', 't.json', '--json']);
    expect(a).toEqual({
      kind: 'program',
      options: {
        command: 'run', file: 'm.tvmscript', func: 'f', sym: { n: 2, m: 3, k: 4 }, inputs: [{ name: 'x', spec: 'zeros' }, { name: 'w', spec: 'a.npy' }],
        seed: 7, device: 'webgl2', packed: ['p.mjs'], saveOutputs: 'out', profile: true, repeat: 3, trace: 't.json', json: true,
      },
    });
  });

  it('defaults: seed 0, device auto, no profile', () => {
    const a = parseArgs(['run', 'm.tvmscript']);
    expect(a).toMatchObject({ kind: 'program', options: { seed: 0, device: 'auto', profile: false, json: false, inputs: [], packed: [] } });
  });

  it.each([
    [['run'], 'C504'],
    [['run', 'a', 'b'], 'C504'],
    [['run', 'a', '--emit', 'vm'], 'C502'],
    [['run', 'a', '--device', 'tpu'], 'C503'],
    [['run', 'a', '--sym', 'n'], 'C503'],
    [['run', 'a', '--sym', 'n=-1'], 'C503'],
    [['run', 'a', '--input', 'x'], 'C503'],
    [['run', 'a', '--input', 'x=a.npy', '--input', 'x=zeros'], 'C503'],
    [['run', 'a', '--repeat', '0'], 'C503'],
    [['run', 'a', '--seed', 'abc'], 'C503'],
    [['run', 'a', '--profile=yes'], 'C503'],
    [['run', 'a', '--trace'], 'C503'],
  ])('%j is a usage error %s (exit 2)', async (argv, code) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error[${code}]`);
  });
});

describe('relax-studio run on a saved executable', () => {
  it('runs with a .npy input, prints the summary and saves the outputs', async () => {
    const dir = tempDir();
    const x = saveTensor(dir, 'x', Tensor.from([3], 'float32', [1, 2, 3]));
    const out = join(dir, 'out');
    const r = await cli(['run', addTwoExec(dir), '--input', `x=${x}`, '--save-outputs', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('output0: float32[3] min=3 max=5 mean=4\n');
    expect(Array.from(loadOutput(out, 0).data)).toEqual([3, 4, 5]);
  });

  it('makes random inputs from --sym and --seed, reproducibly', async () => {
    const dir = tempDir();
    const exec = addTwoExec(dir);
    const a = await cli(['run', exec, '--sym', 'n=5', '--seed', '3', '--json']);
    const b = await cli(['run', exec, '--sym', 'n=5', '--seed', '3']);
    const c = await cli(['run', exec, '--sym', 'n=5', '--seed', '4']);
    expect(JSON.parse(a.stdout)).toMatchObject({ outputs: [{ shape: [5], dtype: 'float32' }] });
    expect(b.stdout).toBe((await cli(['run', exec, '--sym', 'n=5', '--seed', '3'])).stdout);
    expect(b.stdout).not.toBe(c.stdout);
    expect((await cli(['run', exec, '--sym', 'n=2', '--input', 'x=ones'])).stdout).toBe('output0: float32[2] min=3 max=3 mean=3\n');
  });

  it('names the symbolic dim a random input needs', async () => {
    const r = await cli(['run', addTwoExec(tempDir())]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relax-studio: error: input `x` is R\.Tensor\(\(n,\), dtype="float32"\), and making it needs a value for the symbolic dim n\..*--sym n=/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('rejects a .npy of the wrong rank or dtype before running, and a truncated one', async () => {
    const dir = tempDir();
    const exec = addTwoExec(dir);
    const rank = saveTensor(dir, 'rank', Tensor.from([2, 2], 'float32', [1, 2, 3, 4]));
    const dtype = saveTensor(dir, 'dtype', Tensor.from([2], 'int32', [1, 2]));
    const bytes = writeNpy(Tensor.from([4], 'float32', [1, 2, 3, 4]));
    const cut = join(dir, 'cut.npy');
    writeFileSync(cut, bytes.slice(0, bytes.length - 3));
    const r1 = await cli(['run', exec, '--input', `x=${rank}`]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain('input `x` must be R.Tensor((n,), dtype="float32") (rank 1, not 2). However, it is float32[2, 2].');
    const r2 = await cli(['run', exec, '--input', `x=${dtype}`]);
    expect(r2.stderr).toContain('(dtype float32, not int32). However, it is int32[2].');
    const r3 = await cli(['run', exec, '--input', `x=${cut}`]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/relax-studio: error: `.*cut\.npy` is truncated: shape \(4\) of float32 needs 16 bytes of data, but the file has 13/);
    const r4 = await cli(['run', exec, '--input', `x=${join(dir, 'none.npy')}`]);
    expect(r4.stderr).toMatch(/cannot read the input file `.*none\.npy` \(ENOENT\)/);
    const r5 = await cli(['run', exec, '--input', `y=ones`]);
    expect(r5.stderr).toContain('an input was given for `y`, but the function has no such parameter (parameters: x)');
    for (const r of [r1, r2, r3, r4, r5]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('calls --packed functions, which see the tensor and change it in place', async () => {
    const dir = tempDir();
    const exec = packedExec(dir);
    const missing = await cli(['run', exec]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('relax-studio: error: the program calls the packed function `custom_inplace_update`, but no --packed module defines it\n');
    const out = join(dir, 'out');
    const x = saveTensor(dir, 'x', Tensor.from([2], 'float32', [1, 5]));
    const r = await cli(['run', exec, '--input', `x=${x}`, '--packed', PACKED, '--save-outputs', out]);
    expect(r.stderr).toBe('');
    expect(Array.from(loadOutput(out, 0).data)).toEqual([2, 11]);
    const bad = await cli(['run', exec, '--packed', join(ROOT, 'test/fixtures/not-packed.mjs')]);
    expect(bad.stderr).toMatch(/must have a default export mapping packed-function names to functions\. However, its default export is number/);
    const none = await cli(['run', exec, '--packed', join(dir, 'nope.mjs')]);
    expect(none.stderr).toMatch(/^relax-studio: error: cannot load the --packed module/);
  });

  it('resolves --packed from the current directory (the bin, run in another folder)', () => {
    const dir = tempDir();
    copyFileSync(PACKED, join(dir, 'mine.mjs'));
    const r = spawnSync(process.execPath, [join(ROOT, 'cli/relax-studio.mjs'), 'run', packedExec(dir), '--packed', 'mine.mjs', '--input', 'x=zeros'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('output0: float32[2] min=0 max=1 mean=0.5\n');
    expect(r.status).toBe(0);
  });

  it('profiles: table with nodes, --json profile rows, --trace with X events', async () => {
    const dir = tempDir();
    const exec = addTwoExec(dir);
    const trace = join(dir, 'trace.json');
    const r = await cli(['run', exec, '--sym', 'n=4', '--profile', '--repeat', '2', '--trace', trace]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^output0: float32\[4\]/);
    expect(r.stdout).toMatch(/Name\s+Duration \(us\)\s+Percent\s+Device\s+Count\s+Argument Shapes\s+Backend\s+Nodes/);
    expect(lines.find((l) => l.startsWith('add_one'))).toMatch(/cpu0\s+2\s+float32\[4\], float32\[4\]\s+js\s+lv0, lv1$/);
    const t = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: { ph: string; name: string }[] };
    expect(t.traceEvents.length).toBeGreaterThan(0);
    expect(t.traceEvents.every((e) => e.ph === 'X')).toBe(true);
    const j = JSON.parse((await cli(['run', exec, '--sym', 'n=4', '--profile', '--json'])).stdout) as { profile: { name: string; nodes: string[] }[] };
    expect(j.profile.find((p) => p.name === 'add_one')).toMatchObject({ count: 2, nodes: ['lv0', 'lv1'], device: 'cpu0', backend: 'js' });
    expect(Object.keys(j.profile[0]!).sort()).toEqual(['argShapes', 'backend', 'count', 'device', 'durationUs', 'name', 'nodes', 'percent']);
  });

  it('notes an unavailable device on one line and falls back down the device chain', async () => {
    const r = await cli(['run', addTwoExec(tempDir()), '--sym', 'n=1', '--device', 'webgl2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('relax-studio: device webgl2 is not available (no WebGL2 context here); running on wasm\n');
    expect((await cli(['run', addTwoExec(tempDir()), '--sym', 'n=1', '--device', 'js'])).stderr).toBe('');
  });

  it('reports bad executables, unknown functions and unreadable files as one error line', async () => {
    const dir = tempDir();
    const notExec = join(dir, 'x.json');
    writeFileSync(notExec, '{"format": "something"}');
    const broken = join(dir, 'y.json');
    writeFileSync(broken, '{"format": ');
    const cases: [string[], RegExp][] = [
      [['run', notExec], /must be an executable saved by `relax-studio build -o`/],
      [['run', broken], /it is not valid JSON/],
      [['run', join(dir, 'missing.tvmscript')], /cannot read `.*missing\.tvmscript` \(ENOENT\)/],
      [['run', addTwoExec(dir), '--func', 'other', '--sym', 'n=1'], /--func must name a Relax function of the program \(main\)\. However, it is `other`/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).toMatch(/^relax-studio: error: [^\n]*\n$/);
    }
  });

  it('reports a source file with errors as FILE:LINE:COL diagnostics', async () => {
    const dir = tempDir();
    const f = join(dir, 'bad.tvmscript');
    writeFileSync(f, '@I.ir_module\nclass M:\n    @R.function\n    def main(x: R.Tensor((2,), "float32")):\n        return R.nn.relu(y)\n');
    const r = await cli(['run', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: error\\[`));
    expect(existsSync(f)).toBe(true);
  });
});
