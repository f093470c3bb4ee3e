/**
 * The example models end to end: inputs made with core/vm/inputs.ts and written as .npy, `relax-studio run`
 * in-process with `--input NAME=PATH.npy` and `--save-outputs`, outputs read back and compared with the plain
 * TypeScript references in test/reference (loops from the ops' definitions, not from the TIR). Also the profile,
 * the trace, the RFC seed with a --packed in-place update, and bad inputs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../core/ir/parser/index.js';
import type { ParamSpec } from '../core/vm/inputs.js';
import { makeInputs } from '../core/vm/inputs.js';
import { writeNpy } from '../core/vm/npy.js';
import { Tensor } from '../core/vm/tensor.js';
import { relaxFunctions } from '../cli/run-load.js';
import { cli, loadOutput, saveTensor, tempDir } from './harness.js';
import type { Arr } from './reference/ops.js';
import * as models from './reference/models.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const example = (name: string): string => join(ROOT, 'assets/examples', name);
const PACKED = join(ROOT, 'test/fixtures/packed.mjs');

/** The parameters of the function to run (main, or the only Relax function). */
function paramsOf(file: string): ParamSpec[] {
  const fns = relaxFunctions(parse(readFileSync(file, 'utf8')).module!);
  const [, f] = fns.find(([n]) => n === 'main') ?? fns[0]!;
  return f.params.map((p) => ({ name: p.name, sinfo: p.sinfo }));
}

/** Seeded inputs, each scaled (weights by 1/sqrt(fan-in), say) and overridden where given. */
function inputsFor(file: string, seed: number, sym: Record<string, number>, scale: Record<string, number>, fixed: Record<string, Tensor> = {}): Record<string, Tensor> {
  const params = paramsOf(file);
  const values = makeInputs(params, { seed, sym, given: fixed }) as Tensor[];
  return Object.fromEntries(
    params.map((p, i) => {
      const t = values[i]!;
      const s = scale[p.name] ?? 1;
      return [p.name, s === 1 ? t : Tensor.from(t.shape, t.dtype, Array.from(t.data, (v) => v * s))];
    }),
  );
}

function toArr(t: Tensor): Arr {
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}

/**
 * Asserts `actual` matches `ref` to a relative tolerance: |a - r| <= rtol * max(|r|, 1% of the largest |r|), so that
 * values near zero after cancellation are judged against the tensor's scale.
 */
function expectClose(actual: Tensor, ref: Arr, rtol: number, what: string): void {
  expect(actual.shape, `${what} shape`).toEqual(ref.shape);
  let maxAbs = 0;
  for (const v of ref.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  const floor = Math.max(maxAbs * 0.01, 1e-30);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ref.data.length; i++) {
    const err = Math.abs(actual.data[i]! - ref.data[i]!) / Math.max(Math.abs(ref.data[i]!), floor);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at}: ${actual.data[at]} vs ${ref.data[at]}`).toBeLessThanOrEqual(rtol);
}

/** Writes the inputs as .npy, runs the CLI with --save-outputs, and returns the outputs. */
async function runWithNpy(file: string, inputs: Record<string, Tensor>, extra: string[] = []): Promise<Tensor[]> {
  const dir = tempDir();
  const args = Object.entries(inputs).flatMap(([k, t]) => ['--input', `${k}=${saveTensor(dir, k, t)}`]);
  const out = join(dir, 'out');
  const r = await cli(['run', file, ...args, '--save-outputs', out, ...extra]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  const n = r.stdout.split('\n').filter((l) => /^output\d+: /.test(l)).length;
  return Array.from({ length: n }, (_, i) => loadOutput(out, i));
}

interface Case {
  readonly file: string;
  readonly ref: (i: Record<string, Arr>) => Arr[];
  readonly sym?: Record<string, number>;
  readonly scale?: Record<string, number>;
  readonly fixed?: Record<string, Tensor>;
  readonly rtol: number;
}

const CASES: Record<string, Case> = {
  'mlp (n = 3)': {
    file: 'mlp.tvmscript', ref: models.mlp, sym: { n: 3 }, rtol: 1e-4,
    scale: { w1: 1 / Math.sqrt(784), w2: 1 / Math.sqrt(128), b1: 0.1, b2: 0.1 },
  },
  cnn: { file: 'cnn.tvmscript', ref: models.cnn, rtol: 1e-4, scale: { w1: 1 / Math.sqrt(27), w2: 1 / Math.sqrt(72), wf: 0.25, b1: 0.1, bf: 0.1 } },
  transformer: {
    file: 'transformer.tvmscript', ref: models.transformer, rtol: 1e-3,
    scale: { wq: 0.25, wk: 0.25, wv: 0.25, wo: 0.25, w1: 0.25, w2: 1 / Math.sqrt(32), b1: 0.1, b2: 0.1, ln1_b: 0.1, ln2_b: 0.1 },
  },
  'call_tir (n = 5)': { file: 'call_tir.tvmscript', ref: models.callTir, sym: { n: 5 }, rtol: 1e-4 },
  'control, then branch': {
    file: 'control.tvmscript', ref: models.control, sym: { n: 4, m: 4 }, rtol: 1e-4, fixed: { flag: Tensor.from([], 'bool', [1]) },
  },
  'control, else branch': {
    file: 'control.tvmscript', ref: models.control, sym: { n: 2, m: 2 }, rtol: 1e-4, fixed: { flag: Tensor.from([], 'bool', [0]) },
  },
};

describe('example models match the TypeScript references', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const file = example(c.file);
      const inputs = inputsFor(file, 42, c.sym ?? {}, c.scale ?? {}, c.fixed);
      const outputs = await runWithNpy(file, inputs);
      const refs = c.ref(Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, toArr(t)])));
      expect(outputs).toHaveLength(refs.length);
      refs.forEach((r, i) => expectClose(outputs[i]!, r, c.rtol, `${name} output${i}`));
    });
  }

  it('the mlp softmax rows sum to one (a sanity check of the reference itself)', () => {
    const inputs = inputsFor(example('mlp.tvmscript'), 1, { n: 2 }, {});
    const [p] = models.mlp(Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, toArr(t)])));
    for (let r = 0; r < 2; r++) expect(p!.data.slice(r * 10, r * 10 + 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});

describe('the RFC seed with a --packed in-place update', () => {
  for (const f of ['core/ir/fixtures/rfc/seed.tvmscript', 'core/ir/fixtures/rfc/seed.v026.golden']) {
    it(`${f}: exp(flatten(x @ w)), then custom_inplace_update in place`, async () => {
      const x = Tensor.from([2, 3], 'float32', [0.1, -0.2, 0.3, 0.4, 0.5, -0.6]);
      const w = Tensor.from([3, 4], 'float32', [0.5, -0.1, 0.2, 0.3, -0.4, 0.6, 0.1, 0.0, 0.2, 0.2, -0.3, 0.7]);
      const [out] = await runWithNpy(join(ROOT, f), { x, w }, ['--packed', PACKED]);
      expect(out!.shape).toEqual([8]);
      expectClose(out!, models.seed({ x: toArr(x), w: toArr(w) })[0]!, 1e-4, f);
    });
  }

  it('names the packed function when no --packed module defines it', async () => {
    const dir = tempDir();
    const w = saveTensor(dir, 'w', new Tensor([3, 4], 'float32'));
    const r = await cli(['run', join(ROOT, 'core/ir/fixtures/rfc/seed.v026.golden'), '--input', 'x=ones', '--input', `w=${w}`, '--sym', 'n=2,k=3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('custom_inplace_update');
    expect(r.stderr).toMatch(/^relax-studio: error: .*\n$/m);
  });
});

describe('profile and trace', () => {
  const CNN = example('cnn.tvmscript');

  it('run --profile on the CNN prints one row per kernel with its source nodes', async () => {
    const r = await cli(['run', CNN, '--device', 'js', '--profile']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('Name '));
    const sum = lines.findIndex((l) => l.startsWith('Sum '));
    expect(head).toBeGreaterThan(0);
    const rows = lines.slice(head + 1, sum);
    const j = JSON.parse((await cli(['run', CNN, '--device', 'js', '--profile', '--json'])).stdout) as {
      outputs: { shape: number[]; dtype: string }[];
      profile: { name: string; nodes: string[]; count: number; backend: string }[];
    };
    expect(j.outputs).toEqual([{ shape: [1, 10], dtype: 'float32' }]);
    expect(rows).toHaveLength(j.profile.length);
    const bindings = ['lv0', 'lv1', 'lv2', 'lv3', 'lv4', 'lv5', 'lv6', 'lv7', 'lv8', 'gv'];
    const kernels = j.profile.filter((p) => p.backend === 'js');
    expect(kernels.length).toBeGreaterThanOrEqual(8);
    for (const p of kernels) {
      expect(p.nodes.length, p.name).toBeGreaterThan(0);
      for (const n of p.nodes) expect(bindings).toContain(n);
    }
    for (const p of j.profile) {
      const row = rows.find((l) => l.startsWith(`${p.name} `))!;
      expect(row.trimEnd().endsWith(p.nodes.join(', ')), row).toBe(true);
    }
    const covered = new Set(kernels.flatMap((p) => p.nodes));
    for (const b of ['lv0', 'lv1', 'lv2', 'lv3', 'lv4', 'lv5', 'lv6', 'lv8', 'gv']) expect(covered.has(b), b).toBe(true);
  });

  it('host rows (parameter checks, reshape) name parameters or bindings, not a placeholder', async () => {
    const j = JSON.parse((await cli(['run', CNN, '--device', 'js', '--profile', '--json'])).stdout) as { profile: { name: string; nodes: string[]; backend: string }[] };
    const known = ['x', 'w1', 'b1', 'w2', 'wf', 'bf', 'lv0', 'lv1', 'lv2', 'lv3', 'lv4', 'lv5', 'lv6', 'lv7', 'lv8', 'gv'];
    for (const p of j.profile) for (const n of p.nodes) expect(known, `${p.name} has node ${n}`).toContain(n);
  });

  it('--trace writes traceEvents of ph "X"', async () => {
    const t = join(tempDir(), 'trace.json');
    const r = await cli(['run', CNN, '--trace', t, '--repeat', '2']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(t, 'utf8')) as { traceEvents: { ph: string; dur: number; args: { nodes: string[] } }[] };
    expect(doc.traceEvents.length).toBeGreaterThan(0);
    for (const e of doc.traceEvents) {
      expect(e.ph).toBe('X');
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('bad inputs exit 1 with a clear message', () => {
  const MLP = example('mlp.tvmscript');

  async function runBad(name: string, bytes: Uint8Array): Promise<string> {
    const dir = tempDir();
    const p = join(dir, `${name}.npy`);
    writeFileSync(p, bytes);
    const r = await cli(['run', MLP, '--input', `x=${p}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(/^relax-studio: error: [^\n]+\n$/);
    return r.stderr;
  }

  it('wrong shape', async () => {
    const msg = await runBad('x', writeNpy(new Tensor([2, 100], 'float32')));
    expect(msg).toContain('input `x` must be R.Tensor((n, 784), dtype="float32") (dim 1 must be 784). However, it is float32[2, 100].');
  });

  it('wrong dtype (.npy of another dtype)', async () => {
    const msg = await runBad('x', writeNpy(new Tensor([2, 784], 'float64')));
    expect(msg).toContain('(dtype float32, not float64). However, it is float64[2, 784].');
  });

  it('truncated .npy', async () => {
    const full = writeNpy(new Tensor([2, 784], 'float32'));
    const msg = await runBad('x', full.slice(0, 1000));
    expect(msg).toMatch(/x\.npy` is truncated: shape \(2, 784\) of float32 needs 6272 bytes of data, but the file has \d+/);
  });

  it('not a .npy at all', async () => {
    const msg = await runBad('x', new TextEncoder().encode('hello'));
    expect(msg).toContain('is not a NumPy .npy file');
  });

  it('a random input whose symbolic dim has no value', async () => {
    const r = await cli(['run', MLP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs a value for the symbolic dim n');
  });
});
