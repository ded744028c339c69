import type { FrameFeatures } from './features.js';
import type { MatchWindow } from './match-hamming.js';

/**
 * The columns of `b` each keypoint of `a` is matched against: those whose pyramid level is at
 * most `maxLevelGap` levels from its own (keypoint scale ratio below `scaleFactor^(gap + 0.5)`).
 * Between consecutive video frames the scale changes far less than one level (sqrt(2)), so a
 * true match is found within one level; comparing only those cuts the Hamming distances of a
 * 300 x 300 match by a third. Keypoints are stored level after level, so the allowed columns of a
 * row are one contiguous range. Returns `undefined` (compare everything) when `maxLevelGap` is
 * infinite.
 *
 * @example
 * ```ts
 * const window = levelWindow(fa, fb, 1, Math.SQRT2);
 * const m = matchDescriptors(fa.descriptors, fa.count, fb.descriptors, fb.count, {}, window);
 * ```
 */
export function levelWindow(a: FrameFeatures, b: FrameFeatures, maxLevelGap: number, scaleFactor: number): MatchWindow | undefined {
  if (!Number.isFinite(maxLevelGap)) return undefined;
  const limit = Math.log(scaleFactor) * (maxLevelGap + 0.5);
  const from = new Int32Array(a.count);
  const to = new Int32Array(a.count);
  let i = 0;
  while (i < a.count) {
    // One run of equal scales in a is one level: its window is computed once.
    const s = a.scale[i]!;
    let lo = b.count;
    let hi = 0;
    for (let j = 0; j < b.count; j++) {
      if (Math.abs(Math.log(b.scale[j]! / s)) < limit) {
        if (j < lo) lo = j;
        hi = j + 1;
      }
    }
    for (; i < a.count && a.scale[i] === s; i++) {
      from[i] = lo;
      to[i] = hi;
    }
  }
  return { from, to };
}
