import { OP_NAMES } from '@motiondelta/core';
import type { ActivationKind, LinearDeltaOp } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { ALL_PATTERNS, caseRng, conformanceCases, conformanceSeed, rerunHint } from '../src/index.js';

const cases = conformanceCases();
const LINEAR_OPS: readonly LinearDeltaOp[] = [
  'Conv2D',
  'ConvTranspose2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Resize',
  'Pad',
  'Concat',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'BatchNorm',
  'Identity',
];
/** Every activation kind: a record, so that a kind added to ActivationSpec fails to compile here until listed. */
const ACTIVATION_KIND_SET: Record<ActivationKind, true> = {
  relu: true,
  clip: true,
  leakyRelu: true,
  prelu: true,
  sigmoid: true,
  hardSigmoid: true,
  hardSwish: true,
  tanh: true,
  elu: true,
  selu: true,
  celu: true,
  softplus: true,
  softsign: true,
  gelu: true,
  swish: true,
  abs: true,
  neg: true,
  exp: true,
  log: true,
  sqrt: true,
  reciprocal: true,
  erf: true,
  floor: true,
  ceil: true,
  round: true,
  pow: true,
};
const ACTIVATION_KINDS = Object.keys(ACTIVATION_KIND_SET) as ActivationKind[];

describe('the conformance cases', () => {
  it('have unique names', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('cover every dense op of the IR', () => {
    const ops = new Set(cases.filter((c) => c.kind === 'dense').map((c) => c.op));
    expect(OP_NAMES.filter((op) => !ops.has(op))).toEqual([]);
  });

  it('cover every delta kernel, and the linear one for every LinearDeltaOp', () => {
    const ops = new Set(cases.filter((c) => c.kind === 'delta').map((c) => c.op));
    const expected = ['sparsify', 'accumulate', 'activation', 'binary', 'maxPool', ...LINEAR_OPS.map((op) => `linear.${op}`)].map(
      (k) => `delta.${k}`,
    );
    expect(expected.filter((k) => !ops.has(k))).toEqual([]);
  });

  it('fuse every activation kind into Conv2D and run every kind through the delta activation kernel', () => {
    for (const kind of ACTIVATION_KINDS) {
      expect(
        cases.some((c) => c.name.startsWith('dense/Conv2D/') && c.name.includes(` ${kind}`)),
        `Conv2D + ${kind}`,
      ).toBe(true);
      expect(
        cases.some((c) => c.name.startsWith(`delta/activation/${kind}`)),
        `delta activation ${kind}`,
      ).toBe(true);
    }
  });

  it('use every change pattern, both thresholds, and the odd channel counts', () => {
    for (const pattern of ALL_PATTERNS)
      expect(
        cases.some((c) => c.name.endsWith(` ${pattern}`)),
        pattern,
      ).toBe(true);
    expect(cases.some((c) => c.name.includes(' t0 '))).toBe(true);
    expect(cases.some((c) => c.name.includes(' t0.25 '))).toBe(true);
    for (const ch of [1, 3, 5, 17, 33]) {
      expect(
        cases.some((c) => c.kind === 'delta' && c.name.includes(`[2,13,17,${ch}]`)),
        `delta [2,13,17,${ch}]`,
      ).toBe(true);
      expect(
        cases.some((c) => c.kind === 'dense' && c.name.includes(`[2,13,17,${ch}]`)),
        `dense [2,13,17,${ch}]`,
      ).toBe(true);
    }
  });
});

describe('seeds', () => {
  it('come from CONFORMANCE_SEED when set, fresh otherwise', () => {
    expect(conformanceSeed({ CONFORMANCE_SEED: '42' })).toBe(42);
    const fresh = new Set(Array.from({ length: 8 }, () => conformanceSeed({})));
    expect(fresh.size).toBeGreaterThan(1);
    expect(() => conformanceSeed({ CONFORMANCE_SEED: 'abc' })).toThrow(/CONFORMANCE_SEED=abc/);
  });

  it('give each case its own stream, the same for the same seed and name', () => {
    const draw = (seed: number, name: string): number[] => {
      const rng = caseRng(seed, name);
      return [rng.next(), rng.next()];
    };
    expect(draw(7, 'a')).toEqual(draw(7, 'a'));
    expect(draw(7, 'a')).not.toEqual(draw(7, 'b'));
    expect(draw(7, 'a')).not.toEqual(draw(8, 'a'));
  });

  it('come with a rerun command that selects exactly one case', () => {
    const hint = rerunHint(5, 'packages/x/test/conformance.test.ts', 'dense/Conv2D/3x3 p[1,1,1,1] [2,13,17,5]->8');
    expect(hint).toBe(
      "CONFORMANCE_SEED=5 npx vitest run packages/x/test/conformance.test.ts -t 'dense/Conv2D/3x3 p\\[1,1,1,1\\] \\[2,13,17,5\\]->8'",
    );
  });
});
