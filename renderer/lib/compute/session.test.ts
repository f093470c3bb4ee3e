// The compute session with a fake client: job states and progress, a replaced run's late answer ignored, cancel,
// the status lines (run-status ends with "done" only after a finished run), and failure diagnostics on nodes.
import { describe, expect, it } from 'vitest';
import { moduleToGraph } from '../../../core/ir/graph/build.js';
import { parse } from '../../../core/ir/parser/index.js';
import type { RunHandle } from './client.js';
import type { ComputeError, ComputeRequest, ComputeResponse, ProgressEvent, RunResponse } from './protocol.js';
import { ComputeFailure } from './protocol.js';
import { buildStatusText, ComputeSession, failureDiagnostics, runStatusText } from './session.js';

interface Fake {
  request: ComputeRequest;
  progress: (e: ProgressEvent) => void;
  resolve: (r: ComputeResponse) => void;
  reject: (e: ComputeError) => void;
  cancelled: boolean;
}

function fakeClient() {
  const started: Fake[] = [];
  return {
    started,
    start(request: ComputeRequest): RunHandle {
      const listeners: ((e: ProgressEvent) => void)[] = [];
      let resolve!: (r: ComputeResponse) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<ComputeResponse>((a, b) => ((resolve = a), (reject = b)));
      const fake: Fake = {
        request, cancelled: false, resolve,
        progress: (e) => listeners.forEach((l) => l(e)),
        reject: (e) => reject(new ComputeFailure(e)),
      };
      started.push(fake);
      const handle: RunHandle = {
        id: started.length, promise,
        onProgress: (l) => (listeners.push(l), handle),
        cancel: () => {
          fake.cancelled = true;
          fake.reject({ message: 'the run was cancelled', cancelled: true });
        },
      };
      return handle;
    },
  };
}

const RESULT: RunResponse = {
  kind: 'run', func: 'main', device: 'wasm', ranOn: 'worker', outputs: [], kernels: [], diagnostics: [], printed: [],
  profile: { rows: [], totalUs: 1234, repeat: 3, device: 'cpu0', trace: {} },
};

describe('ComputeSession', () => {
  it('tracks a run from progress to done, and the status line ends with "done" only then', async () => {
    const client = fakeClient();
    let t = 0;
    const session = new ComputeSession(client, () => (t += 5));
    const seen: string[] = [];
    session.subscribe((s) => seen.push(runStatusText(s.run)));
    const done = session.run({ kind: 'run', device: 'wasm', text: 'x' });
    client.started[0]!.progress({ phase: 'build', pass: 'FuseOps', done: 4, total: 27 });
    expect(runStatusText(session.state.run)).toBe('compiling 4/27 (FuseOps)…');
    expect(runStatusText(session.state.run)).not.toMatch(/done$/);
    client.started[0]!.resolve(RESULT);
    const job = await done;
    expect(job.status).toBe('done');
    expect(runStatusText(session.state.run)).toMatch(/^main on wasm \(worker\), 1\.23 ms per run in .* · done$/);
    expect(seen.filter((s) => s.endsWith('done'))).toHaveLength(1);
  });

  it('a second run replaces the first: the first is cancelled and its late answer is ignored', async () => {
    const client = fakeClient();
    const session = new ComputeSession(client);
    const first = session.run({ kind: 'run', device: 'js', text: 'a' });
    const second = session.run({ kind: 'run', device: 'js', text: 'b' });
    expect(client.started[0]!.cancelled).toBe(true);
    expect((await first).status).toBe('cancelled');
    expect(session.state.run?.status).toBe('running');
    client.started[1]!.resolve({ ...RESULT, func: 'second' });
    expect((await second).result?.func).toBe('second');
    expect(session.state.run?.result?.func).toBe('second');
  });

  it('cancel and failure end the job with a status that does not end in "done"', async () => {
    const client = fakeClient();
    const session = new ComputeSession(client);
    const p = session.run({ kind: 'run', device: 'js', text: 'a' });
    session.cancelRun();
    expect((await p).status).toBe('cancelled');
    expect(runStatusText(session.state.run)).toBe('cancelled');
    const q = session.run({ kind: 'run', device: 'js', text: 'a' });
    client.started[1]!.reject({ message: 'the symbolic dim n has no value\nmore', field: 'sym.n' });
    const failed = await q;
    expect(failed.status).toBe('failed');
    expect(failed.error?.field).toBe('sym.n');
    expect(runStatusText(session.state.run)).toBe('failed: the symbolic dim n has no value …');
  });

  it('a run refused before it starts is a failed job that says why', () => {
    const client = fakeClient();
    const session = new ComputeSession(client);
    session.refuseRun({ kind: 'run', device: 'js', text: 'a' }, { message: 'bind n to a whole number', field: 'sym.n' });
    expect(client.started).toHaveLength(0);
    expect(runStatusText(session.state.run)).toBe('failed: bind n to a whole number');
  });

  it('builds report their own status, independent of runs', async () => {
    const client = fakeClient();
    const session = new ComputeSession(client);
    const b = session.build({ kind: 'build', text: 'x' });
    expect(buildStatusText(session.state.build)).toBe('starting…');
    client.started[0]!.resolve({ kind: 'build', passes: ['A', 'B'], listing: '', kernels: ['k'], diagnostics: [] } as never);
    await b;
    expect(buildStatusText(session.state.build)).toBe('built: 2 passes, 1 kernels · done');
    expect(session.state.run).toBeUndefined();
  });
});

describe('failureDiagnostics', () => {
  const text = `# from tvm.script import relax as R
@R.function
def main(x: R.Tensor((2, 3), dtype="float32")):
    a = R.exp(x)
    b = R.call_packed("my_fn", a, sinfo_args=R.Tensor((2, 3), dtype="float32"))
    _ = R.call_packed("other_fn", b, sinfo_args=R.Tensor((2, 3), dtype="float32"))
    _ = R.call_packed("my_fn", b, sinfo_args=R.Tensor((2, 3), dtype="float32"))
    return b
`;
  const r = parse(text, { loose: true });
  const graph = moduleToGraph(r.module!);

  it('puts a packed function failure on the node that called it (B801), at its binding span', () => {
    const ds = failureDiagnostics({ message: 'the packed function `my_fn` threw: boom', field: 'packed.my_fn', nodes: ['b'] }, graph, 'main');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe('B801');
    expect(text.slice(ds[0]!.span!.start, ds[0]!.span!.end)).toMatch(/^b = R\.call_packed/);
  });

  it('of several `_` statements, badges the one that calls the failing packed function', () => {
    const ds = failureDiagnostics({ message: 'threw', field: 'packed.my_fn', nodes: ['_'] }, graph, 'main');
    expect(ds.map((d) => text.slice(d.span!.start, d.span!.end))).toEqual(['_ = R.call_packed("my_fn", b, sinfo_args=R.Tensor((2, 3), dtype="float32"))']);
  });

  it('keeps compile errors as they are, names other node failures B802, and ignores cancels', () => {
    const compile = { code: 'B601', severity: 'error' as const, message: 'cannot lower', span: { start: 1, end: 2 } };
    expect(failureDiagnostics({ message: 'x', diagnostics: [compile] }, graph, 'main')).toEqual([compile]);
    expect(failureDiagnostics({ message: 'x', nodes: ['a'] }, graph, 'main')[0]!.code).toBe('B802');
    expect(failureDiagnostics({ message: 'x', nodes: ['a'], cancelled: true }, graph, 'main')).toEqual([]);
    expect(failureDiagnostics({ message: 'x', nodes: ['nope'] }, graph, 'main')).toEqual([]);
  });
});
