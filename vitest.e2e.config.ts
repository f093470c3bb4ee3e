// End-to-end tests (Playwright driving Debian's Chromium against the Vite build). `npm test` runs them after
// `npm run build:web`; each browser is killed after 60 s (e2e/harness.ts).
import { defineConfig } from 'vitest/config';
import './test/node20-polyfill.js';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
