import { defineBackendConformance } from '@motiondelta/backend-conformance';
import type { Backend } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend, createNativeDeltaKernels, loadAddon } from '../src/index.js';
import type { Conv2dPath, NativeAddon } from '../src/index.js';

// The project bar: cpu-native passes the shared conformance suite against the reference backend
// on fresh random inputs (CONFORMANCE_SEED reproduces a run). Without a built addon the suite is
// skipped on a developer machine, with the reason; in CI (CI set) it runs anyway, so that every
// case fails with the "not built: ..." reason instead of passing silently. A stale build (an
// addon missing entry points) fails everywhere: createCpuNativeBackend says to rebuild.
const load = loadAddon<NativeAddon>();
const skip = !load.ok && !process.env['CI'] ? { skipReason: `cpu-native is ${load.reason}` } : {};

defineBackendConformance({
  name: 'cpu-native',
  create: () => createCpuNativeBackend({ fallback: new ReferenceBackend() }),
  ...skip,
});

// The delta Conv2D chooses between two sparse strategies by active fraction; the suite's change
// patterns reach both, but forcing each one runs every delta-convolution case through it.
for (const path of ['input-driven', 'output-driven'] as const satisfies readonly Conv2dPath[]) {
  defineBackendConformance({
    name: `cpu-native conv2d ${path}`,
    create: async (): Promise<Backend> => {
      const base = await createCpuNativeBackend({ fallback: new ReferenceBackend() });
      if (!load.ok) return base;
      const delta = createNativeDeltaKernels(load.addon, new ReferenceBackend().delta, { conv2dPath: path });
      return {
        id: `cpu-native/${path}`,
        supports: (c) => base.supports(c),
        runDense: (c) => base.runDense(c),
        delta,
        dispose: () => base.dispose(),
      };
    },
    filter: (c) => c.name.startsWith('delta/linear.Conv2D/'),
    ...skip,
  });
}
