/**
 * The operator set of the MotionDelta graph IR, with typed attributes.
 *
 * Layout rules, which every importer and backend follows:
 * - Four-dimensional feature maps are NHWC. Spatial attributes are in (height, width) order.
 * - Ops that take an `axis`, `axes` or a `perm` (Concat, Softmax, Reduce, Slice, Transpose, ...) interpret it on
 *   the tensor exactly as it is stored. Importers of NCHW formats rewrite axes, or insert
 *   Transpose nodes where an op has no NHWC equivalent.
 * - Weights of the convolution family are stored HWIO-like (see each op), so that an output pixel
 *   is a dot product over contiguous input channels.
 */

/** An elementwise activation, standalone (`Activation` op) or fused into a producer. */
export type ActivationSpec =
  | { readonly kind: 'relu' }
  /** `min(max(x, min), max)`; ReLU6 is `{ min: 0, max: 6 }`. */
  | { readonly kind: 'clip'; readonly min: number; readonly max: number }
  | { readonly kind: 'leakyRelu'; readonly alpha: number }
  /** `x >= 0 ? x : slope[c] * x`, with `slope` of length 1 or of the channel (last) dimension. */
  | { readonly kind: 'prelu'; readonly slope: Float32Array }
  | { readonly kind: 'sigmoid' }
  /** `max(0, min(1, alpha * x + beta))`. */
  | { readonly kind: 'hardSigmoid'; readonly alpha: number; readonly beta: number }
  /** `x * max(0, min(1, x / 6 + 0.5))`. */
  | { readonly kind: 'hardSwish' }
  | { readonly kind: 'tanh' }
  /** ELU: `x < 0 ? alpha * (exp(x) - 1) : x` (ONNX `Elu`, alpha 1 by default there). */
  | { readonly kind: 'elu'; readonly alpha: number }
  /**
   * SELU: `gamma * (x > 0 ? x : alpha * (exp(x) - 1))`; the self-normalising constants are
   * alpha = 1.6732632423543772, gamma = 1.0507009873554805 (ONNX and TensorFlow defaults).
   */
  | { readonly kind: 'selu'; readonly alpha: number; readonly gamma: number }
  /** CELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`, i.e. `x > 0 ? x : alpha * (exp(x / alpha) - 1)`. */
  | { readonly kind: 'celu'; readonly alpha: number }
  /** `log(1 + exp(x))`, evaluated as `x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))` so it never overflows. */
  | { readonly kind: 'softplus' }
  /** `x / (1 + |x|)`. */
  | { readonly kind: 'softsign' }
  /**
   * GELU. `approximate: 'none'`: `0.5 * x * (1 + erf(x / sqrt(2)))`; `'tanh'`:
   * `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` (ONNX `Gelu`'s `approximate`).
   */
  | { readonly kind: 'gelu'; readonly approximate: 'none' | 'tanh' }
  /** Swish: `x * sigmoid(alpha * x)`, computed as `x / (1 + exp(-alpha * x))`; SiLU is alpha = 1. */
  | { readonly kind: 'swish'; readonly alpha: number }
  /** `|x|`. */
  | { readonly kind: 'abs' }
  /** `-x`. */
  | { readonly kind: 'neg' }
  /** `exp(x)`. */
  | { readonly kind: 'exp' }
  /** Natural logarithm `log(x)`: -inf at 0, NaN below 0, as IEEE 754 gives. */
  | { readonly kind: 'log' }
  /** `sqrt(x)`: NaN below 0 (-0 stays -0). */
  | { readonly kind: 'sqrt' }
  /** `1 / x`: +-inf at +-0. */
  | { readonly kind: 'reciprocal' }
  /** The error function `erf(x) = 2 / sqrt(pi) * integral from 0 to x of exp(-t^2) dt`. */
  | { readonly kind: 'erf' }
  /** `floor(x)`: the largest integer <= x. */
  | { readonly kind: 'floor' }
  /** `ceil(x)`: the smallest integer >= x. */
  | { readonly kind: 'ceil' }
  /** `round(x)` to the nearest integer, halves to even (ONNX `Round`, TensorFlow `Round`): 2.5 -> 2, -1.5 -> -2. */
  | { readonly kind: 'round' }
  /**
   * `x ^ exponent` for a constant, finite exponent, with C `pow` semantics: a negative base to a
   * non-integer exponent is NaN; `0 ^ negative` is inf. `Square` is exponent 2.
   */
  | { readonly kind: 'pow'; readonly exponent: number };

export type ActivationKind = ActivationSpec['kind'];

/**
 * How spatial padding is decided. `explicit` uses `pads`; the `same-*` modes choose pads at
 * shape-inference time so that `out = ceil(in / stride)`, the odd pixel going to the end
 * (`same-upper`, TensorFlow's SAME) or the start (`same-lower`); `valid` pads nothing.
 */
export type AutoPad = 'explicit' | 'same-upper' | 'same-lower' | 'valid';

/** [top, left, bottom, right]. */
export type Pads2D = readonly [number, number, number, number];
export type Pair = readonly [number, number];

export interface Conv2DAttrs {
  /** Inputs: x [N,H,W,Cin], weight [kh, kw, Cin/groups, Cout], optional bias [Cout]. */
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations: Pair;
  readonly pads: Pads2D;
  readonly autoPad: AutoPad;
  readonly groups: number;
  readonly activation?: ActivationSpec;
}

export interface ConvTranspose2DAttrs {
  /** Inputs: x [N,H,W,Cin], weight [kh, kw, Cin, Cout/groups], optional bias [Cout]. */
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations: Pair;
  /** Cropped from the full transposed output: [top, left, bottom, right]. */
  readonly pads: Pads2D;
  /** Extra rows/columns added at the bottom/right of the output. */
  readonly outputPadding: Pair;
  readonly groups: number;
  readonly activation?: ActivationSpec;
}

export interface Pool2DAttrs {
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly pads: Pads2D;
  readonly autoPad: AutoPad;
  /** Output size rounds up instead of down (windows may start inside the end padding). */
  readonly ceilMode: boolean;
  /** Average pooling only: divide by the full window size, padding included. */
  readonly countIncludePad: boolean;
}

export type ResizeCoordinateMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nn';

export type ResizeNearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

export interface ResizeAttrs {
  /** Resizes H and W of an NHWC tensor. */
  readonly mode: 'nearest' | 'linear';
  readonly coordinateMode: ResizeCoordinateMode;
  readonly nearestMode: ResizeNearestMode;
  /** Output [H, W]; when absent, `scales` decides (output = floor(in * scale)). */
  readonly sizes?: Pair;
  readonly scales?: Pair;
}

export interface PadAttrs {
  /** Per axis: [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}], as in ONNX. */
  readonly pads: readonly number[];
  readonly mode: 'constant' | 'reflect' | 'edge';
  readonly value: number;
}

export interface GemmAttrs {
  /** Y = alpha * A' * B' + beta * C, A' = transA ? A^T : A. Inputs: A, B, optional C. */
  readonly alpha: number;
  readonly beta: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly activation?: ActivationSpec;
}

export interface BinaryAttrs {
  readonly activation?: ActivationSpec;
}

/**
 * What a `Reduce` computes over the reduced elements `x_i`: `mean`, `max`, `min`, `sum`, `prod`;
 * `l1` = sum |x_i|; `l2` = sqrt(sum x_i^2); `sumSquare` = sum x_i^2; `logSum` = log(sum x_i);
 * `logSumExp` = log(sum exp(x_i)),
 * computed with the maximum subtracted first. Over an empty set (an axis of length 0) the result is
 * the identity of the reduction: 0 for sums, 1 for `prod`, -inf for `max`, `logSum` and `logSumExp`, +inf
 * for `min`, NaN for `mean`.
 */
export type ReduceKind = 'mean' | 'max' | 'min' | 'sum' | 'prod' | 'l1' | 'l2' | 'sumSquare' | 'logSum' | 'logSumExp';

export interface ReduceAttrs {
  readonly kind: ReduceKind;
  /**
   * Axes reduced, on the tensor as stored (negative counts from the end; each at most once). An
   * empty list reduces nothing: every element is its own set (so `l2` gives |x|, `sumSquare` x^2).
   * Importers turn "every axis" (ONNX without axes) into the full list.
   */
  readonly axes: readonly number[];
  /** Reduced axes stay as length 1 (`true`), or are removed. */
  readonly keepDims: boolean;
}

/**
 * A strided window of a tensor, with ONNX Slice semantics on the tensor as stored: for each listed
 * axis, indices `start, start + step, ...` while before `end` (after it, for a negative step).
 * Negative starts and ends count from the end of the axis; both are then clamped to the axis
 * (`[0, dim]` for a positive step, `[-1, dim - 1]` for a negative one), so huge values mean "to the
 * end". Unlisted axes are kept whole.
 */
export interface SliceAttrs {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Same length as `starts`; distinct after normalization. */
  readonly axes: readonly number[];
  /** Same length as `starts`; non-zero. */
  readonly steps: readonly number[];
}

/**
 * DepthToSpace on NHWC: `y[n, h*b + i, w*b + j, c] = x[n, h, w, k]` with `C = Cin / b^2` and
 * `k = (i*b + j)*C + c` (`DCR`, TensorFlow's and ONNX's default) or `k = c*b^2 + i*b + j` (`CRD`,
 * PyTorch's PixelShuffle).
 */
export interface DepthToSpaceAttrs {
  readonly blockSize: number;
  readonly mode: 'DCR' | 'CRD';
}

/** Attributes of every op, by op name. */
export interface OpAttrs {
  Conv2D: Conv2DAttrs;
  ConvTranspose2D: ConvTranspose2DAttrs;
  MaxPool2D: Pool2DAttrs;
  AvgPool2D: Pool2DAttrs;
  /** NHWC -> [N,1,1,C]. */
  GlobalAvgPool: Record<string, never>;
  Activation: { readonly activation: ActivationSpec };
  /** Inputs: x, scale, bias, mean, variance, all per channel (last axis). */
  BatchNorm: { readonly epsilon: number };
  Add: BinaryAttrs;
  Sub: BinaryAttrs;
  Mul: BinaryAttrs;
  Div: BinaryAttrs;
  /** Elementwise maximum with numpy broadcasting (a NaN operand gives NaN). */
  Max: BinaryAttrs;
  /** Elementwise minimum with numpy broadcasting (a NaN operand gives NaN). */
  Min: BinaryAttrs;
  Concat: { readonly axis: number };
  Pad: PadAttrs;
  Resize: ResizeAttrs;
  /** Target shape; 0 copies the input dimension, -1 is inferred (ONNX rules). */
  Reshape: { readonly shape: readonly number[] };
  Transpose: { readonly perm: readonly number[] };
  Flatten: { readonly axis: number };
  Squeeze: { readonly axes: readonly number[] };
  Unsqueeze: { readonly axes: readonly number[] };
  /** Numpy-style batched matrix product. */
  MatMul: BinaryAttrs;
  Gemm: GemmAttrs;
  Softmax: { readonly axis: number };
  Identity: Record<string, never>;
  /** Reduction over some axes of a tensor of any rank (see {@link ReduceAttrs}). */
  Reduce: ReduceAttrs;
  Slice: SliceAttrs;
  /** NHWC [N,H,W,C*b^2] -> [N,H*b,W*b,C] (see {@link DepthToSpaceAttrs}). */
  DepthToSpace: DepthToSpaceAttrs;
  /** NHWC [N,H*b,W*b,C] -> [N,H,W,C*b^2], `y[n, h, w, (i*b + j)*C + c] = x[n, h*b + i, w*b + j, c]` (the inverse of DCR). */
  SpaceToDepth: { readonly blockSize: number };
}

export type OpName = keyof OpAttrs;

/** Every op name, for tables and exhaustive checks. */
export const OP_NAMES: readonly OpName[] = [
  'Conv2D',
  'ConvTranspose2D',
  'MaxPool2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Activation',
  'BatchNorm',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'Concat',
  'Pad',
  'Resize',
  'Reshape',
  'Transpose',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'MatMul',
  'Gemm',
  'Softmax',
  'Identity',
  'Reduce',
  'Slice',
  'DepthToSpace',
  'SpaceToDepth',
];

/** An op with its attributes, discriminated by `op`. */
export type OpCall = { [K in OpName]: { readonly op: K; readonly attrs: OpAttrs[K] } }[OpName];
