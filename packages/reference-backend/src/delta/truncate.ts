import type { DeltaBuffer } from '@motiondelta/core';

/**
 * Accumulate-and-truncate, shared by the stateful kernels. On entry `out` lists the candidate
 * pixels with their newly computed outputs `y` in `out.values`. A candidate is emitted where
 * max_c |y - emitted| > threshold: its values become `y - emitted` and `emitted` takes `y`.
 * The others are dropped from `out` (mask cleared, list compacted) and `emitted` keeps its old
 * value, so a change below the threshold stays pending until it adds up, never lost.
 * Marking candidates in `out` itself deduplicates them without a frame-sized scratch mask.
 * A NaN difference (an output that became or was NaN: log of a negative value) counts as above
 * every threshold, so the NaN reaches the outputs as in dense inference, where the session sees
 * it and rebuilds the state with a keyframe, instead of being dropped as "no change".
 */
export function emitWithTruncation(out: DeltaBuffer, emitted: Float32Array, threshold: number): void {
  const c = out.channels;
  const { values, active, mask } = out;
  let kept = 0;
  for (let i = 0; i < out.count; i++) {
    const p = active[i]!;
    const base = p * c;
    let maxAbs = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = Math.abs(values[base + ch]! - emitted[base + ch]!);
      // Once NaN, maxAbs stays NaN (no comparison with it is true).
      if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
    }
    if (!(maxAbs <= threshold)) {
      for (let ch = 0; ch < c; ch++) {
        const y = values[base + ch]!;
        values[base + ch] = y - emitted[base + ch]!;
        emitted[base + ch] = y;
      }
      active[kept++] = p;
    } else {
      mask[p] = 0;
    }
  }
  out.count = kept;
}
