import { OptionError, ShapeError, createRng, randomFloat32 } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/import/onnx/index.js';
import { Model } from '../../src/model.js';
import { runOnnxRuntime } from '../onnx/helpers/engines.js';
import { attr, buildModel, floatTensor, node } from '../onnx/helpers/onnx-builder.js';
import { relativeL2 } from '../helpers/relative-l2.js';

/**
 * `layout: 'model'` (the default): a session of an ONNX model takes and gives NCHW images and feature maps, as
 * onnxruntime does (the values marked `transposedFrom: 'nchw'`), in every mode; other values keep
 * their order. Checked against onnxruntime on the same NCHW tensors.
 */
const rng = createRng(3);
const weights = [floatTensor('w', [4, 3, 3, 3], randomFloat32(rng, 108, -1, 1)), floatTensor('b', [4], randomFloat32(rng, 4, -1, 1))];
const convRelu = [
  node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
  node('Relu', ['c'], ['y']),
];
/** A feature map output (held NHWC) and a flattened one (in ONNX order either way). */
const model = buildModel({
  opset: 13,
  inputs: [{ name: 'x', dims: [1, 3, 6, 8] }],
  outputs: ['y', 'flat'],
  nodes: [...convRelu, node('Flatten', ['y'], ['flat'])],
  initializers: weights,
});
/** Motion mode runs no dense islands (the flatten's transpose is one): the feature map alone. */
const convOnly = buildModel({
  opset: 13,
  inputs: [{ name: 'x', dims: [1, 3, 6, 8] }],
  outputs: ['y'],
  nodes: convRelu,
  initializers: weights,
});
const x = { data: randomFloat32(rng, 3 * 6 * 8, -1, 1), dims: [1, 3, 6, 8], type: 'float32' };

describe("sessions in the model's own layout", () => {
  it('take and give NCHW like onnxruntime, in dense, delta and motion mode', async () => {
    const expected = await runOnnxRuntime(model, { x: { data: x.data, shape: x.dims } });
    const m = new Model(importOnnx(model, 'layout.onnx'));
    expect(m.outputs.map((o) => [o.name, o.transposedFrom])).toEqual([
      ['y', 'nchw'],
      ['flat', undefined],
    ]);
    const plain = new Model(importOnnx(convOnly, 'conv.onnx'));
    for (const mode of ['dense', 'delta', 'motion'] as const) {
      const subject = mode === 'motion' ? plain : m;
      const session = await subject.createSession({ mode, layout: 'model', threshold: 0 });
      for (let frame = 0; frame < 2; frame++) {
        const got = await session.run({ x });
        for (const name of subject.outputs.map((o) => o.name)) {
          expect(got[name]!.shape, `${mode} ${name}`).toEqual(expected[name]!.shape);
          expect(relativeL2(got[name]!.data, expected[name]!.data), `${mode} ${name}`).toBeLessThan(1e-5);
        }
      }
      session.dispose();
    }
  });

  it('refuses an NHWC image with a ShapeError that says which layout it takes, and a bad layout option', async () => {
    const m = new Model(importOnnx(model, 'layout.onnx'));
    const session = await m.createSession({ layout: 'model' });
    const error = await session.run({ x: { data: x.data, shape: [1, 6, 8, 3] } }).catch((e: unknown) => e);
    expect(ShapeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/accepts \[1,3,6,8\] \(NCHW; \? is any size\)\. This looks like NHWC/);
    await expect(m.createSession({ layout: 'nchw' as never })).rejects.toThrow(OptionError);
    // 'model' is the default: a session made without the option takes the same NCHW feed and
    // refuses NHWC the same way.
    const byDefault = await m.createSession({});
    expect((await byDefault.run({ x }))['y']!.shape).toEqual([1, 4, 6, 8]);
    await expect(byDefault.run({ x: { data: x.data, shape: [1, 6, 8, 3] } })).rejects.toThrow(/create the session with layout: 'nhwc'/);
    // layout: 'nhwc' takes channels last, and refuses an NCHW feed saying how to pass NCHW.
    const nhwc = await m.createSession({ layout: 'nhwc' });
    await expect(nhwc.run({ x })).rejects.toThrow(/This looks like NCHW.*created with layout: 'nhwc'.*without layout: 'nhwc'/);
    const nhwcOut = await nhwc.run({ x: { data: new Float32Array(6 * 8 * 3), shape: [1, 6, 8, 3] } });
    expect(nhwcOut['y']!.shape).toEqual([1, 6, 8, 4]);
  });
});
