/**
 * The device chain: which kernel backend runs a program for a requested device. `auto` tries webgpu, webgl2,
 * webgl, then the CPU (`wasm`: gpu.js webasm, with the JavaScript reference taking the calls too small for gpu.js
 * to pay off); an explicit device that is not available falls back down the same chain with a one-line reason.
 * `js` is the JavaScript reference alone, `cpu` gpu.js's cpu mode (the TIR -> gpu.js translation on plain JS).
 * No Node or DOM APIs here: availability comes from gpu.js's own probes, so the same code serves the browser page.
 */
import { GPU } from 'gpu.js';
import type { KernelBackend } from '../vm/kernel.js';
import { JsKernelBackend } from '../vm/kernels/js-codegen.js';
import type { GpuJsBackendOptions, GpuMode } from './backend.js';
import { GpuJsKernelBackend } from './backend.js';

/** What `--device` and the app's device menu accept. */
export type DeviceName = 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'wasm' | 'cpu' | 'js';

export const DEVICE_NAMES: readonly DeviceName[] = ['auto', 'webgpu', 'webgl2', 'webgl', 'wasm', 'cpu', 'js'];

/** The order `auto` tries, and the order an unavailable explicit device falls back along. */
const CHAIN: readonly DeviceName[] = ['webgpu', 'webgl2', 'webgl', 'wasm', 'js'];

export interface DeviceChoice {
  /** The backend to give the VM. */
  readonly backend: KernelBackend;
  /** The device that runs: "webgl2", "wasm", "js", ... */
  readonly device: DeviceName;
  /** One line when the requested device was not available (the reason and where it fell back to). */
  readonly notice?: string;
  /** True when kernels should be fused by default (every device but js and cpu). */
  readonly fuse: boolean;
}

export type DeviceOptions = Omit<GpuJsBackendOptions, 'mode'>;

/** Whether a device can run here; `undefined` when it can, else why not. */
export async function unavailableReason(device: DeviceName): Promise<string | undefined> {
  switch (device) {
    case 'webgpu':
      if (!GPU.isWebGPUSupported) return 'no WebGPU API (navigator.gpu) here';
      return (await GPU.isWebGPUAvailable().catch(() => false)) ? undefined : 'WebGPU has no adapter here';
    case 'webgl2':
      return GPU.isWebGL2Supported ? undefined : 'no WebGL2 context here';
    case 'webgl':
      return GPU.isWebGLSupported ? undefined : 'no WebGL context here';
    case 'wasm':
      return GPU.isWebAssemblySupported ? undefined : 'no WebAssembly here';
    default:
      return undefined;
  }
}

/** gpu.js's mode for a device name. */
function modeOf(device: DeviceName): GpuMode | undefined {
  switch (device) {
    case 'webgpu':
    case 'webgl2':
    case 'webgl':
    case 'cpu':
      return device;
    case 'wasm':
      return 'webasm';
    default:
      return undefined;
  }
}

/** The backend of one available device. */
export function backendFor(device: DeviceName, options: DeviceOptions = {}): KernelBackend {
  const mode = modeOf(device);
  return mode ? new GpuJsKernelBackend({ ...options, mode }) : new JsKernelBackend();
}

/**
 * Picks the backend for `device` (see the file header). Never throws for an unavailable device: the choice carries
 * a `notice` saying so.
 */
export async function createDeviceBackend(device: DeviceName, options: DeviceOptions = {}): Promise<DeviceChoice> {
  const choose = (d: DeviceName, notice?: string): DeviceChoice => ({
    backend: backendFor(d, options),
    device: d,
    fuse: d !== 'js' && d !== 'cpu',
    ...(notice ? { notice } : {}),
  });
  if (device === 'js' || device === 'cpu') return choose(device);
  const start = device === 'auto' ? 0 : CHAIN.indexOf(device);
  const why = device === 'auto' ? undefined : await unavailableReason(device);
  if (device !== 'auto' && why === undefined) return choose(device);
  for (const d of CHAIN.slice(device === 'auto' ? start : start + 1)) {
    if ((await unavailableReason(d)) !== undefined) continue;
    return choose(d, why === undefined ? undefined : `device ${device} is not available (${why}); running on ${d}`);
  }
  return choose('js', why === undefined ? undefined : `device ${device} is not available (${why}); running on js`);
}
