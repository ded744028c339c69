import { createRng, type Rng } from '@motiondelta/core';
import { allConvs, networkLayout, type PolicyArchitecture } from './architecture.js';

/** The network's parameters by name (see `parameterSpecs` for names, shapes and order). */
export type PolicyWeights = Map<string, Float32Array>;

/**
 * Fresh seeded weights: He-normal convolutions (the ReLU gain), zero biases; the second convolution
 * of each residual block at half scale so that the sum of branch and shortcut keeps its variance
 * without BatchNorm. The last convolution starts near zero with its bias at logit(initialRate):
 * every block then starts at the target rate instead of at 50%, which is what BlockCopy's
 * warm-up from "execute everything" achieves, without the warm-up frames.
 */
export function initWeights(a: PolicyArchitecture, seed: number, initialRate: number): PolicyWeights {
  const rng = createRng(seed);
  const weights: PolicyWeights = new Map();
  const layout = networkLayout(a);
  const seconds = new Set(layout.stages.map((s) => s.second.name));
  const last = layout.head[layout.head.length - 1]!.name;
  for (const c of allConvs(layout)) {
    const fanIn = c.kernel * c.kernel * c.inChannels;
    let std = Math.sqrt(2 / fanIn);
    if (seconds.has(c.name)) std *= 0.5;
    if (c.name === last) std = 0.01 / Math.sqrt(fanIn);
    const w = new Float32Array(fanIn * c.outChannels);
    for (let i = 0; i < w.length; i++) w[i] = std * gaussian(rng);
    weights.set(`${c.name}.weight`, w);
    const b = new Float32Array(c.outChannels);
    if (c.name === last) b.fill(logit(initialRate));
    weights.set(`${c.name}.bias`, b);
  }
  return weights;
}

/** log(p / (1 - p)), clamped to +-6 so that a rate of 0 or 1 still leaves room to learn. */
function logit(p: number): number {
  const q = Math.min(1 - 1e-3, Math.max(1e-3, p));
  return Math.max(-6, Math.min(6, Math.log(q / (1 - q))));
}

/** A standard normal draw (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
