// The shell's layout as a person uses it: the canvas takes most of the window and an opened graph is shown at a
// readable zoom; the right column resizes with its splitter (kept across a reload); the text pane and inspector
// toggle from the toolbar and the keyboard; the version history keeps and restores a version.
// Screenshots: test-results/screenshots/editor-layout-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, hasChromium, screenshot, useWebSession } from './harness.js';
import { MODULE, cursorAtEndOf, pasteText, waitForNode } from './text-helpers.js';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';

const skip = !hasChromium();

interface Hook {
  open(text: string, path?: string): void;
  state(): { text: string };
}
const width = async (page: Page, testid: string) => (await page.locator(testid).boundingBox())?.width ?? 0;
const zoom = (page: Page) =>
  page.locator('.svelte-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);

describe.skipIf(skip)('editor layout', () => {
  const session = useWebSession();

  async function fresh(): Promise<Page> {
    const context = await session.browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(session.url);
    await page.getByTestId('text-pane').locator('.cm-content').waitFor();
    return page;
  }

  it('gives the canvas most of the width, opens graphs readably, and resizes and toggles the panes', async () => {
    const page = await fresh();
    const mlp = readFileSync(join(REPO, 'assets/examples/mlp.tvmscript'), 'utf8');
    await page.evaluate((t) => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.open(t, '/mlp.tvmscript'), mlp);
    await waitForNode(page, 'lv2');
    expect(await width(page, '.center')).toBeGreaterThan(1600 * 0.55);
    await expect.poll(() => zoom(page), { timeout: 5000 }).toBeGreaterThanOrEqual(0.6);
    await screenshot(page, 'editor-layout-open');

    // Drag the splitter 200 px left: the right column grows by 200 px, and keeps its size over a reload.
    const side0 = await width(page, '.side');
    const bar = (await page.getByTestId('splitter-side').boundingBox())!;
    await page.mouse.move(bar.x + 2, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(bar.x - 100, bar.y + 300, { steps: 4 });
    await page.mouse.move(bar.x - 198, bar.y + 300, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => width(page, '.side')).toBeCloseTo(side0 + 200, -1);
    await page.reload();
    await page.getByTestId('text-pane').waitFor();
    expect(await width(page, '.side')).toBeCloseTo(side0 + 200, -1);

    // Text pane off (button) and on (Ctrl+\); inspector off gives the canvas the whole width.
    const center0 = await width(page, '.center');
    await page.getByTestId('toggle-text').click();
    await expect(page.getByTestId('text-pane').count()).resolves.toBe(0);
    await page.getByTestId('toggle-inspector').click();
    await expect(page.getByTestId('inspector').count()).resolves.toBe(0);
    expect(await width(page, '.center')).toBeGreaterThan(center0 + 300);
    await screenshot(page, 'editor-layout-canvas-only');
    await page.keyboard.press('Control+\\');
    await page.getByTestId('text-pane').waitFor();
    await page.getByTestId('toggle-inspector').click();
    await page.getByTestId('inspector').waitFor();
    await page.context().close();
  });

  it('keeps a version and restores it from the history panel', async () => {
    const page = await fresh();
    await pasteText(page, MODULE);
    await waitForNode(page, 'y');
    await page.waitForTimeout(800); // the pasted text reaches the store and autosave
    await page.getByTestId('toggle-versions').click();
    await page.getByTestId('version-keep').click();
    await expect.poll(() => page.getByTestId('version').count()).toBeGreaterThan(0);
    const kept = await page.evaluate(() => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.state().text);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('later = R.exp(y)');
    await waitForNode(page, 'later');
    await page.locator('[data-testid="version"][data-reason="manual"] [data-testid="version-restore"]').first().click();
    await expect.poll(() => page.locator('[data-testid="node"][data-var="later"]').count()).toBe(0);
    const text = await page.evaluate(() => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.state().text);
    expect(text).toBe(printModule(parse(kept, { loose: true }).module!)); // a restore shows the text canonically
    // The work before the restore is kept as a version too.
    await expect.poll(() => page.locator('[data-testid="version"][data-reason="before-restore"]').count()).toBe(1);
    await screenshot(page, 'editor-layout-history');
    await page.context().close();
  });
});
