import { expect, it } from 'vitest';
import { createRng, randomFloat32, sizeOf, tileRects, uniform } from '@motiondelta/core';
import type { OpCall, Program, Shape, Tensor, TileSpan, TilesStep, ValueDecl } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';
import { NativeProgramCompiler } from '../src/program/native-program-compiler.js';
import { describeNative } from './dense-fixtures.js';
import { CONV3 } from './program-fixtures.js';

/**
 * Block mode's `tiles` steps compiled natively, one op at a time: a program whose keyframe computes
 * the op densely into a persistent map and whose frame recomputes it on the rectangles of seeded
 * random block masks (docs/architecture/block-mode.md). The oracle is written from the step's
 * meaning, not from either implementation: each frame, the reference backend's dense op on the
 * frame's inputs inside core's tileRects region, the previous output (bit for bit) outside it.
 * Masks include every block (the whole-map path) and none; spans overlap by a pixel where block
 * edges cut output pixels, as the lowering rounds them outwards.
 */

interface TilesCase {
  readonly name: string;
  readonly call: OpCall;
  /** Frame inputs (new values every frame), then constants. */
  readonly inputs: readonly Shape[];
  readonly constants?: readonly Shape[];
  readonly output: Shape;
}

const N = 1;
const ACT_RELU6 = { kind: 'clip', min: 0, max: 6 } as const;
const POOL = { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], autoPad: 'explicit', ceilMode: false, countIncludePad: false } as const;

const CASES: readonly TilesCase[] = [
  {
    name: 'Conv2D 3x3 stride 1, bias and ReLU6',
    call: { op: 'Conv2D', attrs: { ...CONV3, activation: ACT_RELU6 } },
    inputs: [[N, 13, 17, 4]],
    constants: [[3, 3, 4, 6], [6]],
    output: [N, 13, 17, 6],
  },
  {
    name: 'Conv2D 3x3 stride 2, asymmetric pads',
    call: { op: 'Conv2D', attrs: { ...CONV3, strides: [2, 2], pads: [0, 0, 1, 1] } },
    inputs: [[N, 14, 18, 3]],
    constants: [[3, 3, 3, 5]],
    output: [N, 7, 9, 5],
  },
  {
    name: 'Conv2D depthwise 3x3, dilation 2',
    call: { op: 'Conv2D', attrs: { ...CONV3, dilations: [2, 2], pads: [2, 2, 2, 2], groups: 8 } },
    inputs: [[N, 12, 15, 8]],
    constants: [[3, 3, 1, 8], [8]],
    output: [N, 12, 15, 8],
  },
  {
    name: 'Conv2D 1x1, two images (rectangles copied, never read in place)',
    call: { op: 'Conv2D', attrs: { ...CONV3, kernel: [1, 1], pads: [0, 0, 0, 0] } },
    inputs: [[2, 10, 11, 6]],
    constants: [[1, 1, 6, 7]],
    output: [2, 10, 11, 7],
  },
  {
    name: 'Conv2D 1x1 with pads wider than its reach (border windows wholly in the padding)',
    call: { op: 'Conv2D', attrs: { ...CONV3, kernel: [1, 1], pads: [2, 2, 2, 2], activation: { kind: 'sigmoid' } } },
    inputs: [[N, 6, 7, 3]],
    constants: [[1, 1, 3, 4], [4]],
    output: [N, 10, 11, 4],
  },
  { name: 'MaxPool2D 3x3 stride 2', call: { op: 'MaxPool2D', attrs: POOL }, inputs: [[N, 15, 17, 3]], output: [N, 8, 9, 3] },
  {
    name: 'AvgPool2D 3x3 stride 1, padding counted',
    call: { op: 'AvgPool2D', attrs: { ...POOL, strides: [1, 1], countIncludePad: true } },
    inputs: [[N, 11, 13, 3]],
    output: [N, 11, 13, 3],
  },
  {
    name: 'AvgPool2D 2x2 stride 2, ceil mode (whole map)',
    call: { op: 'AvgPool2D', attrs: { ...POOL, kernel: [2, 2], pads: [0, 0, 0, 0], ceilMode: true } },
    inputs: [[N, 11, 13, 3]],
    output: [N, 6, 7, 3],
  },
  {
    name: 'Activation hard-swish',
    call: { op: 'Activation', attrs: { activation: { kind: 'hardSwish' } } },
    inputs: [[N, 9, 14, 5]],
    output: [N, 9, 14, 5],
  },
  {
    name: 'BatchNorm with constant parameters',
    call: { op: 'BatchNorm', attrs: { epsilon: 1e-3 } },
    inputs: [[N, 9, 14, 5]],
    constants: [[5], [5], [5], [5]],
    output: [N, 9, 14, 5],
  },
  {
    name: 'Add of two maps',
    call: { op: 'Add', attrs: {} },
    inputs: [
      [N, 9, 14, 5],
      [N, 9, 14, 5],
    ],
    output: [N, 9, 14, 5],
  },
  {
    name: 'Mul by a per-channel constant, with ReLU',
    call: { op: 'Mul', attrs: { activation: { kind: 'relu' } } },
    inputs: [[N, 9, 14, 5]],
    constants: [[5]],
    output: [N, 9, 14, 5],
  },
  {
    name: 'Sub of a squeeze-excite vector [N, 1, 1, C]',
    call: { op: 'Sub', attrs: {} },
    inputs: [
      [N, 9, 14, 5],
      [N, 1, 1, 5],
    ],
    output: [N, 9, 14, 5],
  },
  {
    name: 'Concat of channels',
    call: { op: 'Concat', attrs: { axis: -1 } },
    inputs: [
      [N, 9, 14, 3],
      [N, 9, 14, 2],
    ],
    output: [N, 9, 14, 5],
  },
  { name: 'Softmax over channels', call: { op: 'Softmax', attrs: { axis: 3 } }, inputs: [[N, 9, 14, 5]], output: [N, 9, 14, 5] },
  { name: 'Identity', call: { op: 'Identity', attrs: {} }, inputs: [[N, 9, 14, 5]], output: [N, 9, 14, 5] },
  {
    name: 'Resize bilinear x2 (whole map)',
    call: { op: 'Resize', attrs: { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] } },
    inputs: [[N, 6, 7, 3]],
    output: [N, 12, 14, 3],
  },
  {
    name: 'Pad reflect (whole map)',
    call: { op: 'Pad', attrs: { pads: [0, 1, 2, 0, 0, 2, 1, 0], mode: 'reflect', value: 0 } },
    inputs: [[N, 8, 9, 3]],
    output: [N, 11, 12, 3],
  },
];

/** Block spans on a map of `outSize` from an image of `inSize` cut in blocks of `block`, rounded outwards (graph-runtime's blockSpans). */
function spans(inSize: number, block: number, outSize: number): TileSpan[] {
  return Array.from({ length: Math.ceil(inSize / block) }, (_, b) => {
    const to = Math.min(inSize, (b + 1) * block);
    return [Math.floor((b * block * outSize) / inSize), Math.min(outSize, Math.ceil((to * outSize) / inSize))] as TileSpan;
  });
}

function tilesProgram(c: TilesCase, rowSpans: TileSpan[], colSpans: TileSpan[]): { program: Program; constants: Map<string, Tensor> } {
  const rng = createRng(sizeOf(c.output));
  const values: ValueDecl[] = [];
  const constants = new Map<string, Tensor>();
  const declare = (name: string, shape: Shape, lifetime: ValueDecl['lifetime']): number =>
    values.push({ name, kind: 'tensor', shape, lifetime }) - 1;
  const inputs = c.inputs.map((shape, i) => declare(`x${i}`, shape, 'input'));
  const consts = (c.constants ?? []).map((shape, i) => {
    // BatchNorm variances must be positive; every constant is, which changes nothing else.
    constants.set(`c${i}`, { data: randomFloat32(rng, sizeOf(shape), 0.1, 1), shape });
    return declare(`c${i}`, shape, 'constant');
  });
  const blocks = declare('#blocks', [1, rowSpans.length, colSpans.length, 1], 'input');
  const y = declare('y', c.output, 'stream');
  const operands = [...inputs, ...consts];
  const tiles: TilesStep = { kind: 'tiles', node: 'op', call: c.call, inputs: operands, blocks, rowSpans, colSpans, output: y };
  const program: Program = {
    values,
    inputs: [...inputs.map((value, i) => ({ name: `x${i}`, value })), { name: '#blocks', value: blocks }],
    outputs: [{ name: 'y', value: y }],
    entries: { keyframe: [{ kind: 'dense', node: 'op', call: c.call, inputs: operands, output: y }], frame: [tiles] },
  };
  return { program, constants };
}

describeNative('tiles steps compiled natively equal the dense op inside the executed blocks and keep the rest', (backend) => {
  const reference = new ReferenceBackend();

  for (const c of CASES) {
    it(c.name, async () => {
      const [, h, w] = c.output as [number, number, number, number];
      // An image about twice the map's size in blocks of 5 pixels: spans of 2-3 map pixels that overlap where edges cut a pixel.
      const rowSpans = spans(2 * h + 1, 5, h);
      const colSpans = spans(2 * w + 1, 5, w);
      const { program, constants } = tilesProgram(c, rowSpans, colSpans);
      const compiler = backend().programs ?? expect.fail('cpu-native has no program compiler');
      expect(compiler instanceof NativeProgramCompiler && compiler.declines(program)).toBeUndefined();
      const executable = compiler.compile(program, constants);
      const rng = createRng(17);
      const frameInputs = (): Tensor[] => c.inputs.map((shape) => ({ data: randomFloat32(rng, sizeOf(shape), -2, 2), shape }));
      const dense = (xs: Tensor[]): Tensor =>
        reference.runDense({
          ...c.call,
          inputs: [...xs, ...(c.constants ?? []).map((_, i) => constants.get(`c${i}`)!)],
          outputShape: c.output,
        } as Parameters<ReferenceBackend['runDense']>[0]);
      const feed = (xs: Tensor[], mask?: Float32Array): Record<string, Tensor> => ({
        ...Object.fromEntries(xs.map((x, i) => [`x${i}`, x])),
        '#blocks': { data: mask ?? new Float32Array(rowSpans.length * colSpans.length), shape: [1, rowSpans.length, colSpans.length, 1] },
      });
      try {
        const first = frameInputs();
        let previous = (await executable.run('keyframe', feed(first))).outputs['y']!.data;
        const problems: string[] = [];
        const count = rowSpans.length * colSpans.length;
        const masks = [
          ...[0.3, 0.5, 0.7].map((rate) => Float32Array.from({ length: count }, () => (uniform(rng, 0, 1) < rate ? 1 : 0))),
          new Float32Array(count).fill(1),
          new Float32Array(count),
        ];
        for (const [f, mask] of masks.entries()) {
          const xs = frameInputs();
          const { outputs, active } = await executable.run('frame', feed(xs, mask));
          const got = outputs['y']!.data;
          const want = dense(xs).data;
          const inRegion = new Uint8Array(h * w);
          let area = 0;
          for (const r of tileRects(rowSpans, colSpans, mask)) {
            area += (r.y1 - r.y0) * (r.x1 - r.x0);
            for (let y = r.y0; y < r.y1; y++) inRegion.fill(1, y * w + r.x0, y * w + r.x1);
          }
          expect(active[0]).toBe(c.output[0]! * area);
          const channels = c.output[3]!;
          let worst = 0;
          let moved = 0;
          for (let i = 0; i < got.length; i++) {
            const pixel = Math.floor(i / channels) % (h * w);
            if (inRegion[pixel]) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
            else if (!Object.is(got[i], previous[i])) moved++;
          }
          if (!(worst <= 1e-5)) problems.push(`mask ${f}: executed pixels differ from dense by ${worst}`);
          if (moved > 0) problems.push(`mask ${f}: ${moved} kept values changed`);
          previous = got;
        }
        expect(problems).toEqual([]);
      } finally {
        executable.dispose();
      }
    });
  }

  it('refuses tiles steps whose spans leave the map or whose mask is not a frame input, at compile time', () => {
    const c = CASES[0]!;
    const compiler = backend().programs ?? expect.fail('cpu-native has no program compiler');
    const good = tilesProgram(c, spans(13, 4, 13), spans(17, 4, 17));
    const outside = tilesProgram(
      c,
      [
        [0, 7],
        [7, 14],
      ] as TileSpan[],
      spans(17, 4, 17),
    );
    expect(() => compiler.compile(outside.program, outside.constants)).toThrow(/span lies outside the map's 13 pixels/);
    const values = good.program.values.map((v) => (v.name === '#blocks' ? { ...v, lifetime: 'constant' as const } : v));
    const constants = new Map(good.constants).set('#blocks', { data: new Float32Array(20).fill(1), shape: [1, 4, 5, 1] });
    const program = { ...good.program, values, inputs: good.program.inputs.filter((p) => p.name !== '#blocks') };
    expect(() => compiler.compile(program, constants)).toThrow(/block mask is not a frame input/);
  });
});
