/**
 * The gpu.js devices in headless Chromium (issue 4): every shortlist op (e2e/gpu/cases.ts, two bindings of its
 * symbolic dims) and every example model of assets/examples/ gives the JS reference's results on each device the
 * browser has: webgl2 and webgl in a plain launch, webgpu in a launch with --enable-unsafe-webgpu (all on
 * SwiftShader here, on the GPU where there is one). float32 within 1e-4 relative, transcendental ops 1e-3;
 * integers and bools exactly. A kernel that runs off the device must say why. A device the browser lacks, or a
 * build without core/gpu, is skipped with a one-line reason, never passed. The harness page's device report and
 * the results are saved as screenshots (test-results/screenshots/gpu-*.png).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { allOps } from '../core/ir/op/registry.js';
import '../core/ir/op/all.js';
import type { DeviceReport } from '../renderer/src/harness/devices.js';
import type { ResultRow } from '../renderer/src/harness/report.js';
import type { RunOptions, RunResult } from '../renderer/src/harness/run.js';
import { REPO, hasChromium, launchBrowser, screenshot, serveWeb } from './harness.js';
import type { GpuCase } from './gpu/cases.js';
import { exampleCases, opCases } from './gpu/cases.js';
import { compareOutputs, kernelSummary, silentFallbacks } from './gpu/compare.js';
import { devices, hasGpuBackend, openHarness, runIn, showResults } from './gpu/page.js';

const OPS = opCases();
const EXAMPLES = exampleCases();
const refs = new Map<string, RunResult>();

const symText = (o: RunOptions): string => Object.entries(o.sym ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/** Why `device` cannot be tested in this page, or undefined when it can. */
function skipReason(report: DeviceReport, gpu: boolean, device: string): string | undefined {
  const d = report.devices.find((x) => x.name === device);
  if (!d?.available) return `${device}: not available in this browser (${d?.detail ?? 'not detected'})`;
  if (!gpu) return `${device}: core/gpu (the gpu.js backend) is not in this build yet, so nothing would run on ${device}`;
  return undefined;
}

/** The JS reference's result for run `i` of a case (computed once, shared by every device and launch). */
async function reference(page: Page, c: GpuCase, i: number, opts: RunOptions): Promise<RunResult> {
  const key = `${c.name}#${i}`;
  let r = refs.get(key);
  if (!r) {
    r = await runIn(page, c.text, { ...opts, device: 'js' });
    refs.set(key, r);
  }
  return r;
}

/** Runs every case on `device`, compares with the reference; returns the problems and adds result rows. */
async function check(page: Page, device: string, cases: readonly GpuCase[], rows: ResultRow[]): Promise<{ problems: string[]; onDevice: number }> {
  const problems: string[] = [];
  let onDevice = 0;
  let kernels = 0;
  const reasons = new Set<string>();
  for (const c of cases) {
    for (const [i, run] of c.runs.entries()) {
      const opts: RunOptions = { ...c.opts, ...run };
      const what = `${c.name}${symText(opts) ? ` (${symText(opts)})` : ''}`;
      let problem: string | undefined;
      let detail = '';
      try {
        const want = await reference(page, c, i, opts);
        const got = await runIn(page, c.text, { ...opts, device: device as RunOptions['device'] });
        detail = kernelSummary(got);
        onDevice += got.kernels.filter((k) => k.backend === device).length;
        kernels += got.kernels.length;
        for (const k of got.kernels) if (k.backend !== device && k.fallbackReason) reasons.add(k.fallbackReason.replace(/^[\w.]+: /, ''));
        const silent = silentFallbacks(got, device);
        problem =
          got.note ??
          compareOutputs(got, want, c.rtol) ??
          (silent.length ? `kernels off ${device} without a reason: ${silent.map((k) => `${k.name} on ${k.backend}`).join(', ')}` : undefined);
      } catch (e) {
        problem = e instanceof Error ? e.message.split('\n').slice(0, 3).join(' ') : String(e);
      }
      rows.push({ case: what, device, status: problem ? 'mismatch' : 'ok', detail: problem ?? detail });
      if (problem) problems.push(`${device} ${what}: ${problem}`);
    }
  }
  console.log(`${device}: ${cases.length} case(s), ${kernels} kernel(s) compiled, ${onDevice} ran on ${device}; fallbacks: ${[...reasons].join(' | ') || 'none'}`);
  return { problems, onDevice };
}

/** One browser launch: a harness page, its device report, and per device a test for the ops and the examples. */
function deviceSuite(title: string, webgpu: boolean, tested: readonly string[]): void {
  describe.skipIf(!hasChromium())(title, () => {
    let browser: Browser;
    let web: Awaited<ReturnType<typeof serveWeb>>;
    let page: Page;
    let report: DeviceReport;
    let gpu = false;
    const rows: ResultRow[] = [];
    beforeAll(async () => {
      web = await serveWeb();
      browser = await launchBrowser({ webgpu }, 170_000);
      page = await openHarness(browser, web.url);
      report = await devices(page);
      gpu = await hasGpuBackend(page);
    });
    afterAll(async () => {
      if (rows.length) {
        const dir = join(REPO, 'test-results');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `gpu-${webgpu ? 'webgpu' : 'webgl'}-results.json`), `${JSON.stringify(rows, null, 1)}\n`);
      }
      if (page && rows.length) {
        await showResults(page, rows).catch(() => undefined);
        await screenshot(page, `gpu-${webgpu ? 'webgpu' : 'webgl'}-results`).catch(() => undefined);
      }
      await browser?.close();
      await web?.close();
    });

    it('reports which devices this browser has, and why one is missing', async () => {
      expect(report.devices.map((d) => d.name)).toEqual(['webgpu', 'webgl2', 'webgl']);
      for (const d of report.devices) expect(d.detail, d.name).not.toBe('');
      expect(await page.getByTestId('device-report').locator('tr').count()).toBe(5); // header, 3 GPU paths, the reference
      const table = await page.getByTestId('device-report').textContent();
      for (const d of report.devices) expect(table).toContain(d.detail);
      if (webgpu) expect(report.devices[0]!.available, report.devices[0]!.detail).toBe(true);
      await screenshot(page, `gpu-${webgpu ? 'webgpu' : 'webgl'}-devices`);
    });

    it('the JS reference runs every case in the page (the results each device is compared with)', async () => {
      const problems: string[] = [];
      for (const c of [...OPS, ...EXAMPLES])
        for (const [i, run] of c.runs.entries()) {
          const r = await reference(page, c, i, { ...c.opts, ...run }).catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
          if (typeof r === 'string') problems.push(`${c.name} #${i}: ${r}`);
          else if (!r.outputs.length || r.kernels.some((k) => k.backend !== 'js')) problems.push(`${c.name} #${i}: no outputs, or a kernel off the reference`);
        }
      expect(problems).toEqual([]);
    });

    for (const device of tested) {
      const guard = (ctx: TestContext): void => {
        const why = skipReason(report, gpu, device);
        if (why) {
          console.warn(`skipped: ${why}`);
          rows.push({ case: 'all', device, status: 'skipped', detail: why });
          ctx.skip(why);
        }
      };
      it(`${device}: every shortlist op equals the JS reference at two bindings`, async (ctx) => {
        guard(ctx);
        const r = await check(page, device, OPS, rows);
        expect(r.problems).toEqual([]);
        expect(r.onDevice, `no kernel ran on ${device}`).toBeGreaterThan(0);
      });
      it(`${device}: every example model equals the JS reference`, async (ctx) => {
        guard(ctx);
        const r = await check(page, device, EXAMPLES, rows);
        expect(r.problems).toEqual([]);
      });
      it(`${device}: the CNN profiles with a backend per row, fused kernels, and nothing rebuilt over repeats`, async (ctx) => {
        guard(ctx);
        const cnn = EXAMPLES.find((e) => e.name === 'cnn.tvmscript')!;
        const r = await runIn(page, cnn.text, { ...cnn.opts, device: device as RunOptions['device'], repeat: 3, profile: true });
        const kernelRows = r.profile!.filter((row) => row.backend !== 'host');
        expect(kernelRows.length).toBeGreaterThan(0);
        expect(kernelRows.filter((row) => row.backend.split('+').includes(device)).length, JSON.stringify(kernelRows)).toBeGreaterThan(0);
        expect(kernelRows.some((row) => row.nodes.length > 1), 'a fused kernel is attributed to its source nodes').toBe(true);
        expect(r.kernelBuilds.length, 'core/gpu reports kernelBuilds').toBe(3);
        expect(new Set(r.kernelBuilds).size, `device kernels built after each run: ${r.kernelBuilds.join(', ')}`).toBe(1);
      });
    }
  });
}

describe('the GPU case table', () => {
  it('covers every shortlist op, each at two or more bindings', () => {
    const covered = new Set(OPS.flatMap((c) => c.ops));
    const missing = allOps().filter((o) => o.shortlist && !covered.has(o.name)).map((o) => o.name);
    expect(missing).toEqual([]);
    for (const c of OPS) expect(c.runs.length, c.name).toBeGreaterThanOrEqual(2);
    expect(EXAMPLES.map((e) => e.name)).toContain('cnn.tvmscript');
  });
});

deviceSuite('GPU devices in headless Chromium: WebGL2 and WebGL', false, ['webgl2', 'webgl']);
deviceSuite('GPU devices in headless Chromium: WebGPU (--enable-unsafe-webgpu)', true, ['webgpu']);
