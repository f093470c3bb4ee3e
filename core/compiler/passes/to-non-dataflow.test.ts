import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { toNonDataflow } from './to-non-dataflow.js';

const dir = fileURLToPath(new URL('./fixtures/to-non-dataflow/', import.meta.url));
runPassFixtures({ pass: toNonDataflow, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
