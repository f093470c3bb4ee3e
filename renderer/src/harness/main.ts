// The VM harness page: exposes the compiler and VM on `window.relaxStudio` for browser tests and benchmarks
// (the GPU issue fills in the devices).
import { parse } from '../../../core/ir/parser/index.js';
import { build } from '../../../core/compiler/build.js';
import { VirtualMachine } from '../../../core/vm/vm.js';
import { JsKernelBackend } from '../../../core/vm/kernels/js-codegen.js';
import { Tensor } from '../../../core/vm/tensor.js';

const api = { parse, build, VirtualMachine, JsKernelBackend, Tensor };
/** What the page exposes on `window.relaxStudio`. */
export type HarnessApi = typeof api;
(window as unknown as { relaxStudio: typeof api }).relaxStudio = api;
document.getElementById('log')!.textContent = 'ready';
