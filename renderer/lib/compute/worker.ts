/**
 * The Web Worker entry of the compute layer: runs engine.ts on each `start` message and posts progress, the
 * response or the error back (protocol.ts). A GPU device the worker cannot reach (no WebGPU adapter or WebGL
 * context here) is answered `unavailable`, and the page runs the request itself (client.ts) with the same contract.
 * Cancellation is the page terminating this worker.
 * Started by `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 */
import { unavailableReason } from '../../../core/gpu/index.js';
import { compute, toFailure } from './engine.js';
import type { ComputeRequest, FromWorker, ToWorker } from './protocol.js';
import { GPU_DEVICES } from './protocol.js';

/** The worker's side of the channel (typed here so the DOM lib suffices). */
interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;

/** Why `request` must run on the page instead, or undefined when it can run here. */
async function needsPage(request: ComputeRequest): Promise<string | undefined> {
  if (request.kind !== 'run' || !GPU_DEVICES.includes(request.device)) return undefined;
  return unavailableReason(request.device);
}

async function handle(id: number, request: ComputeRequest): Promise<void> {
  try {
    const reason = await needsPage(request);
    if (reason !== undefined) return scope.postMessage({ type: 'unavailable', id, reason });
    const response = await compute(request, { onProgress: (event) => scope.postMessage({ type: 'progress', id, event }), ranOn: 'worker' });
    scope.postMessage({ type: 'done', id, response });
  } catch (e) {
    scope.postMessage({ type: 'error', id, error: toFailure(e).error });
  }
}

scope.onmessage = (e) => {
  if (e.data.type === 'start') void handle(e.data.id, e.data.request);
};
scope.postMessage({ type: 'ready' });
