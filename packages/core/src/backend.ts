import type { DeltaKernels } from './delta.js';
import type { ProgramCompiler } from './program/executable.js';
import type { MaybePromise } from './maybe-promise.js';
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
 * What every backend implements: the dense kernels, and optionally the delta kernel set.
 * State buffers are plain typed arrays owned by the executor; weight packing per backend comes
 * with the native backends.
 */
export interface Backend {
  /** Stable id users name in `backend: [...]` preferences, e.g. `reference`, `cpu-native`. */
  readonly id: string;
  /** Whether this backend has a kernel for the op (with these attributes). */
  supports(call: OpCall): boolean;
  /**
   * Computes one op densely into a new tensor of `call.outputShape`. A backend whose kernels run
   * on another thread returns a promise; callers always await.
   */
  runDense(call: DenseKernelCall): MaybePromise<Tensor>;
  /** The kernels of the `delta` mode; a backend without them runs only dense sessions. */
  readonly delta?: DeltaKernels;
  /**
   * Its own compiler of whole-frame programs (storage on its device, one dispatch per frame).
   * Without one, sessions run programs on the host, step by step through the kernels above.
   */
  readonly programs?: ProgramCompiler;
  /** Releases native or device resources; the backend is unusable afterwards. */
  dispose?(): void;
}
