import { ensureData, modelInputMapping } from '@motiondelta/data';
import { frameToTensor, probeVideo, type RgbImage } from '@motiondelta/video-io';
import { describe, expect, it } from 'vitest';
import {
  OptionError,
  ProfileMismatchError,
  centredCrop,
  createVideoSession,
  loadModel,
  loadProfile,
  streamVideoFrames,
  type Model,
  type TensorMap,
  type VideoFrameResult,
} from '../src/index.js';

const SIZE: [number, number] = [48, 64];
const mapping = modelInputMapping('esrgan-x2');

async function esrgan(): Promise<Model> {
  return loadModel((await ensureData('esrgan-x2')).main);
}

async function collect(results: AsyncIterable<VideoFrameResult>): Promise<VideoFrameResult[]> {
  const out: VideoFrameResult[] = [];
  for await (const r of results) out.push(r);
  return out;
}

const sameOutputs = (a: TensorMap, b: TensorMap): void => {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const name of Object.keys(a)) {
    expect(a[name]!.shape).toEqual(b[name]!.shape);
    expect(a[name]!.data).toEqual(b[name]!.data);
  }
};

describe('createVideoSession', () => {
  it('process(file) gives the outputs of the hand-written decode / convert / run loop, frame for frame', async () => {
    const model = await esrgan();
    const clip = (await ensureData('vtest')).main;
    const video = await createVideoSession({ model, mode: 'delta', threshold: 0.02, ...mapping });
    const results = await collect(video.process(clip, { start: 100, frames: 4, size: SIZE }));
    expect(results.map((r) => r.index)).toEqual([100, 101, 102, 103]);
    expect(results.map((r) => r.stats.keyframe)).toEqual([true, false, false, false]);

    const session = await model.createSession({ mode: 'delta', threshold: 0.02 });
    const info = await probeVideo(clip);
    let i = 0;
    for await (const frame of streamVideoFrames(clip, info, { start: 100, count: 4, size: SIZE })) {
      sameOutputs(results[i++]!.outputs, await session.run({ LR: frameToTensor(frame, mapping) }));
    }
    expect(i).toBe(4);
    expect(video.session.backendInfo.id).toBe(session.backendInfo.id);
    video.dispose();
    session.dispose();
  });

  it('push() and process(iterable) of the same frames agree; a frame count limits process()', async () => {
    const model = await esrgan();
    const clip = (await ensureData('vtest')).main;
    const frames: RgbImage[] = [];
    for await (const f of streamVideoFrames(clip, await probeVideo(clip), { start: 0, count: 3, size: SIZE })) frames.push(f);
    const a = await createVideoSession({ model, mode: 'delta', threshold: 0.02, ...mapping });
    const b = await createVideoSession({ model, mode: 'delta', threshold: 0.02, ...mapping });
    const pushed: VideoFrameResult[] = [];
    for (const f of frames) pushed.push(await a.push(f));
    const processed = await collect(b.process(frames, { frames: 2 }));
    expect(processed).toHaveLength(2);
    processed.forEach((r, k) => sameOutputs(r.outputs, pushed[k]!.outputs));
  });

  it('motion mode: outputs on the frame grid; a static camera gives delta mode`s outputs; given homographies are used', async () => {
    const model = await esrgan();
    const clip = (await ensureData('vtest')).main;
    const frames: RgbImage[] = [];
    for await (const f of streamVideoFrames(clip, await probeVideo(clip), { start: 200, count: 4, size: SIZE })) frames.push(f);
    const delta = await createVideoSession({ model, mode: 'delta', threshold: 0, ...mapping });
    const still = await createVideoSession({ model, mode: 'motion', threshold: 0, alignment: 'none', ...mapping });
    for (const f of frames) {
      const [d, m] = [await delta.push(f), await still.push(f)];
      expect(m.alignment?.source).toBe('identity');
      for (const name of Object.keys(d.outputs)) {
        const x = d.outputs[name]!.data;
        const y = m.outputs[name]!.data;
        let worst = 0;
        for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k]! - y[k]!));
        expect(worst).toBeLessThan(1e-3);
      }
    }
    const asked: number[] = [];
    const panning = await createVideoSession({
      model,
      mode: 'motion',
      threshold: 0,
      ...mapping,
      alignment: (index) => {
        asked.push(index);
        return [1, 0, 3 * index, 0, 1, 0, 0, 0, 1];
      },
    });
    const results = await collect(panning.process(frames));
    expect(asked).toEqual([0, 1, 2, 3]);
    expect(results.map((r) => r.alignment?.source)).toEqual(['given', 'given', 'given', 'given']);
    // The viewport follows the pan (esrgan-x2 has total stride 1).
    expect(results.map((r) => (r.stats as { offset?: { x: number } }).offset?.x)).toEqual([0, 3, 6, 9]);
    for (const r of results) for (const t of Object.values(r.outputs)) expect(t.shape).toEqual([1, 2 * SIZE[0], 2 * SIZE[1], 3]);
  });

  it('refuses bad option combinations with OptionError, and a profile for another size with ProfileMismatchError', async () => {
    const model = await esrgan();
    await expect(createVideoSession({ model, mode: 'delta', alignment: 'none' })).rejects.toThrow(OptionError);
    await expect(createVideoSession({ model, mode: 'fast' as never })).rejects.toThrow(/mode must be/);
    await expect(createVideoSession({ model, mode: 'delta', input: 'nope' })).rejects.toThrow(/no input 'nope'/);
    const profilePath = 'docs/profiles/esrgan-x2.thresholds.json';
    const profile = await loadProfile(new URL(`../../../${profilePath}`, import.meta.url).pathname);
    await expect(createVideoSession({ model, mode: 'delta', profile, threshold: 1 })).rejects.toThrow(/either a profile or thresholds/);
    const clip = (await ensureData('vtest')).main;
    const wrongSize = await createVideoSession({ model, mode: 'delta', profile, ...mapping });
    const error = await collect(wrongSize.process(clip, { frames: 1, size: [32, 48] })).catch((e: unknown) => e);
    expect(ProfileMismatchError.isInstance(error)).toBe(true);
    const rightSize = await createVideoSession({ model, mode: 'delta', profile, ...mapping });
    expect(await collect(rightSize.process(clip, { frames: 2, size: SIZE }))).toHaveLength(2);
  });

  it('checkProfile refuses a profile before any frame, naming it by `where`; motion results carry viewport outputs and align time', async () => {
    const model = await esrgan();
    const profile = await loadProfile(new URL('../../../docs/profiles/esrgan-x2.thresholds.json', import.meta.url).pathname);
    const named = await createVideoSession({ model, mode: 'delta', profile: { profile, where: 'my.thresholds.json' }, ...mapping });
    const error = await named.checkProfile([32, 48]).catch((e: unknown) => e);
    expect(ProfileMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'my.thresholds.json'");
    await named.checkProfile(SIZE);
    named.dispose();

    // Frames pushed as the centred crop of a 4:3 video resized to SIZE: a homography given in
    // video pixels moves the viewport by the same pan scaled onto the frames' grid.
    const clip = (await ensureData('vtest')).main;
    const info = await probeVideo(clip);
    const frames: RgbImage[] = [];
    for await (const f of streamVideoFrames(clip, info, { start: 0, count: 2, size: SIZE })) frames.push(f);
    const crop = centredCrop(info, SIZE);
    const pan = Math.round((4 * crop.width) / SIZE[1]);
    const video = await createVideoSession({
      model,
      mode: 'motion',
      threshold: 0,
      ...mapping,
      alignment: {
        homographies: [
          [1, 0, 0, 0, 1, 0, 0, 0, 1],
          [1, 0, pan, 0, 1, 0, 0, 0, 1],
        ],
      },
      geometry: { crop, size: SIZE },
    });
    const results = [await video.push(frames[0]!), await video.push(frames[1]!)];
    expect((results[1]!.stats as { offset?: { x: number } }).offset?.x).toBe(4);
    for (const r of results) {
      expect(r.alignMs).toBeGreaterThanOrEqual(0);
      expect(Object.keys(r.viewportOutputs!)).toEqual(Object.keys(r.outputs));
    }
    // The first frame's viewport is the frame: its outputs need no resampling.
    sameOutputs(results[0]!.viewportOutputs!, results[0]!.outputs);
    video.dispose();
  });
});
