import { readModelFrames } from '@motiondelta/dense-demo';
import { ensureData } from '@motiondelta/data';
import { loadModel, tensorError } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';

/**
 * Above threshold 0 the delta output may differ from dense, but the error must stay bounded and
 * must not drift: over 500 consecutive vtest frames, the last 100 frames are no worse than the
 * first 100. esrgan-x2 on a 16x24 downscale of the frame keeps this within CI time; the
 * thresholds (in the model's [0, 255] input units) make it skip most sub-threshold changes.
 */
describe('delta mode above threshold 0 on 500 vtest frames', () => {
  it('esrgan-x2: error bounded, no drift, fewer MACs than dense', async () => {
    const model = await loadModel((await ensureData('esrgan-x2')).main);
    const frames = await readModelFrames('esrgan-x2', { clip: 'vtest', start: 0, count: 500, size: [16, 24] });
    const dense = await model.createSession({ mode: 'dense' });
    const delta = await model.createSession({ mode: 'delta', threshold: 1, inputThreshold: 4 });
    const name = model.inputs[0]!.name;
    const out = model.outputs[0]!.name;
    const errors: number[] = [];
    for (const frame of frames) {
      const expected = (await dense.run({ [name]: frame }))[out]!;
      const actual = (await delta.run({ [name]: frame }))[out]!;
      errors.push(tensorError(actual.data, expected.data).psnr);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + Math.min(b, 200), 0) / xs.length;
    const firstHundred = mean(errors.slice(1, 101));
    const lastHundred = mean(errors.slice(400));
    expect(Math.min(...errors)).toBeGreaterThan(25);
    // PSNR: higher is better. The last hundred may not be worse than the first by more than 1 dB.
    expect(lastHundred).toBeGreaterThanOrEqual(firstHundred - 1);
    const later = delta.stats().frames.filter((f) => !f.keyframe);
    const macsRatio = later.reduce((s, f) => s + f.macs, 0) / later.reduce((s, f) => s + f.denseMacs, 0);
    expect(macsRatio).toBeLessThan(0.9);
  }, 600_000);
});
