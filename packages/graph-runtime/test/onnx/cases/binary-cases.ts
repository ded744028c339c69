import { randomInt, type Rng } from '@motiondelta/core';
import { singleNode, weight, type BuiltCase, type ConformanceCase } from './case-helpers.js';

type Binary = 'Add' | 'Sub' | 'Mul' | 'Div';

interface Operands {
  readonly runtime: Record<string, readonly number[]>;
  readonly nodeInputs: readonly string[];
  readonly constant?: { name: string; dims: readonly number[] };
}

/** Second-operand shapes, each a broadcasting rule the NHWC rewrite must preserve. */
const KINDS: Record<string, (x: readonly number[]) => Operands> = {
  'same-shape runtime operands': (x) => ({ runtime: { x, z: x }, nodeInputs: ['x', 'z'] }),
  'constant [C,1,1]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [x[1]!, 1, 1] } }),
  'constant [1,C,1,1]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [1, x[1]!, 1, 1] } }),
  'constant [1]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [1] } }),
  'scalar constant': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [] } }),
  'constant [W]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [x[3]!] } }),
  'constant [H,1]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [x[2]!, 1] } }),
  'constant [C,H,W]': (x) => ({ runtime: { x }, nodeInputs: ['x', 'k'], constant: { name: 'k', dims: [x[1]!, x[2]!, x[3]!] } }),
  'constant first operand [C,1,1]': (x) => ({ runtime: { x }, nodeInputs: ['k', 'x'], constant: { name: 'k', dims: [x[1]!, 1, 1] } }),
  'runtime [N,1,H,W]': (x) => ({ runtime: { x, z: [x[0]!, 1, x[2]!, x[3]!] }, nodeInputs: ['x', 'z'] }),
  'runtime [C,1,1] of rank 3': (x) => ({ runtime: { x, z: [x[1]!, 1, 1] }, nodeInputs: ['x', 'z'] }),
  'runtime [W] of rank 1 first': (x) => ({ runtime: { z: [x[3]!], x }, nodeInputs: ['z', 'x'] }),
  'plain [N,C] with constant [C]': (x) => ({
    runtime: { x: [x[0]!, x[1]!] },
    nodeInputs: ['x', 'k'],
    constant: { name: 'k', dims: [x[1]!] },
  }),
  'plain rank 3 with runtime [1,W]': (x) => ({ runtime: { x: [x[1]!, x[2]!, x[3]!], z: [1, x[3]!] }, nodeInputs: ['x', 'z'] }),
};

function binary(rng: Rng, op: Binary, kind: string): BuiltCase {
  const x = [randomInt(rng, 1, 2), randomInt(rng, 2, 5), randomInt(rng, 2, 6), randomInt(rng, 2, 6)];
  const operands = KINDS[kind]!(x);
  // Keep divisors away from zero so the comparison measures the op, not float blow-ups.
  const [lo, hi] = op === 'Div' ? [0.5, 2] : [-1, 1];
  return singleNode(rng, {
    opType: op,
    runtime: operands.runtime,
    nodeInputs: operands.nodeInputs,
    initializers: operands.constant ? [weight(rng, operands.constant.name, operands.constant.dims, lo, hi)] : [],
    inputRange: [lo, hi],
  });
}

const EVERY_OP_KINDS = [
  'same-shape runtime operands',
  'constant [C,1,1]',
  'scalar constant',
  'constant first operand [C,1,1]',
  'runtime [N,1,H,W]',
];

export const binaryCases: ConformanceCase[] = [
  ...Object.keys(KINDS).map((kind) => ({ name: `Add with ${kind}`, build: (r: Rng) => binary(r, 'Add', kind) })),
  ...(['Sub', 'Mul', 'Div'] as const).flatMap((op) =>
    EVERY_OP_KINDS.map((kind) => ({ name: `${op} with ${kind}`, build: (r: Rng) => binary(r, op, kind) })),
  ),
];
