import type { DeltaBuffer } from '@motiondelta/core';
import { expectStateSize } from './delta-inputs.js';

/** Densification: `target += delta` at the active pixels only. */
export function accumulate(delta: DeltaBuffer, target: Float32Array): void {
  expectStateSize('accumulate', 'target', target, delta.shape);
  const c = delta.channels;
  const { values, active } = delta;
  for (let i = 0; i < delta.count; i++) {
    const base = active[i]! * c;
    for (let ch = 0; ch < c; ch++) target[base + ch]! += values[base + ch]!;
  }
}
