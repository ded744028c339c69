import { describe, expect, it } from 'vitest';

// Runs against dist so that a broken exports map or a missing export cannot hide behind src/.
describe('built package', () => {
  it('exposes the public API from dist', async () => {
    const mod = (await import('../dist/index.js')) as Record<string, unknown>;
    for (const name of [
      'AllPolicy',
      'NonePolicy',
      'RandomPolicy',
      'ThresholdPolicy',
      'RlPolicy',
      'informationGain',
      'gainPerBlock',
      'buildPolicyGraph',
      'graphLogits',
      'trainingLogits',
      'encodePolicyWeights',
      'decodePolicyWeights',
      'roundUpExecuted',
    ]) {
      expect(typeof mod[name], name).toBe('function');
    }
    expect(mod.WEIGHTS_MAGIC).toBe('MDBLKPOL');
  });
});
