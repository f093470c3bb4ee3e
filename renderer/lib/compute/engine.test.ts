/**
 * The run panel's compute engine in Node: phases and progress in pipeline order, output summaries, the errors that
 * name their field or node (a .npy of the wrong shape, an unbound symbolic dim, a packed function that does not
 * compile or throws), packed functions as source text (the RFC seed's custom_inplace_update), profiles and
 * cancellation between kernels.
 */
import { describe, expect, it } from 'vitest';
import { defaultPipeline } from '../../../core/compiler/pipeline.js';
import { writeNpy } from '../../../core/vm/npy.js';
import { Tensor } from '../../../core/vm/tensor.js';
import SEED from '../../../core/ir/fixtures/rfc/seed.tvmscript?raw';
import { ComputeFailure, compilePacked, compute, summarize } from './engine.js';
import type { ComputeError, ProgressEvent, RunRequest, RunResponse } from './protocol.js';
import EXP from '../../../test/fixtures/add-exp.tvmscript?raw';


const DIV = `
@R.function
def main(x: R.Tensor((4,), dtype="float32"), y: R.Tensor((4,), dtype="float32")) -> R.Tensor((4,), dtype="float32"):
    q = R.divide(x, y)
    return q
`;

/** A packed call bound to a name, so its node is known (the seed's call is a bare statement). */
const PACKED_CALL = `
@R.function(pure=False)
def main(x: R.Tensor((2,), dtype="float32")) -> R.Tensor((2,), dtype="float32"):
    u: R.Object = R.call_packed("custom_inplace_update", x, sinfo_args=(R.Object,))
    return x
`;

const SEED_INPUTS = { w: { kind: 'npy', bytes: writeNpy(Tensor.from([3, 4], 'float32', new Array(12).fill(0.1))) } } as const;
const UPDATE = `function (t) { for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i] * 2 + i; }`;

const npy = (shape: number[], values: number[]): { kind: 'npy'; bytes: Uint8Array } => ({ kind: 'npy', bytes: writeNpy(Tensor.from(shape, 'float32', values)) });

async function run(req: Partial<RunRequest>, events?: ProgressEvent[]): Promise<RunResponse> {
  const r = await compute({ kind: 'run', device: 'js', text: EXP, ...req }, events ? { onProgress: (e) => events.push(e) } : {});
  return r as RunResponse;
}

async function failure(p: Promise<unknown>): Promise<ComputeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ComputeFailure);
    return (e as ComputeFailure).error;
  }
  throw new Error('expected a failure');
}

describe('compute engine: running', () => {
  it('runs with bound dims and given inputs, and summarizes the output', async () => {
    const r = await run({ sym: { n: 2 }, inputs: { x: { kind: 'zeros' }, y: npy([2, 4], [0, 1, 0, 1, 0, 1, 0, 1]) }, npy: true });
    expect(r.func).toBe('main');
    expect(r.device).toBe('js');
    expect(r.outputs).toHaveLength(1);
    const o = r.outputs[0]!;
    expect(o.shape).toEqual([2, 4]);
    expect(o.dtype).toBe('float32');
    expect(o.min).toBe(1);
    expect(o.max).toBeCloseTo(Math.E, 5);
    expect(o.mean).toBeCloseTo((1 + Math.E) / 2, 5);
    expect(o.nanCount + o.infCount).toBe(0);
    expect(o.preview.slice(0, 2).map((v) => +v.toFixed(4))).toEqual([1, 2.7183]);
    expect(o.npy!.slice(1, 6)).toEqual(new TextEncoder().encode('NUMPY'));
    expect(r.kernels.map((k) => k.backend)).toEqual(r.kernels.map(() => 'js'));
    expect(r.kernels.flatMap((k) => k.nodes)).toEqual(expect.arrayContaining(['a', 'b']));
  });

  it('counts NaN and Inf and keeps min/max/mean to the finite values', async () => {
    const r = await run({ text: DIV, inputs: { x: npy([4], [0, 1, -1, 6]), y: npy([4], [0, 0, 0, 3]) } });
    expect(r.outputs[0]).toMatchObject({ nanCount: 1, infCount: 2, min: 2, max: 2, mean: 2 });
    const none = summarize(Tensor.from([2], 'float32', [NaN, Infinity]));
    expect([none.min, none.max, none.mean].every(Number.isNaN)).toBe(true);
  });

  it('random inputs are reproducible per seed, and each input has its own', async () => {
    const a = await run({ sym: { n: 3 }, inputs: { x: { kind: 'random', seed: 1 }, y: { kind: 'zeros' } } });
    const b = await run({ sym: { n: 3 }, inputs: { x: { kind: 'random', seed: 1 }, y: { kind: 'zeros' } } });
    const c = await run({ sym: { n: 3 }, inputs: { x: { kind: 'random', seed: 2 }, y: { kind: 'zeros' } } });
    expect(a.outputs[0]!.preview).toEqual(b.outputs[0]!.preview);
    expect(a.outputs[0]!.preview).not.toEqual(c.outputs[0]!.preview);
  });

  it('reports progress in pipeline order: parse, every pass, kernels, runs', async () => {
    const events: ProgressEvent[] = [];
    await run({ sym: { n: 2 }, warmup: 1, repeat: 2 }, events);
    const phases = events.map((e) => e.phase).filter((p, i, a) => p !== a[i - 1]);
    expect(phases).toEqual(['parse', 'build', 'compile-kernels', 'run']);
    const passes = events.filter((e) => e.phase === 'build' && e.pass).map((e) => e.pass);
    expect(passes).toEqual(defaultPipeline({ fuse: false }).map((p) => p.name));
    for (const ph of ['parse', 'build', 'compile-kernels', 'run'] as const) {
      const es = events.filter((e) => e.phase === ph);
      expect(es.map((e) => e.done)).toEqual(es.map((_, i) => i));
      expect(es.at(-1)!.done).toBe(es[0]!.total);
    }
    expect(events.filter((e) => e.phase === 'run').at(-1)).toEqual({ phase: 'run', done: 3, total: 3 });
  });

  it('profiles: rows with nodes and backend, and a trace', async () => {
    const events: ProgressEvent[] = [];
    const r = await run({ sym: { n: 2 }, profile: true, repeat: 3 }, events);
    expect(r.profile!.repeat).toBe(3);
    expect(r.profile!.rows.length).toBeGreaterThan(0);
    expect(new Set(r.profile!.rows.map((row) => row.backend))).toEqual(new Set(['js', 'host']));
    expect(r.profile!.rows.filter((row) => row.backend === 'js').map((row) => row.name).sort()).toEqual(r.kernels.map((k) => k.name).sort());
    expect(r.profile!.rows.flatMap((row) => row.nodes)).toEqual(expect.arrayContaining(['a', 'b']));
    expect((r.profile!.trace as { traceEvents: unknown[] }).traceEvents.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.phase === 'run').at(-1)).toEqual({ phase: 'run', done: 4, total: 4 });
  });

  it('runs a build request: passes, VM listing, kernels', async () => {
    const r = await compute({ kind: 'build', text: EXP });
    expect(r.kind).toBe('build');
    if (r.kind !== 'build') return;
    expect(r.passes).toEqual(defaultPipeline({}).map((p) => p.name));
    expect(r.listing).toContain('@main:');
    expect(r.kernels.length).toBeGreaterThan(0);
  });

  it('stops a cancelled run between kernels', async () => {
    const ctl = new AbortController();
    const p = compute({ kind: 'run', device: 'js', text: EXP, sym: { n: 2 }, repeat: 1000 }, {
      signal: ctl.signal,
      yieldEvery: 0,
      onProgress: (ev) => ev.phase === 'run' && ev.done === 2 && ctl.abort(),
    });
    expect(await failure(p)).toMatchObject({ cancelled: true, message: 'the run was cancelled' });
  });
});

describe('compute engine: packed functions', () => {
  it("runs the RFC seed with custom_inplace_update given as source text", async () => {
    const x = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6];
    const w = [0.5, -0.1, 0.2, 0.3, -0.4, 0.6, 0.1, 0.0, 0.2, 0.2, -0.3, 0.7];
    const r = await run({ text: SEED, func: 'relax_func', sym: { m: 4 }, inputs: { x: npy([2, 3], x), w: npy([3, 4], w) }, packed: { custom_inplace_update: UPDATE } });
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) want.push(Math.exp(x[i * 3]! * w[j]! + x[i * 3 + 1]! * w[4 + j]! + x[i * 3 + 2]! * w[8 + j]!) * 2 + want.length);
    expect(r.outputs[0]!.shape).toEqual([8]);
    r.outputs[0]!.preview.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
  });

  it('accepts arrow functions and function bodies', async () => {
    const t = Tensor.from([2], 'float32', [1, 2]);
    await compilePacked('a', '(t) => { t.data[0] = 9; }')(t);
    await compilePacked('b', 'arguments[0].data[1] = 7;')(t);
    expect(Array.from(t.data)).toEqual([9, 7]);
  });

  it('names a packed function with a syntax error', async () => {
    const e = await failure(run({ text: SEED, func: 'relax_func', sym: { n: 2, k: 3 }, inputs: SEED_INPUTS, packed: { custom_inplace_update: 'function (t) { t.data[0] = ; }' } }));
    expect(e.field).toBe('packed.custom_inplace_update');
    expect(e.message).toMatch(/^the packed function `custom_inplace_update` does not compile: /);
  });

  it('names a packed function that is not defined, with the node that calls it', async () => {
    const e = await failure(run({ text: SEED, func: 'relax_func', sym: { n: 2, k: 3 }, inputs: SEED_INPUTS }));
    expect(e.field).toBe('packed.custom_inplace_update');
    expect(e.message).toContain('is not defined');
  });

  it('names a packed function that throws, and the node of its call', async () => {
    const thrower = { custom_inplace_update: 'function () { throw new Error("boom"); }' };
    const e = await failure(run({ text: SEED, func: 'relax_func', sym: { n: 2, k: 3 }, inputs: SEED_INPUTS, packed: thrower }));
    expect(e.field).toBe('packed.custom_inplace_update');
    expect(e.message).toMatch(/^the packed function `custom_inplace_update` threw.*: boom$/);
    const named = await failure(run({ text: PACKED_CALL, packed: thrower }));
    expect(named).toMatchObject({ field: 'packed.custom_inplace_update', nodes: ['u'] });
    expect(named.message).toBe('the packed function `custom_inplace_update` threw (node u): boom');
  });
});

describe('compute engine: errors name their field', () => {
  it('a .npy of the wrong shape names the input', async () => {
    const e = await failure(run({ sym: { n: 2 }, inputs: { y: npy([3, 4], new Array(12).fill(0)) } }));
    expect(e.field).toBe('inputs.y');
    expect(e.message).toContain('input `y`');
  });

  it('a .npy that is not one names the input', async () => {
    const e = await failure(run({ sym: { n: 2 }, inputs: { x: { kind: 'npy', bytes: new Uint8Array([1, 2, 3]) } } }));
    expect(e.field).toBe('inputs.x');
  });

  it('an unbound symbolic dim names the dim', async () => {
    const e = await failure(run({ inputs: { x: { kind: 'zeros' }, y: { kind: 'ones' } } }));
    expect(e.field).toBe('sym.n');
    expect(e.message).toMatch(/symbolic dim n.*bind n in the run panel/);
  });

  it('a bad dim value, an unknown input and an unknown function name their fields', async () => {
    expect((await failure(run({ sym: { n: -1 } }))).field).toBe('sym.n');
    expect((await failure(run({ sym: { n: 2 }, inputs: { z: { kind: 'zeros' } } }))).field).toBe('inputs.z');
    expect((await failure(run({ sym: { n: 2 }, func: 'nope' }))).field).toBe('func');
  });

  it('a parse error is a failure on the text, with diagnostics and spans', async () => {
    const e = await failure(run({ text: '@R.function\ndef main(x: R.Tensor((2,), "float32")):\n    y = R.add(x,\n' }));
    expect(e.field).toBe('text');
    expect(e.diagnostics!.length).toBeGreaterThan(0);
    expect(e.diagnostics![0]!.span).toBeDefined();
  });
});
