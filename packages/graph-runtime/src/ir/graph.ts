import type { IntTensor, OpAttrs, OpName, Tensor } from '@motiondelta/core';

/**
 * One node of the graph IR. `name` is stable across imports of the same file (it comes from the
 * model's own node names, made unique), so thresholds and statistics can be keyed by it.
 * `inputs` and `outputs` name values; an absent optional input is the empty string.
 */
export type GraphNode = {
  [K in OpName]: {
    readonly name: string;
    readonly op: K;
    readonly attrs: OpAttrs[K];
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
  };
}[OpName];

/** A graph input or output. Dimensions unknown until a session sees real inputs are `null`. */
export interface ValueInfo {
  readonly name: string;
  /** NHWC for images. */
  readonly shape: readonly (number | null)[];
  /**
   * What a caller passes: a Float32Array for `float32`; an Int32Array or a Uint8Array for an input
   * the model declares as `int32` or `uint8` (TF.js models that take raw pixel values). Inside the
   * graph every value is float32: integer inputs are converted as they are copied in, as the
   * model's own Cast to float would (exact up to 2^24). Outputs are always `float32`.
   */
  readonly dtype: InputDtype;
  /**
   * `'nchw'` when MotionDelta holds this value NHWC while the model file declares it NCHW: the
   * 4-D image inputs of ONNX models and their feature-map outputs (transpose with perm
   * [0, 3, 1, 2] to get the model's own order). Absent when the value is in the file's own order
   * (TF.js models, and ONNX outputs after a Reshape, MatMul or Transpose, which have no NHWC form).
   */
  readonly transposedFrom?: 'nchw';
}

/** The element types a graph input may declare; see {@link ValueInfo.dtype}. */
export type InputDtype = 'float32' | 'int32' | 'uint8';

/**
 * A tensor passed to `session.run`: NHWC, its data a Float32Array, or an Int32Array / Uint8Array
 * for an input whose {@link ValueInfo.dtype} is `int32` / `uint8`.
 */
export type InputTensor =
  | { readonly data: Float32Array | Int32Array | Uint8Array; readonly shape: readonly number[] }
  /** An onnxruntime tensor (`new ort.Tensor('float32', data, dims)`): `dims` is the shape, `type` must be the input's dtype. */
  | { readonly data: Float32Array | Int32Array | Uint8Array; readonly dims: readonly number[]; readonly type?: string };

/** Where a model came from, for messages and reports. */
export interface GraphSource {
  readonly format: 'onnx' | 'tfjs-graph' | 'tfjs-layers';
  /** File path, or '<bytes>' when loaded from memory. */
  readonly location: string;
}

/**
 * A model as MotionDelta sees it: NHWC, weights as float32 constants, nodes in topological order.
 */
export interface Graph {
  readonly source: GraphSource;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly GraphNode[];
  /** Float constants (weights, biases, broadcast operands), by value name. */
  readonly constants: ReadonlyMap<string, Tensor>;
  /** Integer constants still referenced by nodes (rare after import; shapes are folded into attrs). */
  readonly intConstants: ReadonlyMap<string, IntTensor>;
}

/** Builds a node with its op and attributes checked against each other by the compiler. */
export function makeNode<K extends OpName>(
  name: string,
  op: K,
  attrs: OpAttrs[K],
  inputs: readonly string[],
  outputs: readonly string[],
): GraphNode {
  return { name, op, attrs, inputs, outputs } as GraphNode;
}
