import { describe, expect, it } from 'vitest';
import { compareWithTfjs } from './real-model.js';

describe('esrgan-x2 (TF.js layers model) against tfjs-backend-cpu', () => {
  it('imports and matches tfjs on a seeded 1x24x40x3 input in [0, 255]', async () => {
    const { graph, comparisons } = await compareWithTfjs('esrgan-x2', [1, 24, 40, 3], 0, 255, 7);
    expect(graph.source.format).toBe('tfjs-layers');
    expect(graph.inputs.map((i) => [i.name, i.shape])).toEqual([['LR', [null, null, null, 3]]]);
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['SR', [null, null, null, 3]]]);
    expect(comparisons.map((c) => c.name)).toEqual(graph.outputs.map((o) => o.name));
    for (const c of comparisons) {
      expect(c.oursShape).toEqual(c.tfjsShape);
      expect(c.tfjsShape).toEqual([1, 48, 80, 3]);
      expect(c.relativeL2).toBeLessThanOrEqual(1e-4);
    }
  });
});
