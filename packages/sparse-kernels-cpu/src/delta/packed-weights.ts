import { callNative } from '../native-error.js';
import type { NativeDeltaAddon, PackedConvWeights } from './native-delta-addon.js';

/**
 * Packed convolution weights, built once per weight array and geometry and reused every frame
 * ("packed weights uploaded once per session"). Keyed weakly by the weight array: a dropped
 * model frees its packed copies with it.
 */
export class PackedWeightCache {
  readonly #addon: NativeDeltaAddon;
  readonly #cache = new WeakMap<Float32Array, Map<string, Promise<PackedConvWeights>>>();

  constructor(addon: NativeDeltaAddon) {
    this.#addon = addon;
  }

  get(weight: Float32Array, dims: Int32Array): Promise<PackedConvWeights> {
    let byDims = this.#cache.get(weight);
    if (!byDims) {
      byDims = new Map();
      this.#cache.set(weight, byDims);
    }
    const key = dims.join(',');
    let packed = byDims.get(key);
    if (!packed) {
      packed = callNative('deltaPackConv2d', () => this.#addon.deltaPackConv2d(weight, dims));
      // A failed packing is not cached, so the next frame reports it again instead of a stale promise.
      packed.catch(() => byDims.delete(key));
      byDims.set(key, packed);
    }
    return packed;
  }
}
