// The VM harness page: exposes the compiler and VM on `window.relaxStudio` for browser tests and benchmarks, with
// `devices()` (the GPU paths gpu.js finds here), `run()` (TVMScript to outputs on a device, one call) and the
// browser bench (loaded on demand, with tfjs). The page shows the device report; tests add a results table.
import { parse } from '../../../core/ir/parser/index.js';
import { build } from '../../../core/compiler/build.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import { JsKernelBackend } from '../../../core/vm/kernels/js-codegen.js';
import { Tensor } from '../../../core/vm/tensor.js';
import { DEVICE_NAMES, backendFor, hasGpuBackend } from './backends.js';
import { detectDevices } from './devices.js';
import type { DeviceReport } from './devices.js';
import { renderDevices, renderResults } from './report.js';
import { run } from './run.js';

let detected: Promise<DeviceReport> | undefined;
/** The GPU paths of this browser (detected once). */
function devices(): Promise<DeviceReport> {
  detected ??= detectDevices();
  return detected;
}

const api = {
  parse,
  build,
  VirtualMachine,
  JsKernelBackend,
  Tensor,
  DEVICE_NAMES,
  devices,
  hasGpuBackend,
  backendFor,
  run,
  showResults: renderResults,
  /** The browser bench (tfjs and its backends are only loaded when asked for). */
  loadBench: () => import('./bench.js'),
};
/** What the page exposes on `window.relaxStudio`. */
export type HarnessApi = typeof api;
(window as unknown as { relaxStudio: HarnessApi }).relaxStudio = api;

const log = document.getElementById('log')!;
devices().then(
  (report) => {
    renderDevices(document.getElementById('report')!, report, hasGpuBackend());
    log.textContent = 'ready';
  },
  (e: unknown) => {
    document.getElementById('report')!.textContent = `device detection failed: ${e instanceof Error ? e.message : String(e)}`;
    log.textContent = 'ready';
  },
);
