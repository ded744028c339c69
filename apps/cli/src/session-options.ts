import type { Model, SessionOptions } from '@motiondelta/graph-runtime';

/** Modes the command offers. */
export type RunMode = 'dense' | 'delta' | 'motion' | 'block';

/** What a session needs to know from the command line. */
export interface SessionArgs {
  readonly mode: RunMode;
  readonly backend: readonly string[];
  /** Node threshold of delta and motion modes (default 0: exact up to float rounding). */
  readonly threshold?: number;
  /** Input threshold of delta and motion modes; the runtime's default when absent. */
  readonly inputThreshold?: number;
  /** Per-node thresholds of delta and motion modes, by node name. */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
  /** Bytes a session may allocate (`memoryLimit` of createSession); the runtime's default when absent. */
  readonly memoryLimit?: number;
}

/**
 * The `createSession` options for a mode: thresholds only in delta and motion modes, and a
 * default node threshold of 0 (delta equals dense) made explicit. The command feeds frames as
 * `frameToTensor` gives them, NHWC, whatever the model's format: so `layout: 'nhwc'`.
 *
 * @example
 * sessionOptionsFor({ mode: 'delta', backend: ['reference'], threshold: 0.05 });
 * // { mode: 'delta', backend: ['reference'], layout: 'nhwc', threshold: 0.05 }
 */
export function sessionOptionsFor(args: SessionArgs): SessionOptions {
  const memory = args.memoryLimit === undefined ? {} : { memoryLimit: args.memoryLimit };
  if (args.mode === 'dense') return { mode: 'dense', backend: args.backend, layout: 'nhwc', ...memory };
  // Block mode's policy is made by the video session (`createVideoSession`); these options size its memory.
  if (args.mode === 'block') return { mode: 'block', backend: args.backend, layout: 'nhwc', ...memory };
  return {
    mode: args.mode,
    backend: args.backend,
    layout: 'nhwc',
    ...memory,
    threshold: args.threshold ?? 0,
    ...(args.inputThreshold === undefined ? {} : { inputThreshold: args.inputThreshold }),
    ...(args.nodeThresholds === undefined || Object.keys(args.nodeThresholds).length === 0 ? {} : { nodeThresholds: args.nodeThresholds }),
  };
}

/**
 * Refuses, before any frame is decoded, an input size that a session with any of `options` could
 * not hold within its memory limit (ResourceLimitError naming the largest tensor). Sessions would
 * only find out at their first frame, after the frame had been decoded and converted.
 *
 * @example
 * checkSessionMemory(model, 'input_1', [256, 256], [sessionOptionsFor({ mode: 'delta', backend: ['reference'] })]);
 */
export function checkSessionMemory(
  model: Model,
  inputName: string,
  size: readonly [number, number],
  options: readonly SessionOptions[],
): void {
  const shapes = { [inputName]: [1, size[0], size[1], 3] };
  for (const sessionOptions of options) model.checkMemory(shapes, sessionOptions);
}
