/**
 * The per-kernel profiler, modelled on TVM's removed VM profiler (#14053): it times every `Call` whose arguments
 * include a tensor, keys each time by callee name, and aggregates by name. Ours adds the source nodes (graph
 * bindings) and the backend of each kernel, runs warm-up plus N timed repeats and reports medians, and exports a
 * Chrome trace (`chrome://tracing`, Perfetto). It uses only the VM's instrument hook, which costs nothing when off.
 */
import { Tensor } from './tensor.js';
import type { Value } from './value.js';
import type { CalleeKind, InstrumentEvent, VirtualMachine } from './vm.js';

export interface CallRecord {
  readonly name: string;
  readonly kind: CalleeKind;
  readonly startUs: number;
  readonly durationUs: number;
  readonly argShapes: string;
  readonly nodes: readonly string[];
  readonly backend: string;
  readonly run: number;
}

export interface ProfileRow {
  readonly name: string;
  /** Median over the timed runs of this name's total time in one run. */
  readonly durationUs: number;
  readonly percent: number;
  readonly device: string;
  /** Calls per run. */
  readonly count: number;
  readonly argShapes: string;
  readonly backend: string;
  readonly nodes: readonly string[];
}

export interface ProfileOptions {
  readonly warmup?: number;
  readonly repeat?: number;
  /** The device column ("cpu0", "webgl2:0"). */
  readonly device?: string;
  /** Microsecond clock; defaults to `performance.now() * 1000`. */
  readonly nowUs?: () => number;
}

export interface ProfileResult {
  readonly output: Value;
  readonly report: ProfileReport;
}

function defaultClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() * 1000 : () => Date.now() * 1000;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function argShapes(args: readonly Value[]): string {
  return args
    .filter((a): a is Tensor => a instanceof Tensor)
    .map((t) => t.describe())
    .join(', ');
}

/** Runs `fn` once per warm-up and repeat with the VM instrumented, and returns the last output and the report. */
export async function profile(vm: VirtualMachine, fn: string, args: readonly Value[], opts: ProfileOptions = {}): Promise<ProfileResult> {
  const now = opts.nowUs ?? defaultClock();
  const warmup = opts.warmup ?? 1;
  const repeat = Math.max(1, opts.repeat ?? 1);
  let output: Value = null;
  for (let i = 0; i < warmup; i++) output = await vm.invoke(fn, args);
  const records: CallRecord[] = [];
  const wall: number[] = [];
  const open: { ev: InstrumentEvent; start: number }[] = [];
  let run = 0;
  vm.setInstrument((ev) => {
    if (ev.calleeKind === 'vm') return;
    if (ev.before) {
      open.push({ ev, start: now() });
      return;
    }
    const o = open.pop();
    if (!o || !ev.args.some((a) => a instanceof Tensor)) return;
    const end = now();
    records.push({
      name: ev.funcName,
      kind: ev.calleeKind,
      startUs: o.start,
      durationUs: end - o.start,
      argShapes: argShapes(ev.args),
      nodes: vm.exec.provenance[ev.pc] ?? [],
      backend: ev.backend ?? (ev.calleeKind === 'kernel' ? 'js' : 'host'),
      run,
    });
  });
  try {
    for (run = 0; run < repeat; run++) {
      const t0 = now();
      output = await vm.invoke(fn, args);
      wall.push(now() - t0);
    }
  } finally {
    vm.setInstrument(null);
  }
  return { output, report: new ProfileReport(records, median(wall), repeat, opts.device ?? 'cpu0') };
}

export class ProfileReport {
  readonly rows: readonly ProfileRow[];

  constructor(
    readonly calls: readonly CallRecord[],
    /** Median wall time of one run of the function. */
    readonly totalUs: number,
    readonly repeat: number,
    readonly device: string,
  ) {
    this.rows = this.aggregate();
  }

  private aggregate(): ProfileRow[] {
    const byName = new Map<string, CallRecord[]>();
    for (const c of this.calls) {
      const list = byName.get(c.name);
      if (list) list.push(c);
      else byName.set(c.name, [c]);
    }
    const rows: ProfileRow[] = [];
    for (const [name, list] of byName) {
      const perRun = Array.from({ length: this.repeat }, (_, r) => list.filter((c) => c.run === r).reduce((a, c) => a + c.durationUs, 0));
      const durationUs = median(perRun);
      rows.push({
        name,
        durationUs,
        percent: this.totalUs > 0 ? (durationUs / this.totalUs) * 100 : 0,
        device: this.device,
        count: Math.round(list.length / this.repeat),
        argShapes: list[0]!.argShapes,
        backend: [...new Set(list.map((c) => c.backend))].join('+'),
        nodes: [...new Set(list.flatMap((c) => c.nodes))],
      });
    }
    return rows.sort((a, b) => b.durationUs - a.durationUs);
  }

  /** TVM's table: Name, Duration (us), Percent, Device, Count, Argument Shapes; plus Backend and Nodes; Sum, Total, Configuration. */
  table(): string {
    const fmt = (us: number): string => us.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const head = ['Name', 'Duration (us)', 'Percent', 'Device', 'Count', 'Argument Shapes', 'Backend', 'Nodes'];
    const body = this.rows.map((r) => [r.name, fmt(r.durationUs), r.percent.toFixed(2), r.device, String(r.count), r.argShapes, r.backend, r.nodes.join(', ')]);
    const sum = this.rows.reduce((a, r) => a + r.durationUs, 0);
    const count = this.rows.reduce((a, r) => a + r.count, 0);
    body.push(['Sum', fmt(sum), this.totalUs > 0 ? ((sum / this.totalUs) * 100).toFixed(2) : '0.00', '', String(count), '', '', '']);
    body.push(['Total', fmt(this.totalUs), '', this.device, '1', '', '', '']);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const right = new Set([1, 2, 4]);
    const line = (cells: readonly string[]): string =>
      cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    return [line(head), ...body.map(line), '', 'Configuration', 'Executor: VM', `Repeats: ${this.repeat} (median)`, ''].join('\n');
  }

  /** A Chrome trace: one complete ("X") event per call, microseconds, one thread per timed run. */
  chromeTrace(): { traceEvents: unknown[]; displayTimeUnit: string } {
    const t0 = this.calls.length ? Math.min(...this.calls.map((c) => c.startUs)) : 0;
    const traceEvents = this.calls.map((c) => ({
      name: c.name,
      cat: c.kind,
      ph: 'X',
      ts: Math.round((c.startUs - t0) * 1000) / 1000,
      dur: Math.round(c.durationUs * 1000) / 1000,
      pid: 1,
      tid: c.run + 1,
      args: { nodes: c.nodes, argShapes: c.argShapes, backend: c.backend },
    }));
    return { traceEvents, displayTimeUnit: 'ms' };
  }

  toJSON(): ProfileRow[] {
    return this.rows.map((r) => ({ ...r, durationUs: Math.round(r.durationUs * 1000) / 1000, percent: Math.round(r.percent * 100) / 100 }));
  }
}
