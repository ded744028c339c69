import { afterAll, beforeAll, expect, it } from 'vitest';
import { InputError, ShapeError, createRng } from '@motiondelta/core';
import type {
  ActivationSpec,
  Conv2DAttrs,
  ConvTranspose2DAttrs,
  DenseKernelCall,
  Pads2D,
  Pool2DAttrs,
  ResizeAttrs,
  Shape,
} from '@motiondelta/core';
import { nativeDenseCoverage } from '../src/dense/run-native-dense.js';
import { DEFAULT_INLINE_WORK, describeNative, expectMatchesReference, randomTensor, reference } from './dense-fixtures.js';

/**
 * Every native dense kernel against the reference backend on seeded random inputs, with odd
 * shapes that exercise remainders (13x17 images, 3/17/33 channels, stride 2 on odd sizes),
 * dilation, groups, depthwise multipliers, asymmetric pads and every fused activation.
 */

const rng = createRng(20261123);

const ACTIVATIONS: readonly ActivationSpec[] = [
  { kind: 'relu' },
  { kind: 'clip', min: -0.2, max: 0.3 },
  { kind: 'leakyRelu', alpha: 0.2 },
  { kind: 'sigmoid' },
  { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
  { kind: 'hardSwish' },
  { kind: 'tanh' },
  { kind: 'prelu', slope: Float32Array.of(0.25) },
];

interface ConvCase {
  readonly name: string;
  readonly x: Shape;
  readonly cout: number;
  readonly kernel: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly dilations?: readonly [number, number];
  readonly pads?: Pads2D;
  readonly autoPad?: Conv2DAttrs['autoPad'];
  readonly groups?: number;
  readonly bias?: boolean;
  readonly activation?: ActivationSpec;
}

const CONV_CASES: readonly ConvCase[] = [
  {
    name: '3x3 pad 1, 5 -> 7 channels, 13x17',
    x: [1, 13, 17, 5],
    cout: 7,
    kernel: [3, 3],
    pads: [1, 1, 1, 1],
    bias: true,
    activation: { kind: 'relu' },
  },
  {
    name: '3x3 3 -> 17, stride 2 on odd sizes',
    x: [1, 13, 17, 3],
    cout: 17,
    kernel: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    bias: true,
  },
  { name: '3x3 17 -> 33, dilation 2', x: [1, 15, 11, 17], cout: 33, kernel: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { name: '3x3 groups 2, 6 -> 10', x: [1, 9, 10, 6], cout: 10, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 2, bias: true },
  { name: 'asymmetric pads, 2x3 kernel, strides 2x1', x: [1, 12, 9, 4], cout: 5, kernel: [2, 3], strides: [2, 1], pads: [0, 1, 2, 0] },
  {
    name: 'depthwise 3x3, 17 channels',
    x: [1, 13, 17, 17],
    cout: 17,
    kernel: [3, 3],
    pads: [1, 1, 1, 1],
    groups: 17,
    bias: true,
    activation: { kind: 'clip', min: 0, max: 6 },
  },
  {
    name: 'depthwise 3x3 stride 2, multiplier 2',
    x: [1, 13, 17, 5],
    cout: 10,
    kernel: [3, 3],
    strides: [2, 2],
    pads: [0, 0, 1, 1],
    groups: 5,
    bias: true,
  },
  {
    name: 'depthwise 5x5 dilation 2, same-upper',
    x: [2, 11, 9, 8],
    cout: 8,
    kernel: [5, 5],
    dilations: [2, 2],
    autoPad: 'same-upper',
    groups: 8,
  },
  { name: '1x1 pointwise 33 -> 17', x: [1, 13, 17, 33], cout: 17, kernel: [1, 1], bias: true, activation: { kind: 'hardSwish' } },
  {
    name: '1x1 pointwise on a small map with many channels (split by columns)',
    x: [1, 5, 3, 40],
    cout: 70,
    kernel: [1, 1],
    bias: true,
    activation: { kind: 'prelu', slope: Float32Array.from({ length: 70 }, (_, i) => i / 100) },
  },
  { name: '1x1 pointwise, groups 3 (12 -> 9)', x: [1, 7, 5, 12], cout: 9, kernel: [1, 1], groups: 3 },
  { name: '1x1 stride 2 (im2col path)', x: [1, 13, 17, 6], cout: 4, kernel: [1, 1], strides: [2, 2] },
  { name: '5x5 batch 2, same-lower', x: [2, 10, 7, 3], cout: 8, kernel: [5, 5], strides: [2, 2], autoPad: 'same-lower', bias: true },
  { name: 'kernel larger than the unpadded input', x: [1, 2, 3, 2], cout: 3, kernel: [3, 3], pads: [2, 2, 2, 2] },
  // On AVX2 builds every non-1x1 convolution takes the implicit-GEMM path (taps read in place,
  // im2col only at the borders); these exercise its interior/border split.
  {
    name: 'implicit: 3x3 stride 2, asymmetric pads, groups 2 (8 channels each)',
    x: [1, 13, 17, 16],
    cout: 24,
    kernel: [3, 3],
    strides: [2, 2],
    pads: [0, 1, 2, 1],
    groups: 2,
    bias: true,
  },
  {
    name: 'implicit: 5x3 kernel, dilation 2x1, strides 1x2',
    x: [2, 14, 11, 9],
    cout: 20,
    kernel: [5, 3],
    strides: [1, 2],
    dilations: [2, 1],
    pads: [4, 1, 4, 1],
    activation: { kind: 'relu' },
  },
  {
    name: 'implicit: no interior pixel (5x5 kernel, pad 2, 4x4 input)',
    x: [1, 4, 4, 12],
    cout: 7,
    kernel: [5, 5],
    pads: [2, 2, 2, 2],
    bias: true,
  },
  {
    name: 'esrgan-like 3x3 64 -> 64 on 24x20',
    x: [1, 24, 20, 64],
    cout: 64,
    kernel: [3, 3],
    pads: [1, 1, 1, 1],
    bias: true,
    activation: { kind: 'leakyRelu', alpha: 0.2 },
  },
];

function convCall(c: ConvCase): DenseKernelCall {
  const [batch, h, w, cin] = c.x as [number, number, number, number];
  const groups = c.groups ?? 1;
  const strides = c.strides ?? [1, 1];
  const dilations = c.dilations ?? [1, 1];
  const autoPad = c.autoPad ?? 'explicit';
  let pads: Pads2D = c.pads ?? [0, 0, 0, 0];
  if (autoPad === 'same-upper' || autoPad === 'same-lower') {
    const axis = (size: number, k: number, s: number, d: number): [number, number] => {
      const total = Math.max((Math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0);
      const small = Math.floor(total / 2);
      return autoPad === 'same-upper' ? [small, total - small] : [total - small, small];
    };
    const [t, b] = axis(h, c.kernel[0], strides[0], dilations[0]);
    const [l, r] = axis(w, c.kernel[1], strides[1], dilations[1]);
    pads = [t, l, b, r];
  }
  const outH = Math.floor((h + pads[0] + pads[2] - (dilations[0] * (c.kernel[0] - 1) + 1)) / strides[0]) + 1;
  const outW = Math.floor((w + pads[1] + pads[3] - (dilations[1] * (c.kernel[1] - 1) + 1)) / strides[1]) + 1;
  const attrs: Conv2DAttrs = {
    kernel: c.kernel,
    strides,
    dilations,
    pads: autoPad === 'explicit' ? pads : [0, 0, 0, 0],
    autoPad,
    groups,
    ...(c.activation ? { activation: c.activation } : {}),
  };
  return {
    op: 'Conv2D',
    attrs,
    inputs: [
      randomTensor(rng, c.x),
      randomTensor(rng, [c.kernel[0], c.kernel[1], cin / groups, c.cout]),
      c.bias ? randomTensor(rng, [c.cout]) : undefined,
    ],
    outputShape: [batch, outH, outW, c.cout],
  };
}

// Twice: with the default inline limit (small calls run on the JS thread, large ones on workers),
// and with every call on a worker thread, so both paths of every kernel are compared.
for (const [mode, inlineWork] of [
  ['default inline limit', DEFAULT_INLINE_WORK],
  ['every kernel on a worker thread', 0],
] as const) {
  describeNative(
    `native dense kernels match the reference backend (${mode})`,
    (backend) => {
      it('covers every compute op natively, leaving only shape ops to the fallback', () => {
        // Reshape-likes, Transpose and Softmax run natively in compiled programs only; per-node
        // calls of them go to the fallback backend.
        expect([...nativeDenseCoverage().fallback].sort()).toEqual([
          'Flatten',
          'Identity',
          'Reshape',
          'Softmax',
          'Squeeze',
          'Transpose',
          'Unsqueeze',
        ]);
      });

      for (const c of CONV_CASES) {
        it(`Conv2D: ${c.name}`, async () => {
          await expectMatchesReference(backend(), convCall(c));
        });
      }

      for (const activation of ACTIVATIONS) {
        it(`Conv2D with fused ${activation.kind}`, async () => {
          await expectMatchesReference(
            backend(),
            convCall({ name: '', x: [1, 9, 7, 5], cout: 6, kernel: [3, 3], pads: [1, 1, 1, 1], bias: true, activation }),
          );
          await expectMatchesReference(
            backend(),
            convCall({ name: '', x: [1, 9, 7, 6], cout: 6, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 6, activation }),
          );
        });
      }

      it('Conv2D reuses packed weights across calls and across batch and spatial sizes', async () => {
        const first = convCall({ name: '', x: [1, 9, 11, 6], cout: 10, kernel: [3, 3], pads: [1, 1, 1, 1], groups: 2, bias: true });
        await expectMatchesReference(backend(), first);
        await expectMatchesReference(backend(), first);
        const [, w, b] = first.inputs;
        const bigger: DenseKernelCall = { ...first, inputs: [randomTensor(rng, [2, 5, 7, 6]), w, b], outputShape: [2, 5, 7, 10] };
        await expectMatchesReference(backend(), bigger);
        // Same weights without the bias: a separate pack.
        await expectMatchesReference(backend(), { ...first, inputs: [first.inputs[0], w, undefined] });
      });

      it('Conv2D with a per-channel PReLU slope', async () => {
        const slope = randomTensor(rng, [7], 0, 0.5).data;
        await expectMatchesReference(
          backend(),
          convCall({ name: '', x: [1, 8, 9, 4], cout: 7, kernel: [3, 3], pads: [1, 1, 1, 1], activation: { kind: 'prelu', slope } }),
        );
      });

      const convT = (
        x: Shape,
        coutPerGroup: number,
        attrs: Partial<ConvTranspose2DAttrs> & Pick<ConvTranspose2DAttrs, 'kernel'>,
        bias = true,
      ): DenseKernelCall => {
        const [batch, h, w, cin] = x as [number, number, number, number];
        const a: ConvTranspose2DAttrs = {
          strides: [1, 1],
          dilations: [1, 1],
          pads: [0, 0, 0, 0],
          outputPadding: [0, 0],
          groups: 1,
          ...attrs,
        };
        const outH = (h - 1) * a.strides[0] + a.dilations[0] * (a.kernel[0] - 1) + 1 + a.outputPadding[0] - a.pads[0] - a.pads[2];
        const outW = (w - 1) * a.strides[1] + a.dilations[1] * (a.kernel[1] - 1) + 1 + a.outputPadding[1] - a.pads[1] - a.pads[3];
        const cout = coutPerGroup * a.groups;
        return {
          op: 'ConvTranspose2D',
          attrs: a,
          inputs: [
            randomTensor(rng, x),
            randomTensor(rng, [a.kernel[0], a.kernel[1], cin, coutPerGroup]),
            bias ? randomTensor(rng, [cout]) : undefined,
          ],
          outputShape: [batch, outH, outW, cout],
        };
      };

      it('ConvTranspose2D: 2x2 stride 2 (ppocr upsampling)', async () => {
        await expectMatchesReference(backend(), convT([1, 7, 9, 16], 8, { kernel: [2, 2], strides: [2, 2] }));
      });
      it('ConvTranspose2D: kernel = stride tilings, one output channel and 3x3 stride 3 with PReLU', async () => {
        await expectMatchesReference(
          backend(),
          convT([1, 5, 7, 24], 1, { kernel: [2, 2], strides: [2, 2], activation: { kind: 'sigmoid' } }, true),
        );
        const slope = randomTensor(rng, [17], 0, 0.5).data;
        await expectMatchesReference(
          backend(),
          convT([2, 4, 3, 9], 17, { kernel: [3, 3], strides: [3, 3], activation: { kind: 'prelu', slope } }),
        );
        await expectMatchesReference(backend(), convT([1, 4, 5, 6], 3, { kernel: [2, 3], strides: [2, 3] }, false));
      });
      it('ConvTranspose2D: 3x3 stride 2, pads, output padding, activation', async () => {
        await expectMatchesReference(
          backend(),
          convT([1, 5, 6, 3], 5, {
            kernel: [3, 3],
            strides: [2, 2],
            pads: [1, 1, 1, 1],
            outputPadding: [1, 1],
            activation: { kind: 'sigmoid' },
          }),
        );
      });
      it('ConvTranspose2D: groups 2, dilation 2, asymmetric pads, no bias', async () => {
        await expectMatchesReference(
          backend(),
          convT([2, 6, 5, 6], 3, { kernel: [3, 2], strides: [1, 2], dilations: [2, 2], pads: [1, 0, 0, 2], groups: 2 }, false),
        );
      });

      const pool = (
        op: 'MaxPool2D' | 'AvgPool2D',
        x: Shape,
        attrs: Partial<Pool2DAttrs> & Pick<Pool2DAttrs, 'kernel'>,
        ceil = false,
      ): DenseKernelCall => {
        const [batch, h, w, c] = x as [number, number, number, number];
        const a: Pool2DAttrs = {
          strides: [1, 1],
          pads: [0, 0, 0, 0],
          autoPad: 'explicit',
          ceilMode: ceil,
          countIncludePad: false,
          ...attrs,
        };
        const size = (n: number, p0: number, p1: number, k: number, s: number): number => {
          const span = n + p0 + p1 - k;
          let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
          if (ceil && (out - 1) * s >= n + p0) out--;
          return out;
        };
        const outH = size(h, a.pads[0], a.pads[2], a.kernel[0], a.strides[0]);
        const outW = size(w, a.pads[1], a.pads[3], a.kernel[1], a.strides[1]);
        return { op, attrs: a, inputs: [randomTensor(rng, x)], outputShape: [batch, outH, outW, c] } as DenseKernelCall;
      };

      for (const op of ['MaxPool2D', 'AvgPool2D'] as const) {
        it(`${op}: 3x3 stride 2 pad 1 on 13x17x17`, async () => {
          await expectMatchesReference(backend(), pool(op, [1, 13, 17, 17], { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }));
        });
        it(`${op}: 2x2 stride 2, ceil mode on odd sizes`, async () => {
          await expectMatchesReference(backend(), pool(op, [2, 7, 9, 3], { kernel: [2, 2], strides: [2, 2] }, true));
        });
        it(`${op}: asymmetric pads, count-include-pad, ceil mode`, async () => {
          await expectMatchesReference(
            backend(),
            pool(op, [1, 10, 11, 5], { kernel: [3, 2], strides: [2, 3], pads: [0, 1, 2, 1], countIncludePad: true }, true),
          );
        });
        it(`${op}: padding as large as the window`, async () => {
          await expectMatchesReference(
            backend(),
            pool(op, [1, 4, 5, 3], { kernel: [2, 2], strides: [1, 1], pads: [2, 2, 2, 2], countIncludePad: true }),
          );
        });
      }

      it('GlobalAvgPool over 13x17 and 1x1', async () => {
        await expectMatchesReference(backend(), {
          op: 'GlobalAvgPool',
          attrs: {},
          inputs: [randomTensor(rng, [2, 13, 17, 33])],
          outputShape: [2, 1, 1, 33],
        });
        await expectMatchesReference(backend(), {
          op: 'GlobalAvgPool',
          attrs: {},
          inputs: [randomTensor(rng, [1, 1, 1, 5])],
          outputShape: [1, 1, 1, 5],
        });
      });

      for (const activation of [...ACTIVATIONS, { kind: 'prelu', slope: randomTensor(rng, [17], 0, 0.5).data } as const]) {
        it(`Activation: ${activation.kind}${activation.kind === 'prelu' ? ` (${activation.slope.length} slopes)` : ''}`, async () => {
          await expectMatchesReference(backend(), {
            op: 'Activation',
            attrs: { activation },
            inputs: [randomTensor(rng, [1, 13, 11, 17], -8, 8)],
            outputShape: [1, 13, 11, 17],
          });
        });
      }

      it('BatchNorm over the last axis', async () => {
        const c = 17;
        await expectMatchesReference(backend(), {
          op: 'BatchNorm',
          attrs: { epsilon: 1e-3 },
          inputs: [
            randomTensor(rng, [1, 13, 7, c]),
            randomTensor(rng, [c], 0.5, 1.5),
            randomTensor(rng, [c]),
            randomTensor(rng, [c]),
            randomTensor(rng, [c], 0.1, 2),
          ],
          outputShape: [1, 13, 7, c],
        });
      });

      const BROADCASTS: readonly (readonly [string, Shape, Shape, Shape])[] = [
        ['same shape', [1, 13, 17, 5], [1, 13, 17, 5], [1, 13, 17, 5]],
        ['per channel', [1, 13, 17, 5], [5], [1, 13, 17, 5]],
        ['scalar', [1, 13, 17, 5], [], [1, 13, 17, 5]],
        ['one-element tensor first', [1], [2, 3, 4, 5], [2, 3, 4, 5]],
        ['[N,1,1,C] squeeze-excite scale', [2, 9, 7, 33], [2, 1, 1, 33], [2, 9, 7, 33]],
        ['[1,H,1,C] with [N,1,W,1]', [1, 6, 1, 3], [2, 1, 5, 1], [2, 6, 5, 3]],
        ['rank 2 row with column', [4, 1], [1, 7], [4, 7]],
        // Large enough that the single coalesced row is split across threads.
        ['large same shape', [1, 64, 64, 9], [1, 64, 64, 9], [1, 64, 64, 9]],
        ['large, scalar second', [2, 50, 60, 7], [1], [2, 50, 60, 7]],
      ];
      for (const op of ['Add', 'Sub', 'Mul', 'Div'] as const) {
        for (const [name, a, b, out] of BROADCASTS) {
          it(`${op}: ${name}`, async () => {
            // Divisors away from zero so the relative error stays meaningful.
            const bt = op === 'Div' ? randomTensor(rng, b, 0.5, 2) : randomTensor(rng, b);
            await expectMatchesReference(backend(), {
              op,
              attrs: {},
              inputs: [randomTensor(rng, a), bt],
              outputShape: out,
            } as DenseKernelCall);
          });
        }
      }
      it('Add with fused PReLU per channel', async () => {
        const slope = randomTensor(rng, [5], 0, 0.5).data;
        await expectMatchesReference(backend(), {
          op: 'Add',
          attrs: { activation: { kind: 'prelu', slope } },
          inputs: [randomTensor(rng, [1, 4, 6, 5]), randomTensor(rng, [1, 4, 6, 5])],
          outputShape: [1, 4, 6, 5],
        });
      });

      it('Concat on the channel axis (3, 17 and 33 channels)', async () => {
        await expectMatchesReference(backend(), {
          op: 'Concat',
          attrs: { axis: -1 },
          inputs: [randomTensor(rng, [1, 13, 17, 3]), randomTensor(rng, [1, 13, 17, 17]), randomTensor(rng, [1, 13, 17, 33])],
          outputShape: [1, 13, 17, 53],
        });
      });
      it('Concat on the height and batch axes', async () => {
        await expectMatchesReference(backend(), {
          op: 'Concat',
          attrs: { axis: 1 },
          inputs: [randomTensor(rng, [2, 3, 4, 5]), randomTensor(rng, [2, 6, 4, 5])],
          outputShape: [2, 9, 4, 5],
        });
        await expectMatchesReference(backend(), {
          op: 'Concat',
          attrs: { axis: 0 },
          inputs: [randomTensor(rng, [1, 3, 4, 5]), randomTensor(rng, [2, 3, 4, 5])],
          outputShape: [3, 3, 4, 5],
        });
      });

      for (const mode of ['constant', 'reflect', 'edge'] as const) {
        it(`Pad: ${mode}, spatial and channel pads with a crop`, async () => {
          const pads = [0, 2, 1, 0, 0, 3, -1, 2];
          await expectMatchesReference(backend(), {
            op: 'Pad',
            attrs: { pads, mode, value: 0.5 },
            inputs: [randomTensor(rng, [1, 5, 6, 3])],
            outputShape: [1, 10, 6, 5],
          });
        });
      }

      const resize = (x: Shape, attrs: ResizeAttrs, outHW: readonly [number, number]): DenseKernelCall => ({
        op: 'Resize',
        attrs,
        inputs: [randomTensor(rng, x)],
        outputShape: [x[0]!, outHW[0], outHW[1], x[3]!],
      });
      const COORDS = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn'] as const;
      for (const coordinateMode of COORDS) {
        it(`Resize linear, ${coordinateMode}: x2 by scales and 13x17 -> 20x9 by sizes`, async () => {
          await expectMatchesReference(
            backend(),
            resize([1, 13, 17, 5], { mode: 'linear', coordinateMode, nearestMode: 'floor', scales: [2, 2] }, [26, 34]),
          );
          await expectMatchesReference(
            backend(),
            resize([1, 13, 17, 3], { mode: 'linear', coordinateMode, nearestMode: 'floor', sizes: [20, 9] }, [20, 9]),
          );
        });
      }
      for (const nearestMode of ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const) {
        it(`Resize nearest, ${nearestMode}`, async () => {
          for (const coordinateMode of COORDS) {
            await expectMatchesReference(
              backend(),
              resize([1, 7, 9, 4], { mode: 'nearest', coordinateMode, nearestMode, scales: [2, 3] }, [14, 27]),
              0,
            );
            await expectMatchesReference(
              backend(),
              resize([1, 13, 17, 4], { mode: 'nearest', coordinateMode, nearestMode, sizes: [6, 11] }, [6, 11]),
              0,
            );
          }
        });
      }

      it('MatMul: 2-D, broadcast batches, 1-D operands', async () => {
        await expectMatchesReference(backend(), {
          op: 'MatMul',
          attrs: {},
          inputs: [randomTensor(rng, [13, 17]), randomTensor(rng, [17, 33])],
          outputShape: [13, 33],
        });
        await expectMatchesReference(backend(), {
          op: 'MatMul',
          attrs: {},
          inputs: [randomTensor(rng, [2, 1, 5, 7]), randomTensor(rng, [3, 7, 4])],
          outputShape: [2, 3, 5, 4],
        });
        await expectMatchesReference(backend(), {
          op: 'MatMul',
          attrs: {},
          inputs: [randomTensor(rng, [7]), randomTensor(rng, [2, 7, 3])],
          outputShape: [2, 3],
        });
        await expectMatchesReference(backend(), {
          op: 'MatMul',
          attrs: { activation: { kind: 'relu' } },
          inputs: [randomTensor(rng, [3, 7]), randomTensor(rng, [7])],
          outputShape: [3],
        });
      });

      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`Gemm transA=${transA} transB=${transB} with broadcast C`, async () => {
          const [m, k, n] = [13, 17, 33];
          const a = randomTensor(rng, transA ? [k, m] : [m, k]);
          const b = randomTensor(rng, transB ? [n, k] : [k, n]);
          for (const cShape of [[n], [m, 1], [m, n], []] as const) {
            await expectMatchesReference(backend(), {
              op: 'Gemm',
              attrs: { alpha: 0.5, beta: 2, transA, transB, activation: { kind: 'tanh' } },
              inputs: [a, b, randomTensor(rng, cShape)],
              outputShape: [m, n],
            });
          }
        });
      }
      it('Gemm: one row (a classifier head) and no C', async () => {
        await expectMatchesReference(backend(), {
          op: 'Gemm',
          attrs: { alpha: 1, beta: 1, transA: false, transB: true },
          inputs: [randomTensor(rng, [1, 64]), randomTensor(rng, [100, 64])],
          outputShape: [1, 100],
        });
      });

      it('Max and Min: NaN propagates and +0 is above -0, bit for bit as the reference', async () => {
        const a = { data: Float32Array.of(NaN, 1, 0, -0, 2, -Infinity), shape: [6] };
        const b = { data: Float32Array.of(1, NaN, -0, 0, 2, 3), shape: [6] };
        for (const op of ['Max', 'Min'] as const) {
          const out = await backend().runDense({ op, attrs: {}, inputs: [a, b], outputShape: [6] });
          const expected = Array.from({ length: 6 }, (_, i) => (op === 'Max' ? Math.max : Math.min)(a.data[i]!, b.data[i]!));
          expect(Array.from(out.data).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
            expected.map((v) => (Object.is(v, -0) ? '-0' : v)),
          );
        }
      });

      it('Slice with negative steps, DepthToSpace and SpaceToDepth round trips, Reduce of an empty group', async () => {
        const x = randomTensor(rng, [2, 6, 4, 8]);
        await expectMatchesReference(
          backend(),
          {
            op: 'Slice',
            attrs: { starts: [-1, 5, 7], ends: [-1e9, 0, 1], axes: [1, 2, 3], steps: [-2, -1, -3] },
            inputs: [x],
            outputShape: [2, 3, 3, 2],
          },
          0,
        );
        for (const mode of ['DCR', 'CRD'] as const) {
          await expectMatchesReference(
            backend(),
            { op: 'DepthToSpace', attrs: { blockSize: 2, mode }, inputs: [x], outputShape: [2, 12, 8, 2] },
            0,
          );
        }
        await expectMatchesReference(
          backend(),
          { op: 'SpaceToDepth', attrs: { blockSize: 2 }, inputs: [x], outputShape: [2, 3, 2, 32] },
          0,
        );
        const empty = { data: new Float32Array(0), shape: [2, 0, 3] };
        // NaN (mean), infinities (max, min, logSum, logSumExp) or the identity: compared value for value.
        for (const kind of ['mean', 'max', 'min', 'sum', 'prod', 'l2', 'logSum', 'logSumExp'] as const) {
          const call = { op: 'Reduce', attrs: { kind, axes: [1], keepDims: true }, inputs: [empty], outputShape: [2, 1, 3] } as const;
          expect(Array.from((await backend().runDense(call)).data)).toEqual(Array.from(reference.runDense(call).data));
        }
      });

      it('delegates shape ops (Reshape, Transpose, Softmax) to the fallback backend', async () => {
        const x = randomTensor(rng, [1, 3, 4, 5]);
        await expectMatchesReference(backend(), { op: 'Reshape', attrs: { shape: [1, -1] }, inputs: [x], outputShape: [1, 60] }, 0);
        await expectMatchesReference(
          backend(),
          { op: 'Transpose', attrs: { perm: [0, 3, 1, 2] }, inputs: [x], outputShape: [1, 5, 3, 4] },
          0,
        );
        await expectMatchesReference(backend(), { op: 'Softmax', attrs: { axis: -1 }, inputs: [x], outputShape: [1, 3, 4, 5] }, 0);
      });
    },
    inlineWork,
  );
}

// The convolution paths an AVX2 build does not take by default, forced through the addon's
// environment switches (read on every call): im2col + packed GEMM, and OpenBLAS (the path of
// builds without AVX2).
for (const [path, variable, value] of [
  ['im2col + packed GEMM', 'MD_CONV_IMPLICIT', '0'],
  ['OpenBLAS sgemm', 'MD_CONV_GEMM', 'blas'],
] as const) {
  describeNative(`Conv2D through ${path} matches the reference backend`, (backend) => {
    beforeAll(() => {
      process.env[variable] = value;
    });
    afterAll(() => {
      delete process.env[variable];
    });
    for (const c of CONV_CASES) {
      it(c.name, async () => {
        await expectMatchesReference(backend(), convCall(c));
      });
    }
  });
}

describeNative('native dense kernels validate their calls in TypeScript', (backend) => {
  const good = (): Extract<DenseKernelCall, { op: 'Conv2D' }> =>
    convCall({ name: '', x: [1, 6, 6, 4], cout: 8, kernel: [3, 3], pads: [1, 1, 1, 1], bias: true }) as Extract<
      DenseKernelCall,
      { op: 'Conv2D' }
    >;

  it('rejects a weight whose input channels do not match x, naming both', async () => {
    const call = good();
    const bad = { ...call, inputs: [call.inputs[0], randomTensor(rng, [3, 3, 5, 8]), call.inputs[2]] };
    await expect(backend().runDense(bad)).rejects.toThrow(ShapeError);
    await expect(backend().runDense(bad)).rejects.toThrow(/5 input channels per group but x has 4/);
  });
  it('rejects data whose length does not match its shape', async () => {
    const call = good();
    const bad = { ...call, inputs: [{ data: new Float32Array(10), shape: [1, 6, 6, 4] }, call.inputs[1], call.inputs[2]] };
    await expect(backend().runDense(bad)).rejects.toThrow(/has 10 values but its shape \[1,6,6,4\] needs 144/);
  });
  it('rejects a planned output shape the attributes do not produce', async () => {
    await expect(backend().runDense({ ...good(), outputShape: [1, 5, 6, 8] })).rejects.toThrow(/planned output shape \[1,5,6,8\]/);
  });
  it('rejects a bias of the wrong length and a PReLU slope of the wrong length', async () => {
    const call = good();
    await expect(backend().runDense({ ...call, inputs: [call.inputs[0], call.inputs[1], randomTensor(rng, [7])] })).rejects.toThrow(
      /bias has shape \[7\]/,
    );
    await expect(
      backend().runDense({ ...call, attrs: { ...call.attrs, activation: { kind: 'prelu', slope: new Float32Array(3) } } }),
    ).rejects.toThrow(/slope has 3 values/);
  });
  it('rejects non-float32 data with an InputError', async () => {
    const call = good();
    const x = { data: new Float64Array(144) as unknown as Float32Array, shape: [1, 6, 6, 4] };
    await expect(backend().runDense({ ...call, inputs: [x, call.inputs[1], call.inputs[2]] })).rejects.toThrow(InputError);
  });
  it('rejects shapes that do not broadcast, and a missing input', async () => {
    await expect(
      backend().runDense({
        op: 'Add',
        attrs: {},
        inputs: [randomTensor(rng, [1, 2, 3, 4]), randomTensor(rng, [3])],
        outputShape: [1, 2, 3, 4],
      }),
    ).rejects.toThrow(/do not broadcast/);
    await expect(backend().runDense({ op: 'Mul', attrs: {}, inputs: [randomTensor(rng, [4])], outputShape: [4] })).rejects.toThrow(
      /input 1 \(B\) is missing/,
    );
  });
});
