import { defineBackendConformance } from '@motiondelta/backend-conformance';
import { createWebGpuBackend } from '../src/index.js';
import { programBackend } from './program-backend.js';
import { programDeltaKernels } from './program-delta-kernels.js';
import { webGpuSkipReason } from './webgpu-availability.js';

// Step conformance on the device: the suite's cases run as small compiled programs through the
// webgpu program compiler (dense ops as dense steps; every delta kernel as its step: sparsify,
// accumulate, linear, activation, maxpool, binary), against the reference backend, on fresh
// seeds, with the suite's tolerances. No case is left out: every op and step kind has a kernel.

defineBackendConformance({
  name: 'webgpu programs',
  create: async () => {
    const backend = await createWebGpuBackend();
    return { ...programBackend(backend.programs), delta: programDeltaKernels(backend.programs), dispose: () => backend.dispose() };
  },
  ...(webGpuSkipReason === undefined ? {} : { skipReason: webGpuSkipReason }),
});
