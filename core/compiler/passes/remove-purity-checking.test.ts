import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { removePurityChecking } from './remove-purity-checking.js';

const dir = fileURLToPath(new URL('./fixtures/remove-purity-checking/', import.meta.url));
runPassFixtures({ pass: removePurityChecking, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
