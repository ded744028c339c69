import { createRng, uniform, type Program, type Tensor } from '@motiondelta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { planStep } from '../src/program/plan-step.js';
import { webGpuSkipReason } from './webgpu-availability.js';

const rng = createRng(11);
const H = 16;
const W = 20;
const random = (shape: number[]): Tensor => ({
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => uniform(rng, -1, 1)),
  shape,
});

/**
 * Delta mode in miniature: x -> sparsify -> conv 3x3 (linear) -> relu (activation) -> accumulate
 * into y; the keyframe computes y densely.
 */
function deltaProgram(): Program {
  const conv = {
    op: 'Conv2D' as const,
    attrs: {
      kernel: [3, 3] as const,
      strides: [1, 1] as const,
      dilations: [1, 1] as const,
      pads: [1, 1, 1, 1] as const,
      autoPad: 'explicit' as const,
      groups: 1,
    },
  };
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, H, W, 2], lifetime: 'input' },
      { name: 'w', kind: 'tensor', shape: [3, 3, 2, 3], lifetime: 'constant' },
      { name: 'x#ref', kind: 'tensor', shape: [1, H, W, 2], lifetime: 'stream' },
      { name: 'dx', kind: 'delta', shape: [1, H, W, 2], lifetime: 'frame' },
      { name: 'dc', kind: 'delta', shape: [1, H, W, 3], lifetime: 'frame' },
      { name: 'c#acc', kind: 'tensor', shape: [1, H, W, 3], lifetime: 'stream' },
      { name: 'dy', kind: 'delta', shape: [1, H, W, 3], lifetime: 'frame' },
      { name: 'y', kind: 'tensor', shape: [1, H, W, 3], lifetime: 'stream' },
      { name: 'c', kind: 'tensor', shape: [1, H, W, 3], lifetime: 'frame' },
    ],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 7 }],
    entries: {
      keyframe: [
        { kind: 'copy', node: 'x', input: 0, output: 2 },
        { kind: 'dense', node: 'conv', call: conv, inputs: [0, 1], output: 8 },
        { kind: 'copy', node: 'conv', input: 8, output: 5 },
        { kind: 'dense', node: 'relu', call: { op: 'Activation', attrs: { activation: { kind: 'relu' } } }, inputs: [8], output: 7 },
      ],
      frame: [
        { kind: 'sparsify', node: 'x', input: 0, reference: 2, threshold: 0, output: 3 },
        { kind: 'linear', node: 'conv', call: conv, inputs: [3, 1], output: 4 },
        { kind: 'activation', node: 'relu', input: 4, activation: { kind: 'relu' }, accumulated: 5, emitted: 7, threshold: 0, output: 6 },
      ],
    },
  };
}

describe('delta steps run over active tiles, listed on the device', () => {
  it('plans per-pixel steps over their input tiles, and convolutions over the output tiles their input tiles reach', () => {
    const program = deltaProgram();
    const [sparsify, conv, relu] = program.entries.frame!.map((s) => planStep(program, s));
    // Sparsify reads a dense tensor: one direct dispatch over every pixel.
    expect(sparsify!.map((c) => c.kind)).toEqual(['dispatch']);
    expect(sparsify![0]).not.toHaveProperty('indirect');
    // The convolution: its input's tiles listed; its footprint (the output mask) marked only when
    // one is active (from the gate); the output's tiles listed; the multiply-adds over those.
    expect(conv!.some((c) => c.kind === 'dispatch' && c.writes.some((w) => w.value === 3 && w.part === 'tiles'))).toBe(true);
    const footprint = conv!.find((c) => c.kind === 'dispatch' && c.indirect?.part === 'gate');
    expect(footprint).toMatchObject({
      reads: [{ value: 3, part: 'mask' }],
      writes: [{ value: 4, part: 'mask' }],
      indirect: { value: 4, part: 'gate' },
    });
    const convMain = conv!.at(-1)!;
    expect(convMain).toMatchObject({ kind: 'dispatch', indirect: { value: 4, part: 'args' } });
    expect(convMain.kind === 'dispatch' && convMain.reads.some((r) => r.value === 4 && r.part === 'tiles')).toBe(true);
    // The activation: dispatched from the arguments of its input's tile list, which it binds.
    const reluMain = relu!.at(-1)!;
    expect(reluMain).toMatchObject({ kind: 'dispatch', indirect: { value: 4, part: 'args' } });
    expect(reluMain.kind === 'dispatch' && reluMain.reads.some((r) => r.value === 4 && r.part === 'tiles')).toBe(true);
  });

  describe.skipIf(webGpuSkipReason !== undefined)(`on the device (${webGpuSkipReason ?? 'device found'})`, () => {
    let backend: WebGpuBackend;
    beforeAll(async () => {
      backend = await createWebGpuBackend();
    });
    afterAll(() => backend.dispose());

    it('updates exactly the changed pixels and their footprint, and nothing when nothing changed', async () => {
      const executable = await backend.programs.compile(deltaProgram(), new Map([['w', random([3, 3, 2, 3])]]));
      const x = random([1, H, W, 2]);
      const key = await executable.run('keyframe', { x });
      // Nothing changed: no delta step updates a pixel, and y stays what the keyframe made.
      const same = await executable.run('frame', { x });
      expect(Array.from(same.active)).toEqual([0, 0, 0]);
      expect(same.outputs['y']!.data).toEqual(key.outputs['y']!.data);
      // One pixel in the second tile row (pixel 70 = (3, 10)) changes: the conv output changes in its 3x3 neighbourhood.
      const moved = { data: Float32Array.from(x.data), shape: x.shape };
      moved.data[70 * 2] = moved.data[70 * 2]! + 1;
      const one = await executable.run('frame', { x: moved });
      expect(one.active[0]).toBe(1);
      expect(one.active[1]).toBe(9);
      const mask = executable.updateMask!('frame', 1)!;
      const updated = [...mask.keys()].filter((p) => mask[p] === 1);
      expect(updated).toEqual([49, 50, 51, 69, 70, 71, 89, 90, 91]);
      executable.dispose();
    });
  });
});
