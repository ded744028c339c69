import type { PolicyWeights } from './init-weights.js';

/** RMSprop settings, PyTorch's meaning (no momentum, not centred). */
export interface RmsPropOptions {
  readonly learningRate: number;
  /** L2 penalty added to the gradient (`weight_decay`). */
  readonly weightDecay: number;
  /** Smoothing of the squared-gradient average, PyTorch's `alpha` (0.99). */
  readonly alpha?: number;
  readonly epsilon?: number;
}

/**
 * RMSprop on plain Float32Arrays, as PyTorch defines it: g += wd * w; v = alpha * v + (1 - alpha) * g^2;
 * w -= lr * g / (sqrt(v) + eps), on the plain arrays the inference graph and the weight file share.
 */
export class RmsProp {
  readonly options: Required<RmsPropOptions>;
  /** Running squared-gradient averages by parameter name. */
  readonly squares = new Map<string, Float32Array>();

  constructor(options: RmsPropOptions) {
    this.options = { alpha: 0.99, epsilon: 1e-8, ...options };
  }

  /** Updates `weights` in place with `grads` (same names and sizes). */
  step(weights: PolicyWeights, grads: ReadonlyMap<string, Float32Array>): void {
    const { learningRate: lr, weightDecay: wd, alpha, epsilon } = this.options;
    for (const [name, g] of grads) {
      const w = weights.get(name)!;
      let v = this.squares.get(name);
      if (v === undefined) {
        v = new Float32Array(w.length);
        this.squares.set(name, v);
      }
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! + wd * w[i]!;
        const vi = alpha * v[i]! + (1 - alpha) * gi * gi;
        v[i] = vi;
        w[i] = w[i]! - (lr * gi) / (Math.sqrt(vi) + epsilon);
      }
    }
  }
}
