import { OptionError, createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { layerOffset, layerOrigin } from '../src/index.js';

describe('per-layer viewport offsets (property 5)', () => {
  it('stay integral for strides 1..16 when o is a multiple of the total stride', () => {
    const rng = createRng(5);
    for (const total of [1, 2, 4, 8, 16]) {
      for (let i = 0; i < 200; i++) {
        const o = randomInt(rng, -500, 500) * total;
        for (let s = 1; s <= total; s *= 2) {
          const l = layerOffset(o, s, total);
          expect(Number.isInteger(l)).toBe(true);
          expect(l * s).toBe(o);
        }
      }
    }
    expect(layerOrigin({ y: -48, x: 32 }, 4, 16)).toEqual({ y: -12, x: 8 });
  });

  it('rejects offsets that are not multiples of the total stride, naming o and S', () => {
    const rng = createRng(6);
    for (let i = 0; i < 200; i++) {
      const total = 2 ** randomInt(rng, 1, 4);
      const o = randomInt(rng, -500, 500) * total + randomInt(rng, 1, total - 1);
      expect(() => layerOffset(o, 1, total)).toThrow(OptionError);
      expect(() => layerOffset(o, 1, total)).toThrow(`o=${o}`);
      expect(() => layerOffset(o, 1, total)).toThrow(`S=${total}`);
    }
    expect(() => layerOffset(1.5, 1, 1)).toThrow(OptionError);
    expect(() => layerOffset(16, 3, 16)).toThrow(/divides/);
    expect(() => layerOffset(16, 1, 0)).toThrow(/S=0/);
  });
});
