import { InputError, createRng, uniform, type DenseKernelCall, type DenseStep, type Program, type Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { webGpuSkipReason } from './webgpu-availability.js';

const rng = createRng(7);
const random = (shape: number[]): Tensor => ({
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => uniform(rng, -1, 1)),
  shape,
});

/** y = relu(conv3x3(x, w) + b): one dense step. */
function convProgram(): Program {
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, 6, 7, 3], lifetime: 'input' },
      { name: 'w', kind: 'tensor', shape: [3, 3, 3, 4], lifetime: 'constant' },
      { name: 'b', kind: 'tensor', shape: [4], lifetime: 'constant' },
      { name: 'y', kind: 'tensor', shape: [1, 6, 7, 4], lifetime: 'frame' },
    ],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 3 }],
    entries: {
      keyframe: [
        {
          kind: 'dense',
          node: 'conv',
          inputs: [0, 1, 2],
          output: 3,
          call: {
            op: 'Conv2D',
            attrs: {
              kernel: [3, 3],
              strides: [1, 1],
              dilations: [1, 1],
              pads: [1, 1, 1, 1],
              autoPad: 'explicit',
              groups: 1,
              activation: { kind: 'relu' },
            },
          },
        },
      ],
    },
  };
}

// Compiled programs own their storage on the device and keep their caches free of runtime values.
describe.skipIf(webGpuSkipReason !== undefined)(`webgpu programs on the device (${webGpuSkipReason ?? 'device found'})`, () => {
  let backend: WebGpuBackend;
  const reference = new ReferenceBackend();
  beforeAll(async () => {
    backend = await createWebGpuBackend();
  });
  afterAll(() => backend.dispose());

  it('compiles pipelines once per shape and op: more frames, other inputs and other weights add none', async () => {
    const program = convProgram();
    const constants = new Map([
      ['w', random([3, 3, 3, 4])],
      ['b', random([4])],
    ]);
    const first = await backend.programs.compile(program, constants);
    const after = backend.cacheSizes();
    for (let f = 0; f < 3; f++) {
      const input = random([1, 6, 7, 3]);
      const got = await first.run('keyframe', { x: input });
      const want = reference.runDense({
        ...(program.entries.keyframe[0] as DenseStep).call,
        inputs: [input, constants.get('w'), constants.get('b')],
        outputShape: [1, 6, 7, 4],
      } as DenseKernelCall);
      got.outputs['y']!.data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i]!, 5));
      expect(Array.from(got.active)).toEqual([42]);
    }
    // The same weights again: uploaded once (cached by array identity).
    const second = await backend.programs.compile(program, constants);
    expect(backend.cacheSizes()).toEqual(after);
    // Other weights: uploaded, but the pipeline is the same.
    const third = await backend.programs.compile(
      program,
      new Map([
        ['w', random([3, 3, 3, 4])],
        ['b', random([4])],
      ]),
    );
    expect(backend.cacheSizes()).toEqual({ pipelines: after.pipelines, constants: after.constants + 2 });
    for (const e of [first, second, third]) e.dispose();
  });

  it('refuses inputs of the wrong size before writing anything, naming the compiled shape', async () => {
    const executable = await backend.programs.compile(
      convProgram(),
      new Map([
        ['w', random([3, 3, 3, 4])],
        ['b', random([4])],
      ]),
    );
    await expect(executable.run('keyframe', { x: random([1, 6, 6, 3]) })).rejects.toThrow(InputError);
    await expect(executable.run('keyframe', { x: random([1, 6, 6, 3]) })).rejects.toThrow(/\[1,6,7,3\]/);
    await expect(executable.run('keyframe', {})).rejects.toThrow(/input 'x' is missing/);
    executable.dispose();
  });
});
