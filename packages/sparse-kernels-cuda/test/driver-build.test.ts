import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cudaDeviceStatus } from '../src/index.js';
import { PACKAGE_ROOT, hasCmake } from './host-build.js';

function hasNvcc(): boolean {
  const r = spawnSync(process.env['CUDACXX'] ?? 'nvcc', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Whether the CUDA addon reports no driver: then the driver binary cannot run a case here. */
function noDriver(): boolean {
  try {
    return cudaDeviceStatus({ addonPath: `${PACKAGE_ROOT}build/cuda/Release/motiondelta_cuda.node` }).driverVersion === 0;
  } catch {
    return true;
  }
}

// The GPU driver and its kernels compile wherever nvcc is (these CI machines: CUDA 13), for one
// architecture to keep the build short; running them needs a GPU (README: "On a GPU machine").
// Skipped without nvcc or cmake: nothing CUDA can be compiled there.
describe.skipIf(!hasNvcc() || !hasCmake())('the GPU test-and-benchmark driver', () => {
  it('compiles (nvcc, sm_75) and, without a driver, stops with the checked CUDA error and its file and line', { timeout: 300_000 }, () => {
    const build = `${PACKAGE_ROOT}build/driver-check`;
    for (const args of [
      ['-S', `${PACKAGE_ROOT}native/driver`, '-B', build, '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_CUDA_ARCHITECTURES=75'],
      ['--build', build, '--parallel', '2'],
    ]) {
      const r = spawnSync('cmake', args, { encoding: 'utf8' });
      expect(r.status, `cmake ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    if (!noDriver()) return; // a GPU machine: the README's run command is the check there
    const empty = mkdtempSync(join(tmpdir(), 'md-cuda-driver-'));
    try {
      const r = spawnSync(`${build}/md_cuda_gpu_conformance`, [empty], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^no usable CUDA device: cudaErrorInsufficientDriver .* from cudaGetDevice\(&device\) at .*gpu_conformance\.cu:\d+/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
