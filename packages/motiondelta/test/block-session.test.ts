import { ensureData, modelInputMapping } from '@motiondelta/data';
import { frameToTensor, probeVideo, type RgbImage } from '@motiondelta/video-io';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_POLICY_NAMES,
  Model,
  OptionError,
  createVideoSession,
  loadModel,
  streamVideoFrames,
  type BlockFrameStats,
  type BlockPolicy,
} from '../src/index.js';
import { Model as GraphModel } from '@motiondelta/graph-runtime';

/**
 * Block mode through the `motiondelta` package: policies by name on a real model (esrgan-x2, fully
 * convolutional) and real frames of the cube clip at 48x64, blocks of 16 pixels (a 3x4 grid).
 */
const SIZE: [number, number] = [48, 64];
const mapping = modelInputMapping('esrgan-x2');

async function cubeFrames(count: number): Promise<RgbImage[]> {
  const frames: RgbImage[] = [];
  const clip = (await ensureData('cube')).main;
  for await (const f of streamVideoFrames(clip, await probeVideo(clip), { start: 40, count, size: SIZE })) frames.push(f);
  return frames;
}

describe('model.createSession with block policies by name', () => {
  it('runs every policy name on esrgan-x2 and reports the executed fraction of each frame', async () => {
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    expect(model).toBeInstanceOf(Model);
    const frames = await cubeFrames(3);
    const input = model.inputs[0]!.name;
    for (const policy of BLOCK_POLICY_NAMES) {
      const session = await model.createSession({ mode: 'block', policy, targetRate: 0.5, blockSize: 16, seed: 3, layout: 'nhwc' });
      for (const frame of frames) await session.run({ [input]: frameToTensor(frame, mapping) });
      const stats = session.stats().frames as readonly BlockFrameStats[];
      expect(stats).toHaveLength(3);
      // The first frame is a keyframe for every policy: all 12 blocks.
      expect(stats[0]!.executedBlocks).toBe(12);
      for (const s of stats) {
        expect(s.totalBlocks).toBe(12);
        expect(s.executedFraction).toBeCloseTo(s.executedBlocks / 12, 12);
        expect(s.targetRate).toBe(0.5);
      }
      if (policy === 'none') expect(stats.slice(1).map((s) => s.executedBlocks)).toEqual([0, 0]);
      if (policy === 'all') expect(stats.slice(1).map((s) => s.executedBlocks)).toEqual([12, 12]);
      // random, threshold and rl aim at half the grid, rounded up to a sixteenth (one block here).
      if (policy === 'random' || policy === 'threshold' || policy === 'rl') expect(stats[2]!.executedBlocks).toBeLessThan(12);
      session.dispose();
    }
  });

  it('gives the same decisions for the same seed, and runs rl on the session backends named by id', async () => {
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    const frames = await cubeFrames(4);
    const input = model.inputs[0]!.name;
    const run = async (): Promise<number[]> => {
      const session = await model.createSession({
        mode: 'block',
        policy: 'rl',
        targetRate: 0.4,
        blockSize: 16,
        seed: 9,
        backend: ['cpu-native', 'reference'],
        layout: 'nhwc',
      });
      for (const frame of frames) await session.run({ [input]: frameToTensor(frame, mapping) });
      const executed = (session.stats().frames as readonly BlockFrameStats[]).map((s) => s.executedBlocks);
      session.dispose();
      return executed;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first[0]).toBe(12);
  });

  it('refuses an unknown policy name, naming the accepted ones, and block options in other modes', async () => {
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    await expect(model.createSession({ mode: 'block', policy: 'fastest' as never, targetRate: 0.4 })).rejects.toThrow(OptionError);
    await expect(model.createSession({ mode: 'block', policy: 'fastest' as never, targetRate: 0.4 })).rejects.toThrow(
      /'rl', 'threshold', 'random', 'all', 'none'/,
    );
    await expect(model.createSession({ mode: 'dense', policy: 'rl' })).rejects.toThrow(/policy applies to block mode only/);
    // A policy object passes through untouched; a model built by graph-runtime is wrapped without a copy.
    const own: BlockPolicy = { name: 'own', decide: (f) => ({ execute: new Uint8Array(f.grid.rows * f.grid.cols).fill(1) }) };
    const wrapped = await Model.from(new GraphModel(model.graph, false));
    expect(wrapped.graph).toBe(model.graph);
    const session = await wrapped.createSession({ mode: 'block', policy: own, blockSize: 16, layout: 'nhwc' });
    session.dispose();
  });
});

describe('createVideoSession in block mode', () => {
  it('takes a policy by name and reports block statistics per frame', async () => {
    const video = await createVideoSession({
      model: (await ensureData('esrgan-x2')).main,
      mode: 'block',
      policy: 'threshold',
      targetRate: 0.25,
      blockSize: 16,
      seed: 1,
      ...mapping,
    });
    const stats: BlockFrameStats[] = [];
    for await (const r of video.process(await cubeFrames(3))) stats.push(r.stats as BlockFrameStats);
    video.dispose();
    expect(stats.map((s) => s.totalBlocks)).toEqual([12, 12, 12]);
    expect(stats[0]!.executedFraction).toBe(1);
    // A quarter of 12 blocks, rounded up to whole sixteenths of the grid: 3 blocks.
    expect(stats[2]!.executedBlocks).toBe(3);
  });

  it('refuses a profile in block mode', async () => {
    await expect(
      createVideoSession({ model: (await ensureData('esrgan-x2')).main, mode: 'block', policy: 'all', profile: 'x.json' }),
    ).rejects.toThrow(/profile holds delta thresholds/);
  });
});
