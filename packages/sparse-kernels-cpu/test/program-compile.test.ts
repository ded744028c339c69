import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { expect, it } from 'vitest';
import { BackendUnavailableError, OptionError, UnsupportedOpError } from '@motiondelta/core';
import type { Program, Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, makeNode, tensorError } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import type { NativeAddon } from '../src/native-addon.js';
import { NativeKernelError } from '../src/native-error.js';
import { NativeExecutable } from '../src/program/native-executable.js';
import { NativeProgramCompiler } from '../src/program/native-program-compiler.js';
import { addonLoad, describeNative } from './dense-fixtures.js';
import { CONV3, ProgramBuilder, chainProgram, randomInput, referenceOutputs } from './program-fixtures.js';

/**
 * cpu-native's program compiler: storage planned by lifetime (aliases included), one native call
 * per frame, no JavaScript allocation that grows over frames, inputs copied in and outputs fresh
 * (so detaching or transferring caller buffers cannot touch the program's memory), dispose.
 */

const SHAPE = [1, 9, 11, 8] as const;

/** The addon with a count of calls per entry point, for "one native call per frame". */
function countingAddon(addon: NativeAddon): { addon: NativeAddon; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const counted: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(addon)) {
    counted[name] =
      typeof fn === 'function'
        ? (...args: unknown[]) => {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return (fn as (...a: unknown[]) => unknown)(...args);
          }
        : fn;
  }
  return { addon: counted as unknown as NativeAddon, calls };
}

describeNative('compiled programs on cpu-native', (backend) => {
  const addon = (): NativeAddon => (addonLoad.ok ? (addonLoad.addon as NativeAddon) : expect.fail('no addon'));
  const compiler = (): NativeProgramCompiler => backend().programs ?? expect.fail('cpu-native has no program compiler');

  it('frame values share buffers by lifetime (a reshape aliases its input) and compute what the reference computes', async () => {
    const { program, constants } = chainProgram(SHAPE);
    const executable = compiler().compile(program, constants) as NativeExecutable;
    const x = randomInput(SHAPE);
    const expected = referenceOutputs(program, constants, { x });
    const { outputs, active, ms } = await executable.run('keyframe', { x });
    expect(tensorError(outputs['y']!.data, expected['y']!.data).relL2).toBeLessThan(1e-5);
    expect(outputs['y']!.shape).toEqual([1, 99, 8]);
    // Every dense step reports every pixel of its output (N*H*W, or the elements of a rank-3
    // tensor), and a time.
    expect([...active]).toEqual([99, 99, 99, 99, 792, 792, 792]);
    expect(ms.every((t) => t >= 0)).toBe(true);
    // Eight frame values of 792 floats; v2 lives from step 1 to step 5, the reshapes alias their
    // inputs, and y lives to the end: three buffers are enough (v1/v3/y, v2, v4), not eight.
    const bytes = 99 * 8 * 4;
    expect(executable.frameBytes).toBeLessThanOrEqual(3 * Math.ceil(bytes / 64) * 64);
    expect(executable.frameBytes).toBeGreaterThanOrEqual(3 * bytes);
    executable.dispose();
  });

  it('runs a frame as one native call, and the JavaScript heap stays flat over 1,000 frames', async () => {
    const { addon: counted, calls } = countingAddon(addon());
    const compiler = new NativeProgramCompiler(counted);
    const { program, constants } = chainProgram(SHAPE);
    const executable = compiler.compile(program, constants);
    const x = randomInput(SHAPE);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfter = async (frames: number): Promise<number> => {
      for (let i = 0; i < frames; i++) await executable.run('keyframe', { x });
      gc();
      return process.memoryUsage().heapUsed;
    };
    await heapAfter(100);
    calls.clear();
    const before = await heapAfter(100);
    const after = await heapAfter(900);
    expect(calls.get('programRun')).toBe(1000);
    expect([...calls.keys()]).toEqual(['programRun']);
    // Each frame allocates its (fresh) output and counters, all garbage after the frame: 900 more
    // frames leave the heap where it was, give or take what V8 itself keeps (measured: under 64 KiB).
    console.log(`heap after 100 frames: ${before} bytes, after 1,000: ${after} bytes (${after - before} more)`);
    expect(Math.abs(after - before)).toBeLessThan(256 * 1024);
    executable.dispose();
  });

  it('copies inputs in and hands out fresh outputs: transferring or detaching caller buffers changes nothing', async () => {
    const { program, constants } = chainProgram(SHAPE);
    const executable = compiler().compile(program, constants);
    const x = randomInput(SHAPE);
    const expected = (await executable.run('keyframe', { x })).outputs['y']!;
    const copy = { data: Float32Array.from(x.data), shape: x.shape };
    // Transferred while the frame runs: the program already holds its own copy.
    const pending = executable.run('keyframe', { x: copy });
    const moved = structuredClone(copy.data.buffer as ArrayBuffer, { transfer: [copy.data.buffer as ArrayBuffer] });
    expect(copy.data.length).toBe(0);
    const first = (await pending).outputs['y']!;
    expect(first.data).toEqual(expected.data);
    // An output belongs to the caller, an ordinary transferable array: detaching it does not touch
    // the next frame's.
    const buffer = first.data.buffer as ArrayBuffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(first.data.length).toBe(0);
    const second = (await executable.run('keyframe', { x: { data: new Float32Array(moved), shape: x.shape } })).outputs['y']!;
    expect(second.data).toEqual(expected.data);
    // A view of an already detached buffer is refused by name, before anything runs.
    await expect(executable.run('keyframe', { x: copy })).rejects.toThrow(/values; the program takes/);
    const detached = new Float32Array(new ArrayBuffer(x.data.length * 4));
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    await expect(executable.run('keyframe', { x: { data: detached, shape: x.shape } })).rejects.toThrow(/values; the program takes/);
    executable.dispose();
  });

  it('refuses overlapping runs of one executable and runs after dispose; dispose waits for the run in flight', async () => {
    const { program, constants } = chainProgram([1, 64, 64, 8]);
    const executable = compiler().compile(program, constants);
    const x = randomInput([1, 64, 64, 8]);
    const first = executable.run('keyframe', { x });
    await expect(executable.run('keyframe', { x })).rejects.toThrow(NativeKernelError);
    executable.dispose();
    // The frame in flight still completes on storage that is freed only after it.
    const { outputs } = await first;
    expect(outputs['y']!.data.length).toBe(64 * 64 * 8);
    await expect(executable.run('keyframe', { x })).rejects.toThrow(BackendUnavailableError);
    expect(executable.updateMask?.('keyframe', 0)).toBeUndefined();
    executable.dispose();
  });

  it('declines a program it has no native form for, naming the node, and refuses to compile it', () => {
    const b = new ProgramBuilder();
    const x = b.value('x', [1, 4, 4, 3], 'input');
    const scale = b.value('scale', [3], 'input');
    const constant = (name: string): number => b.constant(name, [3], 0.5, 1.5);
    const y = b.value('y', [1, 4, 4, 3]);
    b.dense('bn', { op: 'BatchNorm', attrs: { epsilon: 1e-3 } }, [x, scale, constant('bias'), constant('mean'), constant('var')], y);
    const program = b.program({ x, scale }, { y });
    const reason = compiler().declines(program);
    expect(reason).toMatch(/node 'bn' \(BatchNorm\) takes its parameters from tensors computed at run time/);
    expect(() => compiler().compile(program, b.constants)).toThrow(UnsupportedOpError);
    expect(compiler().declines(chainProgram(SHAPE).program)).toBeUndefined();
  });

  it('a session whose program is declined runs it on the host, says why, and still computes it', async () => {
    const b = new ProgramBuilder();
    const constant = (name: string): number => b.constant(name, [3], 0.5, 1.5);
    for (const name of ['bias', 'mean', 'var']) constant(name);
    const model = new Model({
      source: { format: 'onnx', location: '<test>' },
      inputs: [
        { name: 'x', shape: [1, 4, 5, 3], dtype: 'float32' },
        { name: 'scale', shape: [3], dtype: 'float32' },
      ],
      outputs: [{ name: 'y', shape: [1, 4, 5, 3], dtype: 'float32' }],
      nodes: [makeNode('bn', 'BatchNorm', { epsilon: 1e-3 }, ['x', 'scale', 'bias', 'mean', 'var'], ['y'])],
      constants: b.constants,
      intConstants: new Map(),
    });
    const inputs = { x: randomInput([1, 4, 5, 3]), scale: randomInput([3], 9) };
    const native = await model.createSession({ backend: [backend()] });
    const out = await native.run(inputs);
    expect(native.backendInfo.programs).toEqual({
      host: "node 'bn' (BatchNorm) takes its parameters from tensors computed at run time; only constant parameters are folded",
    });
    const expected = await (await model.createSession({ backend: [new ReferenceBackend()] })).run(inputs);
    expect(tensorError(out['y']!.data, expected['y']!.data).relL2).toBeLessThan(1e-5);
    // Delta mode too: its keyframe holds the same dense step.
    const delta = await model.createSession({ mode: 'delta', threshold: 0, backend: [backend()] });
    const first = await delta.run(inputs);
    expect(delta.backendInfo.programs).toEqual(native.backendInfo.programs);
    expect(tensorError(first['y']!.data, expected['y']!.data).relL2).toBeLessThan(1e-5);
    // A program it takes runs natively, and the session says so.
    const chain = await new Model({
      ...model.graph,
      nodes: [makeNode('act', 'Activation', { activation: { kind: 'relu' } }, ['x'], ['y'])],
    }).createSession({
      backend: [backend()],
    });
    await chain.run(inputs);
    expect(chain.backendInfo.programs).toBe('native');
  });

  it("programs: 'host' (or MD_PROGRAMS=host) leaves programs to the host; bad programs or fuse values are refused with OptionError", async () => {
    expect((await createCpuNativeBackend({ threads: 2, programs: 'host' })).programs).toBeUndefined();
    await expect(createCpuNativeBackend({ threads: 2, programs: 'gpu' as 'native' })).rejects.toThrow(OptionError);
    const previous = process.env['MD_PROGRAMS'];
    try {
      process.env['MD_PROGRAMS'] = 'host';
      expect((await createCpuNativeBackend({ threads: 2 })).programs).toBeUndefined();
      expect((await createCpuNativeBackend({ threads: 2, programs: 'native' })).programs).toBeDefined();
      process.env['MD_PROGRAMS'] = 'hots';
      await expect(createCpuNativeBackend({ threads: 2 })).rejects.toThrow(/MD_PROGRAMS must be 'native' or 'host'/);
    } finally {
      if (previous === undefined) delete process.env['MD_PROGRAMS'];
      else process.env['MD_PROGRAMS'] = previous;
    }
    const fuse = process.env['MD_FUSE'];
    try {
      process.env['MD_FUSE'] = 'yes';
      await expect(createCpuNativeBackend({ threads: 2 })).rejects.toThrow(/MD_FUSE must be 0 or 1/);
      await expect(createCpuNativeBackend({ threads: 2, fuse: 'yes' as unknown as boolean })).rejects.toThrow(OptionError);
    } finally {
      if (fuse === undefined) delete process.env['MD_FUSE'];
      else process.env['MD_FUSE'] = fuse;
    }
  });

  it('turns a step the addon refuses into a NativeKernelError at compile time', () => {
    const b = new ProgramBuilder();
    const x = b.value('x', [1, 6, 6, 4], 'input');
    const y = b.value('y', [1, 6, 6, 4]);
    b.dense('conv', { op: 'Conv2D', attrs: CONV3 }, [x, b.constant('w', [3, 3, 4, 4]), null], y);
    const program: Program = b.program({ x }, { y });
    const previous = process.env['MD_CONV_GEMM'];
    process.env['MD_CONV_GEMM'] = 'fastest';
    try {
      expect(() => compiler().compile(program, b.constants)).toThrow(/MD_CONV_GEMM/);
    } finally {
      if (previous === undefined) delete process.env['MD_CONV_GEMM'];
      else process.env['MD_CONV_GEMM'] = previous;
    }
    const constants = new Map<string, Tensor>([['w', { data: new Float32Array(5), shape: [3, 3, 4, 4] }]]);
    expect(() => compiler().compile(program, constants)).toThrow(/constant 'w' has 5 values/);
  });
});
