import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt } from '@motiondelta/core';
import type { Rng, Shape } from '@motiondelta/core';
import { expectClose, fromTf, randomActivation, randomTensor, run, tf, tfActivation, toTf, useTfCpu } from './tf-oracle.js';

const OPS = ['Add', 'Sub', 'Mul', 'Div'] as const;

const tfOps = { Add: tf.add, Sub: tf.sub, Mul: tf.mul, Div: tf.div } as const;

/** Two shapes that broadcast: a random output shape, each operand dropping leading axes and setting some axes to 1. */
function randomBroadcastPair(rng: Rng): [Shape, Shape] {
  const rank = randomInt(rng, 0, 5);
  const out = Array.from({ length: rank }, () => randomInt(rng, 1, 4));
  const operand = (): number[] => {
    const keep = randomInt(rng, 0, rank);
    return out.slice(rank - keep).map((d) => (rng.next() < 0.3 ? 1 : d));
  };
  return [operand(), operand()];
}

describe('Add / Sub / Mul / Div (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches numpy broadcasting of any ranks, with fused activations', () => {
    const rng = createRng(909);
    const fixed: [Shape, Shape][] = [
      [
        [2, 5, 6, 3],
        [2, 5, 6, 3],
      ],
      [[2, 5, 6, 3], [3]],
      [
        [1, 5, 6, 3],
        [2, 1, 1, 3],
      ],
      [
        [4, 1, 3],
        [5, 1],
      ],
      [[], [2, 3]],
      [
        [3, 1, 2, 1, 4],
        [1, 5, 1, 3, 1],
      ],
    ];
    const pairs = [...fixed, ...Array.from({ length: 30 }, () => randomBroadcastPair(rng))];
    for (const [sa, sb] of pairs) {
      for (const op of OPS) {
        const a = randomTensor(rng, sa, -2, 2);
        // Divisors kept away from zero so the comparison measures the kernel, not cancellation.
        const b = op === 'Div' ? randomTensor(rng, sb, 0.5, 2) : randomTensor(rng, sb, -2, 2);
        const out = fromTf(tf.tidy(() => tfOps[op](toTf(a), toTf(b))));
        const activation = randomActivation(rng, out.shape[out.shape.length - 1] ?? 1);
        const channelsOk = activation?.kind !== 'prelu' || out.shape.length > 0;
        const spec = channelsOk ? activation : undefined;
        const expected = fromTf(tf.tidy(() => tfActivation(toTf(out), spec)));
        const actual = run({ op, attrs: spec === undefined ? {} : { activation: spec }, inputs: [a, b], outputShape: expected.shape });
        expectClose(actual, expected, `${op} [${sa.join(',')}] with [${sb.join(',')}] (${spec?.kind ?? 'no activation'})`);
      }
    }
  });

  it('rejects shapes that do not broadcast', () => {
    const rng = createRng(910);
    const a = randomTensor(rng, [2, 3]);
    const b = randomTensor(rng, [4, 3]);
    expect(() => run({ op: 'Add', attrs: {}, inputs: [a, b], outputShape: [4, 3] })).toThrow(ShapeError);
  });
});
