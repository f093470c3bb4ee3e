// The shell's layout as a person uses it: the canvas takes most of the window and an opened graph is shown at a
// readable zoom; the right column resizes with its splitter (kept across a reload); the text pane and inspector
// toggle from the toolbar and the keyboard; the version history keeps and restores a version; the minimap draws the
// graph, pans and centres the view, and follows the theme; zoomed far out, cards and edges lose their text.
// Screenshots: test-results/screenshots/editor-layout-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, hasChromium, screenshot, useWebSession } from './harness.js';
import { MODULE, cursorAtEndOf, pasteText, waitForNode } from './text-helpers.js';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';
import { gridOffset } from '../renderer/lib/graph/grid.js';

const skip = !hasChromium();

interface Hook {
  open(text: string, path?: string): void;
  state(): { text: string };
}
const width = async (page: Page, testid: string) => (await page.locator(testid).boundingBox())?.width ?? 0;
const zoom = (page: Page) =>
  page.locator('.svelte-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
const translate = (page: Page) =>
  page.locator('.svelte-flow__viewport').evaluate((el) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(el).transform);
    return { x: m.e, y: m.f };
  });

/** 20 chains of 20 bindings: wider and taller than the view at the opening zoom. */
function chains(): string {
  const lines: string[] = [];
  const outs: string[] = [];
  for (let c = 0; c < 20; c++) {
    for (let i = 0; i < 20; i++) lines.push(`            c${c}_${i} = R.${i % 2 ? 'exp' : 'nn.relu'}(${i ? `c${c}_${i - 1}` : 'x'})`);
    outs.push(`c${c}_19`);
  }
  return `# from tvm.script import ir as I
# from tvm.script import relax as R

@I.ir_module
class Module:
    @R.function
    def main(x: R.Tensor(("n", 16), dtype="float32")):
        n = T.int64()
        with R.dataflow():
${lines.join('\n')}
            gv = (${outs.join(', ')})
            R.output(gv)
        return gv
`;
}

/** The minimap's pixels: how many differ from the corner (its background), and the box of the viewport outline. */
function minimapPixels(page: Page): Promise<{ inked: number; corner: number[]; outline: { x: number; y: number } | null }> {
  return page.getByTestId('minimap').locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const corner = [data[0]!, data[1]!, data[2]!];
    const accent = getComputedStyle(c).getPropertyValue('--accent').trim();
    const a = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
    let inked = 0;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i]! - corner[0]!) + Math.abs(data[i + 1]! - corner[1]!) + Math.abs(data[i + 2]! - corner[2]!) > 12) inked++;
        if (Math.abs(data[i]! - a[0]!) + Math.abs(data[i + 1]! - a[1]!) + Math.abs(data[i + 2]! - a[2]!) < 12) {
          x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
        }
      }
    }
    const dpr = c.width / c.clientWidth;
    return { inked, corner, outline: x0 === Infinity ? null : { x: (x0 + x1) / 2 / dpr, y: (y0 + y1) / 2 / dpr } };
  });
}

describe.skipIf(skip)('editor layout', () => {
  const session = useWebSession();

  async function fresh(initScript?: string): Promise<Page> {
    const context = await session.browser.newContext({ viewport: { width: 1600, height: 900 } });
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(session.url);
    await page.getByTestId('text-pane').locator('.cm-content').waitFor();
    return page;
  }

  /** A fresh page with the 400-binding chains open and fitted. */
  async function openChains(initScript?: string): Promise<Page> {
    const page = await fresh(initScript);
    await page.evaluate((t) => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.open(t), chains());
    await waitForNode(page, 'c0_0');
    await page.waitForTimeout(600); // the opening fit
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

  it('draws the graph on the minimap; dragging it pans, a click centres the view there; it follows the theme', async () => {
    const page = await openChains();
    await page.getByTestId('toggle-text').click();
    const map = page.getByTestId('minimap').locator('canvas');
    const box = (await map.boundingBox())!;
    const before = await minimapPixels(page);
    expect(before.inked).toBeGreaterThan(500); // 400 bindings, the param and the output, each a filled rect
    expect(before.outline).not.toBeNull();

    // A click centres the view on that point: the outline moves there, and the canvas shows other nodes.
    const target = { x: box.width * 0.6, y: box.height / 2 };
    const shownBefore = await page.locator('[data-testid="node"]').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-var')).join());
    await map.click({ position: target });
    await expect.poll(async () => (await minimapPixels(page)).outline?.x ?? 0, { timeout: 5000 }).toBeCloseTo(target.x, -1);
    const after = await minimapPixels(page);
    expect(Math.abs(after.outline!.y - target.y)).toBeLessThan(6);
    await expect.poll(() => page.locator('[data-testid="node"]').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-var')).join())).not.toBe(shownBefore);
    await screenshot(page, 'editor-layout-minimap');

    // Dragging the minimap to the right moves the view right (the flow moves left on screen).
    const t0 = await translate(page);
    await page.mouse.move(box.x + after.outline!.x, box.y + after.outline!.y);
    await page.mouse.down();
    await page.mouse.move(box.x + after.outline!.x + 15, box.y + after.outline!.y, { steps: 5 });
    await page.mouse.up();
    expect((await translate(page)).x).toBeLessThan(t0.x - 50);

    // The dark theme redraws it on the dark panel colour.
    await page.getByTestId('theme').click();
    await expect.poll(async () => (await minimapPixels(page)).corner.reduce((a, b) => a + b, 0)).toBeLessThan(before.corner.reduce((a, b) => a + b, 0) - 300);
    await screenshot(page, 'editor-layout-minimap-dark');
    await page.context().close();
  });

  it('zoomed far out, cards and edges lose their text (kept in the page); zooming back in brings it back', async () => {
    const page = await openChains();
    const label = page.locator('[data-testid="edge-label"][data-source="c0_0"]');
    const head = page.locator('[data-testid="node"][data-var="c0_1"] .node-head');
    await expect.poll(() => label.isVisible()).toBe(true);
    expect(await head.isVisible()).toBe(true);
    const labels = await page.getByTestId('edge-label').count();
    while ((await zoom(page)) >= 0.4) await page.locator('.svelte-flow__controls-zoomout').click();
    await expect.poll(() => label.isVisible()).toBe(false);
    expect(await head.isVisible()).toBe(false);
    expect(await label.textContent()).toBe('(n, 16) f32');
    expect(await page.getByTestId('edge-label').count()).toBeGreaterThanOrEqual(labels); // more in view, none removed
    expect(await page.locator('[data-testid="node"][data-var="c0_1"]').isVisible()).toBe(true);
    await screenshot(page, 'editor-layout-overview');
    while ((await zoom(page)) < 0.4) await page.locator('.svelte-flow__controls-zoomin').click();
    await expect.poll(() => head.isVisible()).toBe(true);
    await page.context().close();
  });

  it('a drag pan holds the pointer, keeps the mounted cards inside the render window, moves the grid layer and keeps the layer; a zoom drops it', async () => {
    // Counts wheel listeners added (xyflow re-registered its wheel handler on every viewport change, which made
    // Chromium repaint the whole canvas each pan frame; patches/@xyflow+svelte+1.7.0.patch) and remembers the pointer.
    const page = await openChains(`
      window.__wheelAdds = 0;
      const add = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (type, ...rest) {
        if (type === 'wheel') window.__wheelAdds++;
        return add.call(this, type, ...rest);
      };
      addEventListener('pointerdown', (e) => { window.__pointer = e.pointerId; }, true);
    `);
    const canvas = page.getByTestId('canvas');
    const pane = page.locator('.svelte-flow__pane');
    const node = page.locator('[data-testid="node"][data-var="c0_1"]');
    const grid = async () => {
      const g = page.locator('.grid');
      const m = await g.evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform));
      return { x: m.e, y: m.f, step: await g.evaluate((el) => parseFloat(getComputedStyle(el).backgroundSize)) };
    };
    const box = (await pane.boundingBox())!;
    const wheelAdds = () => page.evaluate(() => (window as unknown as { __wheelAdds: number }).__wheelAdds);
    const captured = () => page.evaluate(() => document.querySelector('.svelte-flow__pane')!.hasPointerCapture((window as unknown as { __pointer: number }).__pointer));

    // An empty spot of the pane to start from: a pan from a card would drag the card.
    const start = await page.evaluate(([x0, y0, w, h]) => {
      for (let y = y0 + 20; y < y0 + h - 20; y += 9) for (let x = x0 + 20; x < x0 + w - 20; x += 9) {
        if (document.elementFromPoint(x, y)?.classList.contains('svelte-flow__pane')) return { x, y };
      }
      return null;
    }, [box.x, box.y, box.width, box.height] as const);
    expect(start).not.toBeNull();
    // The cards xyflow has mounted: those in view and, with the render window (patches/), some just outside it.
    const mounted = () => page.locator('.svelte-flow__node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')).sort().join());
    const outside = () => page.locator('.svelte-flow__node').evaluateAll((ns, p) => ns.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.left >= p.x + p.width || r.top >= p.y + p.height;
    }).length, box);
    const mountedBefore = await mounted();
    expect(await outside()).toBeGreaterThan(0);
    const t0 = await translate(page);
    const before = await wheelAdds();
    await page.mouse.move(start!.x, start!.y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(start!.x - i * 20, start!.y - i * 7);
    // Mid-drag: the pane holds the pointer, nothing under it takes events, the viewport is its own layer, and xyflow
    // has not re-added its wheel listener.
    expect(await captured()).toBe(true);
    expect(await canvas.getAttribute('class')).toMatch(/\bmoving\b.*\bpromoted\b|\bpromoted\b.*\bmoving\b/);
    expect(await node.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
    expect(await wheelAdds()).toBe(before);
    // A pan of less than a quarter of the view stays inside the render window: not one card mounted or unmounted.
    expect(await mounted()).toBe(mountedBefore);
    await page.mouse.up();
    const t1 = await translate(page);
    expect(t1.x).toBeCloseTo(t0.x - 160, 0);
    expect(t1.y).toBeCloseTo(t0.y - 56, 0);

    // The grid layer sits at the viewport offset modulo the step, so its dots stay on the graph's lattice.
    const g = await grid();
    expect(g.x).toBe(gridOffset(t1.x, g.step));
    expect(g.y).toBe(gridOffset(t1.y, g.step));

    // After the pan: the pointer is released, cards take events again, and the layer stays for the next pan.
    expect(await captured()).toBe(false);
    await expect.poll(() => canvas.getAttribute('class')).not.toMatch(/\bmoving\b/);
    expect(await canvas.getAttribute('class')).toMatch(/\bpromoted\b/);
    expect(await node.evaluate((el) => getComputedStyle(el).pointerEvents)).not.toBe('none');
    await screenshot(page, 'editor-layout-panned');

    // Panning on by more than the margin makes a new window: cards beyond it are mounted, those far behind dropped.
    await page.mouse.move(start!.x, start!.y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(start!.x - i * 60, start!.y);
    await page.mouse.up();
    await expect.poll(mounted).not.toBe(mountedBefore);
    expect(await outside()).toBeGreaterThan(0);

    // A wheel zoom ends at another scale: the layer is dropped, so the cards are rastered sharp at the new zoom.
    const z0 = await zoom(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => zoom(page)).toBeGreaterThan(z0 * 1.05);
    await expect.poll(() => canvas.getAttribute('class'), { timeout: 5000 }).not.toMatch(/\bpromoted\b/);

    // So does a zoom button after a pan (a programmatic move: it never promotes, but it ends a layer made earlier).
    await page.mouse.move(start!.x, start!.y);
    await page.mouse.down();
    for (let i = 1; i <= 4; i++) await page.mouse.move(start!.x + i * 10, start!.y);
    await page.mouse.up();
    expect(await canvas.getAttribute('class')).toMatch(/\bpromoted\b/);
    await page.locator('.svelte-flow__controls-zoomin').click();
    await expect.poll(() => canvas.getAttribute('class'), { timeout: 5000 }).not.toMatch(/\bpromoted\b/);
    await page.context().close();
  });
});
