import { describe, expect, it } from 'vitest';
import { compareWithTfjs } from './real-model.js';

describe('posenet (TF.js graph model, fused convs) against tfjs-backend-cpu', () => {
  // The Placeholder is fixed at 1x385x385x3, so the test runs at that size.
  it('imports and matches tfjs on all four outputs for a seeded input in [-1, 1]', async () => {
    const { graph, comparisons } = await compareWithTfjs('posenet', [1, 385, 385, 3], -1, 1, 11);
    expect(graph.source.format).toBe('tfjs-graph');
    expect(graph.inputs.map((i) => [i.name, i.shape])).toEqual([['image', [1, 385, 385, 3]]]);
    // 18 _FusedConv2D + 13 FusedDepthwiseConv2dNative, each one Conv2D.
    expect(graph.nodes.every((n) => n.op === 'Conv2D')).toBe(true);
    expect(graph.nodes).toHaveLength(31);
    expect(comparisons).toHaveLength(4);
    for (const c of comparisons) {
      expect(c.oursShape).toEqual(c.tfjsShape);
      expect(c.relativeL2).toBeLessThanOrEqual(1e-4);
    }
  });
});
