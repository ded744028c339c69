export { createWebGpuBackend, type WebGpuBackendOptions } from './create-webgpu-backend.js';
export { WebGpuBackend } from './webgpu-backend.js';
export { acquireWebGpuDevice, SWIFTSHADER_ICD, type AcquiredDevice, type AcquireOptions } from './device/acquire-device.js';
export { WEBGPU_DENSE_OPS } from './kernels/plan-dense.js';
export { WEBGPU_STEP_KINDS, WebGpuProgramCompiler } from './program/webgpu-program-compiler.js';
export type { WebGpuExecutable } from './program/webgpu-executable.js';
export { WebGpuError } from './gpu/webgpu-error.js';
