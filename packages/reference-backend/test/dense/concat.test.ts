import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

describe('Concat (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.concat on every axis, negative axes included, with 1 to 4 inputs', () => {
    const rng = createRng(1001);
    for (let i = 0; i < 24; i++) {
      const rank = randomInt(rng, 1, 5);
      const shape = Array.from({ length: rank }, () => randomInt(rng, 1, 4));
      const axis = randomInt(rng, -rank, rank - 1);
      const positive = axis < 0 ? axis + rank : axis;
      const inputs = Array.from({ length: randomInt(rng, 1, 4) }, () =>
        randomTensor(
          rng,
          shape.map((d, k) => (k === positive ? randomInt(rng, 1, 3) : d)),
        ),
      );
      const expected = fromTf(tf.tidy(() => tf.concat(inputs.map(toTf), positive)));
      const actual = run({ op: 'Concat', attrs: { axis }, inputs, outputShape: expected.shape });
      expectClose(actual, expected, `concat of ${inputs.length} on axis ${axis} of rank ${rank}`);
    }
  });

  it('rejects inputs whose other dimensions differ', () => {
    const rng = createRng(1002);
    const a = randomTensor(rng, [1, 4, 4, 2]);
    const b = randomTensor(rng, [1, 4, 5, 3]);
    expect(() => run({ op: 'Concat', attrs: { axis: 3 }, inputs: [a, b], outputShape: [1, 4, 4, 5] })).toThrow(ShapeError);
  });
});
