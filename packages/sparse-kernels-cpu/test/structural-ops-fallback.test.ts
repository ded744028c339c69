import { expect, it } from 'vitest';
import { Model, ReferenceBackend, makeNode, tensorError } from '@motiondelta/graph-runtime';
import { describeNative } from './dense-fixtures.js';
import { randomInput } from './program-fixtures.js';

/**
 * Structural ops (Slice, DepthToSpace, SpaceToDepth, Max, Reduce) have no native kernels: the
 * program compiler declines programs that hold them, naming the node, and sessions run those
 * programs on the host, the native kernels for the ops that have them and the reference fallback
 * for the others. Dense and delta (the ops as dense islands) must still match the reference.
 */
const model = new Model({
  source: { format: 'onnx', location: '<structural ops>' },
  inputs: [{ name: 'x', shape: [1, 8, 8, 4], dtype: 'float32' }],
  outputs: [{ name: 'y', shape: [1, 6, 6, 1], dtype: 'float32' }],
  nodes: [
    makeNode('x_crop', 'Slice', { starts: [-7, -7], ends: [-1, -1], axes: [1, 2], steps: [1, 1] }, ['x'], ['x_crop']),
    makeNode('relu', 'Activation', { activation: { kind: 'relu' } }, ['x'], ['a']),
    makeNode('crop', 'Slice', { starts: [1, 1], ends: [7, 7], axes: [1, 2], steps: [1, 1] }, ['a'], ['s']),
    makeNode('d2s', 'DepthToSpace', { blockSize: 2, mode: 'CRD' }, ['s'], ['d']),
    makeNode('s2d', 'SpaceToDepth', { blockSize: 2 }, ['d'], ['t']),
    makeNode('max', 'Max', {}, ['t', 'x_crop'], ['m']),
    makeNode('mean_c', 'Reduce', { kind: 'mean', axes: [3], keepDims: true }, ['m'], ['y']),
  ],
  constants: new Map(),
  intConstants: new Map(),
});

describeNative('structural ops on cpu-native', (backend) => {
  it('run on the host through the fallback, in dense and delta mode, and match the reference', async () => {
    const frames = [randomInput([1, 8, 8, 4], 1), randomInput([1, 8, 8, 4], 2)];
    const reference = await model.createSession({ backend: [new ReferenceBackend()] });
    const dense = await model.createSession({ backend: [backend()] });
    const delta = await model.createSession({ mode: 'delta', threshold: 0, backend: [backend()] });
    for (const x of frames) {
      const expected = (await reference.run({ x }))['y']!;
      expect(tensorError((await dense.run({ x }))['y']!.data, expected.data).relL2).toBeLessThan(1e-6);
      expect(tensorError((await delta.run({ x }))['y']!.data, expected.data).relL2).toBeLessThan(1e-5);
    }
    expect(dense.backendInfo.programs).toEqual({ host: "node 'x_crop' (Slice) has no native kernel" });
    expect(delta.backendInfo.programs).toMatchObject({ host: expect.stringMatching(/has no native kernel/) });
  });
});
