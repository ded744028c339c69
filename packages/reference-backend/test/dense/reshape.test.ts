import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

describe('Reshape / Flatten / Squeeze / Unsqueeze / Identity (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.reshape and returns a copy in the planned shape', () => {
    const rng = createRng(1301);
    const cases: { op: 'Reshape' | 'Flatten' | 'Squeeze' | 'Unsqueeze' | 'Identity'; from: Shape; to: Shape }[] = [
      { op: 'Reshape', from: [2, 3, 4, 5], to: [6, 20] },
      { op: 'Flatten', from: [2, 1, 1, 7], to: [2, 7] },
      { op: 'Squeeze', from: [1, 1, 1, 9], to: [1, 9] },
      { op: 'Unsqueeze', from: [4, 3], to: [4, 1, 3, 1] },
      { op: 'Identity', from: [3, 2, 2], to: [3, 2, 2] },
    ];
    for (const c of cases) {
      const x = randomTensor(rng, c.from);
      const expected = fromTf(tf.tidy(() => tf.reshape(toTf(x), [...c.to])));
      const attrs =
        c.op === 'Reshape'
          ? { shape: c.to }
          : c.op === 'Flatten'
            ? { axis: 1 }
            : c.op === 'Squeeze'
              ? { axes: [1] }
              : c.op === 'Unsqueeze'
                ? { axes: [1, 3] }
                : {};
      const actual = run({ op: c.op, attrs, inputs: [x], outputShape: c.to } as Parameters<typeof run>[0]);
      expectClose(actual, expected, `${c.op} [${c.from.join(',')}] -> [${c.to.join(',')}]`);
      expect(actual.data).not.toBe(x.data);
    }
  });

  it('rejects an output shape with a different element count', () => {
    const x = randomTensor(createRng(1302), [2, 3]);
    expect(() => run({ op: 'Reshape', attrs: { shape: [4, 2] }, inputs: [x], outputShape: [4, 2] })).toThrow(ShapeError);
  });
});
