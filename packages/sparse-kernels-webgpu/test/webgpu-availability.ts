import { existsSync } from 'node:fs';
import { SWIFTSHADER_ICD, acquireWebGpuDevice } from '../src/index.js';

// Machines without a GPU (CI here) run WebGPU on SwiftShader, the CPU Vulkan driver Debian's
// chromium package ships (scripts/setup.sh installs it). The loader reads VK_ICD_FILENAMES when
// Dawn starts, so it is set before the first device in this test process. A machine with a GPU and
// no chromium keeps its own driver.
if (process.env['VK_ICD_FILENAMES'] === undefined && existsSync(SWIFTSHADER_ICD)) process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;

const probe = await acquireWebGpuDevice();
if (typeof probe !== 'string') probe.device.destroy();

/**
 * Why the WebGPU tests of this package cannot run here, or undefined when a device is available.
 * Outside CI a missing adapter skips them with this reason; in CI (CI set, where setup installs
 * chromium) they run anyway, so that a missing driver fails every case instead of passing silently.
 */
export const webGpuSkipReason: string | undefined =
  typeof probe === 'string' && !process.env['CI'] ? `no WebGPU device: ${probe}` : undefined;
