/**
 * The parser benchmark (part of `npm run bench`, see bench/run.ts): times parse, check and print on generated Relax
 * modules of 1,000 / 10,000 / 100,000 bindings (bench/generate.ts), the median of several runs after a warm-up, and prints a table with the per-binding cost
 * ratios 10k/1k and 100k/10k (about 1 means linear growth) and PASS/FAIL against the goal
 * "10k bindings parse+check+print < 1 s". "parse" includes the struct-info inference the parser does while
 * building; "check" is the verifier. Benchmarks are never tests: this is run by hand and in CI's bench job.
 * `BENCH_SIZES=1000,10000` and `BENCH_RUNS=5` override the defaults.
 */
import { performance } from 'node:perf_hooks';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';
import { verifyModule } from '../core/ir/verify/index.js';
import type { IRModule } from '../core/ir/module.js';
import { generateModule } from './generate.js';

const SIZES = (process.env['BENCH_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const GOAL_SIZE = 10_000;
const GOAL_MS = 1000;

interface Timing {
  readonly size: number;
  readonly parse: number;
  readonly check: number;
  readonly print: number;
  readonly total: number;
  readonly errors: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** One parse + check + print pass; returns the three times and the error count (must be 0). */
function once(text: string): { parse: number; check: number; print: number; errors: number } {
  const [res, tParse] = time(() => parse(text, { loose: true }));
  const mod = res.module as IRModule;
  const [diags, tCheck] = time(() => verifyModule(mod));
  const [, tPrint] = time(() => printModule(mod));
  const errors = [...res.diagnostics, ...diags].filter((d) => d.severity === 'error').length;
  return { parse: tParse, check: tCheck, print: tPrint, errors };
}

/** Runs until the JIT has settled: at least 3 runs and 300 ms, so small sizes are not timed cold. */
function warmUp(text: string): void {
  const t0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - t0 < 300; i++) once(text);
}

function measure(size: number): Timing {
  const text = generateModule(size);
  const runs = size >= 100_000 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS;
  warmUp(text);
  const rs = Array.from({ length: runs }, () => once(text));
  const parseMs = median(rs.map((r) => r.parse));
  const checkMs = median(rs.map((r) => r.check));
  const printMs = median(rs.map((r) => r.print));
  const total = median(rs.map((r) => r.parse + r.check + r.print));
  return { size, parse: parseMs, check: checkMs, print: printMs, total, errors: rs[0]!.errors };
}

function fmt(ms: number): string {
  return ms.toFixed(1).padStart(10);
}

function table(ts: readonly Timing[]): string {
  const head = `${'bindings'.padStart(9)} ${'parse ms'.padStart(10)} ${'check ms'.padStart(10)} ${'print ms'.padStart(10)} ${'total ms'.padStart(10)} ${'us/binding'.padStart(11)}`;
  const rows = ts.map(
    (t) => `${String(t.size).padStart(9)} ${fmt(t.parse)} ${fmt(t.check)} ${fmt(t.print)} ${fmt(t.total)} ${((t.total * 1000) / t.size).toFixed(2).padStart(11)}${t.errors ? `  (${t.errors} errors!)` : ''}`,
  );
  return [head, ...rows].join('\n');
}

function ratios(ts: readonly Timing[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < ts.length; i++) {
    const a = ts[i - 1]!;
    const b = ts[i]!;
    const r = b.total / b.size / (a.total / a.size);
    out.push(`per-binding cost ${b.size / 1000}k/${a.size / 1000}k: ${r.toFixed(2)} (1.00 = linear)`);
  }
  return out;
}

/** Runs the parser benchmark and prints its table; returns 1 when the 10k-binding goal fails. */
export function runParserBench(): number {
  const ts = SIZES.map((s) => {
    process.stderr.write(`measuring ${s} bindings...\n`);
    return measure(s);
  });
  console.log(table(ts));
  for (const line of ratios(ts)) console.log(line);
  const goal = ts.find((t) => t.size === GOAL_SIZE);
  if (goal) {
    const pass = goal.total < GOAL_MS && goal.errors === 0;
    console.log(`${pass ? 'PASS' : 'FAIL'}: ${GOAL_SIZE / 1000}k bindings parse+check+print ${goal.total.toFixed(1)} ms (goal < ${GOAL_MS} ms)`);
    return pass ? 0 : 1;
  }
  return 0;
}
