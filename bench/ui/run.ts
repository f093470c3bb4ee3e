/**
 * UI benchmark (not a test): opens a generated 2,000-binding module (bench/generate.ts) in the web build in
 * Chromium and prints the time to first render (open -> nodes on screen) and the frame time while panning, for
 * the default view (large blocks collapsed) and with every block expanded (onlyRenderVisibleElements at work).
 * Goals: first render < 2 s, p95 pan frame < 33 ms, judged on the software compositor for the default view (the
 * module as it opens); the expanded view is printed as a stress row with its own verdict. Needs `npm run build:web`
 * first. `UI_BINDINGS=n` to resize.
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
  readonly frames: number;
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

/** Drags per view: left and back right, six times; each drag is 60 mouse moves, one every 16 ms (a 60 Hz mouse). */
const DRAGS = 12;
const MOVES = 60;
const MOVE_EVERY_MS = 16;

/**
 * Pans the canvas with the mouse and returns the frame times (rAF deltas) seen during the drags. The moves go
 * straight to Chromium's input (CDP Input.dispatchMouseEvent) on a 16 ms clock without waiting for each to be
 * handled, as a real mouse does: awaiting each move, as page.mouse.move does, takes ~80 ms a round trip here, so
 * most frames would be idle ones and the pan would never be asked for more than ~12 moves a second.
 */
async function panFrames(page: Page): Promise<number[]> {
  const frames: number[] = [];
  const cdp = await page.context().newCDPSession(page);
  const box = (await page.locator('.svelte-flow__pane').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const mouse = (type: 'mouseMoved' | 'mousePressed' | 'mouseReleased', x: number, y: number, buttons: number) =>
    cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons, clickCount: type === 'mouseMoved' ? 0 : 1 });
  try {
    for (let drag = 0; drag < DRAGS; drag++) {
      const dir = drag % 2 === 0 ? -1 : 1;
      await mouse('mouseMoved', cx, cy, 0);
      await page.evaluate(`(${START_FRAMES})()`);
      await mouse('mousePressed', cx, cy, 1);
      const sent: Promise<unknown>[] = [];
      for (let i = 1; i <= MOVES; i++) {
        sent.push(mouse('mouseMoved', cx + dir * i * 15, cy - (i % 20) * 5, 1));
        await new Promise((r) => setTimeout(r, MOVE_EVERY_MS));
      }
      await Promise.all(sent);
      await mouse('mouseReleased', cx + dir * MOVES * 15, cy, 0);
      frames.push(...((await page.evaluate(`(${STOP_FRAMES})()`)) as number[]));
    }
  } finally {
    await cdp.detach();
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
  return { view, compositor, firstRenderMs, p50: pct(frames, 0.5), p95: pct(frames, 0.95), mean: frames.reduce((a, b) => a + b, 0) / frames.length, frames: frames.length };
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
  console.log('compositor      view                  first render   pan p50   pan p95  pan mean  frames');
  const ms = (x: number, w: number, d = 1) => `${x.toFixed(d).padStart(w)} ms`;
  for (const r of rows) console.log(`${r.compositor.padEnd(16)}${r.view.padEnd(22)}${ms(r.firstRenderMs, 9, 0)}${ms(r.p50, 7)}${ms(r.p95, 7)}${ms(r.mean, 7)}${String(r.frames).padStart(8)}`);
  // The goal is for the module as it opens (the default view) on the software compositor. The expanded view, every
  // block open and fitted at the overview zoom, is a stress row: printed with its own verdict, not judged.
  const verdict = (r: Row) => (r.firstRenderMs < 2000 && r.p95 < 33 ? 'met' : 'not met');
  const judged = rows.filter((r) => r.compositor === 'software' && r.view.startsWith('collapsed'));
  for (const r of rows.filter((x) => x.compositor === 'software')) {
    console.log(`goal, software, ${r.view.trim()}: ${verdict(r)}${judged.includes(r) ? '' : ' (stress row, not judged)'}`);
  }
  return judged.every((r) => verdict(r) === 'met') ? 0 : 1;
}
