/** A single-channel float map, row-major. */
export interface ScalarMap {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Channel `c` of an NHWC tensor's first image, or the maximum over all channels when `c` is
 * omitted (what a multi-channel heatmap shows at a glance).
 */
export function channelMap(data: Float32Array, shape: readonly number[], c?: number): ScalarMap {
  const height = shape.length === 4 ? shape[1]! : 1;
  const width = shape.length === 4 ? shape[2]! : data.length;
  const channels = shape.length === 4 ? shape[3]! : 1;
  const out = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) {
    if (c !== undefined) {
      out[p] = data[p * channels + c]!;
      continue;
    }
    let best = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < channels; k++) best = Math.max(best, data[p * channels + k]!);
    out[p] = best;
  }
  return { width, height, data: out };
}

/** Applies `fn` to every value. */
export function mapValues(map: ScalarMap, fn: (v: number) => number): ScalarMap {
  return { width: map.width, height: map.height, data: map.data.map(fn) };
}

/** Rescales to 0..1 by the map's own min and max (a constant map becomes all 0). */
export function normalize(map: ScalarMap): ScalarMap {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of map.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  return mapValues(map, (v) => (range > 0 ? (v - min) / range : 0));
}

/** Bilinear resampling with pixel centres aligned (the convention of image resizers). */
export function resample(map: ScalarMap, width: number, height: number): ScalarMap {
  const out = new Float32Array(width * height);
  const sx = map.width / width;
  const sy = map.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(map.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(map.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(map.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(map.width - 1, x0 + 1);
      const wx = fx - x0;
      const top = map.data[y0 * map.width + x0]! * (1 - wx) + map.data[y0 * map.width + x1]! * wx;
      const bottom = map.data[y1 * map.width + x0]! * (1 - wx) + map.data[y1 * map.width + x1]! * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return { width, height, data: out };
}
