/** One CUDA device as the addon reports it. */
export interface CudaDeviceInfo {
  readonly name: string;
  /** e.g. `8.9` */
  readonly computeCapability: string;
  readonly memoryBytes: number;
  readonly multiprocessors: number;
}

/** What the addon knows about CUDA on this machine (see {@link cudaDeviceStatus}). */
export interface CudaDeviceStatus {
  /** Whether the addon was compiled with nvcc; a CPU-only build has no CUDA code. */
  readonly builtWithCuda: boolean;
  /** The CUDA runtime linked into the addon (1000 * major + 10 * minor), 0 in a CPU-only build. */
  readonly runtimeVersion: number;
  /** The newest CUDA version the installed driver supports; 0 without a driver. */
  readonly driverVersion: number;
  readonly devices: readonly CudaDeviceInfo[];
  /**
   * Why CUDA cannot be used here: `no NVIDIA driver`, `no CUDA device`, `built without CUDA: nvcc
   * not found at build time`, or a driver too old for the runtime. Absent when a device is usable.
   */
  readonly unavailable?: string;
}

/** The native addon's entry points. */
export interface CudaAddon {
  deviceStatus(): CudaDeviceStatus;
  /**
   * CUDA builds only: fails as a CUDA call returning `code` (a cudaError_t) fails, through the
   * addon's one checking macro, so the error path can be checked on machines without a GPU.
   */
  raiseCudaError?(code: number): void;
}

/** Entry points a loaded addon must export; a missing one means a stale build. */
export const REQUIRED_CUDA_ENTRY_POINTS: readonly (keyof CudaAddon)[] = ['deviceStatus'];
