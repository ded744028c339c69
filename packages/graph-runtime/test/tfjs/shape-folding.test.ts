import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { describe, expect, it } from 'vitest';
import { UnsupportedOpError, createRng, randomFloat32 } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { stridedSlice1d } from '../../src/import/tfjs/folded-ints.js';
import { importTfjs } from '../../src/import/tfjs/index.js';
import { relativeL2 } from '../helpers/relative-l2.js';

/**
 * Shape arithmetic folded at import time (Shape, StridedSlice, Pack, integer Mul, ConcatV2,
 * SparseToDense feeding Reshape, Pad and Conv2DBackpropInput), checked against tfjs-converter on
 * the same model.json, at two batch sizes since the batch is left open.
 */

type TfNodeJson = { name: string; op: string; input?: string[]; attr?: Record<string, unknown> };

const INT = { type: 'DT_INT32' };
const FLOAT = { type: 'DT_FLOAT' };
const ints = (...v: number[]) => v;

/** Int32 constants (name -> values) and float weights, then `nodes` after Placeholder x [?, 4, 6, 2]. */
function graphModel(
  intConsts: Record<string, { shape: number[]; values: number[] }>,
  floats: Record<string, { shape: number[] }>,
  nodes: TfNodeJson[],
) {
  const rng = createRng(7);
  const weights: { name: string; shape: number[]; dtype: 'int32' | 'float32' }[] = [];
  const chunks: Uint8Array[] = [];
  const consts: TfNodeJson[] = [];
  for (const [name, { shape, values }] of Object.entries(intConsts)) {
    weights.push({ name, shape, dtype: 'int32' });
    chunks.push(new Uint8Array(Int32Array.from(values).buffer));
    consts.push({ name, op: 'Const', attr: { dtype: INT } });
  }
  for (const [name, { shape }] of Object.entries(floats)) {
    weights.push({ name, shape, dtype: 'float32' });
    chunks.push(
      new Uint8Array(
        randomFloat32(
          rng,
          shape.reduce((a, b) => a * b, 1),
          -1,
          1,
        ).buffer,
      ),
    );
    consts.push({ name, op: 'Const', attr: { dtype: FLOAT } });
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
  const x: TfNodeJson = {
    name: 'x',
    op: 'Placeholder',
    attr: { dtype: FLOAT, shape: { shape: { dim: [-1, 4, 6, 2].map((d) => ({ size: String(d) })) } } },
  };
  const json = {
    format: 'graph-model',
    modelTopology: { node: [x, ...consts, ...nodes], versions: { producer: 1 }, library: {} },
    weightsManifest: [{ paths: ['w.bin'], weights }],
  };
  return { json, bytes };
}

async function expectMatchesTfjs(model: ReturnType<typeof graphModel>, outputs: readonly string[]): Promise<void> {
  await tf.setBackend('cpu');
  const tfModel = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: model.json.modelTopology,
      weightSpecs: model.json.weightsManifest[0]!.weights,
      weightData: model.bytes.buffer,
    }),
  );
  const graph = await importTfjs(model.json, async () => model.bytes, '<shape folding>');
  for (const batch of [1, 2]) {
    const shape = [batch, 4, 6, 2];
    const x = { data: randomFloat32(createRng(batch), batch * 48, -2, 2), shape };
    const expected = tf.tidy(() =>
      [tfModel.execute({ x: tf.tensor(x.data, shape) }, [...outputs])].flat().map((t) => ({
        data: Float32Array.from(t.dataSync()),
        shape: [...t.shape],
      })),
    );
    const actual = await runGraphDense(graph, { x }, new ReferenceBackend());
    outputs.forEach((name, i) => {
      expect(actual[name]!.shape, `batch ${batch} '${name}'`).toEqual(expected[i]!.shape);
      expect(relativeL2(actual[name]!.data, expected[i]!.data), `batch ${batch} '${name}'`).toBeLessThanOrEqual(1e-5);
    });
  }
}

const slice = (name: string, input: string, begin: string, end: string, strides: string, shrink = 1): TfNodeJson => ({
  name,
  op: 'StridedSlice',
  input: [input, begin, end, strides],
  attr: { shrink_axis_mask: { i: String(shrink) }, begin_mask: { i: '0' }, end_mask: { i: '0' }, T: INT, Index: INT },
});

describe('TF.js shape arithmetic folded at import', () => {
  it('Keras Reshape: Shape -> StridedSlice -> Pack keeps the open batch', async () => {
    const model = graphModel(
      {
        b0: { shape: [1], values: ints(0) },
        b1: { shape: [1], values: ints(1) },
        one: { shape: [1], values: ints(1) },
        n: { shape: [], values: ints(12) },
        k: { shape: [], values: ints(4) },
      },
      {},
      [
        { name: 'shape', op: 'Shape', input: ['x'], attr: { out_type: INT } },
        slice('batch', 'shape', 'b0', 'b1', 'one'),
        { name: 'target', op: 'Pack', input: ['batch', 'n', 'k'], attr: { N: { i: '3' }, axis: { i: '0' }, T: INT } },
        { name: 'y', op: 'Reshape', input: ['x', 'target'], attr: { T: FLOAT, Tshape: INT } },
      ],
    );
    await expectMatchesTfjs(model, ['y']);
  });

  it('a transposed convolution whose output size is computed from its input shape', async () => {
    const model = graphModel(
      {
        i0: { shape: [1], values: ints(0) },
        i1: { shape: [1], values: ints(1) },
        i2: { shape: [1], values: ints(2) },
        i3: { shape: [1], values: ints(3) },
        one: { shape: [1], values: ints(1) },
        two: { shape: [], values: ints(2) },
        c: { shape: [], values: ints(3) },
      },
      { filter: { shape: [3, 3, 3, 2] } },
      [
        { name: 'shape', op: 'Shape', input: ['x'], attr: { out_type: INT } },
        slice('n', 'shape', 'i0', 'i1', 'one'),
        slice('h', 'shape', 'i1', 'i2', 'one'),
        slice('w', 'shape', 'i2', 'i3', 'one'),
        { name: 'h2', op: 'Mul', input: ['h', 'two'], attr: { T: INT } },
        { name: 'w2', op: 'Mul', input: ['w', 'two'], attr: { T: INT } },
        { name: 'sizes', op: 'Pack', input: ['n', 'h2', 'w2', 'c'], attr: { N: { i: '4' }, axis: { i: '0' }, T: INT } },
        {
          name: 'y',
          op: 'Conv2DBackpropInput',
          input: ['sizes', 'filter', 'x'],
          attr: {
            T: FLOAT,
            strides: { list: { i: ['1', '2', '2', '1'] } },
            padding: { s: btoa('SAME') },
            data_format: { s: btoa('NHWC') },
            dilations: { list: { i: ['1', '1', '1', '1'] } },
          },
        },
      ],
    );
    await expectMatchesTfjs(model, ['y']);
  });

  it('a Reshape target assembled with ConcatV2 from a batch slice and SparseToDense', async () => {
    const model = graphModel(
      {
        b0: { shape: [1], values: ints(0) },
        b1: { shape: [1], values: ints(1) },
        one: { shape: [1], values: ints(1) },
        idx: { shape: [2], values: ints(0, 1) },
        size: { shape: [1], values: ints(2) },
        vals: { shape: [2], values: ints(12, 4) },
        zero: { shape: [], values: ints(0) },
        axis: { shape: [], values: ints(0) },
      },
      {},
      [
        { name: 'shape', op: 'Shape', input: ['x'], attr: { out_type: INT } },
        slice('batch', 'shape', 'b0', 'b1', 'one', 0),
        { name: 'tail', op: 'SparseToDense', input: ['idx', 'size', 'vals', 'zero'], attr: { T: INT, Tindices: INT } },
        { name: 'target', op: 'ConcatV2', input: ['batch', 'tail', 'axis'], attr: { N: { i: '2' }, T: INT } },
        { name: 'y', op: 'Reshape', input: ['x', 'target'], attr: { T: FLOAT, Tshape: INT } },
      ],
    );
    await expectMatchesTfjs(model, ['y']);
  });

  it('refuses a target shape with two entries known only at run time', async () => {
    const model = graphModel(
      { b0: { shape: [1], values: ints(0) }, b1: { shape: [1], values: ints(1) }, one: { shape: [1], values: ints(1) } },
      {},
      [
        { name: 'shape', op: 'Shape', input: ['x'], attr: { out_type: INT } },
        slice('batch', 'shape', 'b0', 'b1', 'one'),
        { name: 'twice', op: 'Mul', input: ['batch', 'batch'], attr: { T: INT } },
        { name: 'target', op: 'Pack', input: ['twice', 'twice'], attr: { N: { i: '2' }, axis: { i: '0' }, T: INT } },
        { name: 'y', op: 'Reshape', input: ['x', 'target'], attr: { T: FLOAT, Tshape: INT } },
      ],
    );
    await expect(importTfjs(model.json, async () => model.bytes, '<two unknowns>')).rejects.toThrow(UnsupportedOpError);
    await expect(importTfjs(model.json, async () => model.bytes, '<two unknowns>')).rejects.toThrow(
      /more than one entry known only at run time/,
    );
  });
});

describe('stridedSlice1d (TF StridedSlice on a vector)', () => {
  const v = { shape: [5], data: [10, 11, 12, 13, 14] };
  const masks = { begin: 0, end: 0, shrink: 0 };
  it('follows TF: negative indices, clamping, negative strides, masks, shrink', () => {
    expect(stridedSlice1d(v, 1, -1, 1, masks)).toEqual({ shape: [3], data: [11, 12, 13] });
    expect(stridedSlice1d(v, -2, 99, 1, masks)).toEqual({ shape: [2], data: [13, 14] });
    expect(stridedSlice1d(v, 0, 0, -1, { ...masks, begin: 1, end: 1 })).toEqual({ shape: [5], data: [14, 13, 12, 11, 10] });
    expect(stridedSlice1d(v, 3, 0, -2, masks)).toEqual({ shape: [2], data: [13, 11] });
    expect(stridedSlice1d(v, -1, 0, 1, { ...masks, shrink: 1 })).toEqual({ shape: [], data: [14] });
    expect(stridedSlice1d(v, 5, 6, 1, { ...masks, shrink: 1 })).toMatch(/outside/);
    expect(stridedSlice1d(v, 0, 1, 0, masks)).toMatch(/stride of 0/);
  });
});
