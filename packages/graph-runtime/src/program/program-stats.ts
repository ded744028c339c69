import type { EntryName, FrameResult, Step } from '@motiondelta/core';
import type { NodeStats } from '../session/session-stats.js';
import type { LoweredProgram, StepInfo } from './lowered-program.js';

/** Steps that only move data between a value's forms: never a node's own output. */
const BOOKKEEPING: ReadonlySet<Step['kind']> = new Set(['copy', 'sparsify', 'accumulate']);

/** The index of each node's last computing step in an entry: the one whose output is the node's. */
export function finalStepIndices(steps: readonly Step[]): Map<string, number> {
  const last = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!BOOKKEEPING.has(step.kind)) last.set(step.node, index);
  });
  return last;
}

/** Multiply-accumulates a step did: its dense count scaled by the share of its output it updated. */
export function stepMacs(info: StepInfo, active: number): number {
  if (active <= 0 || info.denseMacs === 0) return 0;
  return info.pixels > 0 ? (info.denseMacs * active) / info.pixels : 0;
}

/** What one run of an entry did, in the figures `stats()` reports. */
export interface EntryFigures {
  readonly macs: number;
  readonly denseMacs: number;
  readonly nodes: NodeStats[];
}

/**
 * Adds up a frame's statistics from the counters the executable returned: per node its MACs,
 * dense MACs and time over all its steps, and the share of its output pixels its last step
 * updated (1 on a keyframe, where every pixel is computed).
 */
export function entryFigures(lowered: LoweredProgram, entry: EntryName, result: FrameResult, opOf: (node: string) => string): EntryFigures {
  const steps = entry === 'keyframe' ? lowered.program.entries.keyframe : lowered.program.entries.frame!;
  const info = lowered.info[entry]!;
  const byNode = new Map<string, { macs: number; denseMacs: number; ms: number }>();
  let macs = 0;
  let denseMacs = 0;
  steps.forEach((step, i) => {
    const done = stepMacs(info[i]!, result.active[i]!);
    const entryOf = byNode.get(step.node) ?? { macs: 0, denseMacs: 0, ms: 0 };
    entryOf.macs += done;
    entryOf.denseMacs += info[i]!.denseMacs;
    entryOf.ms += result.ms[i]!;
    byNode.set(step.node, entryOf);
    macs += done;
    denseMacs += info[i]!.denseMacs;
  });
  const nodes: NodeStats[] = [];
  for (const [node, index] of finalStepIndices(steps)) {
    const totals = byNode.get(node)!;
    const active = result.active[index]!;
    const activeFraction = entry === 'keyframe' ? 1 : active <= 0 ? 0 : Math.min(1, active / Math.max(1, info[index]!.pixels));
    nodes.push({ name: node, op: opOf(node), macs: totals.macs, denseMacs: totals.denseMacs, activeFraction, ms: totals.ms });
  }
  return { macs, denseMacs, nodes };
}
