import { ShapeError, formatShape, sizeOf } from '@motiondelta/core';
import type { Tensor } from '@motiondelta/core';
import { requireInput } from '@motiondelta/core';
import type { KernelCall } from '@motiondelta/core';

/**
 * Reshape, Flatten, Squeeze, Unsqueeze and Identity: the data is unchanged in row-major order, so
 * the kernel copies it into the planned output shape (the planner already resolved 0, -1 and axes).
 * A copy, not a view, so that no backend caller can alias and mutate its input through the output.
 */
export function reshapeLikeKernel(call: KernelCall<'Reshape' | 'Flatten' | 'Squeeze' | 'Unsqueeze' | 'Identity'>): Tensor {
  const x = requireInput(call, 0, 'x');
  if (sizeOf(call.outputShape) !== x.data.length) {
    throw new ShapeError(
      `${call.op}: input ${formatShape(x.shape)} has ${x.data.length} values but the planned output shape ${formatShape(call.outputShape)} holds ${sizeOf(call.outputShape)}; the element count must not change.`,
    );
  }
  return { data: Float32Array.from(x.data), shape: call.outputShape };
}
