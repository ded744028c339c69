import { OptionError, type Shape, type StepKind } from '@motiondelta/core';
import { blockMemory, planBlockWithin } from '../block/block-memory.js';
import { resolveBlockOptions } from '../block/block-options.js';
import { BlockSession } from '../block/block-session.js';
import { deltaMemory, planDeltaWithin } from '../delta/delta-memory.js';
import { DeltaSession } from '../delta/delta-session.js';
import { checkRefreshOptions } from '../delta/input-refresh.js';
import { resolveThresholds } from '../delta/resolve-thresholds.js';
import type { Graph } from '../ir/graph.js';
import { motionMemory, planMotionWithin } from '../motion/motion-memory.js';
import { MotionSession } from '../motion/motion-session.js';
import { DenseSession } from './dense-session.js';
import { denseMemory, planDenseWithin, type MemoryEstimate } from './memory-budget.js';
import type { Session } from './session.js';
import type { SessionContext } from './session-core.js';
import type { SessionMode, SessionOptions } from './session-options.js';

/**
 * A mode sessions can run in: the step kinds a backend must be able to run for it, how to create
 * its session, and what a session of it would allocate for an input shape. Adding a mode is
 * adding one of these (and its session class), nowhere else.
 */
export interface ModeDefinition {
  readonly name: SessionMode;
  /** Step kinds a backend must run (with its own compiler or through its kernels); others are skipped, naming the step. */
  readonly stepKinds: readonly StepKind[];
  /** Checks the mode's own options before any backend is created (throws OptionError). */
  checkOptions(graph: Graph, options: SessionOptions): void;
  /** Creates the session on the chosen backend (its options already checked). */
  create(context: SessionContext, options: SessionOptions): Session;
  /** What a session with these options would allocate for frames of these shapes (throws ResourceLimitError over `limit`). */
  estimate(graph: Graph, shapes: Readonly<Record<string, Shape>>, options: SessionOptions, limit: number): MemoryEstimate;
}

/** What delta and motion sessions run (motion through the delta kernels). */
const DELTA_STEP_KINDS: readonly StepKind[] = ['sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool'];

const DENSE: ModeDefinition = {
  name: 'dense',
  stepKinds: ['dense'],
  checkOptions: () => undefined,
  create: (context) => new DenseSession(context),
  estimate: (graph, shapes, _options, limit) => denseMemory(planDenseWithin(graph, shapes, limit)),
};

const DELTA: ModeDefinition = {
  name: 'delta',
  stepKinds: ['dense', 'copy', ...DELTA_STEP_KINDS],
  checkOptions: (graph, options) => {
    resolveThresholds(graph, options);
    checkRefreshOptions(options.refresh, options.keyframeInterval);
  },
  create: (context, options) =>
    new DeltaSession(context, resolveThresholds(context.graph, options), options.sceneCut, {
      ...(options.refresh !== undefined && { refresh: options.refresh }),
      ...(options.keyframeInterval !== undefined && { keyframeInterval: options.keyframeInterval }),
    }),
  estimate: (graph, shapes, options, limit) => deltaMemory(planDeltaWithin(graph, shapes, resolveThresholds(graph, options), limit)),
};

const MOTION: ModeDefinition = {
  name: 'motion',
  stepKinds: DELTA_STEP_KINDS,
  checkOptions: (graph, options) => void resolveThresholds(graph, options),
  create: (context, options) =>
    new MotionSession(context, resolveThresholds(context.graph, options), options.reanchor, options.alignTolerance, {
      ...(options.warp !== undefined && { warp: options.warp }),
      ...(options.sceneCut !== undefined && { sceneCut: options.sceneCut }),
    }),
  estimate: (graph, shapes, options, limit) => motionMemory(planMotionWithin(graph, shapes, resolveThresholds(graph, options), limit)),
};

const BLOCK: ModeDefinition = {
  name: 'block',
  stepKinds: ['dense', 'tiles'],
  checkOptions: (graph, options) => void resolveBlockOptions(graph, options),
  create: (context, options) => new BlockSession(context, resolveBlockOptions(context.graph, options)),
  estimate: (graph, shapes, _options, limit) => blockMemory(planBlockWithin(graph, shapes, limit)),
};

const MODES = new Map<string, ModeDefinition>([DENSE, DELTA, MOTION, BLOCK].map((m) => [m.name, m]));

/** Every mode sessions can run in, in registration order. */
export function sessionModes(): SessionMode[] {
  return [...MODES.keys()] as SessionMode[];
}

/**
 * The definition of a mode, by name.
 *
 * @throws OptionError for a name that is not a mode, listing the modes
 */
export function modeNamed(name: unknown): ModeDefinition {
  const mode = typeof name === 'string' ? MODES.get(name) : undefined;
  if (!mode) throw new OptionError(`Unknown mode '${String(name)}'; available modes: ${sessionModes().join(', ')}.`);
  return mode;
}
