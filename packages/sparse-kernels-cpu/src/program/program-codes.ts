import type { Lifetime, StepKind, ValueKind } from '@motiondelta/core';

/**
 * The numbers a program is encoded with for the addon; they must match native/src/program_spec.h
 * (ValueKind, Lifetime, StepKind, DenseOp, LinearOp).
 */
export const VALUE_KIND_CODE = { tensor: 0, delta: 1 } as const satisfies Record<ValueKind, number>;

export const LIFETIME_CODE = { input: 0, constant: 1, frame: 2, stream: 3 } as const satisfies Record<Lifetime, number>;

export const STEP_KIND_CODE = {
  dense: 0,
  copy: 1,
  sparsify: 2,
  accumulate: 3,
  linear: 4,
  activation: 5,
  binary: 6,
  maxpool: 7,
  tiles: 8,
} as const satisfies Record<StepKind, number>;

/** How the native program computes a tiles step's rectangles (native/src/program_tiles_step.cc). */
export const TILE_FORM_CODE = { window: 0, pointwise: 1, whole: 2 } as const;

/** What a dense step computes natively (several IR ops share a kernel). */
export const DENSE_OP_CODE = {
  Conv2D: 0,
  ConvTranspose2D: 1,
  Pool2D: 2,
  GlobalAvgPool: 3,
  Activation: 4,
  BatchNorm: 5,
  Binary: 6,
  Concat: 7,
  Pad: 8,
  Resize: 9,
  MatMul: 10,
  Gemm: 11,
  Reshape: 12,
  Transpose: 13,
  Softmax: 14,
  Empty: 15,
  /** Folded into an earlier convolution's epilogue (fuse-conv-steps.ts): nothing runs. */
  Fused: 16,
  /** Slice, DepthToSpace, SpaceToDepth: a strided gather. */
  StridedCopy: 17,
  Reduce: 18,
} as const;

/** What a linear delta step computes natively. */
export const LINEAR_OP_CODE = {
  Conv2D: 0,
  ConvTranspose2D: 1,
  AvgPool2D: 2,
  GlobalAvgPool: 3,
  Scale: 4,
  AddDeltas: 5,
  Concat: 6,
  Resize: 7,
  Pad: 8,
} as const;
