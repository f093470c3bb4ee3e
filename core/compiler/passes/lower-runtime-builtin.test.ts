import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { lowerRuntimeBuiltin } from './lower-runtime-builtin.js';

const dir = fileURLToPath(new URL('./fixtures/lower-runtime-builtin/', import.meta.url));
runPassFixtures({ pass: lowerRuntimeBuiltin, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
