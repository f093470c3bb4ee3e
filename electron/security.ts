/**
 * The security settings of the desktop app as pure data: the BrowserWindow options, the Content-Security-Policy and
 * the navigation/request rules. main.ts applies them; security.test.ts checks them in plain Node, without Electron.
 *
 * The model (electronjs.org, "Security"): the renderer is a web page with no Node (`nodeIntegration: false`), its own
 * JavaScript world (`contextIsolation: true`), an OS sandbox (`sandbox: true`), the same-origin policy
 * (`webSecurity: true`), and one narrow typed API from the preload. It loads only the app's own files over the
 * `app://` scheme; no remote content, no navigation away, no new windows, no permissions.
 */

/** The privileged scheme the packaged renderer is served from (`app://relax-studio/index.html`). */
export const APP_SCHEME = 'app';
/** The host part of the app's URLs, so pages have a stable origin (IndexedDB, 'self' in the CSP). */
export const APP_HOST = 'relax-studio';
/** The origin of the packaged renderer. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The Content-Security-Policy directives, sent as a response header on every renderer response. The meta tag in
 * renderer/index.html repeats the same directives (it also covers `npm run web`); both policies apply, and the
 * header adds the directives a meta tag cannot carry (`frame-ancestors`).
 *
 * `script-src 'unsafe-eval'`: gpu.js compiles every kernel by generating JavaScript source and running it with
 * `new Function` (and tfjs/WebAssembly backends need wasm compilation, which 'unsafe-eval' also permits in Chromium).
 * Without it the GPU backend cannot run at all. Inline scripts stay forbidden (no 'unsafe-inline' for scripts), and
 * only the app's own files can be loaded, so an injected string still cannot bring in code from elsewhere.
 * `style-src 'unsafe-inline'`: Svelte Flow positions nodes with inline styles and CodeMirror injects its theme as
 * <style> elements. `worker-src blob:`: workers built from blobs (gpu.js / tfjs helpers).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Formats CSP directives as a header value (`name src src; name src`). */
export function formatCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** Parses a CSP string (a header or a meta tag's content) into directives, for the drift test. */
export function parseCsp(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

/** The Content-Security-Policy header value. */
export function contentSecurityPolicy(): string {
  return formatCsp(CSP_DIRECTIVES);
}

/**
 * Cross-origin isolation for the app's pages: with it, `performance.now()` in the page and in the compute worker has
 * microsecond resolution instead of 100 us, which per-kernel timings need (a kernel often takes less). The app loads
 * nothing from other origins, so `require-corp` costs nothing. The dev and preview servers send the same headers
 * (vite.config.ts imports this).
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The window options main.ts needs (a structural subset of Electron's BrowserWindowConstructorOptions). */
export interface WindowOptions {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly icon?: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInWorker: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly webviewTag: false;
    readonly experimentalFeatures: false;
    readonly navigateOnDragDrop: false;
    readonly spellcheck: false;
  };
}

/** What the window options depend on: the preload's absolute path, the restored bounds and the icon. */
export interface WindowOptionsInput {
  readonly preloadPath: string;
  readonly bounds: { readonly width: number; readonly height: number; readonly x?: number; readonly y?: number };
  readonly icon?: string;
}

/** Minimum window size: below it the palette, canvas and text pane do not fit. */
export const MIN_WINDOW_SIZE = { width: 640, height: 420 } as const;

/** The BrowserWindow options, with every security-relevant setting spelled out rather than left to defaults. */
export function windowOptions(input: WindowOptionsInput): WindowOptions {
  const { width, height, x, y } = input.bounds;
  return {
    width,
    height,
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false, // shown on 'ready-to-show', so the window never flashes white
    title: 'Relax Studio',
    backgroundColor: '#1e1f24',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Where the renderer comes from: the packaged files (app://) or, in development, a Vite dev server URL. */
export interface RendererSource {
  /** The URL the window loads. */
  readonly url: string;
  /** The only origin the window may show and fetch from. */
  readonly origin: string;
}

/**
 * The renderer's source: `app://relax-studio/index.html`, or the dev server in RELAX_STUDIO_DEV_URL when it is a
 * loopback http URL (anything else is refused, so an environment variable cannot point the app at remote content).
 */
export function rendererSource(devUrl: string | undefined): RendererSource {
  if (devUrl) {
    const url = safeUrl(devUrl);
    if (url && url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')) {
      return { url: url.href, origin: url.origin };
    }
  }
  return { url: `${APP_ORIGIN}/index.html`, origin: APP_ORIGIN };
}

/** True when the window may navigate to `target`: only within the renderer's own origin (reloads, hash changes). */
export function isAllowedNavigation(target: string, origin: string): boolean {
  return originOf(target) === origin;
}

/**
 * True when the renderer may load `target`: its own origin, inline data/blob URLs, and DevTools. Everything else
 * (http(s) elsewhere, file://, ws:) is cancelled: the app shows no remote content.
 */
export function isAllowedRequest(target: string, origin: string): boolean {
  const url = safeUrl(target);
  if (!url) return false;
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'devtools:') return true;
  if (url.protocol === 'ws:' && origin.startsWith('http://')) return url.host === new URL(origin).host; // Vite HMR
  return originOf(target) === origin;
}

/** The path inside the renderer's folder that an app:// URL maps to, or null for anything outside it. */
export function appUrlToRelativePath(target: string): string | null {
  const url = safeUrl(target);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\') || p.includes('\0'))) return null;
  return parts.length === 0 ? 'index.html' : parts.join('/');
}

/** The MIME type for a file the app protocol serves (what the Vite build emits). */
export function mimeType(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? 'application/octet-stream';
}

const MIME: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  wasm: 'application/wasm',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
  py: 'text/plain; charset=utf-8',
  tvmscript: 'text/plain; charset=utf-8',
};

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function originOf(target: string): string | null {
  const url = safeUrl(target);
  if (!url) return null;
  // Custom schemes report origin "null" in WHATWG URL; compare scheme + host for them.
  return url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
}
