import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { attachGlobalSymbol } from './attach-global-symbol.js';

const dir = fileURLToPath(new URL('./fixtures/attach-global-symbol/', import.meta.url));
runPassFixtures({ pass: attachGlobalSymbol, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
