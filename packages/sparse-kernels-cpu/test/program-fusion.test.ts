import { expect, it } from 'vitest';
import type { Program, Tensor } from '@motiondelta/core';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import { fuseConvSteps } from '../src/program/fuse-conv-steps.js';
import { describeNative, relativeL2 } from './dense-fixtures.js';
import { CONV3, ProgramBuilder, randomInput, referenceOutputs } from './program-fixtures.js';

/**
 * Fusion in cpu-native's program compiler: a convolution absorbs a Mul, then an Add (or Sub), by
 * one-value constants after it (PP-OCR's learnable affine); the fused program computes the unfused
 * one bit for bit. An intermediate another step reads, a per-channel constant, or an Add before a
 * Mul stay unfused.
 */

const SHAPE = [1, 7, 9, 6] as const;

/** x -> conv (hard-swish) -> * s -> - t -> y. */
function affineAfterConv(): { program: Program; constants: Map<string, Tensor> } {
  const b = new ProgramBuilder();
  const x = b.value('x', SHAPE, 'input');
  const c = b.value('c', SHAPE);
  const m = b.value('m', SHAPE);
  const y = b.value('y', SHAPE);
  b.dense(
    'conv',
    { op: 'Conv2D', attrs: { ...CONV3, activation: { kind: 'hardSwish' } } },
    [x, b.constant('w', [3, 3, 6, 6]), b.constant('b', [6])],
    c,
  );
  b.dense('scale', { op: 'Mul', attrs: {} }, [b.constant('s', [1]), c], m);
  b.dense('shift', { op: 'Sub', attrs: {} }, [m, b.constant('t', [])], y);
  return { program: b.program({ x }, { y }), constants: b.constants };
}

const constantsOf =
  (program: Program, constants: ReadonlyMap<string, Tensor>) =>
  (id: number): Float32Array | undefined =>
    constants.get(program.values[id]!.name)?.data;

describeNative('fusion of elementwise steps into convolutions', () => {
  it('folds a Mul, then a Sub, by one-value constants into the convolution before them', () => {
    const { program, constants } = affineAfterConv();
    const fused = fuseConvSteps(program, program.entries.keyframe, constantsOf(program, constants));
    expect([...fused.keys()]).toEqual([0]);
    const f = fused.get(0)!;
    expect(f.absorbed).toEqual([1, 2]);
    expect(f.output).toBe(program.outputs[0]!.value);
    expect(f.activation).toEqual({ kind: 'hardSwish' });
    expect(f.post).toEqual({ mul: constants.get('s')!.data[0], add: -constants.get('t')!.data[0]! });
  });

  it('computes the unfused program bit for bit, and the reference within float rounding', async () => {
    const { program, constants } = affineAfterConv();
    const x = randomInput(SHAPE);
    const run = async (fuse: boolean): Promise<{ y: Tensor; active: Int32Array }> => {
      const backend = await createCpuNativeBackend({ threads: 2, fuse });
      const executable = backend.programs!.compile(program, constants);
      const result = await executable.run('keyframe', { x });
      executable.dispose();
      return { y: result.outputs['y']!, active: result.active };
    };
    const [fused, unfused] = [await run(true), await run(false)];
    expect(Buffer.from(fused.y.data.buffer).equals(Buffer.from(unfused.y.data.buffer))).toBe(true);
    // Folded steps report what the fused step computed for them.
    expect([...fused.active]).toEqual([...unfused.active]);
    expect(relativeL2(fused.y.data, referenceOutputs(program, constants, { x })['y']!.data)).toBeLessThan(1e-5);
  });

  it('leaves alone an intermediate another step reads, a per-channel constant, and an Add before a Mul', () => {
    const b = new ProgramBuilder();
    const x = b.value('x', SHAPE, 'input');
    const conv = (name: string, input: number): number => {
      const out = b.value(name, SHAPE);
      b.dense(name, { op: 'Conv2D', attrs: CONV3 }, [input, b.constant(`${name}-w`, [3, 3, 6, 6]), null], out);
      return out;
    };
    const step = (name: string, op: 'Add' | 'Mul', inputs: number[]): number => {
      const out = b.value(name, SHAPE);
      b.dense(name, { op, attrs: {} }, inputs, out);
      return out;
    };
    // Read by two steps: not folded.
    const c1 = conv('c1', x);
    const twice = step('twice', 'Add', [c1, c1]);
    // A per-channel offset: not folded.
    const c2 = conv('c2', twice);
    const perChannel = step('per-channel', 'Add', [c2, b.constant('k', [6])]);
    // An Add, then a Mul: only the Add folds (folding the Mul after it would change the rounding).
    const c3 = conv('c3', perChannel);
    const shifted = step('shift', 'Add', [c3, b.constant('t', [1])]);
    const y = step('scale', 'Mul', [shifted, b.constant('s', [1])]);
    const program = b.program({ x }, { y });
    const fused = fuseConvSteps(program, program.entries.keyframe, constantsOf(program, b.constants));
    expect([...fused.keys()]).toEqual([4]);
    expect(fused.get(4)!.absorbed).toEqual([5]);
    expect(fused.get(4)!.post).toEqual({ mul: null, add: b.constants.get('t')!.data[0] });
  });
});
