import type { DeltaBuffer, DenseKernelCall, Rng, Shape, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { namedActivations } from './activation-specs.js';
import type { NamedActivation } from './activation-specs.js';
import { makeDelta, patternPixels } from './change-patterns.js';
import type { ChangePattern } from './change-patterns.js';
import { poolAttrs, poolLabel } from './dense-pool-cases.js';
import type { PoolConfig } from './dense-pool-cases.js';
import { statefulCase } from './delta-stateful-case.js';
import type { StatefulSetup } from './delta-stateful-case.js';
import { awayFromZero, dyadic, dyadicArray } from './random-data.js';
import { broadcastShape, pool2dShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

/** A grid threshold, so that ties are exact (see DYADIC_STEP). */
const THRESHOLD = 0.25;

/** Dense evaluation for initial states: the reference's own kernel, so the first emitted output is what a session would hold. */
const oracle = new ReferenceBackend();
function dense(call: DenseKernelCall): Tensor {
  return oracle.runDense(call) as Tensor;
}

/** Grid-valued deltas on a pattern's pixels (garbage elsewhere). */
function gridDelta(rng: Rng, shape: Shape, pattern: ChangePattern, lo = -1, hi = 1): DeltaBuffer {
  return makeDelta(shape, patternPixels(pattern, shape, rng), () => dyadic(rng, lo, hi), rng);
}

/**
 * Where an activation's initial pre-activations are drawn. Functions of positive inputs start at
 * 2.5 or more, so that the frames' deltas (at most 1 each, two frames) keep them above 0.
 */
function stateRange(a: NamedActivation): readonly [number, number] {
  return a.inputs === 'positive' ? [2.5, 6] : [-4, 4];
}

function activationSetup(shape: Shape, a: NamedActivation): (rng: Rng) => StatefulSetup {
  return (rng) => {
    const [lo, hi] = stateRange(a);
    const x = {
      data: dyadicArray(
        rng,
        shape.reduce((p, d) => p * d, 1),
        lo,
        hi,
      ),
      shape,
    };
    const y = dense({ op: 'Activation', attrs: { activation: a.spec }, inputs: [x], outputShape: shape });
    return {
      outShape: shape,
      initial: { accumulated: [x.data], emitted: y.data },
      exact: a.exact,
      frame: (r, pattern) => [gridDelta(r, shape, pattern)],
      run: async (kernels, [d], state, threshold, out) => {
        await kernels.activation(d!, a.spec, { accumulated: state.accumulated[0]!, emitted: state.emitted }, threshold, out);
      },
    };
  };
}

function activationCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const tiled: Shape = [2, 24, 24, 5];
  for (const a of namedActivations(5)) {
    for (const threshold of [0, THRESHOLD]) {
      for (const pattern of ['tile-borders', 'scattered', 'everything'] as const) {
        cases.push(statefulCase('activation', `${a.label} [${tiled.join(',')}]`, threshold, pattern, activationSetup(tiled, a)));
      }
    }
  }
  const relu = namedActivations(5)[0]!;
  for (const pattern of ['none', 'single', 'corners', 'second-batch'] as const) {
    cases.push(statefulCase('activation', `relu [${tiled.join(',')}]`, THRESHOLD, pattern, activationSetup(tiled, relu)));
  }
  // Large enough to be split across threads.
  const large: Shape = [1, 64, 64, 16];
  for (const a of namedActivations(16).filter((n) => n.label === 'relu' || n.label === 'sigmoid')) {
    cases.push(statefulCase('activation', `${a.label} [${large.join(',')}]`, THRESHOLD, 'scattered', activationSetup(large, a)));
  }
  for (const c of [1, 3, 5, 17, 33]) {
    const shape: Shape = [2, 13, 17, c];
    for (const a of namedActivations(c).filter((n) => n.label === 'prelu-per-channel' || n.label === 'sigmoid')) {
      cases.push(statefulCase('activation', `${a.label} [${shape.join(',')}]`, THRESHOLD, 'scattered', activationSetup(shape, a)));
    }
  }
  return cases;
}

const DELTA_MAX_POOLS: readonly PoolConfig[] = [
  { input: [2, 24, 24, 5], kernel: [2, 2], strides: [2, 2] },
  { input: [1, 24, 24, 8], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { input: [2, 24, 24, 3], kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  { input: [2, 13, 17, 17], kernel: [3, 3], strides: [2, 2], ceilMode: true },
];

function maxPoolCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const c of DELTA_MAX_POOLS) {
    const attrs = poolAttrs(c);
    const outShape = pool2dShape(c.input, attrs);
    const build = (rng: Rng): StatefulSetup => {
      const x = {
        data: dyadicArray(
          rng,
          c.input.reduce((p, d) => p * d, 1),
          -2,
          2,
        ),
        shape: c.input,
      };
      const y = dense({ op: 'MaxPool2D', attrs, inputs: [x], outputShape: outShape });
      return {
        outShape,
        initial: { accumulated: [x.data], emitted: y.data },
        exact: true,
        frame: (r, pattern) => [gridDelta(r, c.input, pattern)],
        run: async (kernels, [d], state, threshold, out) => {
          await kernels.maxPool(d!, attrs, { accumulated: state.accumulated[0]!, emitted: state.emitted }, threshold, out);
        },
      };
    };
    const patterns: readonly (readonly [number, ChangePattern])[] = [
      ...(['none', 'single', 'corners', 'tile-borders', 'scattered', 'dense-scatter', 'everything', 'second-batch'] as const).map(
        (p) => [THRESHOLD, p] as const,
      ),
      [0, 'scattered'],
      [0, 'everything'],
    ];
    for (const [threshold, pattern] of patterns) cases.push(statefulCase('maxPool', poolLabel(c, false), threshold, pattern, build));
  }
  return cases;
}

type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** An operand of a binary case: varying (a DeltaBuffer each frame) or constant, with its shape. */
interface OperandSpec {
  readonly shape: Shape;
  readonly varying: boolean;
}

const BINARY_CONFIGS: readonly { readonly op: BinaryOp; readonly a: OperandSpec; readonly b: OperandSpec }[] = [
  { op: 'Mul', a: { shape: [2, 24, 24, 5], varying: true }, b: { shape: [2, 24, 24, 5], varying: true } },
  { op: 'Add', a: { shape: [2, 24, 24, 5], varying: true }, b: { shape: [2, 24, 24, 5], varying: true } },
  { op: 'Mul', a: { shape: [2, 24, 24, 5], varying: true }, b: { shape: [2, 1, 1, 5], varying: true } },
  { op: 'Add', a: { shape: [2, 24, 24, 5], varying: true }, b: { shape: [2, 1, 1, 5], varying: true } },
  { op: 'Sub', a: { shape: [2, 24, 24, 1], varying: true }, b: { shape: [1, 1, 1, 5], varying: true } },
  { op: 'Div', a: { shape: [2, 24, 24, 5], varying: true }, b: { shape: [2, 24, 24, 5], varying: true } },
  { op: 'Div', a: { shape: [2, 1, 1, 5], varying: true }, b: { shape: [2, 24, 24, 5], varying: true } },
  { op: 'Mul', a: { shape: [1, 1, 1, 5], varying: false }, b: { shape: [2, 24, 24, 5], varying: true } },
  { op: 'Sub', a: { shape: [2, 13, 17, 33], varying: true }, b: { shape: [2, 13, 17, 33], varying: true } },
  { op: 'Mul', a: { shape: [2, 13, 17, 3], varying: true }, b: { shape: [2, 13, 1, 3], varying: true } },
];

function binaryCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const { op, a, b } of BINARY_CONFIGS) {
    const outShape = broadcastShape(a.shape, b.shape);
    const describe = (o: OperandSpec): string => `${o.varying ? 'varying' : 'constant'}[${o.shape.join(',')}]`;
    const label = `${describe(a)} ${op} ${describe(b)}`;
    const build = (rng: Rng): StatefulSetup => {
      // Divisors start at magnitude >= 1 and move by at most 1/4 a frame, so they stay away from 0.
      const initialOperand = (o: OperandSpec, divisor: boolean): Tensor => {
        const n = o.shape.reduce((p, d) => p * d, 1);
        return { data: divisor ? awayFromZero(rng, n, 1, 2, true) : dyadicArray(rng, n, -2, 2), shape: o.shape };
      };
      const ta = initialOperand(a, false);
      const tb = initialOperand(b, op === 'Div');
      const y = dense({ op, attrs: {}, inputs: [ta, tb], outputShape: outShape });
      const deltaFor = (r: Rng, o: OperandSpec, divisor: boolean, pattern: ChangePattern): DeltaBuffer | undefined =>
        o.varying ? gridDelta(r, o.shape, pattern, divisor ? -0.25 : -1, divisor ? 0.25 : 1) : undefined;
      return {
        outShape,
        initial: {
          accumulated: [a.varying ? ta.data : new Float32Array(0), b.varying ? tb.data : new Float32Array(0)],
          emitted: y.data,
        },
        exact: op !== 'Div',
        frame: (r, pattern) =>
          [deltaFor(r, a, false, pattern), deltaFor(r, b, op === 'Div', pattern)].filter((d): d is DeltaBuffer => d !== undefined),
        run: async (kernels, deltas, state, threshold, out) => {
          let next = 0;
          const operandA = a.varying ? deltas[next++]! : ta;
          const operandB = b.varying ? deltas[next++]! : tb;
          const accumulated = [state.accumulated[0]!, state.accumulated[1]!] as const;
          await kernels.binary(op, operandA, operandB, { accumulated, emitted: state.emitted }, threshold, out);
        },
      };
    };
    for (const pattern of ['single', 'tile-borders', 'scattered', 'everything'] as const)
      cases.push(statefulCase('binary', label, THRESHOLD, pattern, build));
    cases.push(statefulCase('binary', label, 0, 'scattered', build));
  }
  return cases;
}

export function statefulDeltaCases(): ConformanceCase[] {
  return [...activationCases(), ...maxPoolCases(), ...binaryCases()];
}
