/**
 * Shared end-to-end plumbing: serve the Vite build (dist/web, made by `npm run build:web`) on a free loopback port,
 * and launch Debian's Chromium through playwright-core with this machine's flags (DEVELOPERS.md). Every browser a
 * test starts is killed after 60 s, whatever happens. Screenshots go to test-results/screenshots/.
 */
import { afterAll, beforeAll } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { preview } from 'vite';
import type { PreviewServer } from 'vite';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO, 'test-results/screenshots');

/** Flags for headless Chromium on a machine with no GPU and no network beyond loopback. */
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchOptions {
  /** Adds --enable-unsafe-webgpu (WebGPU on SwiftShader, or a real GPU where there is one). */
  readonly webgpu?: boolean;
  /** Headful under Xvfb: adds --use-angle=swiftshader --enable-unsafe-swiftshader. */
  readonly headful?: boolean;
  readonly extraArgs?: readonly string[];
}

/** True when Debian's Chromium is installed (scripts/install-system.sh). */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Launches Chromium; the process is killed after `killAfterMs` (60 s) even if the test hangs. */
export async function launchBrowser(opts: LaunchOptions = {}, killAfterMs = 60_000): Promise<Browser> {
  const args = [...BASE_FLAGS, ...(opts.extraArgs ?? [])];
  if (opts.webgpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader');
  if (opts.headful) args.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader');
  else args.push('--headless=new', '--enable-unsafe-swiftshader', '--use-angle=swiftshader');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: !opts.headful, args });
  const timer = setTimeout(() => void browser.close().catch(() => undefined), killAfterMs);
  timer.unref();
  browser.on('disconnected', () => clearTimeout(timer));
  return browser;
}

/** Serves dist/web with `vite preview` on a free port; close() stops it. */
export async function serveWeb(): Promise<{ url: string; close: () => Promise<void>; server: PreviewServer }> {
  if (!existsSync(join(REPO, 'dist/web/index.html'))) throw new Error('dist/web is missing: run `npm run build:web` first');
  const server = await preview({ configFile: join(REPO, 'vite.config.ts'), preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${(server.httpServer.address() as { port: number }).port}/`;
  return { url, server, close: () => new Promise((r) => server.httpServer.close(() => r())) };
}

/** Saves a screenshot under test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A served web build and a browser for one test file: started before its tests, closed after them. */
export interface WebSession {
  readonly browser: Browser;
  /** The served build's base URL. */
  readonly url: string;
}

/** Registers beforeAll/afterAll hooks that serve dist/web and launch Chromium, and returns their session. */
export function useWebSession(opts: LaunchOptions = {}): WebSession {
  let browser: Browser | undefined;
  let web: Awaited<ReturnType<typeof serveWeb>> | undefined;
  beforeAll(async () => {
    web = await serveWeb();
    browser = await launchBrowser(opts);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not launched yet (use the session inside a test)');
      return browser;
    },
    get url(): string {
      if (!web) throw new Error('the web build is not served yet (use the session inside a test)');
      return web.url;
    },
  };
}
