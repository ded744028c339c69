import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeltaBuffer, createRng } from '@motiondelta/core';
import type {
  ActivationSpec,
  AutoPad,
  Conv2DAttrs,
  ConvTranspose2DAttrs,
  LinearDeltaCall,
  PadAttrs,
  Pads2D,
  Pair,
  Pool2DAttrs,
  ResizeAttrs,
  Tensor,
} from '@motiondelta/core';
import { createNativeDeltaKernels } from '../src/delta/native-delta-kernels.js';
import type { Conv2dPath } from '../src/delta/native-delta-kernels.js';
import { resolveWindowPads } from '@motiondelta/core';
import { conv2dAttrs } from '@motiondelta/backend-conformance';
import {
  PATTERNS,
  changeAt,
  changedPixels,
  deltaBetween,
  describeNative,
  expectSameDelta,
  perturbAt,
  poisonInactive,
  randomTensor,
  refKernels,
  relMaxDiff,
} from './delta-fixtures.js';

interface ConvCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly outC: number;
  readonly strides?: Pair;
  readonly dilations?: Pair;
  readonly pads?: Pads2D;
  readonly autoPad?: AutoPad;
  readonly groups?: number;
}

const CONV_CASES: readonly ConvCase[] = [
  { label: '1x1', input: [2, 7, 9, 4], kernel: [1, 1], outC: 5 },
  { label: '1x1 stride 2', input: [1, 9, 11, 3], kernel: [1, 1], outC: 2, strides: [2, 2] },
  { label: '3x3 pads 1, 18x19 (crosses 8x8 tiles)', input: [1, 18, 19, 16], kernel: [3, 3], outC: 24, pads: [1, 1, 1, 1] },
  { label: '3x3 valid', input: [1, 8, 7, 3], kernel: [3, 3], outC: 2 },
  { label: '5x5 pads 2', input: [1, 9, 10, 2], kernel: [5, 5], outC: 3, pads: [2, 2, 2, 2] },
  { label: '3x7 asymmetric pads', input: [1, 8, 13, 2], kernel: [3, 7], outC: 3, pads: [1, 3, 0, 2] },
  { label: '3x3 stride 2 on odd sizes', input: [2, 17, 19, 5], kernel: [3, 3], outC: 4, strides: [2, 2], pads: [1, 1, 1, 1] },
  { label: '5x5 stride 2 x stride 1', input: [1, 11, 9, 2], kernel: [5, 5], outC: 3, strides: [2, 1], pads: [2, 2, 2, 2] },
  { label: '3x3 dilation 2', input: [1, 10, 9, 3], kernel: [3, 3], outC: 3, dilations: [2, 2], pads: [2, 2, 2, 2] },
  {
    label: '3x3 dilation 2 stride 2',
    input: [1, 11, 11, 2],
    kernel: [3, 3],
    outC: 2,
    dilations: [2, 2],
    strides: [2, 2],
    pads: [1, 2, 1, 0],
  },
  {
    label: '4x4 stride 3 dilation 2',
    input: [1, 14, 13, 3],
    kernel: [4, 4],
    outC: 2,
    dilations: [2, 2],
    strides: [3, 3],
    pads: [2, 1, 2, 1],
  },
  { label: '3x3 groups 2', input: [2, 7, 8, 4], kernel: [3, 3], outC: 6, groups: 2, pads: [1, 1, 1, 1] },
  { label: 'depthwise', input: [1, 17, 18, 8], kernel: [3, 3], outC: 8, groups: 8, pads: [1, 1, 1, 1] },
  {
    label: 'depthwise 40 channels (vector blocks and tail)',
    input: [1, 12, 13, 40],
    kernel: [3, 3],
    outC: 40,
    groups: 40,
    pads: [1, 1, 1, 1],
  },
  { label: 'depthwise multiplier 2', input: [1, 8, 9, 4], kernel: [3, 3], outC: 8, groups: 4, pads: [1, 1, 1, 1] },
  { label: 'depthwise stride 2', input: [1, 17, 16, 6], kernel: [3, 3], outC: 6, groups: 6, strides: [2, 2], pads: [0, 0, 1, 1] },
  { label: 'SAME-upper 3x3 stride 2', input: [1, 9, 10, 3], kernel: [3, 3], outC: 2, strides: [2, 2], autoPad: 'same-upper' },
  { label: 'SAME-lower 4x4', input: [1, 7, 8, 2], kernel: [4, 4], outC: 3, autoPad: 'same-lower' },
  { label: '3x3 64->64 (esrgan-like)', input: [1, 20, 24, 64], kernel: [3, 3], outC: 64, pads: [1, 1, 1, 1] },
];

const PATHS: readonly Conv2dPath[] = ['auto', 'input-driven', 'output-driven'];

function convOutputShape(cc: ConvCase, attrs: Conv2DAttrs): [number, number, number, number] {
  const [n, h, w] = cc.input;
  const [pt, pl, pb, pr] = resolveWindowPads('Conv2D', attrs.autoPad, attrs.pads, [h, w], attrs.kernel, attrs.strides, attrs.dilations);
  const outH = Math.floor((h + pt + pb - (attrs.dilations[0] * (attrs.kernel[0] - 1) + 1)) / attrs.strides[0]) + 1;
  const outW = Math.floor((w + pl + pr - (attrs.dilations[1] * (attrs.kernel[1] - 1) + 1)) / attrs.strides[1]) + 1;
  return [n, outH, outW, cc.outC];
}

const ACTIVATIONS: readonly ActivationSpec[] = [
  { kind: 'relu' },
  { kind: 'clip', min: 0, max: 6 },
  { kind: 'leakyRelu', alpha: 0.1 },
  { kind: 'prelu', slope: new Float32Array([0.1, -0.5, 2, 0.25, 0.3]) },
  { kind: 'prelu', slope: new Float32Array([0.3]) },
  { kind: 'sigmoid' },
  { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 },
  { kind: 'hardSwish' },
  { kind: 'tanh' },
];

/** Every Conv2D path of `kernelsByPath` equals the reference on case `cc`, for every change pattern, reusing its output buffers. */
async function expectConvPathsMatch(
  kernelsByPath: ReadonlyMap<Conv2dPath, ReturnType<typeof createNativeDeltaKernels>>,
  cc: ConvCase,
  caseIndex: number,
): Promise<void> {
  const rng = createRng(1000 + caseIndex);
  const groups = cc.groups ?? 1;
  const weight = randomTensor(rng, [cc.kernel[0], cc.kernel[1], cc.input[3] / groups, cc.outC]);
  const bias = randomTensor(rng, [cc.outC]);
  const attrs = conv2dAttrs(cc);
  const outShape = convOutputShape(cc, attrs);
  const outs = new Map(PATHS.map((p) => [p, new DeltaBuffer(outShape)] as const));
  const expected = new DeltaBuffer(outShape);
  for (const pattern of PATTERNS) {
    const x0 = randomTensor(rng, cc.input);
    const d = poisonInactive(deltaBetween(x0, changeAt(rng, x0, changedPixels(rng, cc.input, pattern))));
    const call = { op: 'Conv2D', attrs, inputs: [d, weight, bias] } as LinearDeltaCall;
    refKernels.linear(call, expected);
    for (const path of PATHS) {
      const actual = outs.get(path)!;
      await kernelsByPath.get(path)!.linear(call, actual);
      expectSameDelta(actual, expected, `${path} ${pattern}`);
    }
  }
}

describeNative('native delta kernels equal the reference delta kernels', (addon) => {
  const kernelsByPath = new Map(PATHS.map((path) => [path, createNativeDeltaKernels(addon, refKernels, { conv2dPath: path })] as const));
  const native = kernelsByPath.get('auto')!;

  it('sparsify: same active set, deltas and updated reference, at several thresholds', async () => {
    const rng = createRng(11);
    const shape = [2, 19, 23, 5] as const;
    for (const threshold of [0, 0.05, 0.3]) {
      let x = randomTensor(rng, shape);
      const refState = Float32Array.from(x.data);
      const natState = Float32Array.from(x.data);
      const expected = new DeltaBuffer(shape);
      const actual = new DeltaBuffer(shape);
      for (const [frame, pattern] of PATTERNS.entries()) {
        const pixels = changedPixels(rng, shape, pattern);
        x = frame % 2 === 0 ? changeAt(rng, x, pixels) : perturbAt(rng, x, pixels, 0.2);
        refKernels.sparsify(x, refState, threshold, expected);
        await native.sparsify(x, natState, threshold, actual);
        expectSameDelta(actual, expected, `threshold ${threshold} ${pattern}`, 0);
        expect(relMaxDiff(natState, refState)).toBe(0);
      }
    }
  });

  it('accumulate: target += delta at active pixels only', async () => {
    const rng = createRng(12);
    const shape = [1, 13, 17, 7] as const;
    for (const pattern of PATTERNS) {
      const x0 = randomTensor(rng, shape);
      const d = poisonInactive(deltaBetween(x0, changeAt(rng, x0, changedPixels(rng, shape, pattern))));
      const expected = Float32Array.from(x0.data);
      const actual = Float32Array.from(x0.data);
      refKernels.accumulate(d, expected);
      await native.accumulate(d, actual);
      expect(relMaxDiff(actual, expected), pattern).toBe(0);
    }
  });

  ACTIVATIONS.forEach((spec, index) => {
    it(`activation ${spec.kind}${spec.kind === 'prelu' ? ` (${spec.slope.length} slopes)` : ''}: same output and state over frames`, async () => {
      const rng = createRng(100 + index);
      const shape = [1, 11, 10, spec.kind === 'prelu' && spec.slope.length > 1 ? spec.slope.length : 5] as const;
      for (const threshold of [0, 0.05]) {
        let x: Tensor = randomTensor(rng, shape, -4, 4);
        const y = Float32Array.from(x.data);
        const ref = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(y) };
        const nat = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(y) };
        const expected = new DeltaBuffer(shape);
        const actual = new DeltaBuffer(shape);
        for (const [frame, pattern] of PATTERNS.entries()) {
          const x1 =
            frame % 2 === 0
              ? changeAt(rng, x, changedPixels(rng, shape, pattern), -4, 4)
              : perturbAt(rng, x, changedPixels(rng, shape, pattern), 0.1);
          const d = poisonInactive(deltaBetween(x, x1));
          x = x1;
          refKernels.activation(d, spec, ref, threshold, expected);
          await native.activation(d, spec, nat, threshold, actual);
          expectSameDelta(actual, expected, `threshold ${threshold} ${pattern}`, 1e-6);
          expect(relMaxDiff(nat.accumulated, ref.accumulated)).toBe(0);
          expect(relMaxDiff(nat.emitted, ref.emitted)).toBeLessThanOrEqual(1e-6);
        }
      }
    });
  });

  CONV_CASES.forEach((cc, caseIndex) => {
    it(`Conv2D ${cc.label}: every path, every change pattern, reused output buffers`, () =>
      expectConvPathsMatch(kernelsByPath, cc, caseIndex));
  });
});

interface TransposeCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly kernel: Pair;
  readonly coutPerGroup: number;
  readonly strides: Pair;
  readonly dilations?: Pair;
  readonly pads: Pads2D;
  readonly outputPadding: Pair;
  readonly groups?: number;
}

const TRANSPOSE_CASES: readonly TransposeCase[] = [
  {
    label: '3x3 stride 2 pads 1 outputPadding 1',
    input: [2, 9, 10, 3],
    kernel: [3, 3],
    coutPerGroup: 4,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    outputPadding: [1, 1],
  },
  {
    label: '4x4 stride 2 groups 2',
    input: [1, 9, 11, 4],
    kernel: [4, 4],
    coutPerGroup: 3,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    outputPadding: [0, 0],
    groups: 2,
  },
  {
    label: '2x2 stride 2',
    input: [1, 8, 9, 2],
    kernel: [2, 2],
    coutPerGroup: 3,
    strides: [2, 2],
    pads: [0, 0, 0, 0],
    outputPadding: [0, 0],
  },
  {
    label: '3x3 dilation 2 asymmetric crop',
    input: [1, 6, 5, 2],
    kernel: [3, 3],
    coutPerGroup: 2,
    strides: [1, 1],
    dilations: [2, 2],
    pads: [2, 0, 1, 3],
    outputPadding: [0, 0],
  },
  {
    label: '3x1 stride (3, 1) outputPadding (2, 0)',
    input: [1, 4, 6, 3],
    kernel: [3, 1],
    coutPerGroup: 2,
    strides: [3, 1],
    pads: [0, 0, 1, 0],
    outputPadding: [2, 0],
  },
];

interface PoolCase {
  readonly label: string;
  readonly input: readonly [number, number, number, number];
  readonly attrs: Pool2DAttrs;
  readonly ceil?: boolean;
}

const pool = (kernel: Pair, strides: Pair, pads: Pads2D, countIncludePad = false, ceilMode = false): Pool2DAttrs => ({
  kernel,
  strides,
  pads,
  autoPad: 'explicit',
  ceilMode,
  countIncludePad,
});

const POOL_CASES: readonly PoolCase[] = [
  { label: '2x2 stride 2', input: [1, 18, 17, 5], attrs: pool([2, 2], [2, 2], [0, 0, 0, 0]) },
  { label: '3x3 stride 1 pads 1', input: [2, 9, 10, 3], attrs: pool([3, 3], [1, 1], [1, 1, 1, 1]) },
  { label: '3x3 stride 2 pads 1 countIncludePad', input: [1, 11, 9, 4], attrs: pool([3, 3], [2, 2], [1, 1, 1, 1], true) },
  { label: '3x3 stride 2 ceil mode', input: [1, 10, 12, 3], attrs: pool([3, 3], [2, 2], [0, 0, 0, 0], true, true), ceil: true },
  { label: '5x3 stride (2, 3) asymmetric pads', input: [1, 13, 14, 2], attrs: pool([5, 3], [2, 3], [2, 1, 1, 0]) },
];

function poolOutShape(pc: PoolCase): [number, number, number, number] {
  const [n, h, w, c] = pc.input;
  const { kernel: k, strides: s, pads: p } = pc.attrs;
  const size = (len: number, kk: number, ss: number): number => (pc.ceil ? Math.ceil((len - kk) / ss) : Math.floor((len - kk) / ss)) + 1;
  return [n, size(h + p[0] + p[2], k[0], s[0]), size(w + p[1] + p[3], k[1], s[1]), c];
}

// The GEMM paths of builds without AVX2 (OpenBLAS, and im2col rows for the output-driven path),
// which an AVX2 build takes only when MD_CONV_GEMM=blas (read on every call).
describeNative('native delta Conv2D through OpenBLAS equals the reference', (addon) => {
  const kernelsByPath = new Map(PATHS.map((path) => [path, createNativeDeltaKernels(addon, refKernels, { conv2dPath: path })] as const));
  beforeAll(() => {
    process.env.MD_CONV_GEMM = 'blas';
  });
  afterAll(() => {
    delete process.env.MD_CONV_GEMM;
  });
  CONV_CASES.forEach((cc, caseIndex) => {
    it(`Conv2D ${cc.label}: every path`, () => expectConvPathsMatch(kernelsByPath, cc, caseIndex));
  });
});

describeNative('native linear delta kernels besides Conv2D equal the reference', (addon) => {
  const native = createNativeDeltaKernels(addon, refKernels);

  /** Runs one linear call through both kernel sets for every change pattern, reusing outputs. */
  async function compareLinear(
    seed: number,
    make: (deltas: readonly DeltaBuffer[]) => LinearDeltaCall,
    inputShapes: readonly (readonly number[])[],
    outShape: readonly number[],
  ): Promise<void> {
    const rng = createRng(seed);
    const expected = new DeltaBuffer(outShape);
    const actual = new DeltaBuffer(outShape);
    for (const pattern of PATTERNS) {
      const deltas = inputShapes.map((shape, i) => {
        const x0 = randomTensor(rng, shape);
        // The second operand changes with another pattern, so masks differ between operands.
        const p = i === 0 ? pattern : PATTERNS[(PATTERNS.indexOf(pattern) + 3) % PATTERNS.length]!;
        return poisonInactive(deltaBetween(x0, changeAt(rng, x0, changedPixels(rng, shape, p))));
      });
      const call = make(deltas);
      refKernels.linear(call, expected);
      await native.linear(call, actual);
      expectSameDelta(actual, expected, pattern);
    }
  }

  TRANSPOSE_CASES.forEach((tc, i) => {
    it(`ConvTranspose2D ${tc.label}`, async () => {
      const rng = createRng(2000 + i);
      const groups = tc.groups ?? 1;
      const weight = randomTensor(rng, [tc.kernel[0], tc.kernel[1], tc.input[3], tc.coutPerGroup]);
      const [dh, dw] = tc.dilations ?? [1, 1];
      const [n, h, w] = tc.input;
      const outH = (h - 1) * tc.strides[0] + dh * (tc.kernel[0] - 1) + 1 + tc.outputPadding[0] - tc.pads[0] - tc.pads[2];
      const outW = (w - 1) * tc.strides[1] + dw * (tc.kernel[1] - 1) + 1 + tc.outputPadding[1] - tc.pads[1] - tc.pads[3];
      const attrs: ConvTranspose2DAttrs = {
        kernel: tc.kernel,
        strides: tc.strides,
        dilations: [dh, dw],
        pads: tc.pads,
        outputPadding: tc.outputPadding,
        groups,
      };
      await compareLinear(
        2100 + i,
        ([d]) => ({ op: 'ConvTranspose2D', attrs, inputs: [d, weight] }),
        [tc.input],
        [n, outH, outW, tc.coutPerGroup * groups],
      );
    });
  });

  POOL_CASES.forEach((pc, i) => {
    it(`AvgPool2D ${pc.label}`, async () => {
      await compareLinear(3000 + i, ([d]) => ({ op: 'AvgPool2D', attrs: pc.attrs, inputs: [d] }), [pc.input], poolOutShape(pc));
    });
  });

  it('GlobalAvgPool', async () => {
    await compareLinear(3100, ([d]) => ({ op: 'GlobalAvgPool', attrs: {}, inputs: [d] }), [[2, 9, 11, 6]], [2, 1, 1, 6]);
  });

  it('Concat on channels: two varying inputs and a constant', async () => {
    const k = randomTensor(createRng(1), [1, 10, 9, 2]);
    await compareLinear(
      3200,
      ([a, b]) => ({ op: 'Concat', attrs: { axis: 3 }, inputs: [a, k, b] }),
      [
        [1, 10, 9, 3],
        [1, 10, 9, 4],
      ],
      [1, 10, 9, 9],
    );
  });

  for (const op of ['Add', 'Sub'] as const) {
    it(`${op}: two varying operands, varying + constant, constant - varying`, async () => {
      const shape = [1, 10, 12, 5] as const;
      const k = randomTensor(createRng(2), [5]);
      await compareLinear(3300, ([a, b]) => ({ op, attrs: {}, inputs: [a, b] }), [shape, shape], shape);
      await compareLinear(3301, ([a]) => ({ op, attrs: {}, inputs: [a, k] }), [shape], shape);
      await compareLinear(3302, ([b]) => ({ op, attrs: {}, inputs: [k, b] }), [shape], shape);
    });
  }

  for (const op of ['Mul', 'Div'] as const) {
    it(`${op} by a constant: scalar, per channel, per pixel, full`, async () => {
      const shape = [2, 7, 9, 4] as const;
      const rng = createRng(3400);
      for (const kShape of [[1], [4], [1, 7, 9, 1], [2, 7, 9, 4], [9, 4]]) {
        const k = randomTensor(rng, kShape, 0.5, 2);
        await compareLinear(3401, ([a]) => ({ op, attrs: {}, inputs: [a, k] }), [shape], shape);
        if (op === 'Mul') await compareLinear(3402, ([b]) => ({ op, attrs: {}, inputs: [k, b] }), [shape], shape);
      }
    });
  }

  it('BatchNorm applies its scale only; Identity copies', async () => {
    const rng = createRng(3500);
    const c = 6;
    const [scale, bias, mean] = [randomTensor(rng, [c]), randomTensor(rng, [c]), randomTensor(rng, [c])];
    const variance = randomTensor(rng, [c], 0.1, 2);
    const shape = [1, 9, 8, c];
    await compareLinear(
      3501,
      ([x]) => ({ op: 'BatchNorm', attrs: { epsilon: 1e-3 }, inputs: [x, scale, bias, mean, variance] }),
      [shape],
      shape,
    );
    await compareLinear(3502, ([x]) => ({ op: 'Identity', attrs: {}, inputs: [x] }), [shape], shape);
  });

  const RESIZES: readonly { attrs: ResizeAttrs; input: readonly [number, number, number, number] }[] = [
    { attrs: { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] }, input: [1, 9, 11, 3] },
    { attrs: { mode: 'linear', coordinateMode: 'align_corners', nearestMode: 'round_prefer_floor', sizes: [17, 13] }, input: [2, 7, 9, 2] },
    {
      attrs: { mode: 'linear', coordinateMode: 'pytorch_half_pixel', nearestMode: 'round_prefer_floor', sizes: [5, 6] },
      input: [1, 12, 17, 3],
    },
    { attrs: { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 3] }, input: [1, 8, 6, 4] },
    { attrs: { mode: 'nearest', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_ceil', sizes: [11, 7] }, input: [1, 8, 9, 2] },
    {
      attrs: { mode: 'nearest', coordinateMode: 'tf_half_pixel_for_nn', nearestMode: 'round_prefer_floor', scales: [0.5, 0.5] },
      input: [1, 16, 18, 3],
    },
  ];
  RESIZES.forEach((rc, i) => {
    it(`Resize ${rc.attrs.mode} ${rc.attrs.coordinateMode} ${rc.attrs.sizes ? `to ${rc.attrs.sizes.join('x')}` : `x${rc.attrs.scales!.join('/')}`}`, async () => {
      const [n, h, w, c] = rc.input;
      const outHW = rc.attrs.sizes ?? [
        Math.floor(Math.fround(Math.fround(rc.attrs.scales![0]) * h)),
        Math.floor(Math.fround(Math.fround(rc.attrs.scales![1]) * w)),
      ];
      await compareLinear(3600 + i, ([x]) => ({ op: 'Resize', attrs: rc.attrs, inputs: [x] }), [rc.input], [n, outHW[0], outHW[1], c]);
    });
  });

  const PADS: readonly { pads: number[]; mode: PadAttrs['mode'] }[] = [
    { pads: [0, 1, 2, 0, 0, 2, 1, 0], mode: 'constant' },
    { pads: [0, 1, 2, 0, 0, 2, 1, 0], mode: 'reflect' },
    { pads: [0, 3, 0, 0, 0, 1, 4, 0], mode: 'edge' },
    { pads: [0, -1, 2, 0, 0, 1, -2, 0], mode: 'reflect' },
    { pads: [0, 9, 11, 0, 0, 8, 10, 0], mode: 'reflect' },
  ];
  PADS.forEach((pc, i) => {
    it(`Pad ${pc.mode} [${pc.pads.join(',')}]`, async () => {
      const input = [2, 7, 9, 3] as const;
      const out = [2, 7 + pc.pads[1]! + pc.pads[5]!, 9 + pc.pads[2]! + pc.pads[6]!, 3];
      await compareLinear(
        3700 + i,
        ([x]) => ({ op: 'Pad', attrs: { pads: pc.pads, mode: pc.mode, value: 0.5 }, inputs: [x] }),
        [input],
        out,
      );
    });
  });

  it('rejects what the reference rejects: a varying operand that broadcasts, Div by a varying operand', async () => {
    const a = new DeltaBuffer([1, 4, 4, 2]);
    const b = new DeltaBuffer([1, 1, 1, 2]);
    await expect(async () => native.linear({ op: 'Add', attrs: {}, inputs: [a, b] }, new DeltaBuffer([1, 4, 4, 2]))).rejects.toThrow(
      /broadcast/,
    );
    const k = randomTensor(createRng(3), [2]);
    await expect(async () => native.linear({ op: 'Div', attrs: {}, inputs: [k, a] }, new DeltaBuffer([1, 4, 4, 2]))).rejects.toThrow(
      /binary/,
    );
  });
});

describeNative('native stateful delta kernels (binary, max pool) equal the reference over frames', (addon) => {
  const native = createNativeDeltaKernels(addon, refKernels);

  interface BinaryCase {
    readonly label: string;
    readonly op: 'Add' | 'Sub' | 'Mul' | 'Div';
    readonly a: readonly number[];
    readonly b: readonly number[];
    /** Which operands vary; the other is a constant. */
    readonly varying: 'both' | 'a' | 'b';
  }
  const CASES: readonly BinaryCase[] = [
    { label: 'x * y, same shapes', op: 'Mul', a: [1, 9, 10, 4], b: [1, 9, 10, 4], varying: 'both' },
    { label: 'squeeze-excite gate: x * g[N,1,1,C]', op: 'Mul', a: [2, 8, 9, 4], b: [2, 1, 1, 4], varying: 'both' },
    { label: 'x / y', op: 'Div', a: [1, 7, 8, 3], b: [1, 7, 8, 3], varying: 'both' },
    { label: 'x + row[N,H,1,C] broadcast sum', op: 'Add', a: [1, 7, 8, 3], b: [1, 7, 1, 3], varying: 'both' },
    { label: 'constant / x', op: 'Div', a: [1, 7, 8, 3], b: [1, 7, 8, 3], varying: 'b' },
    { label: 'x - per-channel constant', op: 'Sub', a: [1, 6, 7, 3], b: [3], varying: 'a' },
  ];

  CASES.forEach((bc, index) => {
    it(`binary ${bc.label}`, async () => {
      const rng = createRng(4000 + index);
      for (const threshold of [0, 0.05]) {
        let xa = randomTensor(rng, bc.a, 0.5, 2);
        let xb = randomTensor(rng, bc.b, 0.5, 2);
        const outShape = [...(bc.a.length >= bc.b.length ? bc.a : bc.b)].map((_, i, arr) => {
          const r = arr.length;
          const da = bc.a[bc.a.length - r + i] ?? 1;
          const db = bc.b[bc.b.length - r + i] ?? 1;
          return Math.max(da, db);
        });
        const y = new Float32Array(outShape.reduce((s, d) => s * d, 1));
        const ref = { accumulated: [Float32Array.from(xa.data), Float32Array.from(xb.data)] as const, emitted: Float32Array.from(y) };
        const nat = { accumulated: [Float32Array.from(xa.data), Float32Array.from(xb.data)] as const, emitted: Float32Array.from(y) };
        const expected = new DeltaBuffer(outShape);
        const actual = new DeltaBuffer(outShape);
        for (const [frame, pattern] of PATTERNS.entries()) {
          const step = (x: Tensor): [Tensor, DeltaBuffer] => {
            const x1 =
              frame % 2 === 0
                ? changeAt(rng, x, changedPixels(rng, x.shape, pattern), 0.5, 2)
                : perturbAt(rng, x, changedPixels(rng, x.shape, pattern), 0.05);
            return [x1, poisonInactive(deltaBetween(x, x1))];
          };
          let da: DeltaBuffer | Tensor = xa;
          let db: DeltaBuffer | Tensor = xb;
          if (bc.varying !== 'b') [xa, da] = step(xa);
          if (bc.varying !== 'a') [xb, db] = step(xb);
          refKernels.binary(bc.op, da, db, ref, threshold, expected);
          await native.binary(bc.op, da, db, nat, threshold, actual);
          expectSameDelta(actual, expected, `threshold ${threshold} ${pattern}`, 1e-6);
          expect(relMaxDiff(nat.emitted, ref.emitted)).toBeLessThanOrEqual(1e-6);
          expect(relMaxDiff(nat.accumulated[0], ref.accumulated[0])).toBe(0);
          expect(relMaxDiff(nat.accumulated[1], ref.accumulated[1])).toBe(0);
        }
      }
    });
  });

  POOL_CASES.forEach((pc, index) => {
    it(`maxPool ${pc.label}`, async () => {
      const rng = createRng(5000 + index);
      const outShape = poolOutShape(pc);
      for (const threshold of [0, 0.05]) {
        let x = randomTensor(rng, pc.input);
        const y0 = new Float32Array(outShape.reduce((s, d) => s * d, 1));
        const ref = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(y0) };
        const nat = { accumulated: Float32Array.from(x.data), emitted: Float32Array.from(y0) };
        const expected = new DeltaBuffer(outShape);
        const actual = new DeltaBuffer(outShape);
        for (const [frame, pattern] of PATTERNS.entries()) {
          const x1 =
            frame % 2 === 0
              ? changeAt(rng, x, changedPixels(rng, pc.input, pattern))
              : perturbAt(rng, x, changedPixels(rng, pc.input, pattern), 0.1);
          const d = poisonInactive(deltaBetween(x, x1));
          x = x1;
          refKernels.maxPool(d, pc.attrs, ref, threshold, expected);
          await native.maxPool(d, pc.attrs, nat, threshold, actual);
          expectSameDelta(actual, expected, `threshold ${threshold} ${pattern}`, 0);
          expect(relMaxDiff(nat.emitted, ref.emitted)).toBe(0);
          expect(relMaxDiff(nat.accumulated, ref.accumulated)).toBe(0);
        }
      }
    });
  });
});
