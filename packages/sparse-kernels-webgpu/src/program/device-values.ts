import { sizeOf, type Program, type Tensor } from '@motiondelta/core';
import type { GpuContext } from '../gpu/gpu-context.js';
import { tileCount } from '../kernels/active-tiles.js';

/** Where a program value lives on the device: a tensor buffer, or a delta's values and mask. */
export type DeviceValue =
  | { readonly kind: 'tensor'; readonly buffer: GPUBuffer; readonly elements: number; readonly owned: boolean }
  | {
      readonly kind: 'delta';
      readonly values: GPUBuffer;
      readonly mask: GPUBuffer;
      /** `[count, tile, ...]`: its active tiles, listed by the steps that read it. */
      readonly tiles: GPUBuffer;
      /** Indirect dispatch arguments of a kernel over its active tiles. */
      readonly args: GPUBuffer;
      /** Indirect dispatch arguments of the step writing it (empty when none of that step's inputs changed). */
      readonly gate: GPUBuffer;
      readonly elements: number;
      readonly pixels: number;
    };

/**
 * Allocates every value of a program once: constants uploaded (shared through the context's cache),
 * inputs, frame and stream values and deltas from the context's pool. Returned to the pool by
 * {@link releaseDeviceValues}.
 */
export function allocateDeviceValues(ctx: GpuContext, program: Program, constants: ReadonlyMap<string, Tensor>): DeviceValue[] {
  return program.values.map((v): DeviceValue => {
    const elements = sizeOf(v.shape);
    if (v.kind === 'delta') {
      const pixels = v.shape[0]! * v.shape[1]! * v.shape[2]!;
      return {
        kind: 'delta',
        values: ctx.acquire(elements * 4),
        mask: ctx.acquire(pixels * 4),
        tiles: ctx.acquire(4 * (1 + tileCount(pixels))),
        args: ctx.acquire(12),
        gate: ctx.acquire(12),
        elements,
        pixels,
      };
    }
    if (v.lifetime === 'constant') {
      const c = constants.get(v.name)!;
      return { kind: 'tensor', buffer: ctx.constant(c.data), elements, owned: false };
    }
    return { kind: 'tensor', buffer: ctx.acquire(elements * 4), elements, owned: true };
  });
}

/** Returns a program's buffers to the pool (constants stay cached in the context). */
export function releaseDeviceValues(ctx: GpuContext, values: readonly DeviceValue[]): void {
  for (const v of values) {
    if (v.kind === 'delta') {
      for (const b of [v.values, v.mask, v.tiles, v.args, v.gate]) ctx.release(b);
    } else if (v.owned) ctx.release(v.buffer);
  }
}
