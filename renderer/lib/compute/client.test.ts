/**
 * RunClient with a fake worker: progress relayed, cancel terminates the worker, starts a fresh one and resends the
 * other requests, "unavailable" and a missing or crashing worker run the request on the page.
 */
import { describe, expect, it } from 'vitest';
import type { PageRunner, WorkerLike } from './client.js';
import { RunClient } from './client.js';
import type { ComputeRequest, ComputeResponse, FromWorker, ToWorker } from './protocol.js';
import { ComputeFailure } from './protocol.js';

class FakeWorker implements WorkerLike {
  readonly sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToWorker): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(m: FromWorker): void {
    this.onmessage!({ data: m } as MessageEvent<FromWorker>);
  }
}

const REQ: ComputeRequest = { kind: 'run', device: 'js', text: 'x' };
const RESP = (ranOn: 'worker' | 'page'): ComputeResponse => ({ kind: 'run', func: 'main', device: 'js', ranOn, outputs: [], kernels: [], diagnostics: [], printed: [] });

function setup(runOnPage?: PageRunner): { client: RunClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const client = new RunClient({ createWorker: () => (workers.push(new FakeWorker()), workers.at(-1)), ...(runOnPage ? { runOnPage } : {}) });
  return { client, workers };
}

describe('RunClient', () => {
  it('relays progress and resolves with the worker response', async () => {
    const { client, workers } = setup();
    const seen: number[] = [];
    const h = client.start(REQ).onProgress((e) => seen.push(e.done));
    expect(workers[0]!.sent).toEqual([{ type: 'start', id: h.id, request: REQ }]);
    workers[0]!.reply({ type: 'progress', id: h.id, event: { phase: 'run', done: 1, total: 2 } });
    workers[0]!.reply({ type: 'done', id: h.id, response: RESP('worker') });
    await expect(h.promise).resolves.toMatchObject({ ranOn: 'worker' });
    expect(seen).toEqual([1]);
  });

  it('rejects with the ComputeError the worker sent', async () => {
    const { client, workers } = setup();
    const h = client.start(REQ);
    workers[0]!.reply({ type: 'error', id: h.id, error: { message: 'bad', field: 'sym.n' } });
    const e = await h.promise.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ComputeFailure);
    expect((e as ComputeFailure).error).toEqual({ message: 'bad', field: 'sym.n' });
  });

  it('cancel terminates the worker, starts a fresh one and resends the other runs', async () => {
    const { client, workers } = setup();
    const a = client.start(REQ);
    const b = client.start({ ...REQ, func: 'other' });
    a.cancel();
    await expect(a.promise).rejects.toMatchObject({ error: { cancelled: true } });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.sent).toEqual([{ type: 'start', id: b.id, request: { ...REQ, func: 'other' } }]);
    workers[0]!.reply({ type: 'done', id: b.id, response: RESP('worker') }); // the dead worker is ignored
    workers[1]!.reply({ type: 'done', id: b.id, response: RESP('worker') });
    await expect(b.promise).resolves.toMatchObject({ kind: 'run' });
    const c = client.start(REQ);
    expect(workers[1]!.sent.at(-1)).toEqual({ type: 'start', id: c.id, request: REQ });
  });

  it('runs on the page when the worker cannot reach the device, with progress and cancel', async () => {
    let signal: AbortSignal | undefined;
    const { client, workers } = setup(async (req, hooks) => {
      signal = hooks.signal;
      hooks.onProgress({ phase: 'run', done: 0, total: 1 });
      expect(hooks.ranOn).toBe('page');
      return RESP('page');
    });
    const seen: string[] = [];
    const h = client.start(REQ).onProgress((e) => seen.push(e.phase));
    workers[0]!.reply({ type: 'unavailable', id: h.id, reason: 'no WebGL2 context here' });
    await expect(h.promise).resolves.toMatchObject({ ranOn: 'page' });
    expect(seen).toEqual(['run']);
    const never = new Promise<ComputeResponse>(() => {});
    const { client: c2, workers: w2 } = setup(async (_r, hooks) => ((signal = hooks.signal), never));
    const h2 = c2.start(REQ);
    w2[0]!.reply({ type: 'unavailable', id: h2.id, reason: 'x' });
    h2.cancel();
    await expect(h2.promise).rejects.toMatchObject({ error: { cancelled: true } });
    expect(signal!.aborted).toBe(true);
    expect(w2[0]!.terminated).toBe(false);
  });

  it('runs on the page when no worker can be made, or the worker crashes', async () => {
    const page: PageRunner = async () => RESP('page');
    const none = new RunClient({ createWorker: () => undefined, runOnPage: page });
    await expect(none.start(REQ).promise).resolves.toMatchObject({ ranOn: 'page' });
    const { client, workers } = setup(page);
    const h = client.start(REQ);
    workers[0]!.onerror!({ preventDefault() {} } as ErrorEvent);
    await expect(h.promise).resolves.toMatchObject({ ranOn: 'page' });
    expect(workers[0]!.terminated).toBe(true);
  });
});
