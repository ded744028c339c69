import { ensureData } from '@motiondelta/data';
import { openVideo } from '@motiondelta/video-io';
import { describe, expect, it } from 'vitest';
import { estimateHomography, warpBilinear } from '@motiondelta/homography';

const PAIRS = 20;

describe('real pairs: consecutive frames of the cube clip', () => {
  it('alignment lowers the mean absolute difference between consecutive frames', async () => {
    const video = await openVideo((await ensureData('cube')).main, { start: 0, count: PAIRS + 1 });
    const frames: Array<{ data: Uint8Array; width: number; height: number; channels: number }> = [];
    for await (const f of video) frames.push({ data: f.data, width: f.width, height: f.height, channels: 3 });
    expect(frames.length).toBe(PAIRS + 1);
    let before = 0;
    let after = 0;
    let ok = 0;
    for (let t = 0; t < PAIRS; t++) {
      const a = frames[t]!;
      const b = frames[t + 1]!;
      const r = estimateHomography(a, b, { seed: t });
      if (!r.ok) continue;
      ok++;
      const { image, mask } = warpBilinear(b, r.H, { width: a.width, height: a.height });
      // Both differences over the same pixels: those the aligned frame covers.
      let sb = 0;
      let sa = 0;
      let n = 0;
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        for (let c = 0; c < 3; c++) {
          sb += Math.abs(a.data[i * 3 + c]! - b.data[i * 3 + c]!);
          sa += Math.abs(a.data[i * 3 + c]! - image.data[i * 3 + c]!);
        }
        n += 3;
      }
      before += sb / n;
      after += sa / n;
    }
    console.log(`cube: ${ok}/${PAIRS} aligned; mean |dI| before ${(before / ok).toFixed(2)}, after ${(after / ok).toFixed(2)}`);
    expect(ok).toBeGreaterThanOrEqual(PAIRS - 1);
    expect(after / ok).toBeLessThan(0.6 * (before / ok));
  });
});
