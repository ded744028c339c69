import { OptionError } from '@motiondelta/core';
import type { BlockPolicyName } from 'motiondelta';
import type { RunMode } from '../session-options.js';
import type { BlockSettings } from './block-figures.js';

/** Defaults of `run --mode block`: BlockCopy's policy, block side and the 40% target. */
export const BLOCK_DEFAULTS = { policy: 'rl', targetRate: 0.4, blockSize: 128, seed: 1 } as const;

/** The block options of `motiondelta run`, as commander parsed them (already range-checked). */
export interface BlockArgs {
  readonly mode: RunMode;
  readonly policy?: BlockPolicyName;
  readonly target?: number;
  readonly blockSize?: number;
  readonly seed?: number;
}

/**
 * Block mode's settings with their defaults; undefined in other modes, where giving any block
 * option is an OptionError naming it (so a forgotten `--mode block` does not silently run dense).
 *
 * @example
 * ```ts
 * blockSettingsFor({ mode: 'block', target: 0.3 }); // { policy: 'rl', targetRate: 0.3, blockSize: 128, seed: 1 }
 * ```
 */
export function blockSettingsFor(args: BlockArgs): BlockSettings | undefined {
  if (args.mode !== 'block') {
    const given = (
      [
        ['--policy', args.policy],
        ['--target', args.target],
        ['--block-size', args.blockSize],
        ['--seed', args.seed],
      ] as const
    ).find(([, v]) => v !== undefined);
    if (given)
      throw new OptionError(
        `${given[0]} applies to --mode block only; it means nothing in ${args.mode} mode (add --mode block, or drop it).`,
      );
    return undefined;
  }
  return {
    policy: args.policy ?? BLOCK_DEFAULTS.policy,
    targetRate: args.target ?? BLOCK_DEFAULTS.targetRate,
    blockSize: args.blockSize ?? BLOCK_DEFAULTS.blockSize,
    seed: args.seed ?? BLOCK_DEFAULTS.seed,
  };
}
