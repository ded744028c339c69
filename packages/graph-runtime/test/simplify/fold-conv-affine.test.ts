import { createRng, randomFloat32, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { makeNode, type Graph, type GraphNode } from '../../src/ir/graph.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { simplifyGraph } from '../../src/simplify/simplify-graph.js';
import { relativeL2 } from '../helpers/relative-l2.js';

const backend = new ReferenceBackend();
const conv = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups: 1 } as const;

/** x -> Conv -> * s -> + t -> hard-swish written out (x * clip(x + 3, 0, 6) / 6) -> y. */
function affineHardSwishNet(seed: number, scaleShape: number[], shiftShape: number[], groups = 1): Graph {
  const rng = createRng(seed);
  const t = (shape: number[], lo = -1, hi = 1): Tensor => ({
    data: randomFloat32(
      rng,
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
    shape,
  });
  const c = 4;
  const constants = new Map<string, Tensor>([
    ['w', t([3, 3, c / groups, c])],
    ['b', t([c])],
    ['s', t(scaleShape, 0.5, 2)],
    ['t', t(shiftShape)],
    ['three', { data: Float32Array.of(3), shape: [] }],
    ['six', { data: Float32Array.of(6), shape: [] }],
  ]);
  const nodes: GraphNode[] = [
    makeNode('conv', 'Conv2D', { ...conv, groups }, ['x', 'w', 'b'], ['c']),
    makeNode('scale', 'Mul', {}, ['c', 's'], ['cs']),
    makeNode('shift', 'Add', {}, ['t', 'cs'], ['a']),
    makeNode('plus3', 'Add', {}, ['a', 'three'], ['a3']),
    makeNode('clip', 'Activation', { activation: { kind: 'clip', min: 0, max: 6 } }, ['a3'], ['r']),
    makeNode('times', 'Mul', {}, ['r', 'a'], ['m']),
    makeNode('over6', 'Div', {}, ['m', 'six'], ['y']),
  ];
  return {
    source: { format: 'onnx', location: '<test>' },
    inputs: [{ name: 'x', shape: [1, null, null, c], dtype: 'float32' }],
    outputs: [{ name: 'y', shape: [1, null, null, c], dtype: 'float32' }],
    nodes,
    constants,
    intConstants: new Map(),
  };
}

async function expectSameOutputs(before: Graph, after: Graph, seed: number): Promise<void> {
  const rng = createRng(seed);
  const x = { data: randomFloat32(rng, 7 * 9 * 4, -3, 3), shape: [1, 7, 9, 4] };
  const a = (await runGraphDense(before, { x }, backend)).y!;
  const b = (await runGraphDense(after, { x }, backend)).y!;
  expect(relativeL2(b.data, a.data)).toBeLessThan(1e-6);
}

describe('simplifyGraph: convolution affine folding and hard-swish', () => {
  for (const [label, scaleShape, shiftShape, groups] of [
    ['scalar scale and shift', [1], [], 1],
    ['per-channel scale and shift', [4], [1, 1, 1, 4], 1],
    ['per-channel on a grouped convolution', [1, 1, 1, 4], [4], 2],
  ] as const) {
    it(`folds ${label} into the convolution and rewrites hard-swish into one fused activation`, async () => {
      const graph = affineHardSwishNet(3, [...scaleShape], [...shiftShape], groups);
      const simplified = simplifyGraph(graph, backend);
      expect(simplified.nodes.map((n) => n.op)).toEqual(['Conv2D']);
      const only = simplified.nodes[0]!;
      expect(only.op === 'Conv2D' && only.attrs.activation).toEqual({ kind: 'hardSwish' });
      await expectSameOutputs(graph, simplified, 5);
    });
  }

  it('leaves the scale alone when the convolution output has another reader', async () => {
    const graph = affineHardSwishNet(4, [1], []);
    const twoReaders = { ...graph, outputs: [...graph.outputs, { name: 'c', shape: [1, null, null, 4], dtype: 'float32' as const }] };
    const simplified = simplifyGraph(twoReaders, backend);
    expect(simplified.nodes.some((n) => n.name === 'scale')).toBe(true);
    await expectSameOutputs(twoReaders, simplified, 6);
  });

  it('leaves a scale that is not per channel alone', async () => {
    const graph = affineHardSwishNet(5, [1, 7, 9, 4], []);
    const simplified = simplifyGraph(graph, backend);
    expect(simplified.nodes.some((n) => n.name === 'scale')).toBe(true);
    await expectSameOutputs(graph, simplified, 7);
  });

  it('does not rewrite x * clip(y + 3, 0, 6) / 6 when x and y differ', async () => {
    const graph = affineHardSwishNet(6, [1], []);
    const nodes = graph.nodes.map((n) => (n.name === 'times' ? { ...n, inputs: ['r', 'cs'] } : n)) as GraphNode[];
    const mixed = { ...graph, nodes };
    const simplified = simplifyGraph(mixed, backend, { foldConvAffine: false });
    expect(simplified.nodes.some((n) => n.op === 'Div')).toBe(true);
    await expectSameOutputs(mixed, simplified, 8);
  });
});
