import { describe, expect, it } from 'vitest';

// Runs against dist so that a broken exports map or a missing export cannot hide behind src/.
describe('built package', () => {
  it('exposes the public API from dist', async () => {
    const mod = await import('../dist/index.js');
    for (const name of [
      'estimateHomography',
      'warpBilinear',
      'splitViewport',
      'homographyFromRotation',
      'composeHomographies',
      'invertHomography',
      'AlignmentError',
      'makeSyntheticPair',
    ]) {
      expect(typeof (mod as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
