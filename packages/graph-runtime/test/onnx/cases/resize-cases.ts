import { randomInt, type Rng } from '@motiondelta/core';
import { attr, floatTensor, int64Tensor } from '../helpers/onnx-builder.js';
import { singleNode, type BuiltCase, type ConformanceCase } from './case-helpers.js';

type Target = { scales: readonly [number, number] } | { sizes: readonly [number, number] };

function resize(rng: Rng, mode: string, coordinate: string, nearest: string | undefined, target: Target, opset = 13): BuiltCase {
  const x = [randomInt(rng, 1, 2), randomInt(rng, 1, 4), randomInt(rng, 3, 7), randomInt(rng, 3, 7)];
  const attrs = [attr.string('mode', mode), attr.string('coordinate_transformation_mode', coordinate)];
  if (nearest !== undefined) attrs.push(attr.string('nearest_mode', nearest));
  const initializers =
    'scales' in target
      ? [floatTensor('scales', [4], Float32Array.of(1, 1, ...target.scales))]
      : [int64Tensor('sizes', [4], [x[0]!, x[1]!, ...target.sizes])];
  const roi = opset < 13 ? [floatTensor('roi', [0], new Float32Array(0))] : [];
  const nodeInputs =
    'scales' in target ? ['x', opset < 13 ? 'roi' : '', 'scales'] : ['x', opset < 13 ? 'roi' : '', opset < 13 ? 'empty' : '', 'sizes'];
  if (!('scales' in target) && opset < 13) roi.push(floatTensor('empty', [0], new Float32Array(0)));
  return singleNode(rng, { opset, opType: 'Resize', runtime: { x }, nodeInputs, initializers: [...roi, ...initializers], attrs });
}

function legacy(rng: Rng, opType: 'Resize' | 'Upsample', opset: number, mode: string, scales: readonly [number, number]): BuiltCase {
  const x = [1, randomInt(rng, 1, 4), randomInt(rng, 3, 6), randomInt(rng, 3, 6)];
  return singleNode(rng, {
    opset,
    opType,
    runtime: { x },
    nodeInputs: ['x', 'scales'],
    initializers: [floatTensor('scales', [4], Float32Array.of(1, 1, ...scales))],
    attrs: [attr.string('mode', mode)],
  });
}

const sizes = (rng: Rng): Target => ({ sizes: [randomInt(rng, 2, 13), randomInt(rng, 2, 13)] });

export const resizeCases: ConformanceCase[] = [
  {
    name: 'Resize nearest half_pixel round_prefer_floor x2',
    build: (r) => resize(r, 'nearest', 'half_pixel', 'round_prefer_floor', { scales: [2, 2] }),
  },
  {
    name: 'Resize nearest half_pixel round_prefer_ceil x1.5',
    build: (r) => resize(r, 'nearest', 'half_pixel', 'round_prefer_ceil', { scales: [1.5, 1.5] }),
  },
  {
    name: 'Resize nearest asymmetric floor x2 (FPN upsample)',
    build: (r) => resize(r, 'nearest', 'asymmetric', 'floor', { scales: [2, 2] }),
  },
  { name: 'Resize nearest asymmetric ceil x[2,3]', build: (r) => resize(r, 'nearest', 'asymmetric', 'ceil', { scales: [2, 3] }) },
  {
    name: 'Resize nearest align_corners round_prefer_floor to sizes',
    build: (r) => resize(r, 'nearest', 'align_corners', 'round_prefer_floor', sizes(r)),
  },
  { name: 'Resize nearest pytorch_half_pixel floor to sizes', build: (r) => resize(r, 'nearest', 'pytorch_half_pixel', 'floor', sizes(r)) },
  {
    name: 'Resize nearest tf_half_pixel_for_nn ceil x1.5',
    build: (r) => resize(r, 'nearest', 'tf_half_pixel_for_nn', 'ceil', { scales: [1.5, 1.5] }),
  },
  {
    name: 'Resize nearest half_pixel downsample x0.5',
    build: (r) => resize(r, 'nearest', 'half_pixel', 'round_prefer_floor', { scales: [0.5, 0.5] }),
  },
  {
    name: 'Resize nearest asymmetric round_prefer_ceil to sizes',
    build: (r) => resize(r, 'nearest', 'asymmetric', 'round_prefer_ceil', sizes(r)),
  },
  { name: 'Resize linear half_pixel x2', build: (r) => resize(r, 'linear', 'half_pixel', undefined, { scales: [2, 2] }) },
  { name: 'Resize linear half_pixel downsample x0.5', build: (r) => resize(r, 'linear', 'half_pixel', undefined, { scales: [0.5, 0.5] }) },
  { name: 'Resize linear pytorch_half_pixel to sizes', build: (r) => resize(r, 'linear', 'pytorch_half_pixel', undefined, sizes(r)) },
  { name: 'Resize linear align_corners to sizes', build: (r) => resize(r, 'linear', 'align_corners', undefined, sizes(r)) },
  { name: 'Resize linear asymmetric x[1.75,2.5]', build: (r) => resize(r, 'linear', 'asymmetric', undefined, { scales: [1.75, 2.5] }) },
  {
    name: 'Resize linear half_pixel (opset 11, roi input) x3',
    build: (r) => resize(r, 'linear', 'half_pixel', undefined, { scales: [3, 3] }, 11),
  },
  { name: 'Resize nearest asymmetric floor (opset 11) to sizes', build: (r) => resize(r, 'nearest', 'asymmetric', 'floor', sizes(r), 11) },
  { name: 'Resize nearest (opset 10) x2', build: (r) => legacy(r, 'Resize', 10, 'nearest', [2, 2]) },
  { name: 'Resize linear (opset 10) x2', build: (r) => legacy(r, 'Resize', 10, 'linear', [2, 2]) },
  { name: 'Resize nearest (opset 10) downsample x0.5', build: (r) => legacy(r, 'Resize', 10, 'nearest', [0.5, 0.5]) },
  { name: 'Upsample nearest (opset 9) x[2,3]', build: (r) => legacy(r, 'Upsample', 9, 'nearest', [2, 3]) },
  { name: 'Upsample linear (opset 9) x2', build: (r) => legacy(r, 'Upsample', 9, 'linear', [2, 2]) },
  {
    name: 'Upsample nearest with scales attribute (opset 8)',
    build: (r) =>
      singleNode(r, {
        opset: 8,
        opType: 'Upsample',
        runtime: { x: [1, 2, randomInt(r, 3, 6), randomInt(r, 3, 6)] },
        nodeInputs: ['x'],
        attrs: [attr.string('mode', 'nearest'), attr.floats('scales', [1, 1, 2, 2])],
      }),
  },
];
