/**
 * Build, run and profile from the app, as a person does it (issue 6), in Chromium on the web build:
 * - open the CNN example, Build, read the VM listing and a node's PrimFunc and kernel source;
 * - run it on the CPU path and on webgl2 with .npy inputs: timing badges on the nodes, a profile table whose rows
 *   name their nodes, and outputs equal to `relax-studio run` on the same files (the saved .npy compared value by
 *   value); a long-task observer shows the page never froze for more than 100 ms during the worker run;
 * - cancel a long run and run again;
 * - the seed's example with its packed function;
 * - bad inputs (a .npy of the wrong shape, an unbound symbolic dim, a packed function that throws) put a message on
 *   the right field or node, and the project is untouched.
 * Screenshots land in test-results/screenshots/run-*.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, REPO, screenshot, serveWeb } from './harness.js';
import { readNpy, writeNpy } from '../core/vm/npy.js';
import { Tensor } from '../core/vm/tensor.js';

const skip = !hasChromium();
const RUN_TIMEOUT = 90_000;

interface Hook {
  open(text: string, path?: string): void;
  state(): { text: string; dirty: boolean; packed: Record<string, string> };
}

/** Deterministic values in [-1, 1) (a small LCG), so the app and the CLI get the same files. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const CNN_INPUTS: Record<string, number[]> = { x: [1, 3, 16, 16], w1: [8, 3, 3, 3], b1: [1, 8, 1, 1], w2: [16, 8, 3, 3], wf: [16, 10], bf: [1, 10] };

/** Writes one .npy per input into a fresh folder; returns name -> path. */
function writeInputs(shapes: Record<string, number[]>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'relax-run-e2e-'));
  const out: Record<string, string> = {};
  Object.entries(shapes).forEach(([name, shape], i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const path = join(dir, `${name}.npy`);
    writeFileSync(path, writeNpy(Tensor.from(shape, 'float32', Array.from(values(size, 17 + i)))));
    out[name] = path;
  });
  return out;
}

/** `relax-studio run` on the same files; returns output 0 as a Tensor. */
function cliRun(file: string, inputs: Record<string, string>, extra: string[] = []): Tensor {
  const dir = mkdtempSync(join(tmpdir(), 'relax-run-cli-'));
  const args = ['cli/relax-studio.mjs', 'run', file, '--device', 'js', '--save-outputs', dir, ...extra];
  for (const [name, path] of Object.entries(inputs)) args.push('--input', `${name}=${path}`);
  execFileSync(process.execPath, args, { cwd: REPO, stdio: 'pipe' });
  return readNpy(readFileSync(join(dir, 'output0.npy')), 'output0.npy');
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(want[i]!));
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) expect.fail(`value ${i}: ${got[i]} differs from ${want[i]} by more than ${tol}`);
  }
}

describe.skipIf(skip)('build, run and profile in the app', () => {
  // One browser per test: the harness kills a browser 60 s after its launch, and each test here may take most of that.
  let web: Awaited<ReturnType<typeof serveWeb>>;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    web = await serveWeb();
  });
  afterAll(async () => web?.close());
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    context = undefined;
  });

  /** A fresh browser and profile (its own IndexedDB), the app loaded. */
  async function fresh(): Promise<Page> {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('pageerror', e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(web.url);
    await page.getByTestId('palette').waitFor();
    return page;
  }

  async function openExample(page: Page, file: string): Promise<void> {
    await page.getByTestId('examples').selectOption(file);
    await page.locator('[data-testid="node"]').first().waitFor();
  }

  /** Shows the dock (hidden at first) on one of its tabs. */
  async function dock(page: Page, tab: 'build' | 'run' | 'compare' | 'packed'): Promise<void> {
    const opener = page.getByTestId('dock-open');
    if (await opener.isVisible()) await opener.click();
    await page.locator(`[data-testid="dock-tab"][data-tab="${tab}"]`).click();
  }

  const status = (page: Page) => page.getByTestId('run-status');
  async function runToEnd(page: Page): Promise<string> {
    await page.getByTestId('run').click();
    await expect.poll(async () => (await status(page).textContent()) ?? '', { timeout: RUN_TIMEOUT }).toMatch(/(done|failed: .*|cancelled)$/);
    return (await status(page).textContent()) ?? '';
  }

  async function chooseNpy(page: Page, inputs: Record<string, string>): Promise<void> {
    for (const [name, path] of Object.entries(inputs)) {
      const row = page.getByTestId(`input-${name}`);
      await row.locator('select').selectOption('npy');
      await row.locator('input[type=file]').setInputFiles(path);
    }
  }

  async function savedOutput(page: Page, index = 0): Promise<Tensor> {
    const download = page.waitForEvent('download');
    await page.getByTestId('output-summary').nth(index).getByTestId('save-npy').click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/\.npy$/);
    const path = await d.path();
    return readNpy(readFileSync(path), d.suggestedFilename());
  }

  const hook = (page: Page) => page.evaluate(() => {
    const s = (window as unknown as { __relaxStudio: Hook }).__relaxStudio.state();
    return { text: s.text, dirty: s.dirty, packed: s.packed };
  });

  it('builds the CNN: the VM listing links calls to nodes, and a node shows its PrimFunc and kernel source', async () => {
    const page = await fresh();
    await openExample(page, 'cnn.tvmscript');
    await page.getByTestId('build').click();
    const listing = page.getByTestId('vm-listing');
    await listing.waitFor({ timeout: RUN_TIMEOUT });
    await expect.poll(() => listing.textContent()).toContain('@main:');
    const linked = listing.locator('[data-testid="listing-line"][data-nodes~="lv0"]');
    expect(await linked.count()).toBeGreaterThan(0);
    expect(await linked.first().textContent()).toMatch(/call\s+\S+\s+in:/);

    // Clicking a call line selects its node on the canvas; the kernel pane shows that node's PrimFunc.
    await linked.first().click();
    await page.locator('[data-testid="node"][data-var="lv0"]').waitFor();
    const primfunc = page.getByTestId('primfunc');
    await expect.poll(() => primfunc.textContent()).toMatch(/@T\.prim_func/);
    expect(await primfunc.textContent()).toMatch(/T\.block|T\.sblock|for /);
    expect(((await page.getByTestId('kernel-source').textContent()) ?? '').length).toBeGreaterThan(40);
    await screenshot(page, 'run-cnn-build');
  });

  it('badges the node a compile error comes from', async () => {
    const page = await fresh();
    await page.evaluate((text) => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.open(text), `# from tvm.script import relax as R
@R.function
def main(x: R.Tensor(dtype="float32"), w: R.Tensor((2, 3), dtype="float32")):
    y = R.nn.relu(x)
    z = R.exp(w)
    return (y, z)
`);
    await page.locator('[data-testid="node"][data-var="y"]').waitFor();
    await page.getByTestId('build').click();
    await expect.poll(() => page.getByTestId('build-view').getByTestId('diagnostic').first().textContent(), { timeout: RUN_TIMEOUT }).toMatch(/B601/);
    await expect.poll(() => page.locator('[data-testid="node"][data-var="y"] [data-testid="diagnostic"]').count()).toBe(1);
    expect(await page.locator('[data-testid="node"][data-var="z"] [data-testid="diagnostic"]').count()).toBe(0);
    await screenshot(page, 'run-compile-error');
  });

  for (const device of ['cpu', 'webgl2'] as const) {
    it(`runs the CNN on ${device}: badges, a profile naming nodes, outputs equal to the CLI's, no long task over 100 ms`, async () => {
      const inputs = writeInputs(CNN_INPUTS);
      const want = cliRun('assets/examples/cnn.tvmscript', inputs);
      const page = await fresh();
      await openExample(page, 'cnn.tvmscript');
      await dock(page, 'run');
      await chooseNpy(page, inputs);
      await page.getByTestId('run-device').selectOption(device);
      await page.getByTestId('fit').click();
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
      });
      // Cross-origin isolated (vite.config.ts headers): the worker's timers are fine enough for per-kernel times.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const final = await runToEnd(page);
      expect(final).toMatch(/ · done$/);
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      expect(Math.max(0, ...longTasks), `long tasks: ${longTasks.join(', ')}`).toBeLessThanOrEqual(100);

      // Timing badges on the nodes, with a time in their text.
      const badges = page.getByTestId('node-timing');
      await expect.poll(() => badges.count()).toBeGreaterThan(3);
      expect(await badges.first().textContent()).toMatch(/\d+(\.\d+)?\s*(us|µs|ms|s)\b/);
      // GPU devices fuse: each fused kernel is outlined around its nodes with its total.
      if (device === 'webgl2') expect(await page.getByTestId('fused-group').first().textContent()).toMatch(/^fused_\w+ · \d/);

      // The profile table: one row per kernel, each naming graph nodes that exist.
      const rows = page.getByTestId('profile-row');
      await expect.poll(() => rows.count()).toBeGreaterThan(3);
      // Times are measured, not quantized to the coarse 100 us of a non-isolated page: not all multiples of 100.
      const durations = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[1]?.textContent)));
      expect(durations.some((d) => d > 0 && Math.abs(d / 100 - Math.round(d / 100)) > 1e-6), durations.join(', ')).toBe(true);
      const named = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-nodes') ?? ''));
      const kernelRows = named.filter((n) => n !== '');
      expect(kernelRows.length).toBeGreaterThan(3);
      for (const n of kernelRows.flatMap((s) => s.split(' '))) expect(n).toMatch(/^(lv\d|gv)$/);
      // Selecting a row selects its nodes.
      await rows.and(page.locator('[data-nodes~="lv4"]')).first().click();
      await expect.poll(() => page.locator('[data-testid="node"][data-var="lv4"]').evaluate((el) => el.closest('.svelte-flow__node')?.classList.contains('selected'))).toBe(true);

      // Outputs: the summary, and the saved .npy equals the CLI's output.
      const summary = page.getByTestId('output-summary').first();
      expect(await summary.textContent()).toMatch(/float32/);
      const got = await savedOutput(page);
      expect(got.shape).toEqual([1, 10]);
      expectClose(got.data, want.data, device === 'cpu' ? 1e-5 : 1e-4);

      // The top-kernel chart draws the slowest kernel first (the table is sorted slowest first); the heat scale switches to log; the trace exports as Chrome trace JSON.
      expect(await page.getByTestId('top-kernel').count()).toBeGreaterThan(3);
      expect(await page.getByTestId('top-kernel').first().getAttribute('data-name')).toBe(await rows.first().getAttribute('data-name'));
      const legend = () => page.getByTestId('heat-legend').textContent();
      const linear = await legend();
      await page.getByTestId('scale-log').click();
      await expect.poll(legend).not.toBe(linear);
      const download = page.waitForEvent('download');
      await page.getByTestId('export-trace').click();
      const trace = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { traceEvents: { ph: string; name: string }[] };
      expect(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => e.name)).toContain('conv2d1');
      await screenshot(page, `run-cnn-${device}`);

      if (device !== 'cpu') return;
      // A second run on another device, then the two side by side in the run history.
      await page.getByTestId('run-device').selectOption('wasm');
      expect(await runToEnd(page)).toMatch(/ · done$/);
      await dock(page, 'compare');
      const compareRows = page.getByTestId('compare-row');
      await expect.poll(() => compareRows.count()).toBeGreaterThan(3);
      expect(await compareRows.first().getAttribute('data-change')).toMatch(/^(faster|slower|same)$/);
      await screenshot(page, 'run-compare');
    });
  }

  it('cancels a long run, then runs again', async () => {
    const page = await fresh();
    const n = 256;
    await page.evaluate((text) => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.open(text), `# from tvm.script import relax as R
@R.function
def main(a: R.Tensor((${n}, ${n}), dtype="float32"), b: R.Tensor((${n}, ${n}), dtype="float32")) -> R.Tensor((${n}, ${n}), dtype="float32"):
    c = R.matmul(a, b)
    return c
`);
    await page.locator('[data-testid="node"][data-var="c"]').waitFor();
    await dock(page, 'run');
    await page.getByTestId('run-device').selectOption('cpu');
    // Long enough (a minute or more) that it is still running when Stop is pressed, however fast the machine.
    await page.getByTestId('run-repeat').fill('1000');
    await page.getByTestId('run').click();
    await expect.poll(async () => (await status(page).textContent()) ?? '', { timeout: RUN_TIMEOUT }).toMatch(/^running \d+\/1001/);
    await page.getByTestId('run-stop').click();
    await expect.poll(async () => status(page).textContent()).toBe('cancelled');
    await page.getByTestId('run-repeat').fill('1');
    expect(await runToEnd(page)).toMatch(/ · done$/);
    await expect.poll(() => page.getByTestId('node-timing').count()).toBeGreaterThan(0);
    await screenshot(page, 'run-cancel-rerun');
  });

  it("runs the seed's example with its packed function, editable in the project", async () => {
    const inputs = writeInputs({ w: [3, 4] });
    const page = await fresh();
    await openExample(page, 'seed.tvmscript');
    expect(Object.keys((await hook(page)).packed)).toEqual(['custom_inplace_update']);
    await dock(page, 'run');
    await page.getByTestId('sym-n').fill('2');
    await page.getByTestId('sym-k').fill('3');
    await page.getByTestId('input-x').locator('select').selectOption('ones');
    await chooseNpy(page, inputs);
    await page.getByTestId('run-device').selectOption('cpu');
    expect(await runToEnd(page)).toMatch(/ · done$/);
    const got = await savedOutput(page);
    const w = readNpy(readFileSync(inputs['w']!), 'w.npy').data;
    // exp(flatten(ones(2, 3) @ w)), then v[i] = 2 v[i] + i in place.
    const want = Array.from({ length: 8 }, (_, i) => {
      const col = i % 4;
      return 2 * Math.exp(w[col]! + w[4 + col]! + w[8 + col]!) + i;
    });
    expect(got.shape).toEqual([8]);
    expectClose(got.data, want, 1e-4);
    await dock(page, 'packed');
    await page.locator('[data-testid="packed-fn"][data-name="custom_inplace_update"]').waitFor();
    await screenshot(page, 'run-seed-packed');
    // Saved with the project: a reload brings the packed function back.
    await page.waitForTimeout(800); // autosave's debounce
    await page.reload();
    await page.getByTestId('palette').waitFor();
    await expect.poll(async () => Object.keys((await hook(page)).packed)).toEqual(['custom_inplace_update']);
  });

  it('bad inputs put the message on the field or node, and the project is untouched', async () => {
    const page = await fresh();
    await openExample(page, 'seed.tvmscript');
    const before = await hook(page);
    await dock(page, 'run');
    await page.getByTestId('run-device').selectOption('cpu');
    const fieldError = (field: string) => page.locator(`[data-testid="field-error"][data-field="${field}"]`);

    // An unbound symbolic dim.
    await page.getByTestId('sym-k').fill('3');
    await page.getByTestId('input-x').locator('select').selectOption('ones');
    await chooseNpy(page, writeInputs({ w: [3, 4] }));
    await page.getByTestId('sym-n').fill('');
    expect(await runToEnd(page).catch(() => status(page).textContent())).not.toMatch(/done$/);
    await expect.poll(() => fieldError('sym.n').textContent()).toMatch(/\bn\b/);

    // A .npy of the wrong shape: w must be (k, m) with k = 3.
    await page.getByTestId('sym-n').fill('2');
    await chooseNpy(page, writeInputs({ w: [5, 4] }));
    expect(await runToEnd(page)).toMatch(/^failed: /);
    await expect.poll(() => fieldError('inputs.w').textContent()).toMatch(/input `w` must match `lv0 = R\.match_cast\(w, .*expected dimension 0 to be 3, but got 5/);
    await expect.poll(() => page.locator('[data-testid="node"][data-var="lv0"] [data-testid="diagnostic"]').count()).toBe(1);
    await screenshot(page, 'run-bad-npy');
    // A .npy of the wrong rank for x, which is annotated (n, k): refused before running, on x's field.
    await chooseNpy(page, writeInputs({ x: [2, 3, 1], w: [3, 4] }));
    expect(await runToEnd(page)).toMatch(/^failed: /);
    await expect.poll(() => fieldError('inputs.x').textContent()).toMatch(/rank 2, not 3/);
    await page.getByTestId('input-x').locator('select').selectOption('ones');

    // A packed function that throws, typed into the packed-function editor: the message on the function, a badge on
    // the node that calls it.
    await chooseNpy(page, writeInputs({ w: [3, 4] }));
    await dock(page, 'packed');
    await page.locator('[data-testid="packed-fn"][data-name="custom_inplace_update"] button.name').click();
    await page.getByTestId('packed-source').locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('function (t) { throw new Error("boom: negative sizes are not supported"); }');
    await page.getByTestId('run-status').click(); // blur: the editor saves
    await expect.poll(async () => (await hook(page)).packed['custom_inplace_update']).toMatch(/boom/);
    expect(await runToEnd(page)).toMatch(/^failed: .*custom_inplace_update/);
    await expect.poll(() => fieldError('packed.custom_inplace_update').textContent()).toMatch(/boom/);
    const badged = page.locator('[data-testid="node"]').filter({ has: page.getByTestId('diagnostic') });
    await expect.poll(() => badged.count()).toBe(1);
    expect(await badged.first().getAttribute('title')).toBeDefined();
    await screenshot(page, 'run-bad-packed');

    const after = await hook(page);
    expect(after.text).toBe(before.text);
    expect(after.dirty).toBe(before.dirty);
  });
});
