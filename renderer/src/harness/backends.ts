/// <reference types="vite/client" />
/**
 * The one switch point between a device name and a kernel backend for the harness and the browser bench.
 *
 * `js` is always the JavaScript reference (core/vm/kernels/js-codegen.ts), the semantics every device is checked
 * against. Every other name goes to core/gpu's `createDeviceBackend(device)` (issue 4), which is loaded lazily
 * through `import.meta.glob`: while core/gpu/index.ts does not exist the glob is empty, the build still works,
 * and the device runs on the JS reference with a note that says so (tests treat that as "not tested", never as
 * a pass). The module lands in its own chunk, so pages that never ask for a GPU device do not load gpu.js.
 */
import type { KernelBackend } from '../../../core/vm/kernel.js';
import { JsKernelBackend } from '../../../core/vm/kernels/js-codegen.js';

/**
 * Device names `run()` accepts, core/gpu's (device.ts): the reference (js), gpu.js's cpu mode, the CPU path
 * (wasm: gpu.js webasm with the reference for small calls), the browser GPU paths, and auto.
 */
export const DEVICE_NAMES = ['js', 'cpu', 'wasm', 'webgl2', 'webgl', 'webgpu', 'auto'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];

/** What core/gpu/index.ts is expected to export (only what the harness uses). */
interface GpuModule {
  createDeviceBackend?: (device: string, options?: { synchronize?: boolean }) => unknown;
}

const GPU_MODULE = import.meta.glob<GpuModule>('../../../core/gpu/index.ts');

/** True when this build contains core/gpu (the gpu.js backend); false while only the JS reference exists. */
export function hasGpuBackend(): boolean {
  return Object.keys(GPU_MODULE).length > 0;
}

/** A backend for a device, and a note when it is not the one asked for. */
export interface BackendChoice {
  readonly backend: KernelBackend;
  /** Set when the request could not be honoured as asked (no core/gpu here, an unavailable device). */
  readonly note?: string;
  /** Whether core/gpu builds with fusion for this device (undefined: no opinion). */
  readonly fuse?: boolean;
}

function isBackend(x: unknown): x is KernelBackend {
  return typeof x === 'object' && x !== null && typeof (x as KernelBackend).compile === 'function';
}

/** Accepts a backend, or an object carrying one (`{ backend, note|reason }`), from createDeviceBackend. */
function unwrap(made: unknown, device: string): BackendChoice {
  if (isBackend(made)) return { backend: made };
  const o = made as { backend?: unknown; notice?: unknown; note?: unknown; fuse?: unknown } | null;
  if (o && isBackend(o.backend)) {
    const why = o.notice ?? o.note;
    return { backend: o.backend, ...(typeof why === 'string' && why ? { note: why } : {}), ...(typeof o.fuse === 'boolean' ? { fuse: o.fuse } : {}) };
  }
  throw new Error(`core/gpu's createDeviceBackend("${device}") returned no kernel backend`);
}

/** Checks a device name, with the list of good ones in the message. */
export function checkDevice(device: string): DeviceName {
  if ((DEVICE_NAMES as readonly string[]).includes(device)) return device as DeviceName;
  throw new Error(`unknown device "${device}": expected one of ${DEVICE_NAMES.join(', ')}`);
}

/**
 * The kernel backend for `device` (a fresh one: its compile count starts at zero). `synchronize` makes every
 * kernel wait for its device (the profiler's setting: each kernel's time is its own).
 */
export async function backendFor(device: DeviceName, options: { synchronize?: boolean } = {}): Promise<BackendChoice> {
  if (device === 'js') return { backend: new JsKernelBackend() };
  const load = Object.values(GPU_MODULE)[0];
  if (!load) return { backend: new JsKernelBackend(), note: `core/gpu is not in this build yet: "${device}" ran on the JS reference` };
  const mod = await load();
  if (typeof mod.createDeviceBackend !== 'function') throw new Error('core/gpu/index.ts does not export createDeviceBackend(device)');
  return unwrap(await mod.createDeviceBackend(device, options), device);
}
