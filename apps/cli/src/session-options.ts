import type { SessionOptions } from '@motiondelta/graph-runtime';

/** Modes the command offers. */
export type RunMode = 'dense' | 'delta' | 'motion';

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
}

/**
 * The `createSession` options for a mode: thresholds only in delta and motion modes, and a
 * default node threshold of 0 (delta equals dense) made explicit.
 *
 * @example
 * sessionOptionsFor({ mode: 'delta', backend: ['reference'], threshold: 0.05 });
 * // { mode: 'delta', backend: ['reference'], threshold: 0.05 }
 */
export function sessionOptionsFor(args: SessionArgs): SessionOptions {
  if (args.mode === 'dense') return { mode: 'dense', backend: args.backend };
  return {
    mode: args.mode,
    backend: args.backend,
    threshold: args.threshold ?? 0,
    ...(args.inputThreshold === undefined ? {} : { inputThreshold: args.inputThreshold }),
    ...(args.nodeThresholds === undefined || Object.keys(args.nodeThresholds).length === 0 ? {} : { nodeThresholds: args.nodeThresholds }),
  };
}
