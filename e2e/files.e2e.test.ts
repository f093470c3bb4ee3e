// Files through the browser adapter, driven from the toolbar and the keyboard as a person would: type a binding and
// save at once with Ctrl+S (the pending typing is flushed into the file), start a new document, reopen the saved
// file and find the same module (canonically printed) and graph; Save As downloads under the file's name. Headless Chromium's File System
// Access pickers cannot be answered by a test, so the page runs the adapter's fallback (the pickers are removed
// before the app starts): Save downloads (Playwright's download event), Open uses <input type=file> (setInputFiles).
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChromium, screenshot, useWebSession } from './harness.js';
import { MODULE, cursorAtEndOf, editorText, pasteText, waitForNode } from './text-helpers.js';
import { parse } from '../core/ir/parser/index.js';
import { printModule } from '../core/ir/printer/index.js';
import { structuralEqual } from '../core/ir/structural.js';

const skip = !hasChromium();

interface Hook {
  state(): { text: string; dirty: boolean; filePath?: string };
}
const state = (page: Page) => page.evaluate(() => (window as unknown as { __relaxStudio: Hook }).__relaxStudio.state());

async function openFallbackApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w['showOpenFilePicker'];
    delete w['showSaveFilePicker'];
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.getByTestId('text-pane').locator('.cm-content').waitFor();
  return page;
}

/** Runs `action` and returns the name and text of the file it downloads. */
async function download(page: Page, action: () => Promise<void>): Promise<{ name: string; text: string; path: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), action()]);
  const path = (await d.path())!;
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8'), path };
}

describe.skipIf(skip)('files through the browser adapter', () => {
  const session = useWebSession();

  it('saves what was just typed, and reopening the file gives the same text and graph', async () => {
    const page = await openFallbackApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('z = R.sigmoid(y)');
    // Save at once: the text pane's debounced typing must reach the file.
    const saved = await download(page, () => page.keyboard.press('Control+s'));
    expect(saved.name).toBe('untitled.tvmscript');
    expect(saved.text).toContain('z = R.sigmoid(y)');
    await expect.poll(() => page.getByTestId('file-state').textContent()).toBe('untitled.tvmscript');
    const before = await state(page);
    expect(before).toMatchObject({ dirty: false, filePath: 'untitled.tvmscript', text: saved.text });
    await waitForNode(page, 'z');
    await screenshot(page, 'files-saved');

    // A new document replaces it (nothing unsaved: no question asked).
    await page.getByTestId('file-new').click();
    await expect.poll(async () => (await state(page)).text).not.toContain('R.sigmoid');
    await expect(page.locator('[data-testid="node"][data-var="z"]').count()).resolves.toBe(0);
    expect(await page.getByTestId('file-state').textContent()).toBe('untitled');

    // Open the saved file through <input type=file>.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('file-open').click()]);
    const onDisk = join(mkdtempSync(join(tmpdir(), 'relax-files-')), saved.name); // the download, under its name
    writeFileSync(onDisk, saved.text);
    await chooser.setFiles(onDisk);
    await waitForNode(page, 'z');
    expect(await page.getByTestId('file-state').textContent()).toBe('untitled.tvmscript');
    const reopened = await state(page);
    // Opening a file shows it canonically printed: the same module as the one saved, structurally.
    const savedModule = parse(saved.text, { loose: true }).module!;
    expect(reopened.text).toBe(printModule(savedModule));
    expect(structuralEqual(parse(reopened.text, { loose: true }).module!, savedModule)).toBeNull();
    expect(reopened).toMatchObject({ dirty: false });
    expect(await editorText(page)).toMatch(/z: .* = R\.sigmoid\(y\)/);
    await expect(page.locator('[data-testid="node"][data-var="y"][data-op="relax.nn.relu"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="node"][data-var="z"][data-op="relax.sigmoid"]').count()).resolves.toBe(1);
    await screenshot(page, 'files-reopened');
    await page.context().close();
  });

  it('Save As downloads under the document name; an unsaved document asks before New', async () => {
    const page = await openFallbackApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('w = R.exp(y)');
    await waitForNode(page, 'w');
    await expect.poll(() => page.getByTestId('file-state').textContent()).toMatch(/•$/);
    // Dismissing "discard unsaved changes?" keeps the work.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByTestId('file-new').click();
    await page.waitForTimeout(200);
    expect((await state(page)).text).toContain('w = R.exp(y)');
    const saved = await download(page, () => page.getByTestId('file-save-as').click());
    expect(saved.name).toBe('untitled.tvmscript');
    expect(saved.text).toBe((await state(page)).text);
    await expect.poll(() => page.title()).toBe('untitled.tvmscript - Relax Studio');
    await screenshot(page, 'files-save-as');
    await page.context().close();
  });
});
