/**
 * Which GPU paths this browser offers (webgpu, webgl2, webgl), decided by gpu.js's own detection
 * (`GPU.isWebGPUAvailable()`, `GPU.isWebGL2Supported`, `GPU.isWebGLSupported`) so that the answer is the one the
 * gpu.js backend will act on. Each unavailable device carries a one-line reason the tests print when they skip
 * it; an available one says what runs it (the GL renderer string, the WebGPU adapter) so that a report can tell
 * SwiftShader from a real GPU.
 */
import { GPU } from 'gpu.js';

/** The GPU paths of a browser, in the order `auto` tries them. */
export const GPU_DEVICES = ['webgpu', 'webgl2', 'webgl'] as const;
export type GpuDevice = (typeof GPU_DEVICES)[number];

/** One device as detected. */
export interface DeviceInfo {
  readonly name: GpuDevice;
  readonly available: boolean;
  /** What runs it (renderer / adapter) when available; why not, in one line, when not. */
  readonly detail: string;
}

/** Everything `devices()` reports. */
export interface DeviceReport {
  readonly devices: readonly DeviceInfo[];
  readonly userAgent: string;
  /** True when a GPU path runs on SwiftShader (Chromium's CPU rasterizer), not on a real GPU. */
  readonly swiftShader: boolean;
}

/** The unmasked GL renderer of a fresh context, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))". */
function glRenderer(kind: 'webgl2' | 'webgl'): string {
  try {
    const gl = document.createElement('canvas').getContext(kind) as WebGLRenderingContext | null;
    if (!gl) return 'no context';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return String(r);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface GpuAdapterLike {
  readonly info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}

async function webgpuAdapter(): Promise<string> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  const a = await gpu?.requestAdapter().catch(() => null);
  const i = a?.info;
  if (!i) return 'adapter';
  return [i.vendor, i.architecture, i.description || i.device].filter(Boolean).join(' / ') || 'adapter';
}

async function detectWebGpu(): Promise<DeviceInfo> {
  if (!GPU.isWebGPUSupported)
    return { name: 'webgpu', available: false, detail: 'navigator.gpu is missing (Chromium needs --enable-unsafe-webgpu on Linux)' };
  if (!(await GPU.isWebGPUAvailable())) return { name: 'webgpu', available: false, detail: 'navigator.gpu is there, but requestAdapter() gives no adapter' };
  return { name: 'webgpu', available: true, detail: await webgpuAdapter() };
}

function detectGl(name: 'webgl2' | 'webgl'): DeviceInfo {
  const ok = name === 'webgl2' ? GPU.isWebGL2Supported : GPU.isWebGLSupported;
  if (!ok) return { name, available: false, detail: `gpu.js finds no ${name === 'webgl2' ? 'WebGL2' : 'WebGL'} context in this browser` };
  return { name, available: true, detail: glRenderer(name) };
}

/** Detects the GPU paths of this browser. */
export async function detectDevices(): Promise<DeviceReport> {
  const devices = [await detectWebGpu(), detectGl('webgl2'), detectGl('webgl')];
  const swiftShader = devices.some((d) => d.available && /swiftshader/i.test(d.detail));
  return { devices, userAgent: navigator.userAgent, swiftShader };
}
