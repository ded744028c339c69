import { defineBackendConformance } from '@motiondelta/backend-conformance';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { createCpuNativeBackend, loadAddon } from '../src/index.js';
import type { NativeAddon } from '../src/index.js';

// The conformance suite on the baseline CPU path (issue 12): the kernels a CPU without AVX2 runs
// (SSE2 loops, OpenBLAS for convolution GEMMs), forced here with MD_CPU_ISA=baseline. The variable
// is read once, when the addon loads; vitest runs each test file in a child process of its own
// (pool: 'forks'), so setting it before this file loads the addon selects the baseline for this
// process. The first test checks that it did (it fails if the addon was already loaded here).
process.env['MD_CPU_ISA'] = 'baseline';
const load = loadAddon<NativeAddon>();
const skip = !load.ok && !process.env['CI'] ? { skipReason: `cpu-native is ${load.reason}` } : {};

describe.skipIf(!load.ok && !process.env['CI'])('cpu-native on the baseline path', () => {
  it('runs the baseline kernels (MD_CPU_ISA=baseline took effect at load)', () => {
    if (!load.ok) throw new Error(load.reason);
    expect(load.addon.cpuFeatures()).toMatchObject({ isa: 'baseline', forced: true });
  });
});

defineBackendConformance({
  name: 'cpu-native (MD_CPU_ISA=baseline)',
  create: () => createCpuNativeBackend({ fallback: new ReferenceBackend() }),
  ...skip,
});
