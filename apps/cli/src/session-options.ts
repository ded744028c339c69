import type { SessionOptions } from '@motiondelta/graph-runtime';

/** Modes the command offers. */
export type RunMode = 'dense' | 'delta';

/** What a session needs to know from the command line. */
export interface SessionArgs {
  readonly mode: RunMode;
  readonly backend: readonly string[];
  /** Node threshold of delta mode (default 0: exact up to float rounding). */
  readonly threshold?: number;
  /** Input threshold of delta mode; the runtime's default when absent. */
  readonly inputThreshold?: number;
  /** Per-node thresholds of delta mode, by node name. */
  readonly nodeThresholds?: Readonly<Record<string, number>>;
}

/**
 * The `createSession` options for a mode. Kept in one place because graph-runtime's
 * `SessionOptions` type does not list `delta` and its thresholds yet: when it does, the cast below
 * is the only line to drop.
 *
 * @example
 * sessionOptionsFor({ mode: 'delta', backend: ['reference'], threshold: 0.05 });
 * // { mode: 'delta', backend: ['reference'], threshold: 0.05 }
 */
export function sessionOptionsFor(args: SessionArgs): SessionOptions {
  if (args.mode === 'dense') return { mode: 'dense', backend: args.backend };
  const delta = {
    mode: 'delta',
    backend: args.backend,
    threshold: args.threshold ?? 0,
    ...(args.inputThreshold === undefined ? {} : { inputThreshold: args.inputThreshold }),
    ...(args.nodeThresholds === undefined || Object.keys(args.nodeThresholds).length === 0 ? {} : { nodeThresholds: args.nodeThresholds }),
  };
  // The delta fields are not in SessionOptions yet; the runtime validates the mode itself.
  return delta as unknown as SessionOptions;
}
