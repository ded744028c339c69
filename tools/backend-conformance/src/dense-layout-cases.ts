import type { PadAttrs, ResizeAttrs, Shape } from '@motiondelta/core';
import { denseCase } from './dense-case.js';
import { randomTensor } from './random-data.js';
import { resizeShape } from './shapes.js';
import type { ConformanceCase } from './types.js';

const X: Shape = [2, 13, 17, 5];

/** Resize modes: every nearest rounding and coordinate mode, bilinear in each mode, up, down, odd sizes. */
export const RESIZE_CONFIGS: readonly { readonly input: Shape; readonly attrs: ResizeAttrs }[] = [
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 2] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', sizes: [20, 9] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_ceil', scales: [1.5, 2.5] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'align_corners', nearestMode: 'round_prefer_floor', sizes: [25, 33] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'tf_half_pixel_for_nn', nearestMode: 'ceil', sizes: [26, 34] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'pytorch_half_pixel', nearestMode: 'round_prefer_ceil', sizes: [7, 1] } },
  { input: X, attrs: { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [0.5, 0.5] } },
  { input: X, attrs: { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', scales: [2, 2] } },
  { input: X, attrs: { mode: 'linear', coordinateMode: 'align_corners', nearestMode: 'round_prefer_floor', sizes: [25, 33] } },
  { input: X, attrs: { mode: 'linear', coordinateMode: 'asymmetric', nearestMode: 'round_prefer_floor', scales: [3, 1.5] } },
  { input: X, attrs: { mode: 'linear', coordinateMode: 'pytorch_half_pixel', nearestMode: 'round_prefer_floor', sizes: [1, 8] } },
  { input: [1, 8, 8, 33], attrs: { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor', sizes: [5, 13] } },
];

export function resizeLabel(input: Shape, a: ResizeAttrs): string {
  const size = a.sizes ? `sizes${a.sizes.join('x')}` : `scales${a.scales!.join('x')}`;
  return `${a.mode} ${a.coordinateMode}${a.mode === 'nearest' ? ` ${a.nearestMode}` : ''} ${size} [${input.join(',')}]`;
}

/** Pad configurations on NHWC: constant with a value, reflect, edge, crops (negative pads), channel and batch pads. */
export const PAD_CONFIGS: readonly { readonly input: Shape; readonly attrs: PadAttrs }[] = [
  { input: X, attrs: { pads: [0, 1, 2, 0, 0, 3, 0, 0], mode: 'constant', value: 0.5 } },
  { input: X, attrs: { pads: [0, 2, 1, 0, 0, 1, 3, 0], mode: 'reflect', value: 0 } },
  { input: X, attrs: { pads: [0, 3, 3, 0, 0, 0, 2, 0], mode: 'edge', value: 0 } },
  { input: X, attrs: { pads: [0, -1, 2, 0, 0, 1, -3, 0], mode: 'constant', value: 0 } },
  { input: X, attrs: { pads: [0, -2, 1, 0, 0, 2, -1, 0], mode: 'reflect', value: 0 } },
  { input: X, attrs: { pads: [1, 0, 0, 2, 0, 0, 0, 1], mode: 'constant', value: -1 } },
  { input: [1, 3, 2, 1], attrs: { pads: [0, 5, 4, 0, 0, 4, 5, 0], mode: 'reflect', value: 0 } },
  { input: [7, 9], attrs: { pads: [1, 2, 0, 3], mode: 'edge', value: 0 } },
];

export function layoutDenseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const concat = (label: string, shapes: Shape[], axis: number, out: Shape): void => {
    cases.push(
      denseCase('Concat', label, (rng) => ({
        op: 'Concat',
        attrs: { axis },
        inputs: shapes.map((s) => randomTensor(rng, s)),
        outputShape: out,
      })),
    );
  };
  concat(
    'axis3 C 3+5+1',
    [
      [2, 13, 17, 3],
      [2, 13, 17, 5],
      [2, 13, 17, 1],
    ],
    3,
    [2, 13, 17, 9],
  );
  concat(
    'axis-1 C 17+33',
    [
      [1, 13, 17, 17],
      [1, 13, 17, 33],
    ],
    -1,
    [1, 13, 17, 50],
  );
  concat(
    'axis1 H',
    [
      [2, 5, 17, 3],
      [2, 8, 17, 3],
    ],
    1,
    [2, 13, 17, 3],
  );
  concat(
    'axis2 W',
    [
      [2, 13, 4, 3],
      [2, 13, 13, 3],
    ],
    2,
    [2, 13, 17, 3],
  );
  concat(
    'axis0 N',
    [
      [1, 13, 17, 3],
      [2, 13, 17, 3],
    ],
    0,
    [3, 13, 17, 3],
  );
  concat(
    'rank2 axis1',
    [
      [7, 3],
      [7, 9],
    ],
    1,
    [7, 12],
  );
  concat('single input', [[2, 13, 17, 5]], 3, [2, 13, 17, 5]);

  for (const { input, attrs } of PAD_CONFIGS) {
    const rank = input.length;
    const out = input.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + rank]!);
    cases.push(
      denseCase(
        'Pad',
        `${attrs.mode}${attrs.mode === 'constant' ? `=${attrs.value}` : ''} [${attrs.pads.join(',')}] [${input.join(',')}]`,
        (rng) => ({
          op: 'Pad',
          attrs,
          inputs: [randomTensor(rng, input)],
          outputShape: out,
        }),
      ),
    );
  }

  for (const { input, attrs } of RESIZE_CONFIGS) {
    cases.push(
      denseCase('Resize', resizeLabel(input, attrs), (rng) => ({
        op: 'Resize',
        attrs,
        inputs: [randomTensor(rng, input)],
        outputShape: resizeShape(input, attrs),
      })),
    );
  }

  cases.push(
    denseCase('Reshape', '[2,13,17,5] -> [0,-1,5]', (rng) => ({
      op: 'Reshape',
      attrs: { shape: [0, -1, 5] },
      inputs: [randomTensor(rng, X)],
      outputShape: [2, 221, 5],
    })),
  );
  cases.push(
    denseCase('Reshape', '[2,13,17,5] -> [-1]', (rng) => ({
      op: 'Reshape',
      attrs: { shape: [-1] },
      inputs: [randomTensor(rng, X)],
      outputShape: [2210],
    })),
  );
  for (const perm of [
    [0, 3, 1, 2],
    [0, 2, 1, 3],
    [3, 2, 1, 0],
  ]) {
    cases.push(
      denseCase('Transpose', `perm[${perm.join(',')}] [2,13,17,5]`, (rng) => ({
        op: 'Transpose',
        attrs: { perm },
        inputs: [randomTensor(rng, X)],
        outputShape: perm.map((p) => X[p]!),
      })),
    );
  }
  cases.push(
    denseCase('Transpose', 'perm[1,0] [7,33]', (rng) => ({
      op: 'Transpose',
      attrs: { perm: [1, 0] },
      inputs: [randomTensor(rng, [7, 33])],
      outputShape: [33, 7],
    })),
  );
  for (const axis of [0, 1, 3, -1]) {
    const a = axis < 0 ? axis + 4 : axis;
    const outer = X.slice(0, a).reduce((p, d) => p * d, 1);
    cases.push(
      denseCase('Flatten', `axis${axis} [2,13,17,5]`, (rng) => ({
        op: 'Flatten',
        attrs: { axis },
        inputs: [randomTensor(rng, X)],
        outputShape: [outer, 2210 / outer],
      })),
    );
  }
  cases.push(
    denseCase('Squeeze', 'axes[1,2] [2,1,1,5]', (rng) => ({
      op: 'Squeeze',
      attrs: { axes: [1, 2] },
      inputs: [randomTensor(rng, [2, 1, 1, 5])],
      outputShape: [2, 5],
    })),
  );
  cases.push(
    denseCase('Squeeze', 'axes[] [1,1,7,1]', (rng) => ({
      op: 'Squeeze',
      attrs: { axes: [] },
      inputs: [randomTensor(rng, [1, 1, 7, 1])],
      outputShape: [7],
    })),
  );
  cases.push(
    denseCase('Unsqueeze', 'axes[1,2] [2,5]', (rng) => ({
      op: 'Unsqueeze',
      attrs: { axes: [1, 2] },
      inputs: [randomTensor(rng, [2, 5])],
      outputShape: [2, 1, 1, 5],
    })),
  );
  cases.push(
    denseCase('Unsqueeze', 'axes[0] [13,17,5]', (rng) => ({
      op: 'Unsqueeze',
      attrs: { axes: [0] },
      inputs: [randomTensor(rng, [13, 17, 5])],
      outputShape: [1, 13, 17, 5],
    })),
  );
  cases.push(
    denseCase('Identity', '[2,13,17,5]', (rng) => ({ op: 'Identity', attrs: {}, inputs: [randomTensor(rng, X)], outputShape: [...X] })),
  );
  return cases;
}
