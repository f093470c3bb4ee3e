import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runPassFixtures } from './fixture-harness.js';
import { callTIRRewrite } from './call-tir-rewrite.js';

const dir = fileURLToPath(new URL('./fixtures/call-tir-rewrite/', import.meta.url));
runPassFixtures({ pass: callTIRRewrite, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });
