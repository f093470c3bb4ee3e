// ESLint flat config. The dependency rule is the point: core/ never imports UI, Electron, the DOM or Node,
// and within core the folders depend in one direction (ir <- compiler <- vm <- gpu interface), as in
// ../shared/conventions.md (1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';

const UI_AND_HOST = [
  { group: ['svelte', 'svelte/*', '@xyflow/*', '@codemirror/*', '@lezer/*', 'dexie', 'electron', 'elkjs', 'elkjs/*'], message: 'core/ must not import UI, Electron or persistence libraries.' },
  { group: ['**/renderer/**', '**/electron/**', '**/cli/**'], message: 'core/ must not import the renderer, electron or cli folders.' },
  { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'url'], message: 'core/ runs in the browser too: no Node built-ins.' },
];
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'self'].map((name) => ({
  name,
  message: 'core/ must not touch DOM globals.',
}));
const restrict = (extra) => ({
  'no-restricted-imports': ['error', { patterns: [...UI_AND_HOST, ...extra] }],
  'no-restricted-globals': ['error', ...DOM_GLOBALS],
  'no-console': 'error',
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'renderer/dist/**', '**/*.d.ts', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['core/ir/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([{ group: ['**/compiler/**', '**/vm/**', '**/gpu/**', 'gpu.js'], message: 'core/ir imports nothing of ours outside core/ir.' }]),
  },
  {
    files: ['core/compiler/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([{ group: ['**/gpu/**', 'gpu.js'], message: 'core/compiler may import core/ir and core/vm types only.' }]),
  },
  {
    files: ['core/vm/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([{ group: ['gpu.js', '**/compiler/**'], message: 'core/vm may import core/gpu kernel-runner interfaces, not gpu.js.' }]),
  },
  {
    files: ['core/gpu/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([{ group: ['**/compiler/**'], message: 'core/gpu may import core/ir only.' }]),
  },
  {
    files: ['core/**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  // Svelte components (TypeScript in <script lang="ts">), with the plugin's recommended rules.
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
