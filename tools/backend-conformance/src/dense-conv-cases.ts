import { sizeOf } from '@motiondelta/core';
import type { ActivationSpec, AutoPad, Conv2DAttrs, ConvTranspose2DAttrs, Pads2D, Pair, Rng, Tensor } from '@motiondelta/core';
import { namedActivations } from './activation-specs.js';
import { denseCase } from './dense-case.js';
import { dyadicArray, dyadicTensor, randomTensor } from './random-data.js';
import { conv2dShape, convTranspose2dShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

/** A convolution configuration, in the terms of Conv2DAttrs plus shapes. */
export interface ConvConfig {
  readonly input: readonly [number, number, number, number];
  readonly outC: number;
  readonly kernel: Pair;
  readonly strides?: Pair;
  readonly dilations?: Pair;
  readonly pads?: Pads2D;
  readonly autoPad?: AutoPad;
  readonly groups?: number;
  readonly bias?: boolean;
  readonly activation?: { readonly label: string; readonly spec: ActivationSpec };
  /**
   * How inputs, weights and bias are drawn: `uniform` (default) around 0; `positive`, so that
   * every output is at least 0.5 (for activations singular at 0, see NamedActivation.inputs);
   * `grid`, multiples of 1/256 and 1/16 whose sums are exact in float32 in any order (for
   * discontinuous activations, which must see the same pre-activation on every backend).
   */
  readonly values?: 'uniform' | 'positive' | 'grid';
}

export function conv2dAttrs(c: ConvConfig): Conv2DAttrs {
  const attrs: Conv2DAttrs = {
    kernel: c.kernel,
    strides: c.strides ?? [1, 1],
    dilations: c.dilations ?? [1, 1],
    pads: c.pads ?? [0, 0, 0, 0],
    autoPad: c.autoPad ?? 'explicit',
    groups: c.groups ?? 1,
  };
  return c.activation ? { ...attrs, activation: c.activation.spec } : attrs;
}

export function convLabel(c: ConvConfig): string {
  const a = conv2dAttrs(c);
  const pads = a.autoPad === 'explicit' ? `p[${a.pads.join(',')}]` : a.autoPad;
  return (
    `${a.kernel.join('x')} s${a.strides.join(',')} d${a.dilations.join(',')} ${pads} g${a.groups}` +
    `${c.bias === false ? ' nobias' : ''}${c.activation ? ` ${c.activation.label}` : ''} [${c.input.join(',')}]->${c.outC}`
  );
}

/** Conv2D weights [kh, kw, Cin/groups, Cout], scaled so outputs stay O(1) whatever the fan-in. */
export function convWeight(rng: Rng, c: ConvConfig): ReturnType<typeof randomTensor> {
  const cinPerGroup = c.input[3] / (c.groups ?? 1);
  const fanIn = c.kernel[0] * c.kernel[1] * cinPerGroup;
  const bound = Math.sqrt(3 / fanIn);
  return randomTensor(rng, [c.kernel[0], c.kernel[1], cinPerGroup, c.outC], -bound, bound);
}

/** Input, weight and bias of a convolution, drawn as `c.values` says. */
function convOperands(rng: Rng, c: ConvConfig): [Tensor, Tensor, Tensor | undefined] {
  const wShape = [c.kernel[0], c.kernel[1], c.input[3] / (c.groups ?? 1), c.outC];
  switch (c.values ?? 'uniform') {
    case 'uniform':
      return [randomTensor(rng, c.input), convWeight(rng, c), c.bias === false ? undefined : randomTensor(rng, [c.outC])];
    case 'positive': {
      const w = convWeight(rng, c);
      const positive = { data: w.data.map(Math.abs), shape: w.shape };
      return [randomTensor(rng, c.input, 0, 1), positive, randomTensor(rng, [c.outC], 0.5, 1)];
    }
    case 'grid':
      // Products of k/256 and j/16 are multiples of 1/4096; a few hundred of them add up exactly.
      return [
        dyadicTensor(rng, c.input, -1, 1),
        { data: dyadicArray(rng, sizeOf(wShape), -0.5, 0.5, 1 / 16), shape: wShape },
        dyadicTensor(rng, [c.outC], -1, 1),
      ];
  }
}

function conv2dCase(c: ConvConfig): ConformanceCase {
  return denseCase('Conv2D', convLabel(c), (rng) => {
    const attrs = conv2dAttrs(c);
    const [x, w, bias] = convOperands(rng, c);
    return { op: 'Conv2D', attrs, inputs: [x, w, bias], outputShape: conv2dShape(c.input, attrs, c.outC) };
  });
}

const ODD_CHANNELS = [1, 3, 5, 17, 33] as const;

/** Convolutions: geometry (strides, dilations, asymmetric pads, SAME), grouping, every fused activation, odd shapes. */
export const CONV_CONFIGS: readonly ConvConfig[] = [
  ...ODD_CHANNELS.map((ch): ConvConfig => ({ input: [2, 13, 17, ch], outC: ch === 1 ? 4 : ch, kernel: [3, 3], pads: [1, 1, 1, 1] })),
  { input: [1, 13, 17, 33], outC: 7, kernel: [1, 1] },
  { input: [1, 16, 16, 64], outC: 64, kernel: [3, 3], pads: [1, 1, 1, 1] },
  { input: [2, 13, 17, 5], outC: 6, kernel: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0] },
  { input: [2, 13, 17, 5], outC: 6, kernel: [3, 3], strides: [2, 1], dilations: [1, 2], pads: [1, 2, 0, 1] },
  { input: [1, 24, 24, 4], outC: 5, kernel: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { input: [1, 13, 17, 3], outC: 8, kernel: [5, 3], strides: [1, 2], pads: [2, 0, 1, 1], bias: false },
  { input: [1, 24, 24, 3], outC: 16, kernel: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] },
  { input: [2, 13, 17, 6], outC: 4, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 2 },
  { input: [1, 13, 17, 9], outC: 6, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], groups: 3 },
  { input: [2, 13, 17, 17], outC: 17, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 17 },
  { input: [1, 13, 17, 5], outC: 10, kernel: [3, 3], strides: [2, 2], pads: [1, 0, 1, 0], groups: 5 },
  { input: [1, 24, 24, 32], outC: 32, kernel: [5, 5], strides: [2, 2], pads: [2, 2, 2, 2], groups: 32, bias: false },
  { input: [1, 1, 1, 5], outC: 3, kernel: [3, 3], pads: [1, 1, 1, 1] },
  // Large enough to be split across threads: partition edges must not show.
  { input: [2, 40, 40, 24], outC: 24, kernel: [3, 3], pads: [1, 1, 1, 1] },
  { input: [1, 13, 17, 4], outC: 4, kernel: [3, 3], strides: [2, 2], autoPad: 'same-upper' },
  { input: [1, 13, 17, 4], outC: 4, kernel: [3, 3], strides: [2, 2], autoPad: 'same-lower' },
  { input: [1, 13, 17, 4], outC: 4, kernel: [3, 3], autoPad: 'valid' },
  ...namedActivations(8).map((activation): ConvConfig => ({
    input: [1, 13, 17, 5],
    outC: 8,
    kernel: [3, 3],
    pads: [1, 1, 1, 1],
    activation,
    values: activation.inputs === 'positive' ? 'positive' : activation.inputs === 'exact' ? 'grid' : 'uniform',
  })),
  {
    input: [1, 13, 17, 6],
    outC: 6,
    kernel: [3, 3],
    pads: [1, 1, 1, 1],
    groups: 6,
    activation: { label: 'prelu-per-channel', spec: { kind: 'prelu', slope: new Float32Array([0.1, -0.2, 0.3, 1.5, 0, 0.25]) } },
  },
];

export interface ConvTransposeConfig {
  readonly input: readonly [number, number, number, number];
  readonly outC: number;
  readonly kernel: Pair;
  readonly strides: Pair;
  readonly dilations?: Pair;
  readonly pads?: Pads2D;
  readonly outputPadding?: Pair;
  readonly groups?: number;
  readonly bias?: boolean;
  readonly activation?: { readonly label: string; readonly spec: ActivationSpec };
}

export function convTransposeAttrs(c: ConvTransposeConfig): ConvTranspose2DAttrs {
  const attrs: ConvTranspose2DAttrs = {
    kernel: c.kernel,
    strides: c.strides,
    dilations: c.dilations ?? [1, 1],
    pads: c.pads ?? [0, 0, 0, 0],
    outputPadding: c.outputPadding ?? [0, 0],
    groups: c.groups ?? 1,
  };
  return c.activation ? { ...attrs, activation: c.activation.spec } : attrs;
}

export function convTransposeLabel(c: ConvTransposeConfig): string {
  const a = convTransposeAttrs(c);
  return (
    `${a.kernel.join('x')} s${a.strides.join(',')} d${a.dilations.join(',')} p[${a.pads.join(',')}] op${a.outputPadding.join(',')} g${a.groups}` +
    `${c.bias === false ? ' nobias' : ''}${c.activation ? ` ${c.activation.label}` : ''} [${c.input.join(',')}]->${c.outC}`
  );
}

/** ConvTranspose2D weights [kh, kw, Cin, Cout/groups]. */
export function convTransposeWeight(rng: Rng, c: ConvTransposeConfig): ReturnType<typeof randomTensor> {
  const groups = c.groups ?? 1;
  const bound = Math.sqrt(3 / (c.kernel[0] * c.kernel[1] * (c.input[3] / groups)));
  return randomTensor(rng, [c.kernel[0], c.kernel[1], c.input[3], c.outC / groups], -bound, bound);
}

function convTransposeCase(c: ConvTransposeConfig): ConformanceCase {
  return denseCase('ConvTranspose2D', convTransposeLabel(c), (rng) => {
    const attrs = convTransposeAttrs(c);
    const x = randomTensor(rng, c.input);
    const w = convTransposeWeight(rng, c);
    const bias = c.bias === false ? undefined : randomTensor(rng, [c.outC]);
    return { op: 'ConvTranspose2D', attrs, inputs: [x, w, bias], outputShape: convTranspose2dShape(c.input, attrs, c.outC) };
  });
}

/** Transposed convolutions: the upsampling shapes models use, output padding, crops, groups, dilation. */
export const CONV_TRANSPOSE_CONFIGS: readonly ConvTransposeConfig[] = [
  { input: [2, 13, 17, 8], outC: 4, kernel: [2, 2], strides: [2, 2] },
  { input: [1, 13, 17, 5], outC: 3, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1] },
  {
    input: [1, 12, 12, 6],
    outC: 6,
    kernel: [4, 4],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    activation: { label: 'relu', spec: { kind: 'relu' } },
  },
  { input: [1, 13, 17, 33], outC: 17, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  { input: [1, 9, 11, 4], outC: 6, kernel: [3, 3], strides: [3, 2], pads: [0, 1, 2, 0], outputPadding: [2, 1], bias: false },
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
  { input: [1, 13, 17, 5], outC: 5, kernel: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1], groups: 5 },
  {
    input: [1, 16, 16, 32],
    outC: 16,
    kernel: [2, 2],
    strides: [2, 2],
    activation: { label: 'leakyRelu0.1', spec: { kind: 'leakyRelu', alpha: 0.1 } },
  },
];

export function convDenseCases(): ConformanceCase[] {
  return [...CONV_CONFIGS.map(conv2dCase), ...CONV_TRANSPOSE_CONFIGS.map(convTransposeCase)];
}
