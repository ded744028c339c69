import { beforeAll, describe, it } from 'vitest';
import { createRng, randomInt } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

describe('Softmax (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.softmax along any axis (moved last for tfjs), including large logits', () => {
    const rng = createRng(1201);
    for (let i = 0; i < 20; i++) {
      const rank = randomInt(rng, 1, 4);
      const x = randomTensor(
        rng,
        Array.from({ length: rank }, () => randomInt(rng, 1, 6)),
        -50,
        50,
      );
      const axis = randomInt(rng, -rank, rank - 1);
      const positive = axis < 0 ? axis + rank : axis;
      // tfjs softmax works on the last axis only: swap `axis` with the last one and back.
      const perm = Array.from({ length: rank }, (_, k) => (k === positive ? rank - 1 : k === rank - 1 ? positive : k));
      const expected = fromTf(tf.tidy(() => tf.transpose(tf.softmax(tf.transpose(toTf(x), perm)), perm)));
      const actual = run({ op: 'Softmax', attrs: { axis }, inputs: [x], outputShape: x.shape });
      expectClose(actual, expected, `softmax [${x.shape.join(',')}] axis ${axis}`);
    }
  });
});
