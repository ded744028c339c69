import type { BlockRunInfo } from './block-figures.js';

const rate = (r: number | undefined): string => (r === undefined ? '- (one frame)' : r.toFixed(3));

/**
 * The rows block mode adds to the summary table: execution rate against target and policy time.
 *
 * @example
 * ```ts
 * table.push(...blockRows(summary.block));
 * ```
 */
export function blockRows(info: BlockRunInfo): Record<string, string>[] {
  return [
    { 'executed fraction (mean)': `${rate(info.meanRate)} (target ${info.targetRate}; first frame left out)` },
    { [`executed fraction (last ${info.rateWindowFrames} frames)`]: rate(info.lastRate) },
    {
      'policy ms/frame': `${info.policyMs.toFixed(2)} (${(info.policyShare * 100).toFixed(1)}% of the mode's time${info.policyBackend ? `; forward on ${info.policyBackend}` : ''})`,
    },
  ];
}
