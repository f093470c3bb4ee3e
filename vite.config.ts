// Vite builds the renderer (the app, index.html) and the VM harness page the GPU tests drive (harness.html).
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, ISOLATION_HEADERS } from './electron/security.js';

const root = fileURLToPath(new URL('./renderer/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        harness: fileURLToPath(new URL('./renderer/harness.html', import.meta.url)),
      },
    },
  },
  // Cross-origin isolated, as in the desktop app (electron/security.ts): fine-grained timers for the profiler.
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: { ...ISOLATION_HEADERS } },
  // The built app is also served with the desktop app's CSP as a header, so workers (which do not see the page's
  // meta tag) run under the same policy in the browser tests as in Electron.
  preview: { host: '127.0.0.1', port: 5173, strictPort: false, headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy() } },
});
