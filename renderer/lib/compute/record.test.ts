// A run's history record keeps settings, device, summaries (without .npy bytes), rows and kernels, and is plain data.
import { describe, expect, it } from 'vitest';
import type { RunResponse } from './protocol.js';
import { toRunRecord } from './record.js';

describe('toRunRecord', () => {
  it('drops output bytes, keeps rows, kernels and the total, and survives structured cloning', () => {
    const response: RunResponse = {
      kind: 'run', func: 'main', device: 'webgl2', ranOn: 'page', diagnostics: [], printed: [],
      outputs: [{ shape: [2, 2], dtype: 'float32', min: 0, max: 1, mean: 0.5, nanCount: 0, infCount: 0, preview: [0, 1, 0, 1], npy: new Uint8Array(80) }],
      kernels: [{ name: 'fused_exp', backend: 'js', fallbackReason: 'integer division', nodes: ['lv0'] }],
      profile: { rows: [{ name: 'fused_exp', durationUs: 12, percent: 100, device: 'webgl2:0', count: 1, argShapes: 'float32[2, 2]', backend: 'js', nodes: ['lv0'] }], totalUs: 15, repeat: 2, device: 'webgl2:0', trace: {} },
    };
    const settings = { func: 'main', sym: { n: 2 }, inputs: [{ name: 'x', kind: 'random' as const, seed: 3 }], device: 'webgl2', repeat: 2, warmup: 1 };
    const rec = toRunRecord(7, settings, response, 1000);
    expect(rec).toMatchObject({ projectId: 7, time: 1000, device: 'webgl2', totalUs: 15, settings });
    expect(rec.outputs[0]).not.toHaveProperty('npy');
    expect(rec.outputs[0]!.preview).toEqual([0, 1, 0, 1]);
    expect(rec.kernels).toEqual([{ name: 'fused_exp', backend: 'js', fallbackReason: 'integer division' }]);
    expect(rec.profile[0]!.nodes).toEqual(['lv0']);
    expect(structuredClone(rec)).toEqual(rec);
  });
});
