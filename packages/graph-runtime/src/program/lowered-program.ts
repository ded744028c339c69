import type { EntryName, Program } from '@motiondelta/core';

/** What the session needs to know of a step beside the program: for statistics. */
export interface StepInfo {
  /** Multiply-accumulates of the step computed densely (0 for bookkeeping steps). */
  readonly denseMacs: number;
  /** Pixels of its output (N*H*W, or the elements of a non-NHWC tensor): what `active` counts are out of. */
  readonly pixels: number;
}

/** A program with, per entry and step, what statistics need. */
export interface LoweredProgram {
  readonly program: Program;
  readonly info: { readonly [E in EntryName]?: readonly StepInfo[] };
}

/** Pixels of a tensor of `shape`: N*H*W for NHWC, one per element otherwise (a row of pixels). */
export function pixelsOf(shape: readonly number[]): number {
  if (shape.length === 4) return shape[0]! * shape[1]! * shape[2]!;
  return shape.reduce((a, b) => a * b, 1);
}
