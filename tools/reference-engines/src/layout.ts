/** Conversions between the NCHW layout of ONNX engines and MotionDelta's NHWC. */

export interface LayoutTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

function checkRank4(t: LayoutTensor, what: string): [number, number, number, number] {
  const [a, b, c, d] = t.shape;
  if (t.shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new RangeError(`${what} needs a 4-D tensor, got shape [${t.shape.join(',')}]`);
  }
  if (t.data.length !== a * b * c * d) {
    throw new RangeError(`${what}: shape [${t.shape.join(',')}] needs ${a * b * c * d} values, got ${t.data.length}`);
  }
  return [a, b, c, d];
}

/** [N,C,H,W] -> [N,H,W,C]. */
export function nchwToNhwc(t: LayoutTensor): { data: Float32Array; shape: number[] } {
  const [n, c, h, w] = checkRank4(t, 'nchwToNhwc');
  const out = new Float32Array(t.data.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const src = (b * c + ch) * plane;
      for (let p = 0; p < plane; p++) out[(b * plane + p) * c + ch] = t.data[src + p]!;
    }
  }
  return { data: out, shape: [n, h, w, c] };
}

/** [N,H,W,C] -> [N,C,H,W]. */
export function nhwcToNchw(t: LayoutTensor): { data: Float32Array; shape: number[] } {
  const [n, h, w, c] = checkRank4(t, 'nhwcToNchw');
  const out = new Float32Array(t.data.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const dst = (b * c + ch) * plane;
      for (let p = 0; p < plane; p++) out[dst + p] = t.data[(b * plane + p) * c + ch]!;
    }
  }
  return { data: out, shape: [n, c, h, w] };
}
