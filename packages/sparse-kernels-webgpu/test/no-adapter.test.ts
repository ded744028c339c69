import { BackendUnavailableError } from '@motiondelta/core';
import { ReferenceBackend, chooseBackend, registerBackend } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { acquireWebGpuDevice, createWebGpuBackend } from '../src/index.js';

// vitest runs each test file in its own process, so this one can start Dawn with a Vulkan driver
// list naming a file that does not exist: on Linux that leaves no adapter at all (elsewhere Dawn
// uses Metal or D3D, which this setting does not touch, hence the platform condition).
process.env['VK_ICD_FILENAMES'] = '/nonexistent/vk_icd.json';

describe.skipIf(process.platform !== 'linux')('without an adapter, webgpu is unavailable and says why', () => {
  it('acquireWebGpuDevice returns the reason instead of a device', async () => {
    expect(await acquireWebGpuDevice()).toMatch(/no adapter with VK_ICD_FILENAMES=\/nonexistent\/vk_icd.json/);
  });

  it('createWebGpuBackend throws BackendUnavailableError with that reason, and a session falls back naming it', async () => {
    const error = await createWebGpuBackend().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).reason).toMatch(/no adapter/);
    registerBackend('webgpu', () => createWebGpuBackend());
    const choice = await chooseBackend(['webgpu', new ReferenceBackend()]);
    expect(choice.backend.id).toBe('reference');
    expect(choice.skipped).toEqual([{ id: 'webgpu', reason: expect.stringMatching(/no adapter/) as unknown as string }]);
  });
});
