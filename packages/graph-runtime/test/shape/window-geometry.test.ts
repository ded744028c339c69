import { createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { resolveAxisPads, windowOutputSize } from '@motiondelta/core';

describe('window geometry', () => {
  it('SAME padding gives ceil(in / stride) outputs for every kernel, stride and dilation', () => {
    const rng = createRng(9);
    for (let i = 0; i < 500; i++) {
      const size = randomInt(rng, 1, 40);
      const k = randomInt(rng, 1, 7);
      const s = randomInt(rng, 1, 3);
      const d = randomInt(rng, 1, 3);
      for (const mode of ['same-upper', 'same-lower'] as const) {
        const [b, e] = resolveAxisPads(mode, [0, 0], size, k, s, d);
        expect(Math.abs(b - e)).toBeLessThanOrEqual(1);
        expect(mode === 'same-upper' ? e >= b : b >= e).toBe(true);
        expect(windowOutputSize(size, b, e, k, s, d)).toBe(Math.ceil(size / s));
      }
    }
  });

  it('ceil mode never starts a window inside the end padding', () => {
    const rng = createRng(10);
    for (let i = 0; i < 500; i++) {
      const size = randomInt(rng, 1, 30);
      const k = randomInt(rng, 1, 5);
      const s = randomInt(rng, 1, 4);
      const p = randomInt(rng, 0, k - 1);
      const out = windowOutputSize(size, p, p, k, s, 1, true);
      const floorOut = windowOutputSize(size, p, p, k, s, 1, false);
      expect(out).toBeGreaterThanOrEqual(floorOut);
      expect(out - floorOut).toBeLessThanOrEqual(1);
      expect((out - 1) * s).toBeLessThan(size + p);
    }
  });
});
