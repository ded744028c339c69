import { OptionError, type BlockPolicy } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import type { SessionOptions } from '../session/session-options.js';

/** Default side of a block in input pixels, as in BlockCopy. */
export const DEFAULT_BLOCK_SIZE = 128;

/**
 * Default scene-cut threshold: a frame whose mean absolute change from the previous frame is
 * over this fraction of the previous frame's mean magnitude runs as a keyframe. Camera motion and
 * moving objects change a few percent to about 20% of a frame's magnitude; a cut to another shot
 * changes half of it or more.
 */
export const DEFAULT_SCENE_CUT = 0.4;

/** Block mode's options, checked. */
export interface BlockOptions {
  readonly policy: BlockPolicy;
  readonly blockSize: number;
  readonly targetRate: number | undefined;
  readonly sceneCut: number;
  /** The graph input cut into blocks: the first NHWC (rank-4) input. */
  readonly image: string;
}

/**
 * Block mode's options from `createSession` options, checked before any backend is created.
 *
 * @throws OptionError for a missing or malformed policy (a policy name such as 'rl' is resolved by
 *   the `motiondelta` package, which builds the object), a block size that is not a whole number
 *   >= 1, a target rate outside [0, 1], a negative scene-cut threshold, or a model without an
 *   NHWC image input
 */
export function resolveBlockOptions(graph: Graph, options: SessionOptions): BlockOptions {
  const policy = options.policy as unknown;
  if (typeof policy === 'string') {
    throw new OptionError(
      `policy '${policy}' is a name; @motiondelta/graph-runtime takes a BlockPolicy object ({ name, decide(frame), observe?(feedback) }). ` +
        `The motiondelta package's createSession resolves policy names ('rl', 'threshold', 'random', 'all', 'none').`,
    );
  }
  if (typeof policy !== 'object' || policy === null || typeof (policy as BlockPolicy).decide !== 'function') {
    throw new OptionError(`mode 'block' needs a policy: an object with a decide(frame) method (a BlockPolicy), got ${describe(policy)}.`);
  }
  const { observe } = policy as BlockPolicy;
  if (observe !== undefined && typeof observe !== 'function') {
    throw new OptionError(`policy.observe must be a function when given, got ${describe(observe)}.`);
  }
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) {
    throw new OptionError(
      `blockSize must be a whole number of input pixels >= 1 (default ${DEFAULT_BLOCK_SIZE}), got ${describe(blockSize)}.`,
    );
  }
  const targetRate = options.targetRate;
  if (targetRate !== undefined && !(typeof targetRate === 'number' && targetRate >= 0 && targetRate <= 1)) {
    throw new OptionError(`targetRate must be a fraction of blocks in [0, 1], got ${describe(targetRate)}.`);
  }
  const sceneCut = options.sceneCut ?? DEFAULT_SCENE_CUT;
  if (!(typeof sceneCut === 'number' && sceneCut >= 0)) {
    throw new OptionError(
      `sceneCut must be a number >= 0 (Infinity turns scene-cut detection off; default ${DEFAULT_SCENE_CUT}), got ${describe(sceneCut)}.`,
    );
  }
  const image = graph.inputs.find((input) => input.shape.length === 4);
  if (!image) {
    const inputs = graph.inputs.map((i) => `'${i.name}' [${i.shape.map((d) => d ?? '?').join(',')}]`).join(', ');
    throw new OptionError(
      `mode 'block' cuts an NHWC image input into blocks; this model has no rank-4 input (inputs: ${inputs || 'none'}).`,
    );
  }
  return { policy: policy as BlockPolicy, blockSize, targetRate, sceneCut, image: image.name };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object without decide()';
  return String(value);
}
