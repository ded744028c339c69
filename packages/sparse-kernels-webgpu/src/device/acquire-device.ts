import { nodeGpu } from './node-webgpu.js';

/** Where Debian's chromium package puts the SwiftShader Vulkan driver (a CPU implementation of Vulkan). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** A device the backend computes on, and what it runs on. */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** The adapter as its driver describes it, e.g. `google swiftshader (SwiftShader driver 5.0.0)`. */
  readonly description: string;
  /** True for a CPU implementation (SwiftShader, WARP, a browser's fallback adapter): correct, but far slower than a GPU. */
  readonly software: boolean;
}

/** Options of {@link acquireWebGpuDevice}. */
export interface AcquireOptions {
  /** `high-performance` (default) prefers a discrete GPU where there are several. */
  readonly powerPreference?: GPUPowerPreference;
}

/** Storage buffers one kernel binds at most (a Concat binds each input); WebGPU guarantees 8. */
const WANTED_STORAGE_BUFFERS = 10;

/**
 * Gets a WebGPU device: the browser's `navigator.gpu` where there is one, Dawn (npm `webgpu`) in
 * Node. Returns the device, or a sentence saying why there is none (no WebGPU in this runtime, no
 * adapter, which on a Linux machine without a GPU usually means no Vulkan driver, or the device
 * request failed), which backends turn into BackendUnavailableError so sessions fall back and say why.
 *
 * @example
 * ```ts
 * import { acquireWebGpuDevice } from '@motiondelta/sparse-kernels-webgpu';
 * const got = await acquireWebGpuDevice();
 * if (typeof got === 'string') console.log(`no WebGPU: ${got}`);
 * else console.log(`computing on ${got.description}${got.software ? ' (software)' : ''}`);
 * ```
 */
export async function acquireWebGpuDevice(options: AcquireOptions = {}): Promise<AcquiredDevice | string> {
  const browserGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const gpu = browserGpu ?? (isNode() ? await nodeGpu() : 'this runtime has no navigator.gpu (WebGPU is off or unsupported)');
  if (typeof gpu === 'string') return gpu;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (error) {
    return `requestAdapter failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (adapter === null) return noAdapterReason(browserGpu !== undefined);
  const limit = Math.min(adapter.limits.maxStorageBuffersPerShaderStage, WANTED_STORAGE_BUFFERS);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: limit,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  } catch (error) {
    return `the adapter refused a device: ${error instanceof Error ? error.message : String(error)}`;
  }
  const info = adapter.info;
  const software =
    info.isFallbackAdapter ||
    /swiftshader|llvmpipe|lavapipe|warp|software/i.test(`${info.architecture} ${info.description} ${info.device}`);
  const description =
    [info.vendor, info.architecture].filter((s) => s !== '').join(' ') + (info.description ? ` (${info.description})` : '');
  return { device, description: description === '' ? 'unnamed adapter' : description, software };
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function noAdapterReason(browser: boolean): string {
  if (browser) return 'the browser offers no WebGPU adapter (no supported GPU, or WebGPU is blocked)';
  const icd = process.env['VK_ICD_FILENAMES'];
  return icd === undefined
    ? `Dawn found no adapter (no GPU with a Vulkan driver); on a machine without a GPU, Debian's chromium package ships a CPU Vulkan driver: set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} before the first session`
    : `Dawn found no adapter with VK_ICD_FILENAMES=${icd} (is the driver file there?)`;
}
