import { OP_NAMES, UnsupportedOpError } from '@motiondelta/core';
import type { Backend, DenseKernelCall, OpCall, Tensor } from '@motiondelta/core';
import { activationKernel } from './activation.js';
import { batchNormKernel } from './batch-norm.js';
import { broadcastBinaryKernel } from './broadcast-binary.js';
import { concatKernel } from './concat.js';
import { depthSpaceKernel } from './depth-space.js';
import { convTranspose2dKernel } from './conv-transpose2d.js';
import { ReferenceDeltaKernels } from './delta/reference-delta-kernels.js';
import { conv2dKernel } from './conv2d.js';
import { gemmKernel } from './gemm.js';
import { globalAvgPoolKernel } from './global-avg-pool.js';
import { matmulKernel } from './matmul.js';
import { padKernel } from './pad.js';
import { avgPool2dKernel, maxPool2dKernel } from './pool2d.js';
import { reduceKernel } from './reduce.js';
import { reshapeLikeKernel } from './reshape.js';
import { resizeKernel } from './resize.js';
import { sliceKernel } from './slice.js';
import { softmaxKernel } from './softmax.js';
import { transposeKernel } from './transpose.js';

/**
 * The pure-TypeScript backend: plain float32 loops with float64 accumulation, no dependencies.
 * It is the correctness oracle every other backend is compared with, so it favours clarity and
 * exact spec semantics over speed, and validates every call it receives.
 *
 * @example
 * ```ts
 * import { ReferenceBackend } from '@motiondelta/reference-backend';
 * const backend = new ReferenceBackend();
 * const y = backend.runDense({
 *   op: 'Activation', attrs: { activation: { kind: 'relu' } },
 *   inputs: [{ data: new Float32Array([-1, 2]), shape: [2] }], outputShape: [2],
 * }); // y.data = [0, 2]
 * ```
 */
export class ReferenceBackend implements Backend {
  readonly id = 'reference';
  /** The `delta` mode kernels, with the same exact-semantics-first priorities as the dense ones. */
  readonly delta: ReferenceDeltaKernels = new ReferenceDeltaKernels();

  /** Every op of the IR, with every attribute combination the spec types allow. */
  supports(call: OpCall): boolean {
    return OP_NAMES.includes(call.op);
  }

  runDense(call: DenseKernelCall): Tensor {
    switch (call.op) {
      case 'Conv2D':
        return conv2dKernel(call);
      case 'ConvTranspose2D':
        return convTranspose2dKernel(call);
      case 'MaxPool2D':
        return maxPool2dKernel(call);
      case 'AvgPool2D':
        return avgPool2dKernel(call);
      case 'GlobalAvgPool':
        return globalAvgPoolKernel(call);
      case 'Activation':
        return activationKernel(call);
      case 'BatchNorm':
        return batchNormKernel(call);
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'Max':
      case 'Min':
        return broadcastBinaryKernel(call);
      case 'Concat':
        return concatKernel(call);
      case 'Pad':
        return padKernel(call);
      case 'Resize':
        return resizeKernel(call);
      case 'Reshape':
      case 'Flatten':
      case 'Squeeze':
      case 'Unsqueeze':
      case 'Identity':
        return reshapeLikeKernel(call);
      case 'Transpose':
        return transposeKernel(call);
      case 'MatMul':
        return matmulKernel(call);
      case 'Gemm':
        return gemmKernel(call);
      case 'Softmax':
        return softmaxKernel(call);
      case 'Reduce':
        return reduceKernel(call);
      case 'Slice':
        return sliceKernel(call);
      case 'DepthToSpace':
      case 'SpaceToDepth':
        return depthSpaceKernel(call);
      default: {
        // Unreachable for typed callers; guards calls built by plain JavaScript or a newer spec.
        const unhandled: never = call;
        const op = String((unhandled as { readonly op: unknown }).op);
        throw new UnsupportedOpError(op, '(reference backend call)', 'the reference backend has no kernel for this op');
      }
    }
  }
}
