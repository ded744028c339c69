import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt } from '@motiondelta/core';
import type { Shape } from '@motiondelta/core';
import { expectClose, fromTf, randomActivation, randomTensor, run, tf, tfActivation, toTf, useTfCpu } from './tf-oracle.js';

describe('MatMul (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches tf.matMul with broadcast batch axes and 1-D operands (numpy rules)', () => {
    const rng = createRng(1401);
    const fixed: [Shape, Shape][] = [
      [
        [3, 4],
        [4, 5],
      ],
      [
        [2, 3, 4],
        [4, 6],
      ],
      [
        [2, 1, 3, 4],
        [5, 4, 2],
      ],
      [[4], [4, 3]],
      [[2, 3, 4], [4]],
      [[7], [7]],
    ];
    const random = Array.from({ length: 16 }, (): [Shape, Shape] => {
      const m = randomInt(rng, 1, 5);
      const k = randomInt(rng, 1, 6);
      const n = randomInt(rng, 1, 5);
      const batch = Array.from({ length: randomInt(rng, 0, 3) }, () => randomInt(rng, 1, 3));
      const side = (): number[] => batch.slice(randomInt(rng, 0, batch.length)).map((d) => (rng.next() < 0.3 ? 1 : d));
      return [
        [...side(), m, k],
        [...side(), k, n],
      ];
    });
    for (const [sa, sb] of [...fixed, ...random]) {
      const a = randomTensor(rng, sa);
      const b = randomTensor(rng, sb);
      // numpy: a 1-D left operand is a row vector, a 1-D right operand a column vector; the added axis is dropped.
      const product = fromTf(
        tf.tidy(() => {
          const at = sa.length === 1 ? tf.reshape(toTf(a), [1, sa[0]!]) : toTf(a);
          const bt = sb.length === 1 ? tf.reshape(toTf(b), [sb[0]!, 1]) : toTf(b);
          // tfjs 4.22 mis-sizes batch broadcasts between different ranks, so broadcast explicitly first.
          const batch = tf.broadcast_util.assertAndGetBroadcastShape(at.shape.slice(0, -2), bt.shape.slice(0, -2));
          const y = tf.matMul(tf.broadcastTo(at, [...batch, ...at.shape.slice(-2)]), tf.broadcastTo(bt, [...batch, ...bt.shape.slice(-2)]));
          const dropped = y.shape.filter((_, i) => !(sa.length === 1 && i === y.rank - 2) && !(sb.length === 1 && i === y.rank - 1));
          return tf.reshape(y, dropped);
        }),
      );
      const activation = product.shape.length > 0 ? randomActivation(rng, product.shape[product.shape.length - 1]!) : undefined;
      const expected = fromTf(tf.tidy(() => tfActivation(toTf(product), activation)));
      const actual = run({
        op: 'MatMul',
        attrs: activation === undefined ? {} : { activation },
        inputs: [a, b],
        outputShape: expected.shape,
      });
      expectClose(actual, expected, `matmul [${sa.join(',')}] x [${sb.join(',')}]`);
    }
  });

  it('rejects mismatched inner dimensions', () => {
    const rng = createRng(1402);
    expect(() =>
      run({ op: 'MatMul', attrs: {}, inputs: [randomTensor(rng, [2, 3]), randomTensor(rng, [4, 2])], outputShape: [2, 2] }),
    ).toThrow(ShapeError);
  });
});

describe('Gemm (reference) against tfjs', () => {
  beforeAll(useTfCpu);

  it('matches alpha * op(A) op(B) + beta * C for every transpose combination and C broadcast', () => {
    const rng = createRng(1501);
    for (let i = 0; i < 24; i++) {
      const m = randomInt(rng, 1, 6);
      const k = randomInt(rng, 1, 7);
      const n = randomInt(rng, 1, 6);
      const transA = rng.next() < 0.5;
      const transB = rng.next() < 0.5;
      const cShapes: (Shape | undefined)[] = [undefined, [n], [1, n], [m, 1], [m, n], [], [1]];
      const cShape = cShapes[randomInt(rng, 0, cShapes.length - 1)];
      const a = randomTensor(rng, transA ? [k, m] : [m, k]);
      const b = randomTensor(rng, transB ? [n, k] : [k, n]);
      const c = cShape === undefined ? undefined : randomTensor(rng, cShape);
      const alpha = rng.next() * 2 - 0.5;
      const beta = rng.next() * 2 - 0.5;
      const activation = randomActivation(rng, n);
      const expected = fromTf(
        tf.tidy(() => {
          const ab = tf.mul(tf.matMul(toTf(a), toTf(b), transA, transB), alpha);
          const y = c === undefined ? ab : tf.add(ab, tf.mul(toTf(c), beta));
          return tfActivation(tf.reshape(y, [m, n]), activation);
        }),
      );
      const actual = run({
        op: 'Gemm',
        attrs: { alpha, beta, transA, transB, ...(activation === undefined ? {} : { activation }) },
        inputs: [a, b, c],
        outputShape: [m, n],
      });
      expectClose(
        actual,
        expected,
        `gemm case ${i} (m=${m} k=${k} n=${n} transA=${transA} transB=${transB} C=${cShape ? `[${cShape.join(',')}]` : 'none'})`,
      );
    }
  });
});
