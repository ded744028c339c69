/**
 * The dense entry points of the native addon as seen from JavaScript. Every kernel writes into
 * the `out` array it is given (allocated by the caller, of the exact output size) and resolves
 * when done; it runs on a libuv worker thread, so the caller must not touch the arrays until the
 * promise settles. Arguments are validated in TypeScript first (src/dense/*.ts); the addon checks
 * sizes again and throws a RangeError instead of reading out of bounds.
 */

/** An ActivationSpec encoded for the addon (see `encodeActivation`). */
export interface NativeActivation {
  /** 0 none, else ACTIVATION_KIND (src/dense/native-activation.ts). */
  readonly kind: number;
  /** See `activationParams`: clip min, an alpha, gelu's form (0 erf, 1 tanh), pow's exponent. */
  readonly a: number;
  /** See `activationParams`: clip max, hardSigmoid beta, selu gamma. */
  readonly b: number;
  /** prelu: 1 value or one per output channel. */
  readonly slope: Float32Array | null;
}

/** Conv2D weights packed by the addon for its GEMM (an opaque handle, freed by the GC). */
export type PackedConv2dWeights = object & { readonly __packedConv2d?: never };

export interface NativeDenseAddon {
  /**
   * Kernels whose estimated work is at most `limit` units (about one element of a memory-bound
   * kernel, or eight multiply-adds; default 32768, roughly ten microseconds) run inline on the JS
   * thread, where a round trip through a worker thread would cost more than the work. 0 sends
   * every kernel to a worker thread. Process-wide.
   */
  setInlineWork(limit: number): void;
  /**
   * NHWC convolution. `geometry` (16 integers): batch, inH, inW, inC, outH, outW, outC, kh, kw,
   * strideH, strideW, dilationH, dilationW, padTop, padLeft, groups. Weight [kh, kw, inC/groups, outC].
   */
  conv2d(
    x: Float32Array,
    weight: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
    geometry: Int32Array,
    activation: NativeActivation | null,
    packed?: PackedConv2dWeights | null,
  ): Promise<void>;
  /**
   * Packs conv2d weights (and bias) for the geometry's GEMM path; null when that geometry needs
   * no pack (depthwise) or the build has no packed GEMM. Pass the result to `conv2d` with the same
   * weight, bias and channel/kernel/group geometry.
   */
  conv2dPackWeights(weight: Float32Array, bias: Float32Array | null, geometry: Int32Array): Promise<PackedConv2dWeights | null>;
  /** Transposed convolution; same geometry order as conv2d, weight [kh, kw, inC, outC/groups]. */
  convTranspose2d(
    x: Float32Array,
    weight: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
    geometry: Int32Array,
    activation: NativeActivation | null,
  ): Promise<void>;
  /**
   * Max (kind 0) or average (kind 1) pooling. `geometry` (14 integers): batch, inH, inW, channels,
   * outH, outW, kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight.
   */
  pool2d(x: Float32Array, out: Float32Array, geometry: Int32Array, kind: number, countIncludePad: boolean): Promise<void>;
  /** Mean over the `pixels` of each of `batch` images of `channels` channels. */
  globalAvgPool(x: Float32Array, out: Float32Array, batch: number, pixels: number, channels: number): Promise<void>;
  /** `out = activation(x)`, `channels` the last dimension. */
  activation(x: Float32Array, out: Float32Array, channels: number, activation: NativeActivation): Promise<void>;
  /** `out[p, c] = x[p, c] * mul[c] + add[c]` (a folded batch normalization). */
  batchNorm(x: Float32Array, out: Float32Array, mul: Float32Array, add: Float32Array): Promise<void>;
  /**
   * Add (0), Sub (1), Mul (2), Div (3), Max (4), Min (5; both propagate NaN) with broadcasting: `outShape` (rank >= 1) and each operand's
   * strides over it (0 where it broadcasts).
   */
  binary(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    op: number,
    outShape: Int32Array,
    aStrides: Int32Array,
    bStrides: Int32Array,
    activation: NativeActivation | null,
  ): Promise<void>;
  /** Concatenation: for each of `outer` rows, input i contributes `chunks[i]` contiguous values. */
  concat(inputs: readonly Float32Array[], out: Float32Array, outer: number, chunks: Int32Array): Promise<void>;
  /**
   * A gather for Pad: per output axis a table output index -> input index or -1 (the constant).
   * `maps` concatenates the tables of every axis; `inStrides` are the input's row-major strides.
   */
  pad(x: Float32Array, out: Float32Array, outShape: Int32Array, inStrides: Int32Array, maps: Int32Array, value: number): Promise<void>;
  /**
   * Bilinear resampling of NHWC with precomputed taps (nearest: lo === hi). `geometry`: batch, inH,
   * inW, channels, outH, outW.
   */
  resize(
    x: Float32Array,
    out: Float32Array,
    geometry: Int32Array,
    rowLo: Int32Array,
    rowHi: Int32Array,
    rowWeight: Float32Array,
    colLo: Int32Array,
    colHi: Int32Array,
    colWeight: Float32Array,
  ): Promise<void>;
  /**
   * `out = act(alpha * op(A) op(B) + beta * C)`. `geometry`: m, k, n, transA, transB, cRowStride,
   * cColStride (C's strides over [m, n], 0 where it broadcasts).
   */
  gemm(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array | null,
    out: Float32Array,
    geometry: Int32Array,
    alpha: number,
    beta: number,
    activation: NativeActivation | null,
  ): Promise<void>;
  /**
   * Batched matrix product: batch i multiplies A at `aOffsets[i]` (m x k) by B at `bOffsets[i]`
   * (k x n) into out at i*m*n. `geometry`: m, k, n, batches, channels (last output dimension, for
   * the activation).
   */
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    geometry: Int32Array,
    aOffsets: Int32Array,
    bOffsets: Int32Array,
    activation: NativeActivation | null,
  ): Promise<void>;
  /**
   * A strided gather (Slice, DepthToSpace, SpaceToDepth): output element (i_0, ..., i_r-1) of
   * `outShape` (rank >= 1) reads x at `base + sum_d i_d * inStrides[d]`; strides may be negative.
   */
  stridedCopy(x: Float32Array, out: Float32Array, outShape: Int32Array, inStrides: Int32Array, base: number): Promise<void>;
  /**
   * Reduce of x (of `shape`, rank >= 1) over the axes whose `reduced` flag is 1, into out (the kept
   * axes). `kind`: see REDUCE_KIND_CODE (src/dense/structural.ts). Accumulates in double.
   */
  reduce(x: Float32Array, out: Float32Array, shape: Int32Array, reduced: Int32Array, kind: number): Promise<void>;
}
