import type { BlockDecision, BlockFeedback, BlockGrid, BlockPolicy, BlockPolicyFrame } from '@motiondelta/core';

/** The blocks one frame ran, and the policy's probability per block when it gave them. */
export interface BlockGridRecord {
  readonly rows: number;
  readonly cols: number;
  readonly blockSize: number;
  /** Row-major, 1 = executed (every block on a keyframe, whatever the policy said). */
  readonly executed: Uint8Array;
  /** Row-major, the policy's probability of executing each block (absent for policies without one, and on keyframes). */
  readonly probabilities?: Float32Array;
}

/**
 * Wraps a policy to keep what the last frame ran for the report's block grids: the session tells
 * `observe` which blocks actually executed (all of them on a keyframe), which is what the picture
 * must show, and `decide` gives the probability map. Decisions and learning are the wrapped
 * policy's, untouched.
 *
 * @example
 * ```ts
 * const recording = new RecordingPolicy(createPolicy('rl', { targetRate: 0.4 }));
 * const session = await model.createSession({ mode: 'block', policy: recording });
 * await session.run(inputs);
 * console.log(recording.last?.executed);
 * ```
 */
export class RecordingPolicy implements BlockPolicy {
  readonly name: string;
  readonly #inner: BlockPolicy;
  #probabilities: { readonly index: number; readonly values: Float32Array } | undefined;
  #last: BlockGridRecord | undefined;

  constructor(inner: BlockPolicy) {
    this.#inner = inner;
    this.name = inner.name;
  }

  /** The policy this one wraps. */
  get inner(): BlockPolicy {
    return this.#inner;
  }

  /** The last frame the session reported back; undefined before the first. */
  get last(): BlockGridRecord | undefined {
    return this.#last;
  }

  async decide(frame: BlockPolicyFrame): Promise<BlockDecision> {
    const decision = await this.#inner.decide(frame);
    this.#probabilities = decision.probabilities ? { index: frame.index, values: new Float32Array(decision.probabilities) } : undefined;
    return decision;
  }

  async observe(feedback: BlockFeedback): Promise<void> {
    await this.#inner.observe?.(feedback);
    const grid: BlockGrid = feedback.grid;
    // The probabilities belong to this frame only when decide saw the same frame.
    const probabilities = this.#probabilities?.index === feedback.index ? this.#probabilities.values : undefined;
    this.#last = {
      rows: grid.rows,
      cols: grid.cols,
      blockSize: grid.blockSize,
      executed: new Uint8Array(feedback.executed),
      ...(probabilities && { probabilities }),
    };
  }

  reset(): void {
    this.#inner.reset?.();
    this.#probabilities = undefined;
    this.#last = undefined;
  }
}
