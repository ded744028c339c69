import { DeltaBuffer, UnsupportedOpError, formatShape } from '@motiondelta/core';
import type { BinaryState, Tensor } from '@motiondelta/core';
import { broadcastShape, broadcastStrides } from './broadcast.js';
import { NATIVE_DELTA_NODE, expectOutShape, expectStateSize, expectTensorSize } from './delta-checks.js';
import type { NativeDeltaAddon } from './native-delta-addon.js';
import type { NativeStart } from './native-linear.js';

const OP_CODES = { Add: 0, Sub: 1, Mul: 2, Div: 3 } as const;

/** Validates a binary delta call and prepares its native start (see NativeDeltaAddon.deltaBinary). */
export function nativeBinary(
  addon: NativeDeltaAddon,
  op: 'Add' | 'Sub' | 'Mul' | 'Div',
  a: DeltaBuffer | Tensor,
  b: DeltaBuffer | Tensor,
  state: BinaryState,
  threshold: number,
  out: DeltaBuffer,
): NativeStart {
  if (!(a instanceof DeltaBuffer) && !(b instanceof DeltaBuffer)) {
    throw new UnsupportedOpError(
      op,
      NATIVE_DELTA_NODE,
      'a binary delta op needs at least one varying (DeltaBuffer) operand; both are constant',
    );
  }
  const shape = broadcastShape(a.shape, b.shape);
  if (shape === undefined)
    throw new UnsupportedOpError(op, NATIVE_DELTA_NODE, `operands ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
  expectOutShape(op, out, shape);
  expectStateSize(op, 'emitted', state.emitted, out.shape);
  const operand = (role: 'A' | 'B', t: DeltaBuffer | Tensor, accumulated: Float32Array) => {
    if (t instanceof DeltaBuffer) {
      expectStateSize(op, `accumulated ${role}`, accumulated, t.shape);
      return { delta: t, data: accumulated, strides: broadcastStrides(op, t.shape, out.shape) };
    }
    expectTensorSize(op, `constant ${role}`, t);
    return { delta: null, data: t.data, strides: broadcastStrides(op, t.shape, out.shape) };
  };
  const pa = operand('A', a, state.accumulated[0]);
  const pb = operand('B', b, state.accumulated[1]);
  return () => addon.deltaBinary(OP_CODES[op], pa.delta, pa.data, pa.strides, pb.delta, pb.data, pb.strides, state.emitted, threshold, out);
}
