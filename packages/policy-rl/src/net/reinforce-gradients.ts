import type { PolicyArchitecture } from './architecture.js';
import type { PolicyWeights } from './init-weights.js';
import { PolicyNetwork } from './policy-network.js';

/** One frame's sample: the network input, the executed mask it ran with, the reward per block. */
export interface ReinforceSample {
  readonly input: Float32Array;
  /** [1, rows*ppb, cols*ppb, C]. */
  readonly shape: readonly number[];
  readonly executed: Uint8Array;
  readonly rewards: Float32Array;
}

/**
 * REINFORCE with one sample per frame and no baseline: the loss is
 * L = -mean over frames and blocks of reward * log pi(action), with log pi(1) = l - softplus(l) and
 * log pi(0) = -softplus(l) for a block's logit l, so dL/dl = -reward * (action - sigmoid(l)) / M.
 * Returns the loss and its gradient per parameter. All samples must share one input shape.
 */
export function reinforceGradients(
  a: PolicyArchitecture,
  weights: PolicyWeights,
  samples: readonly ReinforceSample[],
): { loss: number; grads: Map<string, Float32Array> } {
  const [, h, w, c] = samples[0]!.shape as [number, number, number, number];
  const size = h * w * c;
  const input = new Float32Array(size * samples.length);
  for (const [i, s] of samples.entries()) input.set(s.input, i * size);
  const blocks = samples[0]!.executed.length;
  const m = blocks * samples.length;
  let loss = 0;
  const grads = new PolicyNetwork(a, weights).gradients({ data: input, n: samples.length, h, w, c }, (logits) => {
    const d = new Float32Array(logits.data.length);
    for (const [f, s] of samples.entries()) {
      for (let i = 0; i < blocks; i++) {
        const l = logits.data[f * blocks + i]!;
        const p = 1 / (1 + Math.exp(-l));
        const act = s.executed[i]!;
        const r = s.rewards[i]!;
        loss -= (r * (act * l - softplus(l))) / m;
        d[f * blocks + i] = (-r * (act - p)) / m;
      }
    }
    return d;
  });
  return { loss, grads };
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
