/**
 * MotionDelta stores 4-D ONNX tensors NHWC: the importer declares 4-D graph inputs and outputs as
 * [N,H,W,C]. The tests hold NCHW data, so 4-D inputs are permuted on the way in and 4-D outputs on
 * the way out; every other rank is passed through as is.
 */
export function permute4d(data: ArrayLike<number>, dims: readonly number[], to: 'nhwc' | 'nchw'): { data: Float32Array; shape: number[] } {
  const out = new Float32Array(data.length);
  if (dims.length !== 4) {
    out.set(data as ArrayLike<number>);
    return { data: out, shape: [...dims] };
  }
  const [n, a, b, c] = dims as [number, number, number, number];
  // NCHW -> NHWC: dims are [N,C,H,W]; NHWC -> NCHW: dims are [N,H,W,C].
  const [channels, plane] = to === 'nhwc' ? [a, b * c] : [c, a * b];
  for (let batch = 0; batch < n; batch++) {
    for (let ch = 0; ch < channels; ch++) {
      for (let p = 0; p < plane; p++) {
        const planar = (batch * channels + ch) * plane + p;
        const interleaved = (batch * plane + p) * channels + ch;
        if (to === 'nhwc') out[interleaved] = data[planar]!;
        else out[planar] = data[interleaved]!;
      }
    }
  }
  return { data: out, shape: to === 'nhwc' ? [n, b, c, a] : [n, c, a, b] };
}
