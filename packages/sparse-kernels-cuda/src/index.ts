export {
  createCudaBackend,
  cudaDeviceStatus,
  CUDA_BACKEND_ID,
  CUDA_SESSIONS_PENDING,
  type CudaBackendOptions,
} from './create-cuda-backend.js';
export { CudaRuntimeError, callCuda } from './cuda-runtime-error.js';
export { loadCudaAddon, CUDA_ADDON_CANDIDATES, CUDA_BUILD_HINT, type CudaAddonLoad } from './load-cuda-addon.js';
export type { CudaAddon, CudaDeviceInfo, CudaDeviceStatus } from './cuda-addon.js';
export { activationCode, type ActivationCode } from './activation-code.js';
