import { createRng, randomFloat32 } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { simplifyGraph } from '../../src/simplify/simplify-graph.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';

describe('simplifyGraph', () => {
  const backend = new ReferenceBackend();
  const graph = smallConvNet(3);
  const simplified = simplifyGraph(graph, backend);

  it('folds BatchNorm, fuses the ReLU into the convolution and drops the identity', () => {
    expect(simplified.nodes.map((n) => n.op)).toEqual(['Conv2D', 'Conv2D', 'Add']);
    const conv = simplified.nodes[0]!;
    expect(conv.op === 'Conv2D' && conv.attrs.activation).toEqual({ kind: 'relu' });
    expect(simplified.constants.has('bn_mean')).toBe(false);
  });

  it('computes the same outputs as the original graph', async () => {
    const rng = createRng(11);
    for (const [h, w] of [
      [5, 7],
      [16, 9],
    ] as const) {
      const x = { data: randomFloat32(rng, h * w * 3), shape: [1, h, w, 3] };
      const before = (await runGraphDense(graph, { x }, backend)).y!;
      const after = (await runGraphDense(simplified, { x }, backend)).y!;
      expect(after.shape).toEqual(before.shape);
      expect(relativeL2(after.data, before.data)).toBeLessThan(1e-6);
    }
  });

  it('leaves a BatchNorm alone when the convolution output has another reader', () => {
    const g = smallConvNet(4);
    const extraReader = { ...g, outputs: [...g.outputs, { name: 'c1', shape: [1, null, null, 4], dtype: 'float32' as const }] };
    const s = simplifyGraph(extraReader, backend);
    expect(s.nodes.some((n) => n.op === 'BatchNorm')).toBe(true);
  });
});
