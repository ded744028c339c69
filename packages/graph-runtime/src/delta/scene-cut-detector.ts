import { OptionError, type Tensor } from '@motiondelta/core';
import { frameChange, sampleFrame } from '../block/scene-cut.js';

/**
 * Delta mode's scene-cut test: a frame whose inputs changed from the previous frame's by more than
 * `sceneCut` (mean absolute change of a 1-in-16 pixel sample over the previous sample's mean
 * magnitude, block mode's measure) runs as a keyframe at once. Why: after a cut nearly every pixel
 * changes, so a delta frame costs about a keyframe anyway, and at a threshold above 0 it would leave
 * truncation residue all over the new shot, which only a keyframe clears.
 *
 * @example
 * ```ts
 * const cuts = new SceneCutDetector(0.4);
 * cuts.isCut(inputs); // false on the first frame (nothing to compare with)
 * ```
 */
export class SceneCutDetector {
  readonly #bound: number;
  /** The last frame's sample per image input (rank-4 tensors), by input name. */
  #previous = new Map<string, Float32Array>();

  /**
   * `bound`: `sceneCut` of `createSession`. Undefined or `Infinity` never cuts (the default of a
   * bare delta session, which computes exactly what it is given; `createVideoSession` uses 0.4).
   */
  constructor(bound: number | undefined) {
    const b = bound ?? Number.POSITIVE_INFINITY;
    if (!(typeof b === 'number' && b >= 0)) {
      throw new OptionError(`sceneCut must be a number >= 0 (Infinity, the default, turns scene-cut detection off), got ${String(b)}.`);
    }
    this.#bound = b;
  }

  /**
   * Whether these inputs are a cut from the last ones seen (by {@link isCut} or {@link remember});
   * either way they become the last ones seen.
   */
  isCut(inputs: Readonly<Record<string, Tensor>>): boolean {
    if (this.#bound === Number.POSITIVE_INFINITY) return false;
    let cut = false;
    for (const [name, t] of Object.entries(inputs)) {
      if (t.shape.length !== 4) continue;
      const sample = sampleFrame(t.data, t.shape);
      const before = this.#previous.get(name);
      if (before && before.length === sample.length && frameChange(before, sample) > this.#bound) cut = true;
      this.#previous.set(name, sample);
    }
    return cut;
  }

  /** Starts over (after `reset()`): the next frame has nothing to compare with. */
  clear(): void {
    this.#previous = new Map();
  }
}
