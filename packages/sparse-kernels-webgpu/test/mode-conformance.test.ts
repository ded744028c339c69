import { describe, it } from 'vitest';
import { defineModeConformance } from '../../../tests/modes/define-mode-conformance.js';
import { createWebGpuBackend } from '../src/index.js';
import { webGpuSkipReason } from './webgpu-availability.js';

// The mode-level tier on webgpu: delta and motion sessions on seeded random graphs agree with
// dense inference on the reference backend (threshold 0, static camera) and with the motion
// simulator under camera motion. Fewer seeds than on the CPU backends: SwiftShader runs the
// kernels on the CPU at about 0.3 GFLOP/s.
if (webGpuSkipReason === undefined) defineModeConformance('webgpu', () => createWebGpuBackend(), { seeds: 6 });
else describe('mode conformance on webgpu', () => it.skip(`skipped: ${webGpuSkipReason}`));
