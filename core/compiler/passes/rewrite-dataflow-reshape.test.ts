import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPass, parseStrict, runPassFixtures } from './fixture-harness.js';
import { rewriteDataflowReshape } from './rewrite-dataflow-reshape.js';
import type { Call, RelaxFunction } from '../../ir/relax/nodes.js';

const dir = fileURLToPath(new URL('./fixtures/rewrite-dataflow-reshape/', import.meta.url));
runPassFixtures({ pass: rewriteDataflowReshape, dir, fs: { readdirSync, readFileSync, writeFileSync }, env: process.env });

describe('RewriteDataflowReshape', () => {
  it('keeps the provenance of the call_tir it replaces', () => {
    const text = readFileSync(`${dir}/static.tvmscript`, 'utf8').split('# expected:')[0]!;
    const mod = parseStrict(text, 'static');
    const main = mod.functions.get('main') as RelaxFunction;
    const b0 = main.body.blocks[0]!.bindings[0]!;
    const withProv = { ...main, body: { ...main.body, blocks: [{ ...main.body.blocks[0]!, bindings: [{ ...b0, value: { ...(b0.value as Call), provenance: ['src'] } }, ...main.body.blocks[0]!.bindings.slice(1)] }, ...main.body.blocks.slice(1)] } };
    const out = applyPass(rewriteDataflowReshape(), { ...mod, functions: new Map([...mod.functions, ['main', withProv]]) }).module;
    const v = (out.functions.get('main') as RelaxFunction).body.blocks[0]!.bindings[0]!.value as Call;
    expect(v.op.kind === 'relax.Op' && v.op.name).toBe('relax.reshape');
    expect(v.provenance).toEqual(['src']);
  });
});
