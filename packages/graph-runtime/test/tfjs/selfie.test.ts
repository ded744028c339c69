import { describe, expect, it } from 'vitest';
import { compareWithTfjs } from './real-model.js';

describe('selfie (TF.js graph model, float16 weights) against tfjs-backend-cpu', () => {
  // The Placeholder is fixed at 1x256x256x3, so the test runs at that size.
  it('imports and matches tfjs on a seeded input in [0, 1]', async () => {
    const { graph, comparisons } = await compareWithTfjs('selfie', [1, 256, 256, 3], 0, 1, 23);
    expect(graph.source.format).toBe('tfjs-graph');
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['activation_10', [1, 256, 256, 1]]]);
    const ops = new Set(graph.nodes.map((n) => n.op));
    for (const op of ['Conv2D', 'ConvTranspose2D', 'Resize', 'AvgPool2D', 'Activation', 'Add', 'Mul'] as const) expect(ops).toContain(op);
    expect(comparisons).toHaveLength(1);
    for (const c of comparisons) {
      expect(c.oursShape).toEqual(c.tfjsShape);
      expect(c.relativeL2).toBeLessThanOrEqual(1e-4);
    }
  });
});
