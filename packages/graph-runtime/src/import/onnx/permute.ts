/** Index permutations between the ONNX (NCHW) order and the IR (NHWC) order of 4-D tensors. */

/** `nhwc[i] = nchw[NCHW_TO_NHWC[i]]`. */
export const NCHW_TO_NHWC: readonly number[] = [0, 2, 3, 1];
/** `nchw[i] = nhwc[NHWC_TO_NCHW[i]]`. */
export const NHWC_TO_NCHW: readonly number[] = [0, 3, 1, 2];

/** Where NCHW axis `axis` (0..3) sits in NHWC storage. */
export function nhwcAxisOf(axis: number): number {
  const position = NCHW_TO_NHWC.indexOf(axis);
  if (position < 0) throw new RangeError(`axis ${axis} is not an axis of a 4-D tensor`);
  return position;
}

/** `out.dims[i] = dims[perm[i]]`, data moved to match (a Transpose of a constant). */
export function permuteData(data: Float32Array, dims: readonly number[], perm: readonly number[]): { data: Float32Array; dims: number[] } {
  const rank = dims.length;
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= dims[i]!;
  }
  // Stride in the input for each output axis, so the copy walks the output in order.
  const strideOut = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let a = rank - 1; a >= 0; a--) {
      index[a]!++;
      src += strideOut[a]!;
      if (index[a]! < outDims[a]!) break;
      src -= strideOut[a]! * outDims[a]!;
      index[a] = 0;
    }
  }
  return { data: out, dims: outDims };
}

/** Applies a permutation to a list of dimensions (known or not). */
export function permuteDims<T>(dims: readonly T[], perm: readonly number[]): T[] {
  return perm.map((p) => dims[p]!);
}
