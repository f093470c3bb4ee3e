/**
 * The compute session of one open document: the Build and Run actions of the toolbar, their progress and results,
 * as a small framework-free store (tested in Node with a fake client). At most one build and one run are in flight;
 * starting another cancels the one it replaces, so a stale answer never overwrites a newer one.
 *
 * It also says what the UI shows about a job: the one-line status (`run-status`, which ends with `done` when a run
 * finished: a contract for tests), and the diagnostics a failure puts on graph nodes (compile errors keep their
 * spans; a failure that names nodes gets a B8xx diagnostic on each node's span).
 */
import type { Diagnostic } from '../../../core/ir/diagnostics/diagnostic.js';
import type { GraphDocument } from '../../../core/ir/graph/model.js';
import type { RunHandle } from './client.js';
import type { BuildRequest, BuildResponse, ComputeError, ComputeRequest, ComputeResponse, ProgressEvent, RunRequest, RunResponse } from './protocol.js';
import { ComputeFailure } from './protocol.js';
import { callsPacked } from '../run/packed.js';
import { formatUs } from '../profile/format.js';

/** Where a job is. */
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

interface Job<Req, Res> {
  readonly status: JobStatus;
  readonly request: Req;
  readonly progress?: ProgressEvent;
  readonly result?: Res;
  readonly error?: ComputeError;
  readonly startedAt: number;
  readonly finishedAt?: number;
}

export type BuildJob = Job<BuildRequest, BuildResponse>;
export type RunJob = Job<RunRequest, RunResponse>;

export interface SessionState {
  readonly build?: BuildJob;
  readonly run?: RunJob;
}

/** What the session needs of RunClient. */
export interface Starter {
  start(request: ComputeRequest): RunHandle;
}

type Listener = (s: SessionState) => void;

/** See the file header. */
export class ComputeSession {
  private current: SessionState = {};
  private readonly listeners = new Set<Listener>();
  private handles: { build?: RunHandle; run?: RunHandle } = {};

  constructor(private readonly client: Starter, private readonly now: () => number = () => performance.now()) {}

  get state(): SessionState {
    return this.current;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Compiles; resolves with the finished job (never rejects). */
  build(request: BuildRequest): Promise<BuildJob> {
    return this.startJob('build', request) as Promise<BuildJob>;
  }

  /** Runs; resolves with the finished job (never rejects). */
  run(request: RunRequest): Promise<RunJob> {
    return this.startJob('run', request) as Promise<RunJob>;
  }

  /**
   * Records a run that was refused before it started (the run panel's own checks failed): a failed job with the
   * error, so the status line says why. A run in flight is cancelled first.
   */
  refuseRun(request: RunRequest, error: ComputeError): RunJob {
    this.handles.run?.cancel();
    this.handles.run = undefined;
    const t = this.now();
    const job: RunJob = { status: 'failed', request, error, startedAt: t, finishedAt: t };
    this.put('run', job);
    return job;
  }

  /** Cancels the run in flight, if any. */
  cancelRun(): void {
    this.handles.run?.cancel();
  }

  cancelBuild(): void {
    this.handles.build?.cancel();
  }

  /** Forgets results (a new document was opened). In-flight jobs are cancelled. */
  reset(): void {
    this.cancelBuild();
    this.cancelRun();
    this.set({});
  }

  private startJob(slot: 'build' | 'run', request: BuildRequest | RunRequest): Promise<BuildJob | RunJob> {
    this.handles[slot]?.cancel();
    const handle = this.client.start(request);
    this.handles[slot] = handle;
    const started: Job<typeof request, ComputeResponse> = { status: 'running', request, startedAt: this.now() };
    this.put(slot, started);
    handle.onProgress((progress) => {
      if (this.handles[slot] === handle) this.put(slot, { ...this.jobOf(slot)!, progress });
    });
    return handle.promise.then(
      (result) => this.finish(slot, handle, { status: 'done', result }),
      (e: unknown) => {
        const error = e instanceof ComputeFailure ? e.error : { message: e instanceof Error ? e.message : String(e) };
        return this.finish(slot, handle, { status: error.cancelled ? 'cancelled' : 'failed', error });
      },
    );
  }

  private finish(slot: 'build' | 'run', handle: RunHandle, end: Partial<Job<unknown, ComputeResponse>>): BuildJob | RunJob {
    const job = { ...this.jobOf(slot)!, ...end, finishedAt: this.now() } as BuildJob | RunJob;
    // A replaced job's end is not shown: the job that replaced it owns the slot.
    if (this.handles[slot] !== handle) return job;
    this.handles[slot] = undefined;
    this.put(slot, job);
    return job;
  }

  private jobOf(slot: 'build' | 'run'): Job<unknown, ComputeResponse> | undefined {
    return this.current[slot] as Job<unknown, ComputeResponse> | undefined;
  }

  private put(slot: 'build' | 'run', job: Job<unknown, ComputeResponse>): void {
    this.set({ ...this.current, [slot]: job });
  }

  private set(s: SessionState): void {
    this.current = s;
    for (const l of [...this.listeners]) l(s);
  }
}

// ---------------------------------------------------------------- what the UI shows

const PHASE: Record<ProgressEvent['phase'], string> = { parse: 'parsing', build: 'compiling', 'compile-kernels': 'preparing kernels', run: 'running' };

/** A progress event in words: `compiling 4/27 (FuseOps)`. */
export function progressText(p: ProgressEvent | undefined): string {
  if (!p) return 'starting';
  return `${PHASE[p.phase]} ${p.done}/${p.total}${p.pass ? ` (${p.pass})` : ''}`;
}

/** The run status line; ends with `done` exactly when the last run finished. */
export function runStatusText(job: RunJob | undefined): string {
  if (!job) return 'not run yet';
  switch (job.status) {
    case 'running':
      return `${progressText(job.progress)}…`;
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return `failed: ${firstLine(job.error?.message ?? 'unknown error')}`;
    case 'done': {
      const r = job.result!;
      const per = r.profile ? `, ${formatUs(r.profile.totalUs)} per run` : '';
      const wall = job.finishedAt !== undefined ? ` in ${formatUs((job.finishedAt - job.startedAt) * 1000)}` : '';
      return `${r.func} on ${r.device} (${r.ranOn})${per}${wall} · done`;
    }
  }
}

/** The build status line. */
export function buildStatusText(job: BuildJob | undefined): string {
  if (!job) return 'not built yet';
  switch (job.status) {
    case 'running':
      return `${progressText(job.progress)}…`;
    case 'cancelled':
      return 'build cancelled';
    case 'failed':
      return `build failed: ${firstLine(job.error?.message ?? 'unknown error')}`;
    case 'done':
      return `built: ${job.result!.passes.length} passes, ${job.result!.kernels.length} kernels · done`;
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : `${s.slice(0, i)} …`;
}

/**
 * The diagnostics a failure puts on the graph: a compile error's own diagnostics (their spans point into the text
 * that was built), and for a failure naming nodes (a packed function that threw, a kernel that failed) one B8xx
 * diagnostic on each of those nodes in function `func`. Only meaningful while the document's text is the text the
 * job ran on (the caller checks).
 */
export function failureDiagnostics(error: ComputeError | undefined, graph: GraphDocument | undefined, func: string): Diagnostic[] {
  if (!error || error.cancelled) return [];
  const out: Diagnostic[] = [...(error.diagnostics ?? []).filter((d) => d.severity === 'error')];
  const fn = graph?.functions.find((f) => f.name === func);
  if (!fn || fn.kind !== 'relax') return out;
  const packed = error.field?.startsWith('packed.') ? error.field.slice(7) : undefined;
  const code = packed ? 'B801' : 'B802';
  for (const name of new Set(error.nodes ?? [])) {
    // A name may repeat (`_` for each statement call); a packed failure belongs to the bindings that call it.
    const nodes = fn.nodes.filter((n) => n.kind === 'binding' && n.binding.v.name === name);
    const callers = packed ? nodes.filter((n) => n.kind === 'binding' && callsPacked(n.binding, packed)) : [];
    for (const node of callers.length ? callers : nodes.slice(0, 1))
      if (node.span) out.push({ code, severity: 'error', message: error.message, span: node.span });
  }
  return out;
}
