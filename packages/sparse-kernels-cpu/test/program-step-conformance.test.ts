import { defineBackendConformance } from '@motiondelta/backend-conformance';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend, loadAddon } from '../src/index.js';
import type { NativeAddon } from '../src/index.js';
import { programBackend } from './program-backend.js';
import { programDeltaKernels } from './program-delta-kernels.js';

// Step conformance: every case of the shared conformance suite, dense and delta, run as a small
// compiled program (the op's step, with its inputs made and its outputs read by other steps)
// through cpu-native's program compiler, against the reference backend, on fresh seeds, with the
// suite's tolerances. Dense cases cover every op; delta cases every step kind (sparsify,
// accumulate, linear, activation, binary, maxpool).
const load = loadAddon<NativeAddon>();
const skip = !load.ok && !process.env['CI'] ? { skipReason: `cpu-native is ${load.reason}` } : {};

defineBackendConformance({
  name: 'cpu-native programs',
  create: async () => {
    const native = await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() });
    if (!native.programs) throw new Error('cpu-native was created without its program compiler');
    return { ...programBackend(native), delta: programDeltaKernels(native.programs) };
  },
  // No filter: every op of the IR has a native program form (Reduce, Slice, DepthToSpace,
  // SpaceToDepth, Max and Min included), so every case runs natively here.
  ...skip,
});
