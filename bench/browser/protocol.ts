/**
 * What the browser bench's two halves exchange: the Node runner (bench/browser/run.ts) asks the harness page
 * (renderer/src/harness/bench.ts) to time one case on a list of engine/device cells and gets plain data back.
 * Types only, free of DOM and Node, so both sides (and their tsconfigs) can import it.
 */

/** Our VM's devices in the bench: the two browser GPU paths and the CPU path (core/gpu's `wasm`: gpu.js webasm + JS). */
export type OurDevice = 'webgl2' | 'webgpu' | 'wasm';
/** tfjs backends in the bench. */
export type TfjsBackend = 'webgl' | 'webgpu' | 'wasm';

/** A device column: ours on one path beside the tfjs backend for the same hardware. */
export interface DevicePair {
  readonly id: string;
  readonly ours: OurDevice;
  readonly tfjs: TfjsBackend;
}

/** The columns, in table order. */
export const DEVICE_PAIRS: readonly DevicePair[] = [
  { id: 'webgl2', ours: 'webgl2', tfjs: 'webgl' },
  { id: 'webgpu', ours: 'webgpu', tfjs: 'webgpu' },
  { id: 'cpu', ours: 'wasm', tfjs: 'wasm' },
];

/** One engine on one device. */
export interface CellSpec {
  readonly engine: 'ours' | 'tfjs';
  readonly device: OurDevice | TfjsBackend;
}

export interface TimingSettings {
  /** Warm-up runs at most (they stop after a quarter of the budget). */
  readonly warmup: number;
  /** Timed runs at most (they stop once the budget is spent; at least one). */
  readonly runs: number;
  /** Per cell, ms. */
  readonly budgetMs: number;
  /** Seed of the case inputs (bench/vm/cases.ts). */
  readonly seed: number;
  /** Build ours with FuseOps + FuseTIR; undefined: what core/gpu says per device (on for all but js and cpu). */
  readonly fuse?: boolean;
}

/** One cell's outcome. */
export interface CellResult extends CellSpec {
  /** Median of the timed runs, ms (absent when the cell could not run). */
  readonly ms?: number;
  readonly runs: number;
  readonly setupMs?: number;
  /** Short reason without a number ("unavailable", "error"), or a note beside it ("fell back"). */
  readonly note?: string;
  readonly detail?: string;
  /** Which backends ran our kernels ("webgl2 x3, js x1"). */
  readonly backends?: string;
  /** max |out - ref| / max |ref| against the case's reference cell. */
  readonly err?: number;
}

export interface CaseResult {
  readonly id: string;
  readonly label: string;
  readonly flops: number;
  readonly cells: readonly CellResult[];
  /** The cell the others were compared with ("tfjs/wasm"). */
  readonly ref?: string;
}

/** A short name for a cell: "ours/webgl2", "tfjs/wasm". */
export const cellKey = (c: CellSpec): string => `${c.engine}/${c.device}`;
