import { createRng, randomInt } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { intersectRects, rectArea, rectContains, subtractRect, type Rect } from '../src/index.js';
import { disjointUnion, pixelSet, setMinus } from './helpers.js';

function randomRect(rng: ReturnType<typeof createRng>): Rect {
  return { y: randomInt(rng, -6, 6), x: randomInt(rng, -6, 6), height: randomInt(rng, 0, 6), width: randomInt(rng, 0, 6) };
}

describe('rectangles', () => {
  it('subtractRect gives at most four disjoint rectangles covering exactly a minus b (brute force)', () => {
    const rng = createRng(1);
    for (let i = 0; i < 2000; i++) {
      const a = randomRect(rng);
      const b = randomRect(rng);
      const parts = subtractRect(a, b);
      expect(parts.length).toBeLessThanOrEqual(4);
      expect(parts.every((p) => rectArea(p) > 0)).toBe(true);
      const union = disjointUnion(parts);
      expect(union).toBeDefined();
      expect([...union!].sort()).toEqual([...setMinus(pixelSet(a), pixelSet(b))].sort());
    }
  });

  it('intersects and tests containment', () => {
    const a = { y: 0, x: 0, height: 4, width: 4 };
    expect(intersectRects(a, { y: 2, x: -1, height: 5, width: 2 })).toEqual({ y: 2, x: 0, height: 2, width: 1 });
    expect(intersectRects(a, { y: 4, x: 0, height: 1, width: 1 })).toBeUndefined();
    expect(rectContains(a, 3, 3)).toBe(true);
    expect(rectContains(a, 4, 3)).toBe(false);
    expect(subtractRect(a, a)).toEqual([]);
  });
});
