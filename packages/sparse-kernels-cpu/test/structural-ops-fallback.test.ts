import { expect, it } from 'vitest';
import { Model, ReferenceBackend, makeNode, tensorError } from '@motiondelta/graph-runtime';
import { describeNative } from './dense-fixtures.js';
import { randomInput } from './program-fixtures.js';

/**
 * Structural ops (Slice with a negative step, DepthToSpace DCR and CRD, SpaceToDepth, Max, Min,
 * Reduce) have native kernels and native program forms: a program that holds them is compiled
 * (one native call per frame), not declined, and matches the reference, in dense mode and in delta
 * mode at threshold 0 (the ops as dense islands). The file keeps its name from when these ops ran
 * on the host through the fallback backend.
 */
const model = new Model({
  source: { format: 'onnx', location: '<structural ops>' },
  inputs: [{ name: 'x', shape: [1, 8, 8, 4], dtype: 'float32' }],
  outputs: [
    { name: 'y', shape: [1, 6, 6, 1], dtype: 'float32' },
    { name: 'z', shape: [1, 3], dtype: 'float32' },
  ],
  nodes: [
    makeNode('x_crop', 'Slice', { starts: [-7, -7], ends: [-1, -1], axes: [1, 2], steps: [1, 1] }, ['x'], ['x_crop']),
    makeNode('relu', 'Activation', { activation: { kind: 'relu' } }, ['x'], ['a']),
    makeNode('crop', 'Slice', { starts: [1, 1], ends: [7, 7], axes: [1, 2], steps: [1, 1] }, ['a'], ['s']),
    makeNode('d2s', 'DepthToSpace', { blockSize: 2, mode: 'CRD' }, ['s'], ['d']),
    makeNode('s2d', 'SpaceToDepth', { blockSize: 2 }, ['d'], ['t']),
    makeNode('max', 'Max', {}, ['t', 'x_crop'], ['m']),
    makeNode('mean_c', 'Reduce', { kind: 'mean', axes: [3], keepDims: true }, ['m'], ['y']),
    makeNode('flip', 'Slice', { starts: [-1, 6], ends: [-1e9, 0], axes: [2, 3], steps: [-2, -1] }, ['x'], ['f']),
    makeNode('d2s_dcr', 'DepthToSpace', { blockSize: 2, mode: 'DCR' }, ['x'], ['dd']),
    makeNode('pool', 'Reduce', { kind: 'max', axes: [1, 2], keepDims: false }, ['dd'], ['p']),
    makeNode('lse', 'Reduce', { kind: 'logSumExp', axes: [1, 2], keepDims: false }, ['f'], ['q']),
    makeNode('min', 'Min', {}, ['q', 'p'], ['z']),
  ],
  constants: new Map(),
  intConstants: new Map(),
});

describeNative('structural ops on cpu-native', (backend) => {
  it('compile into native programs, in dense and delta mode, and match the reference', async () => {
    const frames = [randomInput([1, 8, 8, 4], 1), randomInput([1, 8, 8, 4], 2)];
    const reference = await model.createSession({ backend: [new ReferenceBackend()] });
    const dense = await model.createSession({ backend: [backend()] });
    const delta = await model.createSession({ mode: 'delta', threshold: 0, backend: [backend()] });
    for (const x of frames) {
      const expected = await reference.run({ x });
      const [d, t] = [await dense.run({ x }), await delta.run({ x })];
      for (const name of ['y', 'z']) {
        expect(tensorError(d[name]!.data, expected[name]!.data).relL2).toBeLessThan(1e-6);
        expect(tensorError(t[name]!.data, expected[name]!.data).relL2).toBeLessThan(1e-5);
      }
    }
    expect(dense.backendInfo.programs).toBe('native');
    expect(delta.backendInfo.programs).toBe('native');
  });
});
