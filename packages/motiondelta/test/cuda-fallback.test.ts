import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ensureData } from '@motiondelta/data';
import { loadAddon } from '@motiondelta/sparse-kernels-cpu';
import { cudaDeviceStatus } from '@motiondelta/sparse-kernels-cuda';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.js';

// Where the cuda package's build:native put the CUDA addon (scripts/setup.sh runs it).
const cudaRoot = dirname(createRequire(import.meta.url).resolve('@motiondelta/sparse-kernels-cuda/package.json'));
const cudaAddon = `${cudaRoot}/build/cuda/Release/motiondelta_cuda.node`;
const cpuNativeBuilt = loadAddon().ok;

/** What the cuda backend reports on this machine (no GPU in CI: 'no NVIDIA driver'). */
function cudaReason(): string {
  const status = cudaDeviceStatus({ addonPath: cudaAddon });
  return status.unavailable ?? 'found';
}

const input = (): { data: Float32Array; shape: number[] } => ({ data: new Float32Array(1 * 24 * 32 * 3).fill(0.5), shape: [1, 24, 32, 3] });

// Needs the cpu-native and CUDA addons built (the CUDA one needs nvcc at setup) and a machine
// without a usable device, which is what these CI machines are; on a GPU machine the factory's reason differs (see the cuda package tests).
describe.skipIf(!cpuNativeBuilt || !existsSync(cudaAddon) || cudaReason() === 'found')(
  'the cuda backend in sessions, without a GPU',
  () => {
    it('a session that names no backend runs on cpu-native (cuda has no default priority yet)', async () => {
      const model = await loadModel((await ensureData('esrgan-x2')).main);
      const session = await model.createSession({ mode: 'dense' });
      expect(session.backendInfo.id).toBe('cpu-native');
      expect(session.backendInfo.skipped.map((s) => s.id)).not.toContain('cuda');
      const out = await session.run({ [model.inputs[0]!.name]: input() });
      expect(Object.keys(out)).toHaveLength(1);
      session.dispose();
    });

    it('a session preferring cuda falls back to cpu-native and reports cuda skipped with the device reason', async () => {
      const model = await loadModel((await ensureData('esrgan-x2')).main);
      const session = await model.createSession({ mode: 'delta', backend: ['cuda', 'cpu-native'] });
      expect(session.backendInfo.id).toBe('cpu-native');
      expect(session.backendInfo.skipped).toEqual([{ id: 'cuda', reason: cudaReason() }]);
      expect(['no NVIDIA driver', 'no CUDA device']).toContain(cudaReason());
      const out = await session.run({ [model.inputs[0]!.name]: input() });
      expect(Object.values(out)[0]!.shape).toEqual([1, 48, 64, 3]);
      session.dispose();
    });
  },
);
