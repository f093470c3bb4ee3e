/**
 * The browser bench (`BENCH=browser npm run bench`): the VM bench's cases (bench/vm/cases.ts: the MLP, conv2d,
 * matmul 256 and 1024) in one page of Debian's Chromium, our VM on webgl2, webgpu and the CPU path beside
 * @tensorflow/tfjs on its webgl, webgpu and wasm backends, printing per case and device the median times and
 * the ratio tfjs / ours (>= 1.00: ours is at least as fast). The page half is renderer/src/harness/bench.ts,
 * bundled into the harness page with tfjs; this half builds the web bundle (Vite), serves it, launches Chromium
 * with --enable-unsafe-webgpu (WebGL2 and WebGPU in one page), asks the page for one case at a time and prints.
 *
 * Environment: BENCH_BROWSER_CASES=mlp,conv2d,matmul256,matmul1024  BENCH_BROWSER_DEVICES=webgl2,webgpu,cpu
 * BENCH_BROWSER_RUNS=10  BENCH_BROWSER_WARMUP=3  BENCH_BROWSER_BUDGET_S=10 (per cell)  BENCH_BROWSER_SEED=1
 * BENCH_BROWSER_TOL=1e-4  BENCH_BROWSER_FUSE=1|0 (default: as core/gpu chooses per device)
 * BENCH_BROWSER_BUILD=0 (use dist/web as it is)  BENCH_BROWSER_HEADFUL=1 (under Xvfb)  BENCH_BROWSER_JSON=file.
 * Exit code 1 when outputs disagree beyond the tolerance; a missed speed goal is printed, not failed.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';
import { CASE_IDS } from '../vm/cases.js';
import { REPO, hasChromium, launchBrowser, serveWeb } from '../../e2e/harness.js';
import type { CaseResult, CellResult, CellSpec, DevicePair, TimingSettings } from './protocol.js';
import { DEVICE_PAIRS } from './protocol.js';
import { envList, envNum } from '../env.js';

export interface BrowserSettings extends TimingSettings {
  readonly cases: readonly string[];
  readonly pairs: readonly DevicePair[];
  readonly tol: number;
  readonly build: boolean;
  readonly headful: boolean;
  readonly json: string | undefined;
}

/** The slice of `window.relaxStudio` the bench uses (declared here: this file is type-checked without the DOM). */
interface PageApi {
  devices(): Promise<{ devices: { name: string; available: boolean; detail: string }[]; swiftShader: boolean; userAgent: string }>;
  hasGpuBackend(): boolean;
  loadBench(): Promise<{
    benchCase(id: string, cells: readonly CellSpec[], s: TimingSettings): Promise<CaseResult>;
    describeEngines(): Promise<{ tfjs: string; wasm: string }>;
  }>;
}
type Win = { relaxStudio: PageApi };

/** Reads and checks the BENCH_BROWSER_* settings; throws with what is wrong. */
export function browserSettings(): BrowserSettings {
  const cases = envList('BENCH_BROWSER_CASES', CASE_IDS);
  for (const c of cases)
    if (!(CASE_IDS as readonly string[]).includes(c) && !/^matmul\d+$/.test(c))
      throw new Error(`BENCH_BROWSER_CASES: unknown case "${c}" (expected ${CASE_IDS.join(', ')} or matmulN)`);
  const ids = envList('BENCH_BROWSER_DEVICES', DEVICE_PAIRS.map((p) => p.id));
  const pairs = ids.map((id) => {
    const p = DEVICE_PAIRS.find((d) => d.id === id);
    if (!p) throw new Error(`BENCH_BROWSER_DEVICES: unknown device "${id}" (expected ${DEVICE_PAIRS.map((d) => d.id).join(', ')})`);
    return p;
  });
  const fuse = process.env['BENCH_BROWSER_FUSE'];
  return {
    cases,
    pairs,
    runs: Math.max(1, envNum('BENCH_BROWSER_RUNS', 10)),
    warmup: envNum('BENCH_BROWSER_WARMUP', 3),
    budgetMs: envNum('BENCH_BROWSER_BUDGET_S', 10) * 1000,
    seed: envNum('BENCH_BROWSER_SEED', 1),
    tol: envNum('BENCH_BROWSER_TOL', 1e-4),
    ...(fuse === undefined || fuse === '' ? {} : { fuse: fuse === '1' }),
    build: process.env['BENCH_BROWSER_BUILD'] !== '0',
    headful: process.env['BENCH_BROWSER_HEADFUL'] === '1',
    json: process.env['BENCH_BROWSER_JSON'] || undefined,
  };
}

const fmtMs = (ms: number | undefined): string => (ms === undefined ? '-' : ms >= 100 ? ms.toFixed(1) : ms >= 10 ? ms.toFixed(2) : ms.toFixed(3));
const fmtErr = (e: number | undefined): string => (e === undefined ? '-' : e === 0 ? '0' : e.toExponential(1));

/** One table line per case and device pair. */
function tableLines(results: readonly CaseResult[], pairs: readonly DevicePair[]): string[] {
  const head = ['case', 'device', 'ours ms', 'tfjs ms', 'tfjs/ours', 'err ours', 'err tfjs', 'runs o/t', 'our kernels'];
  const body: string[][] = [];
  for (const r of results)
    for (const p of pairs) {
      const o = r.cells.find((c) => c.engine === 'ours' && c.device === p.ours);
      const t = r.cells.find((c) => c.engine === 'tfjs' && c.device === p.tfjs);
      const ratio = o?.ms !== undefined && t?.ms !== undefined ? (t.ms / o.ms).toFixed(o.ms > t.ms * 10 ? 4 : 2) : '-';
      const cell = (c: CellResult | undefined): string => (c?.ms !== undefined ? fmtMs(c.ms) : (c?.note ?? 'not run'));
      body.push([r.id, `${p.ours}|${p.tfjs}`, cell(o), cell(t), ratio, fmtErr(o?.err), fmtErr(t?.err), `${o?.runs ?? 0}/${t?.runs ?? 0}`, o?.backends ?? '']);
    }
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells: readonly string[]): string => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...body.map(line)];
}

/** Notes under the table: why a cell has no number or fell back, and the speed goal per device. */
function notes(results: readonly CaseResult[], pairs: readonly DevicePair[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of results)
    for (const c of r.cells)
      if (c.detail) {
        const line = `  ${c.engine}/${c.device}: ${c.note}: ${c.detail}`;
        if (seen.has(line)) continue;
        out.push(line);
        seen.add(line);
      }
  for (const p of pairs) {
    const ratios = results.flatMap((r) => {
      const o = r.cells.find((c) => c.engine === 'ours' && c.device === p.ours);
      const t = r.cells.find((c) => c.engine === 'tfjs' && c.device === p.tfjs);
      return o?.ms !== undefined && t?.ms !== undefined ? [{ id: r.id, x: t.ms / o.ms }] : [];
    });
    if (!ratios.length) out.push(`goal (tfjs/ours >= 1.00) on ${p.id}: not measured`);
    else {
      const met = ratios.filter((r) => r.x >= 1);
      out.push(`goal (tfjs/ours >= 1.00) on ${p.id}: ${met.length}/${ratios.length} case(s) met (${ratios.map((r) => `${r.id} ${r.x.toFixed(3)}`).join(', ')})`);
    }
  }
  return out;
}

/** The cells of one case: per device pair, ours (when it can run ours) and tfjs. */
function cellsFor(pairs: readonly DevicePair[], gpu: boolean): CellSpec[] {
  return pairs.flatMap((p): CellSpec[] => [
    ...(gpu || p.ours === 'wasm' ? [{ engine: 'ours' as const, device: p.ours }] : []),
    { engine: 'tfjs' as const, device: p.tfjs },
  ]);
}

/** Builds, serves, launches, runs every case in the page and prints the table. Returns the exit code. */
export async function runBrowserBench(s: BrowserSettings): Promise<number> {
  if (!hasChromium()) {
    console.log('\nBrowser benchmark: skipped (no Chromium at /usr/bin/chromium; set CHROMIUM_PATH)');
    return 0;
  }
  if (s.build) {
    process.stderr.write('browser bench: building the web bundle (vite build) ...\n');
    await viteBuild({ configFile: join(REPO, 'vite.config.ts'), logLevel: 'error' });
  }
  const web = await serveWeb();
  const browser = await launchBrowser({ webgpu: true, headful: s.headful }, 60 * 60_000);
  const results: CaseResult[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(new URL('harness.html', web.url).toString());
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }).document.getElementById('log')?.textContent === 'ready');
    const report = await page.evaluate(() => (globalThis as unknown as Win).relaxStudio.devices());
    const gpu = await page.evaluate(() => (globalThis as unknown as Win).relaxStudio.hasGpuBackend());
    const engines = await page.evaluate(async () => (await (globalThis as unknown as Win).relaxStudio.loadBench()).describeEngines());
    const cells = cellsFor(s.pairs, gpu);
    for (const id of s.cases) {
      process.stderr.write(`browser bench: ${id} on ${cells.map((c) => `${c.engine}/${c.device}`).join(', ')} ...\n`);
      const timing: TimingSettings = { warmup: s.warmup, runs: s.runs, budgetMs: s.budgetMs, seed: s.seed, ...(s.fuse === undefined ? {} : { fuse: s.fuse }) };
      const r = await page.evaluate(
        async ([caseId, cs, st]) => (await (globalThis as unknown as Win).relaxStudio.loadBench()).benchCase(caseId, cs, st),
        [id, cells, timing] as const,
      );
      results.push(r);
    }
    const cpu = os.cpus()[0]?.model ?? 'cpu';
    console.log(`\nBrowser benchmark: median ms of up to ${s.runs} runs after ${s.warmup} warm-up, budget ${s.budgetMs / 1000} s per cell; ${os.cpus().length} x ${cpu}, load ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(`  browser: ${report.userAgent}`);
    for (const d of report.devices) console.log(`  ${d.name}: ${d.available ? d.detail : `unavailable (${d.detail})`}`);
    console.log(`  ours: relax-studio VM, ${gpu ? 'core/gpu (gpu.js) on webgl2 / webgpu, its CPU path (wasm: gpu.js webasm + JS reference) on cpu' : 'no core/gpu in this build: only the CPU path (JS reference kernels) runs'}; build fuse ${s.fuse === undefined ? 'as core/gpu chooses per device' : s.fuse ? 'on' : 'off'}`);
    console.log(`  tfjs: tfjs-core ${engines.tfjs} webgl / webgpu / wasm (${engines.wasm}); fused matMul / conv2d with bias and relu`);
    console.log('  a timed run includes reading the output back to host memory; ratio = tfjs ms / ours ms (>= 1.00: ours at least as fast)');
    for (const l of tableLines(results, s.pairs)) console.log(l);
    for (const n of notes(results, s.pairs)) console.log(n);
    const bad = results.flatMap((r) => r.cells.filter((c) => c.err !== undefined && !(c.err <= s.tol)).map((c) => `${r.id} ${c.engine}/${c.device} (${fmtErr(c.err)})`));
    const compared = results.reduce((n, r) => n + r.cells.filter((c) => c.err !== undefined).length - (r.ref ? 1 : 0), 0);
    if (bad.length) console.log(`MISMATCH (max |a - b| / max |ref| > ${s.tol}): ${bad.join(', ')}`);
    else console.log(`${compared} output(s) cross-checked against ${results[0]?.ref ?? 'the first cell'}: all agree within ${s.tol}`);
    if (s.json) writeFileSync(s.json, `${JSON.stringify({ date: new Date().toISOString(), settings: s, report, engines, gpu, results }, null, 2)}\n`);
    return bad.length ? 1 : 0;
  } finally {
    await browser.close();
    await web.close();
  }
}
