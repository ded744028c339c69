import { OP_NAMES, UnsupportedOpError, type OpName } from '@motiondelta/core';
import { planConv2d, planConvTranspose2d } from './conv2d.js';
import { planActivation, planBatchNorm, planBinary } from './elementwise.js';
import type { KernelPlan, ShapedCall } from './kernel-plan.js';
import { planConcat, planCopy, planDepthSpace, planPad, planSlice, planTranspose } from './layout.js';
import { planGemm, planMatMul } from './matrix.js';
import { planGlobalAvgPool, planPool2d } from './pool2d.js';
import { planReduce, planSoftmax } from './reduce.js';
import { planResize } from './resize.js';

/** The ops this backend has WGSL kernels for: every op of the IR. */
export const WEBGPU_DENSE_OPS: ReadonlySet<OpName> = new Set<OpName>(OP_NAMES);

/**
 * The dispatch computing a dense op call.
 *
 * @throws UnsupportedOpError for an op outside {@link WEBGPU_DENSE_OPS}; ShapeError for shapes
 *   that do not fit the op (checked before anything is allocated)
 */
export function planDense(call: ShapedCall): KernelPlan {
  switch (call.op) {
    case 'Conv2D':
      return planConv2d(call);
    case 'ConvTranspose2D':
      return planConvTranspose2d(call);
    case 'MaxPool2D':
    case 'AvgPool2D':
      return planPool2d(call);
    case 'GlobalAvgPool':
      return planGlobalAvgPool(call);
    case 'Activation':
      return planActivation(call);
    case 'BatchNorm':
      return planBatchNorm(call);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min':
      return planBinary(call);
    case 'Concat':
      return planConcat(call);
    case 'Pad':
      return planPad(call);
    case 'Resize':
      return planResize(call);
    case 'Reshape':
    case 'Flatten':
    case 'Squeeze':
    case 'Unsqueeze':
    case 'Identity':
      return planCopy(call);
    case 'Transpose':
      return planTranspose(call);
    case 'Slice':
      return planSlice(call);
    case 'DepthToSpace':
    case 'SpaceToDepth':
      return planDepthSpace(call);
    case 'MatMul':
      return planMatMul(call);
    case 'Gemm':
      return planGemm(call);
    case 'Softmax':
      return planSoftmax(call);
    case 'Reduce':
      return planReduce(call);
    default: {
      // Unreachable for the IR's ops; an op added to the IR later lands here until it has a kernel.
      const op = (call as { op: string }).op;
      throw new UnsupportedOpError(op, 'webgpu', `no WGSL kernel; the webgpu backend runs ${[...WEBGPU_DENSE_OPS].join(', ')}`);
    }
  }
}
