import { defineConfig } from 'vitest/config';

import './test/node20-polyfill.js';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'renderer/lib/**/*.test.ts', 'electron/**/*.test.ts'],
    exclude: ['node_modules/**', 'e2e/**', 'dist/**'],
    testTimeout: 60_000,
    pool: 'threads',
  },
});
