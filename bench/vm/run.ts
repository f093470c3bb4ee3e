/**
 * The compiler/VM benchmark (part of `npm run bench`): each case in cases.ts runs on our VM (build() + JS reference
 * kernels), tfjs-wasm and onnxruntime-node with the same seeded inputs. Per engine: untimed setup, warm-up runs,
 * then timed runs (the median is reported); a time budget per engine and case caps the repeats, so slow engines
 * (our JS reference on matmul 1024) run fewer times and the table says how many. Outputs are cross-checked
 * against onnxruntime (or the first engine that ran): max |a - b| / max |ref|.
 *
 * Environment: BENCH_VM_CASES=mlp,conv2d,matmul256,matmul1024  BENCH_VM_ENGINES=ours,tfjs,ort
 * BENCH_VM_RUNS=10  BENCH_VM_WARMUP=3  BENCH_VM_BUDGET_S=10 (per engine and case)  BENCH_VM_SEED=1
 * BENCH_ORT_THREADS=1 (0 = ORT's default: one per core)  BENCH_VM_TOL=1e-4  BENCH_VM_JSON=path (write results)
 * BENCH_VM_FUSE=1 (build with FuseOps + FuseTIR)  BENCH_VM_BUILD=path (another module exporting build).
 * Left to others: making ours fast (later issues); this file only measures.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import type { BenchCase } from './cases.js';
import { CASE_IDS, makeCase } from './cases.js';
import type { Engine, PreparedRun } from './engines.js';
import { EngineUnavailable, oursEngine, ortEngine, tfjsEngine } from './engines.js';
import { envList, envNum } from '../env.js';

export interface Settings {
  readonly cases: readonly string[];
  readonly engines: readonly string[];
  readonly runs: number;
  readonly warmup: number;
  readonly budgetMs: number;
  readonly seed: number;
  readonly ortThreads: number;
  readonly tol: number;
  readonly json: string | undefined;
  /** Pass `fuse: true` to build() (FuseOps + FuseTIR). */
  readonly fuse: boolean;
}

/** One engine's result on one case. */
export interface Cell {
  readonly ms?: number;
  readonly runs?: number;
  readonly setupMs?: number;
  /** Set when there is no number: "not yet built", "build error", "error". */
  readonly note?: string;
  /** The full reason behind `note`, printed under the table. */
  readonly detail?: string;
  /** Max relative error against the reference engine. */
  readonly err?: number;
  output?: Float32Array;
}

export interface Row {
  readonly c: BenchCase;
  readonly cells: Record<string, Cell>;
  readonly ref?: string;
}

/** Reads and checks the BENCH_VM_* settings; throws with what is wrong (called before any benchmark runs). */
export function vmSettings(): Settings {
  const cases = envList('BENCH_VM_CASES', CASE_IDS);
  for (const c of cases)
    if (!(CASE_IDS as readonly string[]).includes(c) && !/^matmul\d+$/.test(c))
      throw new Error(`BENCH_VM_CASES: unknown case "${c}" (expected ${CASE_IDS.join(', ')} or matmulN)`);
  const engines = envList('BENCH_VM_ENGINES', ['ours', 'tfjs', 'ort']);
  for (const e of engines)
    if (!['ours', 'tfjs', 'ort'].includes(e)) throw new Error(`BENCH_VM_ENGINES: unknown engine "${e}" (expected ours, tfjs, ort)`);
  return {
    cases,
    engines,
    runs: Math.max(1, envNum('BENCH_VM_RUNS', 10)),
    warmup: envNum('BENCH_VM_WARMUP', 3),
    budgetMs: envNum('BENCH_VM_BUDGET_S', 10) * 1000,
    seed: envNum('BENCH_VM_SEED', 1),
    ortThreads: envNum('BENCH_ORT_THREADS', 1),
    tol: envNum('BENCH_VM_TOL', 1e-4),
    json: process.env['BENCH_VM_JSON'] || undefined,
    fuse: process.env['BENCH_VM_FUSE'] === '1',
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm-up then timed runs, both cut short by the budget (a quarter of it for warm-up); at least one timed run. */
async function timeRuns(p: PreparedRun, s: Settings): Promise<{ ms: number; runs: number }> {
  const w0 = performance.now();
  for (let i = 0; i < s.warmup && performance.now() - w0 < s.budgetMs / 4; i++) await p.run();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < s.runs && (times.length === 0 || performance.now() - t0 < s.budgetMs)) {
    const a = performance.now();
    await p.run();
    times.push(performance.now() - a);
  }
  return { ms: median(times), runs: times.length };
}

async function measure(engine: Engine, c: BenchCase, s: Settings): Promise<Cell> {
  let p: PreparedRun | undefined;
  try {
    p = await engine.prepare(c);
    const { ms, runs } = await timeRuns(p, s);
    return { ms, runs, setupMs: p.setupMs, output: p.output() };
  } catch (e) {
    if (e instanceof EngineUnavailable) return { note: e.short, detail: e.message };
    const msg = String((e as Error).message ?? e).split('\n')[0]!;
    process.stderr.write(`${engine.id} failed on ${c.id}: ${(e as Error).stack ?? msg}\n`);
    return { note: 'error', detail: msg };
  } finally {
    p?.dispose();
  }
}

/** max |a - b| / max |ref| (0 when both are all zeros); Infinity on a length mismatch or a NaN. */
export function maxRelError(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - ref[i]!);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff === 0 ? 0 : diff / (scale || 1);
}

function crossCheck(cells: Record<string, Cell>, order: readonly string[]): string | undefined {
  const ref = ['ort', ...order].find((e) => cells[e]?.output);
  if (!ref) return undefined;
  const r = cells[ref]!.output!;
  for (const e of order) {
    const cell = cells[e];
    if (cell?.output) cells[e] = { ...cell, err: e === ref ? 0 : maxRelError(cell.output, r) };
  }
  return ref;
}

const pad = (s: string, n: number): string => s.padStart(n);
const fmtMs = (c: Cell | undefined): string => (c?.ms === undefined ? (c?.note ?? '-') : c.ms < 10 ? c.ms.toFixed(2) : c.ms.toFixed(1));
const fmtErr = (c: Cell | undefined): string => (c?.err === undefined ? '-' : c.err === 0 ? '0' : c.err.toExponential(1));

function ratio(peer: Cell | undefined, ours: Cell | undefined): string {
  if (peer?.ms === undefined || ours?.ms === undefined) return '-';
  const r = peer.ms / ours.ms;
  return r >= 1 ? r.toFixed(2) : r.toPrecision(2);
}

/** The results table: times (median ms), ratios peer/ours (>= 1 means ours is faster), errors, run counts. */
export function table(rows: readonly Row[]): string {
  const head = ['case', 'ours ms', 'tfjs-wasm ms', 'ort ms', 'tfjs/ours', 'ort/ours', 'err ours', 'err tfjs', 'runs o/t/r'];
  const body = rows.map((r) => {
    const [o, t, x] = [r.cells['ours'], r.cells['tfjs'], r.cells['ort']];
    const runs = [o, t, x].map((c) => (c?.runs === undefined ? '-' : String(c.runs))).join('/');
    return [r.c.id, fmtMs(o), fmtMs(t), fmtMs(x), ratio(t, o), ratio(x, o), fmtErr(o), fmtErr(t), runs];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: readonly string[]): string => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : pad(c, widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

function notes(rows: readonly Row[], s: Settings): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const parts = Object.entries(r.cells)
      .filter(([, c]) => c.ms !== undefined)
      .map(([e, c]) => `${e} ${((r.c.flops / c.ms!) * 1e-6).toFixed(2)} GFLOP/s (setup ${c.setupMs!.toFixed(0)} ms)`);
    const short = Object.entries(r.cells).filter(([, c]) => c.runs !== undefined && c.runs < s.runs);
    const capped = short.length ? `; budget-capped: ${short.map(([e, c]) => `${e} ${c.runs} run(s)`).join(', ')}` : '';
    out.push(`  ${r.c.label}: ${parts.join(', ') || 'no timings'}${capped}${r.ref ? `; errors vs ${r.ref}` : ''}`);
    for (const [e, c] of Object.entries(r.cells)) if (c.detail) out.push(`    ${e}: ${c.note}: ${c.detail}`);
  }
  return out;
}

function engineFor(id: string, s: Settings): Engine {
  if (id === 'ours') return oursEngine({ verify: 'end', ...(s.fuse ? { fuse: true } : {}) });
  if (id === 'tfjs') return tfjsEngine();
  return ortEngine(s.ortThreads);
}

/** Runs the VM benchmark and prints its table; returns 1 when an output disagrees beyond BENCH_VM_TOL. */
export async function runVmBench(s: Settings = vmSettings()): Promise<number> {
  const engines = s.engines.map((e) => engineFor(e, s));
  const rows: Row[] = [];
  for (const id of s.cases) {
    const c = makeCase(id, s.seed);
    const cells: Record<string, Cell> = {};
    for (const e of engines) {
      process.stderr.write(`vm bench: ${c.id} on ${e.id}...\n`);
      cells[e.id] = await measure(e, c, s);
    }
    rows.push({ c, cells, ref: crossCheck(cells, s.engines) });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nVM benchmark: median ms of up to ${s.runs} runs after ${s.warmup} warm-up, budget ${s.budgetMs / 1000} s per engine and case; ${os.cpus().length} x ${cpu}, load ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}`);
  for (const e of engines) console.log(`  ${e.id}: ${e.describe()}`);
  console.log(table(rows));
  for (const n of notes(rows, s)) console.log(n);
  const bad = rows.flatMap((r) => Object.entries(r.cells).filter(([, c]) => c.err !== undefined && !(c.err <= s.tol)).map(([e]) => `${r.c.id}/${e}`));
  const compared = rows.reduce((n, r) => n + Object.values(r.cells).filter((c) => c.err !== undefined).length - (r.ref ? 1 : 0), 0);
  if (bad.length) console.log(`MISMATCH (max rel error > ${s.tol}): ${bad.join(', ')}`);
  else if (compared === 0) console.log('no outputs cross-checked (fewer than two engines ran a case)');
  else console.log(`${compared} output(s) cross-checked: all agree within ${s.tol} (max |a - b| / max |ref|)`);
  if (s.json) writeJson(s.json, rows, engines, s);
  return bad.length ? 1 : 0;
}

function writeJson(file: string, rows: readonly Row[], engines: readonly Engine[], s: Settings): void {
  const data = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, load: os.loadavg()[0], node: process.version },
    settings: s,
    engines: Object.fromEntries(engines.map((e) => [e.id, e.describe()])),
    rows: rows.map((r) => ({
      case: r.c.id,
      ref: r.ref,
      cells: Object.fromEntries(
        Object.entries(r.cells).map(([e, c]) => [e, { ms: c.ms, runs: c.runs, setupMs: c.setupMs, err: c.err, note: c.note, detail: c.detail }]),
      ),
    })),
  };
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
