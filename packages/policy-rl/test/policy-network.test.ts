import { createRng } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import {
  buildPolicyGraph,
  DEFAULT_ARCHITECTURE,
  graphLogits,
  inputChannels,
  parameterSpecs,
  trainingLogits,
  type PolicyArchitecture,
} from '../src/index.js';
import { initWeights } from '../src/net/init-weights.js';
import { PolicyNetwork } from '../src/net/policy-network.js';

function randomInput(a: PolicyArchitecture, rows: number, cols: number, seed: number) {
  const rng = createRng(seed);
  const shape = [1, rows * a.pixelsPerBlock, cols * a.pixelsPerBlock, inputChannels(a)];
  const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() - 0.5;
  return { data, shape };
}

describe('policy network', () => {
  it('has BlockCopy layer shapes: ResNet-8 of widths 32/64/128 and a head to one logit per block', () => {
    const specs = new Map(parameterSpecs(DEFAULT_ARCHITECTURE).map((s) => [s.name, s.shape]));
    expect(specs.get('stem.weight')).toEqual([3, 3, 10, 32]);
    expect(specs.get('stage1.conv2.weight')).toEqual([3, 3, 32, 32]);
    expect(specs.get('stage2.projection.weight')).toEqual([1, 1, 32, 64]);
    expect(specs.get('stage3.conv2.weight')).toEqual([3, 3, 128, 128]);
    expect(specs.get('head1.weight')).toEqual([3, 3, 128, 64]);
    expect(specs.get('head3.weight')).toEqual([3, 3, 64, 1]);
    expect(specs.has('stage1.projection.weight')).toBe(false);
  });

  it('runs the same forward pass as a MotionDelta graph on the reference backend and in the training network', async () => {
    // BlockCopy's network (with random, non-trivial weights) on a 2x3 grid at 32 pixels per block.
    const a = DEFAULT_ARCHITECTURE;
    const weights = initWeights(a, 11, 0.4);
    // Give the last layer real weights so that the logits depend on the input.
    const rng = createRng(5);
    const last = weights.get('head3.weight')!;
    for (let i = 0; i < last.length; i++) last[i] = (rng.next() - 0.5) * 0.2;
    const input = randomInput(a, 2, 3, 3);
    const fromGraph = await graphLogits(buildPolicyGraph(a, weights), input, new ReferenceBackend());
    const fromTraining = trainingLogits(a, weights, input);
    expect(fromGraph.length).toBe(6);
    expect(fromTraining.length).toBe(6);
    const spread = Math.max(...fromGraph) - Math.min(...fromGraph);
    expect(spread).toBeGreaterThan(1e-3);
    for (let i = 0; i < 6; i++) expect(Math.abs(fromGraph[i]! - fromTraining[i]!)).toBeLessThan(1e-4);
  });

  it('computes gradients that match finite differences', () => {
    const a: PolicyArchitecture = { frameChannels: 1, outputChannels: 1, widths: [3, 4, 5], pixelsPerBlock: 16 };
    const weights = initWeights(a, 2, 0.5);
    const rng = createRng(9);
    // Nonzero everywhere so every layer (the near-zero last one included) carries gradient.
    for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] = w[i]! + (rng.next() - 0.5) * 0.3;
    const input = randomInput(a, 1, 2, 4);
    const [, h, w, c] = input.shape as [number, number, number, number];
    const x = { data: input.data, n: 1, h, w, c };
    const coefficients = [0.7, -1.3];
    // Loss = sum_i coefficient_i * logit_i: piecewise linear in each parameter (ReLU), so central
    // differences are exact except where a step crosses a kink; a small step keeps that rare.
    const loss = (): number => {
      const l = new PolicyNetwork(a, weights).forward(x).data;
      return coefficients[0]! * l[0]! + coefficients[1]! * l[1]!;
    };
    const grads = new PolicyNetwork(a, weights).gradients(x, () => new Float32Array(coefficients));
    let checked = 0;
    for (const spec of parameterSpecs(a)) {
      const param = weights.get(spec.name)!;
      const grad = grads.get(spec.name)!;
      for (const i of [0, Math.floor(param.length / 2), param.length - 1]) {
        const saved = param[i]!;
        const eps = 1e-4;
        param[i] = saved + eps;
        const up = loss();
        param[i] = saved - eps;
        const down = loss();
        param[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(numeric - grad[i]!), `${spec.name}[${i}]: numeric ${numeric}, analytic ${grad[i]}`).toBeLessThan(
          3e-3 + 3e-2 * Math.abs(numeric),
        );
        checked++;
      }
    }
    expect(checked).toBe(parameterSpecs(a).length * 3);
  });
});
