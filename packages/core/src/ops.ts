/**
 * The operator set of the MotionDelta graph IR, with typed attributes.
 *
 * Layout rules, which every importer and backend follows:
 * - Four-dimensional feature maps are NHWC. Spatial attributes are in (height, width) order.
 * - Ops that take an `axis` or a `perm` (Concat, Softmax, Transpose, Reshape, ...) interpret it on
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
  | { readonly kind: 'tanh' };

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
];

/** An op with its attributes, discriminated by `op`. */
export type OpCall = { [K in OpName]: { readonly op: K; readonly attrs: OpAttrs[K] } }[OpName];
