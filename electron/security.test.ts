// The desktop app's security settings, checked without Electron: window options, the CSP (header and the meta tag in
// renderer/index.html), navigation, request and app:// path rules.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  APP_ORIGIN,
  appUrlToRelativePath,
  contentSecurityPolicy,
  CSP_DIRECTIVES,
  ISOLATION_HEADERS,
  isAllowedNavigation,
  isAllowedRequest,
  parseCsp,
  rendererSource,
  windowOptions,
} from './security.js';

const opts = windowOptions({ preloadPath: '/app/dist/electron/preload.cjs', bounds: { width: 1000, height: 700 } });

describe('window options', () => {
  it('isolate the renderer: context isolation, sandbox, no Node, web security', () => {
    const wp = opts.webPreferences;
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
    expect(wp.navigateOnDragDrop).toBe(false);
  });

  it('load the bundled CommonJS preload by absolute path', () => {
    expect(opts.webPreferences.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('keep bounds, hide until ready, and set a minimum size', () => {
    expect(opts).toMatchObject({ width: 1000, height: 700, show: false, minWidth: 640, minHeight: 420 });
    expect(opts).not.toHaveProperty('x');
    const placed = windowOptions({ preloadPath: '/p', bounds: { width: 800, height: 600, x: 10, y: 20 } });
    expect(placed).toMatchObject({ x: 10, y: 20 });
  });
});

describe('Content-Security-Policy', () => {
  const csp = parseCsp(contentSecurityPolicy());

  it('allows scripts only from the app, with eval for gpu.js kernels and no inline scripts', () => {
    expect(csp['script-src']).toEqual(["'self'", "'unsafe-eval'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
  });

  it('names no remote source anywhere', () => {
    for (const [name, sources] of Object.entries(csp)) {
      for (const s of sources) expect(s, `${name} ${s}`).toMatch(/^('self'|'none'|'unsafe-eval'|'unsafe-inline'|data:|blob:)$/);
    }
    expect(contentSecurityPolicy()).toBe(
      "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('matches the meta tag in renderer/index.html (no directive there is looser than the header)', () => {
    const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    const metaCsp = parseCsp(meta![1]!);
    expect(metaCsp['script-src']).toEqual(["'self'", "'unsafe-eval'"]);
    for (const [name, sources] of Object.entries(metaCsp)) {
      expect(CSP_DIRECTIVES[name], `header has ${name}`).toBeDefined();
      expect([...sources].sort(), name).toEqual([...CSP_DIRECTIVES[name]!].sort());
    }
  });
});

describe('navigation and requests', () => {
  it('stay inside the app origin', () => {
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html#x`, APP_ORIGIN)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', APP_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', APP_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('app://other/index.html', APP_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('not a url', APP_ORIGIN)).toBe(false);
  });

  it('load no remote content', () => {
    expect(isAllowedRequest(`${APP_ORIGIN}/assets/index.js`, APP_ORIGIN)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AA', APP_ORIGIN)).toBe(true);
    expect(isAllowedRequest('blob:app://relax-studio/123', APP_ORIGIN)).toBe(true);
    expect(isAllowedRequest('https://cdn.example.com/x.js', APP_ORIGIN)).toBe(false);
    expect(isAllowedRequest('file:///home/u/model.py', APP_ORIGIN)).toBe(false);
    expect(isAllowedRequest('ws://127.0.0.1:5173/', APP_ORIGIN)).toBe(false);
  });

  it('accept a dev server only on loopback http, else the packaged files', () => {
    expect(rendererSource(undefined)).toEqual({ url: `${APP_ORIGIN}/index.html`, origin: APP_ORIGIN });
    expect(rendererSource('http://127.0.0.1:5173/').origin).toBe('http://127.0.0.1:5173');
    expect(rendererSource('https://evil.example.com/').origin).toBe(APP_ORIGIN);
    expect(rendererSource('http://10.0.0.2:5173/').origin).toBe(APP_ORIGIN);
    expect(isAllowedRequest('ws://127.0.0.1:5173/', 'http://127.0.0.1:5173')).toBe(true);
  });

  it('map app:// URLs into the renderer folder and nothing outside it', () => {
    expect(appUrlToRelativePath(`${APP_ORIGIN}/`)).toBe('index.html');
    expect(appUrlToRelativePath(`${APP_ORIGIN}/assets/a%20b.js?v=1`)).toBe('assets/a b.js');
    expect(appUrlToRelativePath(`${APP_ORIGIN}/../../etc/passwd`)).toBe('etc/passwd'); // URL parsing resolves '..'
    expect(appUrlToRelativePath(`${APP_ORIGIN}/assets/%2e%2e/%2e%2e/x`)).toBe('x'); // resolved by URL parsing, still inside
    expect(appUrlToRelativePath(`${APP_ORIGIN}/assets/..%2F..%2Fsecret`)).toBeNull(); // encoded '/' hides '..' from URL
    expect(appUrlToRelativePath(`${APP_ORIGIN}/a%00b`)).toBeNull();
    expect(appUrlToRelativePath(`${APP_ORIGIN}/a%5c..%5csecret`)).toBeNull();
    expect(appUrlToRelativePath('app://elsewhere/index.html')).toBeNull();
    expect(appUrlToRelativePath('https://relax-studio/index.html')).toBeNull();
  });
});

describe('cross-origin isolation', () => {
  it('asks for it (the profiler needs fine timers) in the dev and preview servers too (main.test.ts checks the app)', async () => {
    expect(ISOLATION_HEADERS).toEqual({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    const vite = readFileSync(new URL('../vite.config.ts', import.meta.url), 'utf8');
    expect(vite.match(/headers: \{ \.\.\.ISOLATION_HEADERS[ ,}]/g)).toHaveLength(2);
    expect(vite).toMatch(/'Content-Security-Policy': contentSecurityPolicy\(\)/);
  });
});
