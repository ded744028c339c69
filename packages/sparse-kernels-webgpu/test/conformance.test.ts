import { conformanceCases, defineBackendConformance, type ConformanceCase } from '@motiondelta/backend-conformance';
import { createWebGpuBackend } from '../src/index.js';
import { webGpuSkipReason } from './webgpu-availability.js';

// The kernels one call at a time (upload, dispatch, readback), against the reference backend, on
// fresh seeds with the suite's tolerances: every dense case, and the delta kernels the motion mode
// drives from the host. Every op of the IR has a WGSL kernel, so every dense case runs.
//
// Every delta case runs as a compiled program in program-step-conformance.test.ts, through the
// same planned kernels; this path differs only in how operands reach the device and results come
// back (a delta's mask uploaded and its active list rebuilt), so a spread of cases of each delta
// op (about 6, every pattern family reached across ops) keeps SwiftShader's time in CI bounded.
const PER_DELTA_OP = 6;
const totals = new Map<string, number>();
for (const c of conformanceCases()) if (c.kind === 'delta') totals.set(c.op, (totals.get(c.op) ?? 0) + 1);
const seen = new Map<string, number>();
const spread = (c: ConformanceCase): boolean => {
  const n = seen.get(c.op) ?? 0;
  seen.set(c.op, n + 1);
  return n % Math.max(1, Math.floor(totals.get(c.op)! / PER_DELTA_OP)) === 0;
};

defineBackendConformance({
  name: 'webgpu',
  create: () => createWebGpuBackend(),
  filter: (c) => c.kind === 'dense' || spread(c),
  ...(webGpuSkipReason === undefined ? {} : { skipReason: webGpuSkipReason }),
});
