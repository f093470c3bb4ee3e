/**
 * The desktop app end to end, with playwright-core's `_electron`: launches the built app (dist/web + dist/electron)
 * and checks what a user and an attacker would see: the window and its menus, the preload's narrow API and no Node
 * in the page, the app:// origin, blocked remote content and popups, a save and reopen through the native dialogs
 * (stubbed in the main process), and the unsaved-work prompt. Runs where an Electron binary exists
 * (node_modules/electron/dist or ELECTRON_PATH; Linux CI needs a display, e.g. xvfb-run); skipped with a one-line
 * reason elsewhere. The app is killed after 60 s whatever happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, screenshot } from './harness.js';

/** The Electron binary without triggering a download (requiring `electron` in Node would try one). */
function findElectron(): string | null {
  const fromEnv = process.env['ELECTRON_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const pathTxt = join(REPO, 'node_modules/electron/path.txt');
  if (!existsSync(pathTxt)) return null;
  const exe = join(REPO, 'node_modules/electron/dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const EXE = findElectron();
const SKIP_REASON = 'no Electron binary (node_modules/electron/dist missing, ELECTRON_PATH unset)';
const API_METHODS = ['exportFile', 'onMenu', 'openFile', 'recentFiles', 'saveFile', 'saveFileAs', 'setDirty', 'setTitle'];

describe.skipIf(!EXE)(EXE ? 'desktop app (Electron)' : `desktop app (Electron): skipped, ${SKIP_REASON}`, () => {
  let app: ElectronApplication;
  let page: Page;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/web/index.html'))) throw new Error('dist/web is missing: run `npm run build:web` first');
    execSync('npm run build:electron', { cwd: REPO, stdio: 'ignore' });
    work = mkdtempSync(join(tmpdir(), 'relax-electron-'));
    app = await _electron.launch({
      executablePath: EXE!,
      args: [REPO],
      cwd: REPO,
      env: { ...(process.env as Record<string, string>), RELAX_STUDIO_USER_DATA: join(work, 'profile') },
      timeout: 60_000,
    });
    const timer = setTimeout(() => app.process().kill('SIGKILL'), 60_000);
    timer.unref();
    app.on('close', () => clearTimeout(timer));
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close().catch(() => app.process().kill('SIGKILL'));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('opens one window on the app:// origin with the File, Edit and View menus', async () => {
    expect(page.url()).toBe('app://relax-studio/index.html');
    expect(await page.title()).toContain('Relax Studio');
    const menus = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label.replace('&', '')));
    expect(menus).toEqual(expect.arrayContaining(['File', 'Edit', 'View']));
    await screenshot(page, 'electron-app');
  });

  it('runs the page isolated: no Node, only the narrow preload API', async () => {
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w['require'],
        process: typeof w['process'],
        api: Object.keys((w['relaxStudioDesktop'] as object) ?? {}).sort(),
      };
    });
    expect(seen).toEqual({ require: 'undefined', process: 'undefined', api: API_METHODS });
    // The window options themselves (sandbox, contextIsolation, ...) are unit-tested in electron/security.test.ts.
  });

  it('loads no remote content and opens no windows', async () => {
    const result = await page.evaluate(async () => {
      const popup = window.open('https://example.com/');
      const fetched = await fetch('https://example.com/').then(() => 'loaded', () => 'blocked');
      return { popup: popup === null, fetched };
    });
    expect(result).toEqual({ popup: true, fetched: 'blocked' });
    expect(app.windows()).toHaveLength(1);
  });

  it('saves atomically through the Save As dialog and reopens the file from the recent list', async () => {
    const target = join(work, 'saved.tvmscript');
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
    }, target);
    const saved = await page.evaluate(() =>
      (window as unknown as { relaxStudioDesktop: { saveFileAs(t: string): Promise<unknown> } }).relaxStudioDesktop.saveFileAs('# saved\n'),
    );
    expect(saved).toEqual({ kind: 'ok', value: { path: target, name: 'saved.tvmscript' } });
    expect(readFileSync(target, 'utf8')).toBe('# saved\n');
    const reopened = await page.evaluate(
      (path) => (window as unknown as { relaxStudioDesktop: { openFile(p: string): Promise<unknown> } }).relaxStudioDesktop.openFile(path),
      target,
    );
    expect(reopened).toMatchObject({ kind: 'ok', value: { text: '# saved\n' } });
    const refused = await page.evaluate(() =>
      (window as unknown as { relaxStudioDesktop: { openFile(p: string): Promise<unknown> } }).relaxStudioDesktop.openFile('/etc/passwd'),
    );
    expect(refused).toMatchObject({ kind: 'error' });
  });

  it('asks before closing unsaved work; Cancel keeps the window, Don’t Save closes it', async () => {
    await page.evaluate(() => (window as unknown as { relaxStudioDesktop: { setDirty(d: boolean): void } }).relaxStudioDesktop.setDirty(true));
    await page.waitForTimeout(200);
    const answers = await app.evaluate(({ dialog, BrowserWindow }) => {
      const asked: string[] = [];
      const replies = [2, 1]; // Cancel, then Don't Save
      dialog.showMessageBoxSync = ((_w: unknown, o: { message: string }) => (asked.push(o.message), replies.shift() ?? 2)) as typeof dialog.showMessageBoxSync;
      const win = BrowserWindow.getAllWindows()[0]!;
      win.close();
      const afterCancel = !win.isDestroyed();
      return { afterCancel, asked: [...asked] };
    });
    expect(answers).toEqual({ afterCancel: true, asked: ['Save changes before closing?'] });
    const closed = new Promise<void>((resolve) => app.once('close', () => resolve()));
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close()).catch(() => undefined);
    await closed;
  });
});
