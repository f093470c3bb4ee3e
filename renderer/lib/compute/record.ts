/**
 * What a finished run leaves in the run history (persist/schema.ts RunRecord, v3): the settings it was asked with,
 * the device it used, output summaries without their bytes, the profile rows and the kernels with their backends.
 * Outputs' `.npy` bytes and previews beyond the summary stay out of the database: the history is for comparing, and
 * a project keeps up to 50 runs.
 */
import type { NewRun } from '../profile/history.js';
import type { RunSettings } from '../persist/schema.js';
import type { RunResponse } from './protocol.js';

/** The history record of `response`, run with `settings`, for project `projectId`. */
export function toRunRecord(projectId: number, settings: RunSettings, response: RunResponse, time: number): NewRun {
  return {
    projectId,
    time,
    settings,
    device: response.device,
    outputs: response.outputs.map(({ npy: _bytes, ...summary }) => ({ ...summary, shape: [...summary.shape], preview: [...summary.preview] })),
    profile: (response.profile?.rows ?? []).map((r) => ({
      name: r.name, durationUs: r.durationUs, percent: r.percent, device: r.device, count: r.count, argShapes: r.argShapes, backend: r.backend, nodes: [...r.nodes],
    })),
    kernels: response.kernels.map((k) => ({ name: k.name, backend: k.backend, ...(k.fallbackReason ? { fallbackReason: k.fallbackReason } : {}) })),
    totalUs: response.profile?.totalUs ?? 0,
  };
}
