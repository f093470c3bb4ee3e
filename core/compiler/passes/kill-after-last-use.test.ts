import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { killAfterLastUse } from './kill-after-last-use.js';

const dir = fileURLToPath(new URL('./fixtures/kill-after-last-use/', import.meta.url));
runPassFixtures({ pass: killAfterLastUse, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
