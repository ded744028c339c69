import type { OpCall } from './ops.js';
import type { Shape, Tensor } from './tensor.js';

/**
 * One dense kernel invocation: an op with its attributes, its inputs in the op's order (weights
 * included; `undefined` for an absent optional input) and the output shape the planner inferred.
 */
export type DenseKernelCall = OpCall & {
  readonly inputs: readonly (Tensor | undefined)[];
  readonly outputShape: Shape;
};

/**
 * What every backend implements. Delta kernels, state buffers and weight packing join this
 * interface with the delta mode; the dense kernels are the base every backend starts from.
 */
export interface Backend {
  /** Stable id users name in `backend: [...]` preferences, e.g. `reference`, `cpu-native`. */
  readonly id: string;
  /** Whether this backend has a kernel for the op (with these attributes). */
  supports(call: OpCall): boolean;
  /** Computes one op densely into a new tensor of `call.outputShape`. */
  runDense(call: DenseKernelCall): Tensor;
  /** Releases native or device resources; the backend is unusable afterwards. */
  dispose?(): void;
}
