import { createRng, uniform, type BlockFeedback, type BlockPolicy, type BlockPolicyFrame } from '@motiondelta/core';

/** Executes every block: block mode must then equal dense inference. */
export function executeAll(): BlockPolicy {
  return { name: 'all', decide: ({ grid }) => ({ execute: new Uint8Array(grid.rows * grid.cols).fill(1) }) };
}

/** Copies every block: after the first frame nothing may change. */
export function executeNone(): BlockPolicy {
  return { name: 'none', decide: ({ grid }) => ({ execute: new Uint8Array(grid.rows * grid.cols) }) };
}

/** The same mask every frame. */
export function fixedMask(mask: readonly number[]): BlockPolicy {
  return { name: 'fixed', decide: () => ({ execute: Uint8Array.from(mask) }) };
}

/** Each block executed with probability `rate`, from a seeded generator; remembers what it saw. */
export class SeededRandomPolicy implements BlockPolicy {
  readonly name = 'seeded-random';
  readonly decided: Uint8Array[] = [];
  readonly frames: BlockPolicyFrame[] = [];
  readonly feedback: BlockFeedback[] = [];
  resets = 0;
  readonly #rng: ReturnType<typeof createRng>;
  readonly #rate: number;

  constructor(seed: number, rate: number) {
    this.#rng = createRng(seed);
    this.#rate = rate;
  }

  decide(frame: BlockPolicyFrame): { execute: Uint8Array } {
    this.frames.push(frame);
    const execute = Uint8Array.from({ length: frame.grid.rows * frame.grid.cols }, () => (uniform(this.#rng, 0, 1) < this.#rate ? 1 : 0));
    this.decided.push(execute);
    return { execute };
  }

  observe(feedback: BlockFeedback): void {
    this.feedback.push(feedback);
  }

  reset(): void {
    this.resets++;
  }
}
