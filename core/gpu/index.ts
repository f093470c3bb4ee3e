/**
 * core/gpu: TIR kernels on gpu.js (WebGPU, WebGL2, WebGL, WebAssembly, cpu) behind the VM's KernelBackend
 * interface, and the device chain that picks one. The only folder of core that imports gpu.js; free of Node and
 * DOM APIs, so the browser page and the CLI share it.
 */
export type { DeviceChoice, DeviceName, DeviceOptions } from './device.js';
export { DEVICE_NAMES, backendFor, createDeviceBackend, unavailableReason } from './device.js';
export type { GpuJsBackendOptions, GpuMode } from './backend.js';
export { AsyncGpuStorage, GpuJsKernelBackend, GpuStorage } from './backend.js';
export type { KernelPlan, Layout, Stage, StageKernel } from './tir-to-gpujs.js';
export { analyzePrimFunc, specializeStage } from './tir-to-gpujs.js';
export { GpuUnsupported } from './emitter.js';
