import { DeltaBuffer, createRng, randomFloat32, type Backend, type DenseKernelCall, type LinearDeltaCall } from '@motiondelta/core';
import { median } from '../models/statistics.js';
import { activeBlobs } from './active-pattern.js';
import type { LayerCase } from './layer-cases.js';

/** Cost of one layer at one input active fraction. */
export interface KernelCostPoint {
  /** Fraction of input pixels active. */
  readonly inputFraction: number;
  /** Fraction of output pixels the delta kernel reported active. */
  readonly outputFraction: number;
  readonly deltaMs: number;
  readonly denseMs: number;
  /** denseMs / deltaMs. */
  readonly speedup: number;
  /** The speedup if time followed MACs exactly: 1 / outputFraction. */
  readonly idealSpeedup: number;
  /** speedup / idealSpeedup. */
  readonly efficiency: number;
}

/** Options of {@link measureKernelCost}. */
export interface KernelCostOptions {
  readonly fractions: readonly number[];
  /** Timed repetitions per point (the median is kept), after one untimed. */
  readonly repetitions: number;
  readonly seed: number;
}

/**
 * Times the backend's delta Conv2D on inputs with a given fraction of active pixels against the
 * same backend's dense Conv2D on the same layer, interleaved repetition by repetition so machine
 * noise lands on both.
 *
 * @example
 * ```ts
 * const points = await measureKernelCost(backend, layerCases(createRng(1))[0]!, { fractions: [0.01, 0.1], repetitions: 5, seed: 1 });
 * ```
 */
export async function measureKernelCost(backend: Backend, layer: LayerCase, options: KernelCostOptions): Promise<KernelCostPoint[]> {
  const kernels = backend.delta;
  if (!kernels) throw new RangeError(`backend '${backend.id}' has no delta kernels to measure`);
  const rng = createRng(options.seed);
  const [, h, w, c] = layer.inputShape;
  const dense: DenseKernelCall = {
    op: 'Conv2D',
    attrs: layer.attrs,
    inputs: [{ data: randomFloat32(rng, h * w * c), shape: layer.inputShape }, layer.weight, layer.bias],
    outputShape: layer.outputShape,
  };
  const points: KernelCostPoint[] = [];
  for (const fraction of options.fractions) {
    const input = new DeltaBuffer(layer.inputShape);
    for (const p of activeBlobs(rng, h, w, fraction, 16)) {
      input.activate(p);
      input.values.set(randomFloat32(rng, c), p * c);
    }
    const out = new DeltaBuffer(layer.outputShape);
    const call = { op: 'Conv2D', attrs: layer.attrs, inputs: [input, layer.weight, layer.bias] } as LinearDeltaCall;
    const deltaMs: number[] = [];
    const denseMs: number[] = [];
    for (let r = 0; r <= options.repetitions; r++) {
      const t0 = performance.now();
      await kernels.linear(call, out);
      const t1 = performance.now();
      await backend.runDense(dense);
      const t2 = performance.now();
      // The first repetition warms caches and packs weights: not timed.
      if (r === 0) continue;
      deltaMs.push(t1 - t0);
      denseMs.push(t2 - t1);
    }
    const d = median(deltaMs);
    const D = median(denseMs);
    const outputFraction = out.activeFraction;
    const speedup = D / d;
    const idealSpeedup = outputFraction > 0 ? 1 / outputFraction : Infinity;
    points.push({
      inputFraction: input.activeFraction,
      outputFraction,
      deltaMs: d,
      denseMs: D,
      speedup,
      idealSpeedup,
      efficiency: speedup / idealSpeedup,
    });
  }
  return points;
}
