import type { ActivationSpec, ActivationState, DeltaBuffer } from '@motiondelta/core';
import { applyActivation } from '../activation.js';
import { expectOutShape, expectStateSize } from './delta-inputs.js';
import { emitWithTruncation } from './truncate.js';

const OP = 'Activation';

/**
 * A non-linear elementwise activation on deltas. At each active input pixel the accumulated
 * pre-activation takes the delta, the activation is re-evaluated with the dense kernel's own
 * `applyActivation` (per-channel PReLU slopes included), and the change against the last emitted
 * output goes out with truncation. Pixels without an input delta cannot change: untouched.
 */
export function activationDelta(
  delta: DeltaBuffer,
  activation: ActivationSpec,
  state: ActivationState,
  threshold: number,
  out: DeltaBuffer,
): void {
  expectOutShape(OP, out, delta.shape);
  expectStateSize(OP, 'accumulated', state.accumulated, delta.shape);
  expectStateSize(OP, 'emitted', state.emitted, delta.shape);
  out.clear();
  const c = delta.channels;
  const { accumulated } = state;
  const dv = delta.values;
  const ov = out.values;
  // One pixel's channels, so applyActivation sees a [1, C] tensor and indexes PReLU slopes by channel.
  const pixel = new Float32Array(c);
  for (let i = 0; i < delta.count; i++) {
    const p = delta.active[i]!;
    const base = p * c;
    for (let ch = 0; ch < c; ch++) {
      const a = accumulated[base + ch]! + dv[base + ch]!;
      accumulated[base + ch] = a;
      pixel[ch] = a;
    }
    applyActivation(pixel, c, activation);
    out.activate(p);
    ov.set(pixel, base);
  }
  emitWithTruncation(out, state.emitted, threshold);
}
