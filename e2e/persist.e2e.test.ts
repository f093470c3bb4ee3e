// Persistence in the web build: the work (text, layout, settings) is autosaved to IndexedDB and comes back after a
// reload, including a text that was left broken mid-edit; a file's path and modified state are tracked across a save,
// a reload and a reopen. These tests watch persistence through the page's test hooks (window.__relaxStudio: the
// store; window.__relaxStudioPersistence: autosave); saving and reopening through the toolbar and the browser adapter
// is e2e/files.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useWebSession } from './harness.js';
import { MODULE, cursorAtEndOf, editorText, openApp, pasteText, textDiagnostics, waitForNode } from './text-helpers.js';

/** Autosave writes 300 ms after the text reaches the store, which is 300 ms after the last keystroke. */
const SETTLE_MS = 1200;

const skip = !hasChromium();

describe.skipIf(skip)('persistence', () => {
  const session = useWebSession();

  it('reloading the page restores the work', async () => {
    const page = await openApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('kept = R.sigmoid(y)');
    await waitForNode(page, 'kept', 5000);
    await page.waitForTimeout(SETTLE_MS);
    await page.reload();
    await waitForNode(page, 'kept', 10_000);
    // The store prints a restored valid text canonically (`kept: R.Tensor(...) = ...`); the binding is what counts.
    expect(await editorText(page)).toMatch(/kept(: .*)? = R\.sigmoid\(y\)/);
    await screenshot(page, 'persist-reload-restored');
    await page.context().close();
  });

  it('a text left broken comes back as typed, with its diagnostic', async () => {
    const page = await openApp(session.browser, session.url);
    await pasteText(page, MODULE);
    await cursorAtEndOf(page, 'y = R.nn.relu(x)');
    await page.keyboard.press('Backspace');
    await textDiagnostics(page).first().waitFor({ timeout: 5000 });
    await page.waitForTimeout(SETTLE_MS);
    await page.reload();
    await textDiagnostics(page).first().waitFor({ timeout: 10_000 });
    expect(await editorText(page)).toContain('y = R.nn.relu(x\n');
    await expect(textDiagnostics(page).first().getAttribute('data-code')).resolves.toBe('P102');
    await screenshot(page, 'persist-reload-broken');
    await page.context().close();
  });

  it('tracks a file through save, reload and reopen (driven through the store and dexie hooks)', async () => {
    const page = await openApp(session.browser, session.url);
    const path = 'browser:1:model.tvmscript';
    await page.evaluate(({ text, path }) => (window as unknown as Hooks).__relaxStudio.open(text, path), { text: MODULE, path });
    await waitForNode(page, 'y');
    await cursorAtEndOf(page, 'R.nn.relu(x)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('saved = R.abs(y)');
    await waitForNode(page, 'saved');
    await expect(page.evaluate(() => (window as unknown as Hooks).__relaxStudio.state().dirty)).resolves.toBe(true);
    // Save: the platform writes the file, then the store is marked saved with its path.
    const savedText = await page.evaluate((path) => {
      const rs = (window as unknown as Hooks).__relaxStudio;
      rs.store.apply({ kind: 'markSaved', path });
      return rs.state().text;
    }, path);
    await page.waitForTimeout(SETTLE_MS);
    await page.reload();
    await waitForNode(page, 'saved', 10_000);
    const after = await page.evaluate(async () => {
      const w = window as unknown as Hooks;
      const s = w.__relaxStudio.state();
      const p = w.__relaxStudioPersistence;
      const recent = await p.autosave.repo.recentFiles();
      const versions = await p.autosave.versions();
      return { filePath: s.filePath, dirty: s.dirty, recent: recent.map((f) => f.path), reasons: versions.map((v) => v.reason), projectId: p.autosave.projectId };
    });
    expect(after).toMatchObject({ filePath: path, dirty: false, recent: [path], reasons: ['save'] });
    await screenshot(page, 'persist-file-after-reload');
    // Reopening the same file goes back to the same project.
    await page.evaluate(({ text, path }) => (window as unknown as Hooks).__relaxStudio.open(text, path), { text: savedText, path });
    await page.waitForTimeout(SETTLE_MS);
    await expect(page.evaluate(() => (window as unknown as Hooks).__relaxStudioPersistence.autosave.projectId)).resolves.toBe(after.projectId);
    await page.context().close();
  });

  it('lists the projects and opens another one with its work (the history pane)', async () => {
    const page = await openApp(session.browser, session.url);
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('examples').selectOption('mlp.tvmscript');
    await waitForNode(page, 'lv2', 10_000);
    await cursorAtEndOf(page, 'lv2: R.Tensor((n, 128), dtype="float32") = R.nn.relu(lv1)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('extra = R.sigmoid(lv2)');
    await waitForNode(page, 'extra', 5000);
    await page.waitForTimeout(SETTLE_MS);
    await page.getByTestId('examples').selectOption('cnn.tvmscript');
    await page.locator('[data-testid="node"][data-op="relax.nn.conv2d"]').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(SETTLE_MS);
    await page.getByTestId('toggle-versions').click();
    const projects = page.getByTestId('project');
    await expect.poll(() => projects.count()).toBeGreaterThanOrEqual(2);
    // The newest is open (the CNN); the one before it is the MLP with the typed binding.
    expect(await projects.first().getByTestId('project-open').count()).toBe(0);
    await projects.nth(1).getByTestId('project-open').click();
    await waitForNode(page, 'extra', 10_000);
    expect(await editorText(page)).toMatch(/extra(: .*)? = R\.sigmoid\(lv2\)/);
    await screenshot(page, 'persist-projects');
    await page.context().close();
  });
});

/** The page's test hooks (App.svelte and main.ts). */
interface Hooks {
  __relaxStudio: {
    store: { apply(change: { kind: 'markSaved'; path: string }): void };
    open(text: string, filePath?: string): void;
    state(): { text: string; filePath?: string; dirty: boolean };
  };
  __relaxStudioPersistence: {
    autosave: {
      projectId: number;
      repo: { recentFiles(): Promise<{ path: string }[]> };
      versions(): Promise<{ reason: string }[]>;
    };
  };
}
