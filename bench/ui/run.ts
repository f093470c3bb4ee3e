/**
 * UI benchmark (not a test): opens a generated 2,000-binding module (bench/generate.ts) in the web build in
 * Chromium and prints the time to first render (open -> nodes on screen) and the frame time while panning, for
 * the default view (large blocks collapsed) and with every block expanded (onlyRenderVisibleElements at work).
 * Goals: first render < 2 s, p95 pan frame < 33 ms. Needs `npm run build:web` first. `UI_BINDINGS=n` to resize.
 *
 * Each view is measured under two compositors:
 * - `software`: Chromium's software compositor (`--disable-gpu-compositing`), what Chromium composites with on a
 *   machine without a GPU (WebGL still runs on SwiftShader). The goal is judged here.
 * - `swiftshader-gl`: the e2e harness's flags, which composite through SwiftShader's emulated GL so that WebGL2 and
 *   WebGPU get a GPU context. No user machine composites this way; its numbers are printed for comparison.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, serveWeb } from '../../e2e/harness.js';
import { generateModule } from '../generate.js';

interface Row {
  readonly view: string;
  readonly compositor: string;
  readonly firstRenderMs: number;
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
}

const COMPOSITORS = [['software', ['--disable-gpu-compositing']], ['swiftshader-gl', []]] as const;

// Browser-side code as strings: this folder is type-checked without DOM types.
const OPEN_AND_WAIT = `async (t) => {
  const t0 = performance.now();
  window.__relaxStudio.open(t);
  await new Promise((resolve) => {
    const check = () => (document.querySelector('[data-testid="node"], [data-testid="collapsed"]') ? resolve() : requestAnimationFrame(check));
    check();
  });
  await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}`;
const START_FRAMES = `() => {
  window.__frames = [];
  window.__stop = false;
  let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}`;
const STOP_FRAMES = `() => { window.__stop = true; return window.__frames.slice(2); }`;

/** Opens the text through the app's test hook and waits for the first node element. */
async function firstRender(page: Page, text: string): Promise<number> {
  return page.evaluate(`(${OPEN_AND_WAIT})(${JSON.stringify(text)})`) as Promise<number>;
}

/** Pans the canvas with the mouse: 4 drags of 60 moves (left, back right, ...), returning every frame time. */
async function panFrames(page: Page): Promise<number[]> {
  const frames: number[] = [];
  const box = (await page.locator('.svelte-flow__pane').boundingBox())!;
  for (let drag = 0; drag < 4; drag++) {
    const dir = drag % 2 === 0 ? -1 : 1;
    await page.evaluate(`(${START_FRAMES})()`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i < 60; i++) await page.mouse.move(box.x + box.width / 2 + dir * i * 15, box.y + box.height / 2 - (i % 20) * 5, { steps: 1 });
    await page.mouse.up();
    frames.push(...((await page.evaluate(`(${STOP_FRAMES})()`)) as number[]));
  }
  return frames;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

async function measure(page: Page, text: string, view: string, compositor: string, expand: boolean): Promise<Row> {
  const firstRenderMs = await firstRender(page, text);
  if (expand) {
    for (const b of await page.locator('[data-testid="collapsed"] .block-toggle').all()) await b.click();
    await page.locator('[data-testid="node"]').first().waitFor();
    await page.getByTestId('fit').click();
    await page.waitForTimeout(500);
  }
  const frames = await panFrames(page);
  return { view, compositor, firstRenderMs, p50: pct(frames, 0.5), p95: pct(frames, 0.95), mean: frames.reduce((a, b) => a + b, 0) / frames.length };
}

/** Runs the UI benchmark and prints its table; returns 1 when a goal is missed. */
export async function runUiBench(): Promise<number> {
  const n = Number(process.env['UI_BINDINGS'] ?? 2000);
  const text = generateModule(n);
  const web = await serveWeb();
  const rows: Row[] = [];
  try {
    for (const [compositor, flags] of COMPOSITORS) {
      const browser = await launchBrowser({ extraArgs: flags }, 300_000);
      try {
        for (const [view, expand] of [['collapsed (default)', false], ['expanded', true]] as const) {
          const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
          await page.goto(web.url);
          await page.getByTestId('palette').waitFor();
          await page.getByTestId('toggle-text').click();
          rows.push(await measure(page, text, view, compositor, expand));
          await page.close();
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await web.close();
  }
  console.log(`\nUI: ${n}-binding module in Chromium (goal, software compositor: first render < 2000 ms, pan p95 < 33 ms)`);
  console.log('compositor      view                  first render   pan p50   pan p95  pan mean');
  const ms = (x: number, w: number, d = 1) => `${x.toFixed(d).padStart(w)} ms`;
  for (const r of rows) console.log(`${r.compositor.padEnd(16)}${r.view.padEnd(22)}${ms(r.firstRenderMs, 9, 0)}${ms(r.p50, 7)}${ms(r.p95, 7)}${ms(r.mean, 7)}`);
  const judged = rows.filter((r) => r.compositor === 'software');
  return judged.every((r) => r.firstRenderMs < 2000 && r.p95 < 33) ? 0 : 1;
}
