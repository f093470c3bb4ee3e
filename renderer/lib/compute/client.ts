/**
 * RunClient: the page's handle on the compute layer. `start(request)` sends a build or run to a Web Worker
 * (worker.ts) and returns a handle with progress listeners, the result promise and `cancel()`; the UI thread only
 * relays messages, so it stays responsive however long the run. Cancelling terminates the worker (a run cannot be
 * interrupted inside it) and starts a fresh one; requests still in flight on the old worker are sent again to the
 * new one (requests are pure data, so this is safe).
 *
 * "A GPU device runs where the worker can reach it, or on the page with the same contract": when the worker answers
 * that the requested device is not available there (or no Worker can be made), the request runs on the page through
 * engine.ts (loaded on first need, so pages that never need it do not load gpu.js), yielding to the event loop
 * between kernels every `yieldEveryMs`, cancellable between kernels. Compiling on the page is not broken up.
 */
import type { ComputeError, ComputeRequest, ComputeResponse, FromWorker, ProgressEvent, ToWorker } from './protocol.js';
import { ComputeFailure } from './protocol.js';

/** What the client needs of a Worker (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

/** Runs a request on the page (engine.ts's `compute`; tests may substitute). */
export type PageRunner = (
  request: ComputeRequest,
  hooks: { onProgress: (e: ProgressEvent) => void; signal: AbortSignal; yieldEvery: number; ranOn: 'page' },
) => Promise<ComputeResponse>;

export interface RunClientOptions {
  /** Makes a worker; default the module worker of worker.ts; undefined result: no worker here. */
  readonly createWorker?: () => WorkerLike | undefined;
  readonly runOnPage?: PageRunner;
  /** Page runs give the event loop a turn after this many ms of work (default 30). */
  readonly yieldEveryMs?: number;
}

/** A started request. */
export interface RunHandle {
  readonly id: number;
  /** Resolves with the response; rejects with a ComputeFailure (`error.cancelled` when cancelled). */
  readonly promise: Promise<ComputeResponse>;
  /** Adds a progress listener; returns the handle. */
  onProgress(listener: (e: ProgressEvent) => void): RunHandle;
  /** Stops the request; its promise rejects at once with a cancelled ComputeFailure. */
  cancel(): void;
}

interface Pending {
  readonly request: ComputeRequest;
  readonly listeners: ((e: ProgressEvent) => void)[];
  readonly resolve: (r: ComputeResponse) => void;
  readonly reject: (e: ComputeFailure) => void;
  /** Set while the request runs on the page. */
  abort?: AbortController;
}

const CANCELLED: ComputeError = { message: 'the run was cancelled', cancelled: true };

function defaultWorker(): WorkerLike | undefined {
  if (typeof Worker === 'undefined') return undefined;
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

const defaultPageRunner: PageRunner = async (request, hooks) => (await import('./engine.js')).compute(request, hooks);

/** Sends compute requests to a worker, or runs them on the page; see the file header. */
export class RunClient {
  private worker: WorkerLike | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly createWorker: () => WorkerLike | undefined;
  private readonly runOnPage: PageRunner;
  private readonly yieldEveryMs: number;

  constructor(options: RunClientOptions = {}) {
    this.createWorker = options.createWorker ?? defaultWorker;
    this.runOnPage = options.runOnPage ?? defaultPageRunner;
    this.yieldEveryMs = options.yieldEveryMs ?? 30;
  }

  /** Starts a build or run. */
  start(request: ComputeRequest): RunHandle {
    const id = this.nextId++;
    let entry!: Pending;
    const promise = new Promise<ComputeResponse>((resolve, reject) => {
      entry = { request, listeners: [], resolve, reject };
    });
    this.pending.set(id, entry);
    const w = this.ensureWorker();
    if (w) w.postMessage({ type: 'start', id, request });
    else this.startOnPage(id, entry);
    const handle: RunHandle = {
      id,
      promise,
      onProgress: (listener) => {
        entry.listeners.push(listener);
        return handle;
      },
      cancel: () => this.cancel(id),
    };
    return handle;
  }

  /** Stops every request and the worker. */
  dispose(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, CANCELLED);
    this.worker?.terminate();
    this.worker = undefined;
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.settle(id, undefined, CANCELLED);
    if (p.abort) return p.abort.abort();
    // The worker cannot be interrupted: replace it, and resend what else was running there.
    this.worker?.terminate();
    this.worker = undefined;
    const rest = [...this.pending].filter(([, q]) => !q.abort);
    if (!rest.length) return;
    const w = this.ensureWorker();
    for (const [rid, q] of rest) {
      if (w) w.postMessage({ type: 'start', id: rid, request: q.request });
      else this.startOnPage(rid, q);
    }
  }

  private ensureWorker(): WorkerLike | undefined {
    if (this.worker) return this.worker;
    let w: WorkerLike | undefined;
    try {
      w = this.createWorker();
    } catch {
      w = undefined;
    }
    if (!w) return undefined;
    w.onmessage = (e) => this.receive(e.data);
    w.onerror = (e) => this.workerFailed(w!, e);
    this.worker = w;
    return w;
  }

  /** The worker died or could not load: everything it had runs on the page instead. */
  private workerFailed(w: WorkerLike, e: ErrorEvent): void {
    e.preventDefault?.();
    if (this.worker !== w) return;
    w.terminate();
    this.worker = undefined;
    for (const [id, p] of this.pending) if (!p.abort) this.startOnPage(id, p);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'progress':
        return p.listeners.forEach((l) => l(m.event));
      case 'done':
        return this.settle(m.id, m.response);
      case 'error':
        return this.settle(m.id, undefined, m.error);
      case 'unavailable':
        return this.startOnPage(m.id, p);
    }
  }

  private startOnPage(id: number, p: Pending): void {
    p.abort = new AbortController();
    const hooks = { onProgress: (e: ProgressEvent) => p.listeners.forEach((l) => l(e)), signal: p.abort.signal, yieldEvery: this.yieldEveryMs, ranOn: 'page' as const };
    this.runOnPage(p.request, hooks).then(
      (r) => this.settle(id, r),
      (e: unknown) => this.settle(id, undefined, e instanceof ComputeFailure ? e.error : { message: e instanceof Error ? e.message : String(e) }),
    );
  }

  private settle(id: number, response: ComputeResponse | undefined, error?: ComputeError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (error) p.reject(new ComputeFailure(error));
    else p.resolve(response!);
  }
}
