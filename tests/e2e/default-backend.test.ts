import { ensureData } from '@motiondelta/data';
import { createCpuNativeBackend, defaultBackends, loadModel } from 'motiondelta';
import { describe, expect, it } from 'vitest';

/**
 * Through the package users install, a session that names no backend runs on the fastest shipped
 * backend that works here (`cpu-native` where its addon loads), not on the pure-TypeScript
 * reference backend; where the addon cannot load, it falls back and says why.
 */
describe('the default backend through motiondelta', () => {
  it('is cpu-native where the addon loads, with reference as the fallback', async () => {
    expect(defaultBackends()).toEqual(['cpu-native', 'reference']);
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    const session = await model.createSession({ mode: 'delta' });
    const { id, skipped } = session.backendInfo;
    // Whether the addon loads here, asked directly: where it does, the default must be cpu-native.
    const addonLoads = await createCpuNativeBackend().then(
      (backend) => (backend.dispose?.(), true),
      () => false,
    );
    if (addonLoads) expect(id).toBe('cpu-native');
    if (id === 'reference') {
      // Only acceptable where the addon is not built, and then the reason is given.
      expect(process.env['CI']).toBeFalsy();
      expect(skipped.map((s) => s.id)).toEqual(['cpu-native']);
    } else {
      expect(id).toBe('cpu-native');
      expect(skipped).toEqual([]);
    }
    session.dispose();
  });
});
