import { UnsupportedOpError } from '@motiondelta/core';
import type {
  ActivationSpec,
  ActivationState,
  BinaryState,
  DeltaBuffer,
  DeltaKernels,
  LinearDeltaCall,
  MaxPoolState,
  Pool2DAttrs,
  Tensor,
} from '@motiondelta/core';
import { accumulate } from './accumulate.js';
import { activationDelta } from './activation-delta.js';
import { addSubDelta, expectOperandShape } from './add-sub-delta.js';
import { avgPool2dDelta } from './avg-pool2d-delta.js';
import { batchNormDelta } from './batch-norm-delta.js';
import { binaryDelta } from './binary-delta.js';
import { concatDelta } from './concat-delta.js';
import { convTranspose2dDelta } from './conv-transpose2d-delta.js';
import { conv2dDelta } from './conv2d-delta.js';
import { copyDelta } from './copy-delta.js';
import { DELTA_NODE, requireDelta } from './delta-inputs.js';
import { globalAvgPoolDelta } from './global-avg-pool-delta.js';
import { maxPoolDelta } from './max-pool-delta.js';
import { mulDivDelta } from './mul-div-delta.js';
import { padDelta } from './pad-delta.js';
import { resizeDelta } from './resize-delta.js';
import { sparsify } from './sparsify.js';

/**
 * The reference backend's `delta` mode kernels: plain loops whose work follows the active pixels,
 * each family in its own file and each agreeing with the dense reference kernel it mirrors (the
 * geometry helpers are the dense kernels' own). Like the dense oracle it validates every call.
 *
 * @example
 * ```ts
 * import { DeltaBuffer } from '@motiondelta/core';
 * import { ReferenceBackend } from '@motiondelta/reference-backend';
 * const kernels = new ReferenceBackend().delta;
 * const x = { data: new Float32Array([0, 1, 0, 0]), shape: [1, 2, 2, 1] };
 * const reference = new Float32Array(4);
 * const d = new DeltaBuffer([1, 2, 2, 1]);
 * kernels.sparsify(x, reference, 0, d); // d.count = 1: only pixel 1 changed
 * ```
 */
export class ReferenceDeltaKernels implements DeltaKernels {
  sparsify(x: Tensor, reference: Float32Array, threshold: number, out: DeltaBuffer): void {
    sparsify(x, reference, threshold, out);
  }

  accumulate(delta: DeltaBuffer, target: Float32Array): void {
    accumulate(delta, target);
  }

  linear(call: LinearDeltaCall, out: DeltaBuffer): void {
    switch (call.op) {
      case 'Conv2D':
        return conv2dDelta(call.attrs, call.inputs, out);
      case 'ConvTranspose2D':
        return convTranspose2dDelta(call.attrs, call.inputs, out);
      case 'AvgPool2D':
        return avgPool2dDelta(call.attrs, call.inputs, out);
      case 'GlobalAvgPool':
        return globalAvgPoolDelta(call.inputs, out);
      case 'Resize':
        return resizeDelta(call.attrs, call.inputs, out);
      case 'Pad':
        return padDelta(call.attrs, call.inputs, out);
      case 'Concat':
        return concatDelta(call.attrs, call.inputs, out);
      case 'Add':
      case 'Sub':
        return addSubDelta(call.op, call.inputs, out);
      case 'Mul':
      case 'Div':
        return mulDivDelta(call.op, call.inputs, out);
      case 'BatchNorm':
        return batchNormDelta(call.attrs, call.inputs, out);
      case 'Identity': {
        const x = requireDelta('Identity', call.inputs, 0, 'x');
        expectOperandShape('Identity', 'x', x, out);
        return copyDelta(x, 1, out);
      }
      default: {
        // Unreachable for typed callers; guards calls built by plain JavaScript or a newer spec.
        const unhandled: never = call;
        const op = String((unhandled as { readonly op: unknown }).op);
        throw new UnsupportedOpError(op, DELTA_NODE, 'the reference backend has no linear delta kernel for this op');
      }
    }
  }

  activation(delta: DeltaBuffer, activation: ActivationSpec, state: ActivationState, threshold: number, out: DeltaBuffer): void {
    activationDelta(delta, activation, state, threshold, out);
  }

  binary(
    op: 'Add' | 'Sub' | 'Mul' | 'Div',
    a: DeltaBuffer | Tensor,
    b: DeltaBuffer | Tensor,
    state: BinaryState,
    threshold: number,
    out: DeltaBuffer,
  ): void {
    binaryDelta(op, a, b, state, threshold, out);
  }

  maxPool(delta: DeltaBuffer, attrs: Pool2DAttrs, state: MaxPoolState, threshold: number, out: DeltaBuffer): void {
    maxPoolDelta(delta, attrs, state, threshold, out);
  }
}
