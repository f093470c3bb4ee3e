/**
 * Driving the VM harness page (renderer/harness.html) from a test or the browser bench: open it, wait until the
 * device report is up, and call `window.relaxStudio` through typed wrappers.
 */
import type { Browser, Page } from 'playwright-core';
import type { HarnessApi } from '../../renderer/src/harness/main.js';
import type { RunOptions, RunResult } from '../../renderer/src/harness/run.js';
import type { DeviceReport } from '../../renderer/src/harness/devices.js';
import type { ResultRow } from '../../renderer/src/harness/report.js';

type Win = { relaxStudio: HarnessApi };

/** Opens the harness page of the served build at `baseUrl` and waits until it is ready. */
export async function openHarness(browser: Browser, baseUrl: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`harness page error: ${e.message}`));
  await page.goto(new URL('harness.html', baseUrl).toString());
  await page.waitForFunction(() => document.getElementById('log')?.textContent === 'ready', undefined, { timeout: 30_000 });
  return page;
}

/** The page's device report. */
export function devices(page: Page): Promise<DeviceReport> {
  return page.evaluate(() => (window as unknown as Win).relaxStudio.devices());
}

/** True when the build contains core/gpu. */
export function hasGpuBackend(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as Win).relaxStudio.hasGpuBackend());
}

/** `relaxStudio.run(text, opts)` in the page. */
export function runIn(page: Page, text: string, opts: RunOptions): Promise<RunResult> {
  return page.evaluate(([t, o]) => (window as unknown as Win).relaxStudio.run(t, o), [text, opts] as const);
}

/** Shows a results table in the page (for the screenshot). */
export function showResults(page: Page, rows: readonly ResultRow[]): Promise<void> {
  return page.evaluate((r) => (window as unknown as Win).relaxStudio.showResults(r), rows);
}
