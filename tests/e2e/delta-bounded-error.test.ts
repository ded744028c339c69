import { readModelFrames } from '@motiondelta/dense-demo';
import { ensureData } from '@motiondelta/data';
import { Model, loadModel, tensorError } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';

/**
 * Above threshold 0 the delta output may differ from dense, but the error must stay bounded and
 * must not drift: over 500 consecutive vtest frames, the last 100 frames are no worse than the
 * first 100. posenet (fully convolutional; its file fixes 385x385, the test opens the input
 * size) on a 33x33 downscale (33 = 2 * 16 + 1, its output stride being 16) keeps 1000 inferences
 * within CI time; thresholds are in the model's [-1, 1] input units.
 *
 * The input threshold is kept below the clip's sensor noise here. With a large one (0.03) the
 * error starts from the exact keyframe and climbs, over hundreds of frames, towards the level set
 * by stale input pixels (each within the threshold of the true frame), moving with the content:
 * measured 40.5, 38.2, 36.7, 35.3, 33.4, 35.3, 36.1, 37.3 dB per 100 frames over the whole clip.
 * That is bounded but not "the last 100 no worse than the first 100", so it is not tested here.
 */
describe('delta mode above threshold 0 on 500 vtest frames', () => {
  it('posenet: error bounded on every output, no drift, fewer MACs than dense', async () => {
    const published = await loadModel((await ensureData('posenet')).main);
    const model = new Model({ ...published.graph, inputs: published.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] })) });
    const frames = await readModelFrames('posenet', { clip: 'vtest', start: 0, count: 500, size: [33, 33] });
    const dense = await model.createSession({ mode: 'dense' });
    const delta = await model.createSession({ mode: 'delta', threshold: 0.05, inputThreshold: 0.01 });
    const name = model.inputs[0]!.name;
    const errors: number[] = [];
    for (const frame of frames) {
      const expected = await dense.run({ [name]: frame });
      const actual = await delta.run({ [name]: frame });
      // The worst output of the frame.
      errors.push(Math.min(...model.outputs.map((o) => tensorError(actual[o.name]!.data, expected[o.name]!.data).psnr)));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + Math.min(b, 200), 0) / xs.length;
    const firstHundred = mean(errors.slice(1, 101));
    const lastHundred = mean(errors.slice(400));
    expect(Math.min(...errors)).toBeGreaterThan(25);
    // PSNR: higher is better. The last hundred may not be worse than the first by more than 1 dB.
    expect(lastHundred).toBeGreaterThanOrEqual(firstHundred - 1);
    const later = delta.stats().frames.filter((f) => !f.keyframe);
    const macsRatio = later.reduce((s, f) => s + f.macs, 0) / later.reduce((s, f) => s + f.denseMacs, 0);
    // At 33x33 almost every output depends on every input pixel: the saving is modest here (0.90 measured).
    expect(macsRatio).toBeLessThan(0.95);
  }, 300_000);
});
