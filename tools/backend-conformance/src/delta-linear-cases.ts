import type { ResizeAttrs, Rng, Shape, Tensor } from '@motiondelta/core';
import { ALL_PATTERNS } from './change-patterns.js';
import type { ChangePattern } from './change-patterns.js';
import { conv2dAttrs, convLabel, convTransposeAttrs, convTransposeLabel, convTransposeWeight, convWeight } from './dense-conv-cases.js';
import type { ConvConfig, ConvTransposeConfig } from './dense-conv-cases.js';
import { poolAttrs, poolLabel } from './dense-pool-cases.js';
import type { PoolConfig } from './dense-pool-cases.js';
import { resizeLabel } from './dense-layout-cases.js';
import { linearCase } from './delta-linear-case.js';
import { awayFromZero, randomTensor } from './random-data.js';
import { broadcastShape, conv2dShape, convTranspose2dShape, pool2dShape, resizeShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

const SPATIAL: readonly ChangePattern[] = ['single', 'corners', 'tile-borders', 'scattered', 'everything'];
const FEW: readonly ChangePattern[] = ['corners', 'tile-borders', 'scattered', 'everything'];

/** Delta convolutions on tile-aligned 24x24 frames (three 8x8 tiles a side) and on odd shapes. */
const DELTA_CONVS: readonly ConvConfig[] = [
  { input: [2, 24, 24, 8], outC: 8, kernel: [3, 3], pads: [1, 1, 1, 1] },
  { input: [2, 24, 24, 5], outC: 6, kernel: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0] },
  { input: [1, 24, 24, 4], outC: 5, kernel: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { input: [2, 13, 17, 5], outC: 6, kernel: [3, 3], strides: [2, 1], dilations: [1, 2], pads: [1, 2, 0, 1] },
  { input: [2, 24, 24, 16], outC: 32, kernel: [1, 1] },
  { input: [2, 13, 17, 17], outC: 17, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 17 },
  { input: [2, 24, 24, 6], outC: 4, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 2 },
  { input: [1, 24, 24, 32], outC: 32, kernel: [5, 5], strides: [2, 2], pads: [2, 2, 2, 2], groups: 32 },
];

const DELTA_CONV_TRANSPOSES: readonly ConvTransposeConfig[] = [
  { input: [2, 13, 17, 8], outC: 4, kernel: [2, 2], strides: [2, 2] },
  { input: [1, 24, 24, 5], outC: 3, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] },
  {
    input: [2, 9, 11, 4],
    outC: 6,
    kernel: [3, 3],
    strides: [2, 2],
    dilations: [1, 2],
    pads: [1, 1, 0, 2],
    outputPadding: [1, 0],
    groups: 2,
  },
];

const DELTA_AVG_POOLS: readonly PoolConfig[] = [
  { input: [2, 24, 24, 5], kernel: [2, 2], strides: [2, 2] },
  { input: [1, 24, 24, 17], kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  { input: [1, 13, 17, 3], kernel: [5, 5], strides: [3, 3], pads: [2, 1, 0, 2], ceilMode: true, countIncludePad: true },
];

const DELTA_RESIZES: readonly { readonly input: Shape; readonly attrs: ResizeAttrs }[] = [
  { input: [2, 12, 12, 3], attrs: { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 2] } },
  { input: [2, 12, 12, 3], attrs: { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] } },
  { input: [1, 13, 17, 5], attrs: { mode: 'linear', coordinateMode: 'align_corners', nearestMode: 'round_prefer_floor', sizes: [25, 33] } },
  { input: [1, 24, 24, 3], attrs: { mode: 'nearest', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_ceil', sizes: [13, 17] } },
];

const DELTA_PADS: readonly { readonly label: string; readonly pads: readonly number[]; readonly mode: 'constant' | 'reflect' | 'edge' }[] =
  [
    { label: 'constant', pads: [0, 1, 2, 0, 0, 3, 0, 0], mode: 'constant' },
    { label: 'reflect', pads: [0, 2, 1, 0, 0, 1, 3, 0], mode: 'reflect' },
    { label: 'edge', pads: [0, 3, 3, 0, 0, 0, 2, 0], mode: 'edge' },
    { label: 'crop', pads: [0, -1, 2, 0, 0, 1, -3, 0], mode: 'constant' },
  ];

const X: Shape = [2, 24, 24, 5];

function convCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = (c: ConvConfig, patterns: readonly ChangePattern[]): void => {
    for (const pattern of patterns) {
      cases.push(
        linearCase('Conv2D', convLabel(c), pattern, (rng) => {
          const attrs = conv2dAttrs(c);
          return {
            varying: [c.input],
            outShape: conv2dShape(c.input, attrs, c.outC),
            constants: [convWeight(rng, c), randomTensor(rng, [c.outC])],
            // The bias is passed to check that backends ignore it (it cancels in a difference).
            call: ([x], [w, b]) => ({ op: 'Conv2D', attrs, inputs: [x, w, b] }),
          };
        }),
      );
    }
  };
  for (const c of DELTA_CONVS) add(c, ALL_PATTERNS);
  // Large enough to be split across threads: scatters from neighbouring chunks meet at chunk edges.
  add({ input: [1, 64, 64, 16], outC: 16, kernel: [3, 3], pads: [1, 1, 1, 1] }, ['tile-borders', 'scattered', 'everything']);
  // A fused activation in `attrs` is ignored by linear delta kernels (the executor runs it as its own step).
  add(
    { input: [2, 24, 24, 8], outC: 8, kernel: [3, 3], pads: [1, 1, 1, 1], activation: { label: 'relu-in-attrs', spec: { kind: 'relu' } } },
    ['scattered'],
  );
  for (const ch of [1, 3, 5, 17, 33])
    add({ input: [2, 13, 17, ch], outC: ch === 1 ? 4 : ch, kernel: [3, 3], pads: [1, 1, 1, 1] }, ['corners', 'tile-borders', 'scattered']);
  for (const c of DELTA_CONV_TRANSPOSES) {
    for (const pattern of ALL_PATTERNS) {
      cases.push(
        linearCase('ConvTranspose2D', convTransposeLabel(c), pattern, (rng) => {
          const attrs = convTransposeAttrs(c);
          return {
            varying: [c.input],
            outShape: convTranspose2dShape(c.input, attrs, c.outC),
            constants: [convTransposeWeight(rng, c), randomTensor(rng, [c.outC])],
            call: ([x], [w, b]) => ({ op: 'ConvTranspose2D', attrs, inputs: [x, w, b] }),
          };
        }),
      );
    }
  }
  return cases;
}

function poolingAndResamplingCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const c of DELTA_AVG_POOLS) {
    for (const pattern of ALL_PATTERNS) {
      cases.push(
        linearCase('AvgPool2D', poolLabel(c, true), pattern, () => {
          const attrs = poolAttrs(c);
          return {
            varying: [c.input],
            outShape: pool2dShape(c.input, attrs),
            constants: [],
            call: ([x]) => ({ op: 'AvgPool2D', attrs, inputs: [x] }),
          };
        }),
      );
    }
  }
  for (const shape of [
    [2, 13, 17, 5],
    [1, 24, 24, 33],
  ] as const) {
    for (const pattern of shape[3] === 5 ? ALL_PATTERNS : FEW) {
      cases.push(
        linearCase('GlobalAvgPool', `[${shape.join(',')}]`, pattern, () => ({
          varying: [shape],
          outShape: [shape[0], 1, 1, shape[3]],
          constants: [],
          call: ([x]) => ({ op: 'GlobalAvgPool', attrs: {}, inputs: [x] }),
        })),
      );
    }
  }
  for (const { input, attrs } of DELTA_RESIZES) {
    for (const pattern of SPATIAL) {
      cases.push(
        linearCase('Resize', resizeLabel(input, attrs), pattern, () => ({
          varying: [input],
          outShape: resizeShape(input, attrs),
          constants: [],
          call: ([x]) => ({ op: 'Resize', attrs, inputs: [x] }),
        })),
      );
    }
  }
  for (const { label, pads, mode } of DELTA_PADS) {
    const outShape = X.map((d, i) => d + pads[i]! + pads[i + 4]!);
    for (const pattern of FEW) {
      cases.push(
        linearCase('Pad', `${label} [${pads.join(',')}] [${X.join(',')}]`, pattern, () => ({
          varying: [X],
          outShape,
          constants: [],
          call: ([x]) => ({ op: 'Pad', attrs: { pads, mode, value: 0.5 }, inputs: [x] }),
        })),
      );
    }
  }
  return cases;
}

/** A constant operand; divisors stay away from zero. */
function constant(rng: Rng, shape: Shape, divisor = false): Tensor {
  return divisor
    ? {
        data: awayFromZero(
          rng,
          shape.reduce((a, b) => a * b, 1),
          0.5,
          2,
        ),
        shape,
      }
    : randomTensor(rng, shape);
}

function elementwiseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const few = (
    label: string,
    op: Parameters<typeof linearCase>[0],
    patterns: readonly ChangePattern[],
    setup: Parameters<typeof linearCase>[3],
  ): void => {
    for (const pattern of patterns) cases.push(linearCase(op, label, pattern, setup));
  };
  const concatShapes: Shape[] = [
    [2, 24, 24, 3],
    [2, 24, 24, 5],
  ];
  few('two varying + constant, C 3+2+5', 'Concat', FEW, (rng) => ({
    varying: concatShapes,
    outShape: [2, 24, 24, 10],
    constants: [randomTensor(rng, [2, 24, 24, 2])],
    call: ([a, b], [k]) => ({ op: 'Concat', attrs: { axis: 3 }, inputs: [a, k, b] }),
  }));
  few('axis-1 odd C 17+1 [2,13,17,*]', 'Concat', ['tile-borders', 'scattered'], () => ({
    varying: [
      [2, 13, 17, 17],
      [2, 13, 17, 1],
    ],
    outShape: [2, 13, 17, 18],
    constants: [],
    call: ([a, b]) => ({ op: 'Concat', attrs: { axis: -1 }, inputs: [a, b] }),
  }));
  for (const op of ['Add', 'Sub'] as const) {
    few(`two varying [${X.join(',')}]`, op, FEW, () => ({
      varying: [X, X],
      outShape: X,
      constants: [],
      call: ([a, b]) => ({ op, attrs: {}, inputs: [a, b] }),
    }));
    few(`varying ${op} constant[5]`, op, ['tile-borders', 'scattered'], (rng) => ({
      varying: [X],
      outShape: X,
      constants: [constant(rng, [5])],
      call: ([a], [k]) => ({ op, attrs: {}, inputs: [a, k] }),
    }));
    few(`constant[1,24,24,5] ${op} varying`, op, ['tile-borders', 'scattered'], (rng) => ({
      varying: [X],
      outShape: X,
      constants: [constant(rng, [1, 24, 24, 5])],
      call: ([b], [k]) => ({ op, attrs: {}, inputs: [k, b] }),
    }));
  }
  for (const op of ['Mul', 'Div'] as const) {
    for (const k of [[5], [1, 1, 1, 5], [], [2, 24, 24, 5], [2, 1, 1, 5], [2, 24, 24, 1]] as Shape[]) {
      few(`varying ${op} constant[${k.join(',')}]`, op, ['tile-borders', 'scattered'], (rng) => ({
        varying: [X],
        outShape: broadcastShape(X, k),
        constants: [constant(rng, k, op === 'Div')],
        call: ([a], [c]) => ({ op, attrs: {}, inputs: [a, c] }),
      }));
    }
  }
  few('constant[5] Mul varying', 'Mul', ['corners', 'scattered'], (rng) => ({
    varying: [X],
    outShape: X,
    constants: [constant(rng, [5])],
    call: ([b], [k]) => ({ op: 'Mul', attrs: {}, inputs: [k, b] }),
  }));
  for (const shape of [X, [2, 13, 17, 33]] as Shape[]) {
    const c = shape[3]!;
    few(`eps1e-3 [${shape.join(',')}]`, 'BatchNorm', ['tile-borders', 'scattered', 'everything'], (rng) => ({
      varying: [shape],
      outShape: shape,
      constants: [randomTensor(rng, [c], 0.5, 1.5), randomTensor(rng, [c]), randomTensor(rng, [c]), randomTensor(rng, [c], 0.1, 2)],
      call: ([x], [scale, bias, mean, variance]) => ({
        op: 'BatchNorm',
        attrs: { epsilon: 1e-3 },
        inputs: [x, scale, bias, mean, variance],
      }),
    }));
  }
  few(`[${X.join(',')}]`, 'Identity', ['single', 'scattered', 'everything'], () => ({
    varying: [X],
    outShape: X,
    constants: [],
    call: ([x]) => ({ op: 'Identity', attrs: {}, inputs: [x] }),
  }));
  return cases;
}

export function linearDeltaCases(): ConformanceCase[] {
  return [...convCases(), ...poolingAndResamplingCases(), ...elementwiseCases()];
}
