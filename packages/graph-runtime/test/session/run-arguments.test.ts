import { InputError, OptionError, ShapeError, type TensorMap } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import type { MotionSession } from '../../src/motion/motion-session.js';
import type { Session } from '../../src/session/session.js';
import { smallConvNet } from '../helpers/build-graph.js';
import { MODES, openSession, runFresh, sameOutputs, sparseFrames, type Mode } from './session-fixtures.js';

/**
 * run() with bad arguments rejects with a typed error naming the argument and what is accepted,
 * before anything changes: after every bad call, the next good frame gives exactly what it gives
 * in a session that never saw the bad call.
 */
const model = new Model(smallConvNet(7));
const frames = sparseFrames(5, 8, 10, 2);
const good = frames[0]!;
const n = good.data.length;
const detached = (): Float32Array => {
  const data = new Float32Array(n);
  structuredClone(data.buffer, { transfer: [data.buffer] });
  return data;
};
const withNaN = new Float32Array(good.data).fill(Number.NaN, 17, 18);
const withInf = new Float32Array(good.data).fill(Number.NEGATIVE_INFINITY, 40, 41);

type Case = readonly [label: string, call: unknown, error: typeof ShapeError | typeof InputError | typeof OptionError, message: RegExp];

/** Bad `inputs` for every mode: [label, inputs, error class, what the message must say]. */
const BAD_INPUTS: readonly Case[] = [
  ['inputs null', null, InputError, /inputs must be a plain object mapping each input name to a tensor .*'x' \[1,\?,\?,3\].*Got null/],
  ['inputs undefined', undefined, InputError, /inputs must be a plain object.*Got undefined/],
  ['inputs a number', 5, InputError, /Got number 5/],
  ['inputs a string', 'x', InputError, /Got the string 'x'/],
  ['inputs an array', [good], InputError, /Got \[object\]/],
  ['inputs a Map', new Map([['x', good]]), InputError, /Got an object \(Map\)/],
  ['inputs a tensor itself', good.data, InputError, /Got a Float32Array/],
  ['an unknown input', { x: good, y: good }, ShapeError, /Unknown input 'y'; the model's inputs are 'x'/],
  ['no input', {}, ShapeError, /Missing input 'x' \(shape \[1,\?,\?,3\], NHWC float32\)/],
  ['an inherited input', Object.create({ x: good }) as object, ShapeError, /Missing input 'x'/],
  ['tensor null', { x: null }, InputError, /Input 'x' must be a tensor \{ data: Float32Array, shape: number\[\] \}.*got null/],
  ['tensor a number', { x: 3 }, InputError, /Input 'x' must be a tensor .* got number 3/],
  [
    'shape missing',
    { x: { data: good.data } },
    ShapeError,
    /Input 'x' has shape undefined; a shape is an array of dimensions, such as \[1,\?,\?,3\]/,
  ],
  ['shape a string', { x: { data: good.data, shape: '1,8,10,3' } }, ShapeError, /has shape the string '1,8,10,3'; a shape is an array/],
  [
    'shape an Int32Array',
    { x: { data: good.data, shape: new Int32Array([1, 8, 10, 3]) } },
    ShapeError,
    /has shape a Int32Array; a shape is an array/,
  ],
  ['shape array-like', { x: { data: good.data, shape: { length: 4, 0: 1, 1: 8, 2: 10, 3: 3 } } }, ShapeError, /a shape is an array/],
  ['shape of rank 3', { x: { data: good.data, shape: [8, 10, 3] } }, ShapeError, /of rank 3, but the model accepts \[1,\?,\?,3\]/],
  [
    'shape of a million entries',
    { x: { data: good.data, shape: new Array<number>(1e6).fill(1) } },
    ShapeError,
    /\[1,1,1,1,1,1,1,1, ... \(1000000 entries\)\] of rank 1000000/,
  ],
  [
    'a fractional dimension',
    { x: { data: good.data, shape: [1, 8.5, 10, 3] } },
    ShapeError,
    /dimension 1 is number 8.5; dimensions are integers from 0 to 2147483647/,
  ],
  ['a negative dimension', { x: { data: good.data, shape: [1, -8, -10, 3] } }, ShapeError, /dimension 1 is number -8/],
  ['a NaN dimension', { x: { data: good.data, shape: [1, Number.NaN, 10, 3] } }, ShapeError, /dimension 1 is number NaN/],
  ['a huge dimension', { x: { data: good.data, shape: [1, 2 ** 40, 10, 3] } }, ShapeError, /dimension 1 is number 1099511627776/],
  ['a string dimension', { x: { data: good.data, shape: [1, '8', 10, 3] } }, ShapeError, /dimension 1 is the string '8'/],
  [
    'a shape the model does not take',
    { x: { data: new Float32Array(8 * 10 * 4), shape: [1, 8, 10, 4] } },
    ShapeError,
    /has shape \[1,8,10,4\], but the model accepts \[1,\?,\?,3\]/,
  ],
  [
    'an image fed channels first',
    { x: { data: good.data, shape: [1, 3, 8, 10] } },
    ShapeError,
    /has shape \[1,3,8,10\], but the model accepts \[1,\?,\?,3\].*This looks like NCHW \(channels first\); this model takes images NHWC \(channels last\), its own layout/,
  ],
  [
    'an onnxruntime tensor of another type',
    { x: { data: new Int32Array(n), dims: good.shape, type: 'int32' } },
    InputError,
    /is a tensor of type the string 'int32', but the model declares it float32/,
  ],
  [
    'data a number[]',
    { x: { data: Array.from(good.data), shape: good.shape } },
    InputError,
    /must hold its values in a Float32Array, got \[.*\(240 entries\)\].*Float32Array.from/,
  ],
  ['data a Float64Array', { x: { data: new Float64Array(n), shape: good.shape } }, InputError, /Float32Array, got a Float64Array/],
  ['data a Uint8Array', { x: { data: new Uint8Array(n), shape: good.shape } }, InputError, /Float32Array, got a Uint8Array/],
  ['data missing', { x: { shape: good.shape } }, InputError, /Float32Array, got undefined/],
  [
    'data too short',
    { x: { data: new Float32Array(10), shape: good.shape } },
    ShapeError,
    /has 10 values but its shape \[1,8,10,3\] needs 240/,
  ],
  [
    'data detached',
    { x: { data: detached(), shape: good.shape } },
    ShapeError,
    /has 0 values \(its ArrayBuffer is empty: was it transferred or detached\?\) but its shape/,
  ],
  ['a NaN value', { x: { data: withNaN, shape: good.shape } }, InputError, /Tensor 'x' holds NaN at flat index 17; inputs must be finite/],
  ['an infinite value', { x: { data: withInf, shape: good.shape } }, InputError, /holds -Infinity at flat index 40/],
];

/** Bad motion options (with good inputs). */
const BAD_OPTIONS: readonly Case[] = [
  ['options null', null, OptionError, /options must be an object \{ homography: number\[9\] \}, or omitted for a static camera; got null/],
  ['options a number', 7, OptionError, /options must be an object .*got number 7/],
  ['the homography itself as options', [1, 0, 0, 0, 1, 0, 0, 0, 1], OptionError, /pass the homography as \{ homography: \[\.\.\.\] \}/],
  ['homography missing', {}, InputError, /options.homography is missing; a homography is a 3x3 row-major array of 9 finite numbers/],
  [
    'homography of 8 entries',
    { homography: [1, 0, 0, 0, 1, 0, 0, 0] },
    InputError,
    /options.homography must have 9 entries, got 8 entries/,
  ],
  [
    'homography with a string',
    { homography: [1, 0, '0', 0, 1, 0, 0, 0, 1] },
    InputError,
    /options.homography\[2\] is 0, not a finite number/,
  ],
  [
    'homography with Infinity',
    { homography: [1, 0, Number.POSITIVE_INFINITY, 0, 1, 0, 0, 0, 1] },
    InputError,
    /options.homography\[2\] is Infinity/,
  ],
  ['homography singular', { homography: [1, 2, 0, 2, 4, 0, 0, 0, 1] }, InputError, /options.homography is singular/],
];

/** Inputs motion mode refuses (one frame at a time, at least one pixel). */
const BAD_MOTION_SHAPES: readonly Case[] = [
  [
    'a batch of two',
    { x: { data: new Float32Array(2 * n), shape: [2, 8, 10, 3] } },
    ShapeError,
    /has shape \[2,8,10,3\], but the model accepts \[1,\?,\?,3\]/,
  ],
  [
    'an empty frame',
    { x: { data: new Float32Array(0), shape: [1, 0, 10, 3] } },
    ShapeError,
    /must be \[1,H,W,C\] with H, W, C >= 1, got \[1,0,10,3\]/,
  ],
];

async function expectRefused(call: Promise<TensorMap>, error: Case[2], message: RegExp, label: string): Promise<void> {
  const caught = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught, `${label}: resolved`).toBeDefined();
  expect(error.isInstance(caught), `${label}: ${String(caught)}`).toBe(true);
  expect((caught as Error).message, label).toMatch(message);
}

describe.each(MODES)('%s session: run() with bad arguments', (mode: Mode) => {
  it('rejects each bad argument with a typed error, before anything changes', async () => {
    const session = await openSession(model, mode);
    const run = (inputs: unknown, options?: unknown): Promise<TensorMap> =>
      mode === 'motion' ? (session as MotionSession).run(inputs as never, options as never) : (session as Session).run(inputs as never);
    const fresh = await runFresh(model, mode, frames);
    const cases = [...BAD_INPUTS, ...(mode === 'motion' ? BAD_MOTION_SHAPES : [])];
    // Before the first frame, between frames and after: each time the next good frame is unaffected.
    for (const [i, f] of frames.entries()) {
      for (const [label, inputs, error, message] of cases) {
        // A bad call is refused synchronously: the returned promise is already settled.
        await expectRefused(run(inputs), error, message, label);
      }
      if (mode === 'motion')
        for (const [label, options, error, message] of BAD_OPTIONS) await expectRefused(run({ x: good }, options), error, message, label);
      expect(sameOutputs(await run({ x: f }), fresh[i]!), `frame ${i}`).toBe(true);
      expect(session.stats().frames).toHaveLength(i + 1);
    }
    expect(session.stats().frames.map((f) => f.keyframe)).toEqual(mode === 'dense' ? [true, true] : [true, false]);
  });

  it('takes onnxruntime-style tensors ({ data, dims, type }) like { data, shape }', async () => {
    const session = await openSession(model, mode);
    const fresh = await runFresh(model, mode, frames);
    for (const [i, f] of frames.entries()) {
      const ort = { x: { data: f.data, dims: f.shape, type: 'float32' } };
      const out = mode === 'motion' ? await (session as MotionSession).run(ort as never) : await (session as Session).run(ort as never);
      expect(sameOutputs(out, fresh[i]!), `frame ${i}`).toBe(true);
    }
  });

  it('refuses a bad frame queued between good ones alone', async () => {
    const session = await openSession(model, mode);
    const results = await Promise.allSettled([
      session.run({ x: frames[0]! }),
      session.run({ x: null } as never),
      session.run({ x: frames[1]! }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const fresh = await runFresh(model, mode, frames);
    expect(sameOutputs((results[2] as PromiseFulfilledResult<TensorMap>).value, fresh[1]!)).toBe(true);
  });
});

describe('motion session: input shapes', () => {
  it('takes one frame at a time even when the model leaves the batch open', async () => {
    const graph = smallConvNet(7);
    const open = new Model({ ...graph, inputs: [{ name: 'x', shape: [null, null, null, 3], dtype: 'float32' }] });
    const session = await open.createSession({ mode: 'motion', threshold: 0 });
    await expectRefused(
      session.run({ x: { data: new Float32Array(2 * n), shape: [2, 8, 10, 3] } }),
      ShapeError,
      /Motion mode takes one frame at a time: input 'x' must be \[1,H,W,C\] with H, W, C >= 1, got \[2,8,10,3\]/,
      'batch of two',
    );
    expect(session.stats().frames).toEqual([]);
    await session.run({ x: good });
    expect(session.stats().frames[0]).toMatchObject({ keyframe: true, reason: 'first' });
  });
});
