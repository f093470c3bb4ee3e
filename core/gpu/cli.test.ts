/**
 * `relax-studio run --device ...` over the device chain (Node): the CNN example on wasm is fused (fewer kernels
 * than graph nodes) and every profile row names its backend; an unavailable device says so in one line.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/harness.js';

const CNN = 'assets/examples/cnn.tvmscript';

interface Row {
  readonly name: string;
  readonly backend: string;
  readonly nodes: readonly string[];
}

describe('relax-studio run --device', () => {
  it('--device wasm --profile on the CNN: fewer kernels than nodes, a backend per row', async () => {
    const r = await cli(['run', CNN, '--device', 'wasm', '--profile', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { device: string; kernels: { name: string; backend: string }[]; profile: Row[] };
    expect(j.device).toBe('wasm');
    const kernelRows = j.profile.filter((p) => p.backend !== 'host');
    const nodes = new Set(kernelRows.flatMap((p) => p.nodes));
    expect(kernelRows.length).toBeLessThan(nodes.size);
    expect(kernelRows.some((p) => p.nodes.length > 1)).toBe(true); // a fused kernel lists all its source nodes
    for (const p of kernelRows) expect(['webasm', 'js']).toContain(p.backend);
    expect(kernelRows.filter((p) => p.backend === 'webasm').length).toBeGreaterThan(0);
    const table = await cli(['run', CNN, '--device', 'wasm', '--profile']);
    expect(table.stdout).toMatch(/^conv2d\s.*\swebasm\s+lv0$/m);
  });

  it('--device webgl2 in Node says it is unavailable on one line and falls back', async () => {
    const r = await cli(['run', CNN, '--device', 'webgl2', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('relax-studio: device webgl2 is not available (no WebGL2 context here); running on wasm\n');
    const j = JSON.parse(r.stdout) as { device: string; kernels: { backend: string }[] };
    expect(j.device).toBe('wasm');
    expect(j.kernels.length).toBeGreaterThan(0);
  });

  it('--device js runs every kernel on the reference, unfused', async () => {
    const r = await cli(['run', CNN, '--device', 'js', '--json']);
    const j = JSON.parse(r.stdout) as { kernels: { name: string; backend: string }[] };
    expect(j.kernels.every((k) => k.backend === 'js')).toBe(true);
    expect(j.kernels.some((k) => k.name.startsWith('fused_'))).toBe(false);
  });
});
