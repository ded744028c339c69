import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

function randomPerm(rng: { next(): number }, rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  for (let i = rank - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm;
}

describe('Transpose (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.transpose for random permutations of ranks 1 to 6', () => {
    const rng = createRng(1101);
    for (let i = 0; i < 30; i++) {
      const rank = randomInt(rng, 1, 6);
      const x = randomTensor(
        rng,
        Array.from({ length: rank }, () => randomInt(rng, 1, 4)),
      );
      const perm = randomPerm(rng, rank);
      const expected = fromTf(tf.tidy(() => tf.transpose(toTf(x), perm)));
      const actual = run({ op: 'Transpose', attrs: { perm }, inputs: [x], outputShape: expected.shape });
      expectClose(actual, expected, `transpose [${x.shape.join(',')}] by [${perm.join(',')}]`);
    }
  });

  it('rejects a perm that is not a permutation', () => {
    const x = randomTensor(createRng(1102), [2, 3, 4]);
    expect(() => run({ op: 'Transpose', attrs: { perm: [0, 0, 2] }, inputs: [x], outputShape: [2, 2, 4] })).toThrow(ShapeError);
  });
});
