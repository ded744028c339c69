import { callNative } from '../native-error.js';
import type { NativeDenseAddon, PackedConv2dWeights } from './native-dense-addon.js';

interface PackEntry {
  readonly bias: Float32Array | null;
  /** kh, kw, Cin/groups, Cout, groups: the geometry the pack was made for. */
  readonly key: string;
  readonly packed: Promise<PackedConv2dWeights | null>;
}

/**
 * Conv2D weights packed for the native GEMM, once per weight tensor: a model's weights are
 * constants, so the pack made on the first frame serves every later one. Keyed weakly by the
 * weight array, so a pack is released with its model. A weight array must not be modified in
 * place after its first use (copy it instead); a different bias or geometry makes a new pack.
 */
export class ConvWeightPacks {
  readonly #addon: NativeDenseAddon;
  readonly #packs = new WeakMap<Float32Array, PackEntry>();

  constructor(addon: NativeDenseAddon) {
    this.#addon = addon;
  }

  /** The pack for these weights (null when the conv takes a path that needs none). */
  get(weight: Float32Array, bias: Float32Array | null, geometry: Int32Array): Promise<PackedConv2dWeights | null> {
    // Batch and spatial sizes do not change the pack; channels, kernel and groups do.
    const key = `${geometry[7]},${geometry[8]},${geometry[3]! / geometry[15]!},${geometry[6]},${geometry[15]}`;
    const cached = this.#packs.get(weight);
    if (cached && cached.bias === bias && cached.key === key) return cached.packed;
    const packed = callNative('conv2dPackWeights', () => this.#addon.conv2dPackWeights(weight, bias, geometry));
    // A failed pack is not cached: the next call tries again and reports its own error.
    packed.catch(() => this.#packs.delete(weight));
    this.#packs.set(weight, { bias, key, packed });
    return packed;
  }
}
