import {
  BackendUnavailableError,
  OP_NAMES,
  UnsupportedOpError,
  type DenseKernelCall,
  type OpCall,
  type Program,
  type Tensor,
} from '@motiondelta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBGPU_DENSE_OPS, createWebGpuBackend, type WebGpuBackend } from '../src/index.js';
import { webGpuSkipReason } from './webgpu-availability.js';

const x = (shape: number[]): Tensor => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape });

/** A keyframe-only program of one dense step on input `x` [1, 4, 4, 3]. */
function oneStep(call: OpCall, out: number[]): Program {
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, 4, 4, 3], lifetime: 'input' },
      { name: 'y', kind: 'tensor', shape: out, lifetime: 'frame' },
    ],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 1 }],
    entries: { keyframe: [{ kind: 'dense', node: 'op', call, inputs: [0], output: 1 }] },
  };
}

/** The keyframe runs `call` densely; a frame sparsifies x, runs it as a linear step on the delta and accumulates it into the output. */
function deltaStep(call: Extract<Program['entries']['keyframe'][number], { kind: 'linear' }>['call'], out: number[]): Program {
  return {
    values: [
      { name: 'x', kind: 'tensor', shape: [1, 4, 4, 3], lifetime: 'input' },
      { name: 'x#ref', kind: 'tensor', shape: [1, 4, 4, 3], lifetime: 'stream' },
      { name: 'dx', kind: 'delta', shape: [1, 4, 4, 3], lifetime: 'frame' },
      { name: 'dy', kind: 'delta', shape: out, lifetime: 'frame' },
      { name: 'y', kind: 'tensor', shape: out, lifetime: 'stream' },
    ],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 4 }],
    entries: {
      keyframe: [
        { kind: 'copy', node: 'x', input: 0, output: 1 },
        { kind: 'dense', node: 'op', call: call as OpCall, inputs: [0], output: 4 },
      ],
      frame: [
        { kind: 'sparsify', node: 'x', input: 0, reference: 1, threshold: 0, output: 2 },
        { kind: 'linear', node: 'op', call, inputs: [2], output: 3 },
        { kind: 'accumulate', node: 'op', input: 3, target: 4 },
      ],
    },
  };
}

// What webgpu has no kernel for is declined by name, never run wrongly: sessions then fall back
// (dense calls) or run the program on the host (programs), and say why. Every op of the IR has a
// dense kernel; delta steps the reference has no delta kernel for either are declined.
describe.skipIf(webGpuSkipReason !== undefined)(`webgpu declines what it has no kernel for (${webGpuSkipReason ?? 'device found'})`, () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = await createWebGpuBackend();
  });
  afterAll(() => backend.dispose());

  it('has a kernel for every op of the IR', () => {
    expect([...WEBGPU_DENSE_OPS].sort()).toEqual([...OP_NAMES].sort());
    expect(backend.supports({ op: 'Softmax', attrs: { axis: -1 } })).toBe(true);
  });

  // An op the IR does not have (a model from a newer version, a hostile file that got past the
  // importer): no kernel is claimed, and a call names the ops that exist instead of running.
  const unknown = { op: 'Frobnicate', attrs: {} } as unknown as OpCall;

  it('reports no kernel for an op outside the IR, and throws UnsupportedOpError naming the ops it runs when called anyway', async () => {
    expect(backend.supports(unknown)).toBe(false);
    const call = { ...unknown, inputs: [x([1, 4, 4, 3])], outputShape: [1, 4, 4, 3] } as DenseKernelCall;
    await expect(backend.runDense(call)).rejects.toThrow(UnsupportedOpError);
    await expect(backend.runDense(call)).rejects.toThrow(/Frobnicate.*Conv2D/);
  });

  it('declines a program holding an op without a kernel, naming the node and op, and refuses to compile it', () => {
    const program = oneStep(unknown, [1, 4, 4, 3]);
    expect(backend.programs.declines?.(program)).toMatch(/Frobnicate \(node 'op'\)/);
    expect(() => backend.programs.compile(program, new Map())).toThrow(UnsupportedOpError);
  });

  it('declines delta steps the reference has no delta kernel for either (Pad over channels, Concat along width)', () => {
    const pad = deltaStep({ op: 'Pad', attrs: { pads: [0, 0, 0, 1, 0, 0, 0, 1], mode: 'constant', value: 0 } }, [1, 4, 4, 5]);
    expect(backend.programs.declines?.(pad)).toMatch(/pads on H and W only/);
    const concat = deltaStep({ op: 'Concat', attrs: { axis: 2 } }, [1, 4, 4, 3]);
    // Along width the dense Concat has a kernel: only the delta step is declined.
    expect(backend.programs.declines?.(oneStep({ op: 'Concat', attrs: { axis: 2 } }, [1, 4, 4, 3]))).toBeUndefined();
    expect(backend.programs.declines?.(concat)).toMatch(/channel axis only/);
  });

  it('takes the programs it has kernels for', () => {
    expect(backend.programs.declines?.(deltaStep({ op: 'Identity', attrs: {} }, [1, 4, 4, 3]))).toBeUndefined();
    expect(
      backend.programs.declines?.(oneStep({ op: 'Activation', attrs: { activation: { kind: 'relu' } } }, [1, 4, 4, 3])),
    ).toBeUndefined();
  });

  it('makes the backend unavailable on a software adapter when allowSoftware is false, saying so', async () => {
    if (!backend.adapter.software) {
      // On a machine with a GPU there is no software adapter to refuse.
      await expect(createWebGpuBackend({ allowSoftware: false })).resolves.toBeDefined();
      return;
    }
    const error = await createWebGpuBackend({ allowSoftware: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).reason).toMatch(/software one .*allowSoftware is false/);
  });
});
