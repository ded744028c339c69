/** Every how many pixels along each axis the scene-cut measure samples (1/16 of the pixels). */
const SAMPLE_STEP = 4;

/**
 * A small sample of an NHWC image (every 4th pixel of every 4th row, all channels) and the
 * measure that compares two of them: cheap enough to run on every frame.
 */
export function sampleFrame(data: Float32Array, shape: readonly number[]): Float32Array {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y += SAMPLE_STEP)
      for (let x = 0; x < w; x += SAMPLE_STEP) for (let k = 0; k < c; k++) out.push(data[((b * h + y) * w + x) * c + k]!);
  return Float32Array.from(out);
}

/**
 * How much a frame changed from the previous one: the mean absolute difference of their samples
 * over the previous sample's mean magnitude (0 for identical frames; about 0.6 to 1 between two
 * unrelated natural images). Infinity when the previous frame was all zeros and this one is not.
 */
export function frameChange(previous: Float32Array, current: Float32Array): number {
  let diff = 0;
  let magnitude = 0;
  for (let i = 0; i < current.length; i++) {
    diff += Math.abs(current[i]! - previous[i]!);
    magnitude += Math.abs(previous[i]!);
  }
  if (diff === 0) return 0;
  return magnitude === 0 ? Number.POSITIVE_INFINITY : diff / magnitude;
}
