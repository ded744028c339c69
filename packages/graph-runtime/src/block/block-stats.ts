import type { EntryName, FrameResult } from '@motiondelta/core';
import type { FrameStats, NodeStats } from '../session/session-stats.js';
import type { BlockProgram } from './lower-block.js';

/** One frame of a block session: the common figures and the block decisions it ran with. */
export interface BlockFrameStats extends FrameStats {
  /** Blocks recomputed this frame (every block on a keyframe). */
  readonly executedBlocks: number;
  /** Blocks in the frame's grid. */
  readonly totalBlocks: number;
  /** `executedBlocks / totalBlocks`. */
  readonly executedFraction: number;
  /** Milliseconds in the policy: its `decide` before the frame and its `observe` after it. */
  readonly policyMs: number;
  /** The session's `targetRate`, when it has one. */
  readonly targetRate?: number | undefined;
}

/** What the steps of a block frame did, in the figures `stats()` reports. */
export interface BlockFigures {
  readonly macs: number;
  readonly denseMacs: number;
  readonly nodes: NodeStats[];
}

/**
 * MACs and per-node figures of a block frame from the executable's counters. A `tiles` step
 * computed by window or pointwise rectangles did its node's dense MACs times the share of the map
 * it updated (the halos are read, not computed); one of `whole` form computed the whole op (when it
 * updated anything); a global node's `dense` step did all of its MACs unless the host skipped it
 * (none of its inputs changed). A keyframe does every node densely.
 */
export function blockFigures(program: BlockProgram, entry: EntryName, result: FrameResult, opOf: (node: string) => string): BlockFigures {
  const steps = entry === 'keyframe' ? program.program.entries.keyframe : program.program.entries.frame!;
  const info = program.info[entry]!;
  let macs = 0;
  let denseMacs = 0;
  const nodes = steps.map((step, i): NodeStats => {
    const { denseMacs: full, pixels } = info[i]!;
    const active = result.active[i]!;
    const share = entry === 'keyframe' ? 1 : active <= 0 ? 0 : Math.min(1, active / Math.max(1, pixels));
    const form = program.forms[i]!;
    const done = entry === 'keyframe' ? full : form === 'window' || form === 'pointwise' ? full * share : active > 0 ? full : 0;
    macs += done;
    denseMacs += full;
    return { name: step.node, op: opOf(step.node), macs: done, denseMacs: full, activeFraction: share, ms: result.ms[i]! };
  });
  return { macs, denseMacs, nodes };
}
