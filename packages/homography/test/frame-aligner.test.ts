import { createRng } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { createFrameAligner, estimateHomography, makeSyntheticPair } from '../src/index.js';
import { texturedGray } from './helpers.js';

describe('createFrameAligner', () => {
  const gray = texturedGray(900, 700, 4);
  const photo = { data: new Uint8Array(gray.length * 3).map((_, i) => gray[(i / 3) | 0]!), width: 900, height: 700, channels: 3 };

  it('gives null for the first frame, then exactly what estimateHomography gives per pair', () => {
    const p = makeSyntheticPair(photo, 'similarity', createRng(21));
    const q = makeSyntheticPair(photo, 'translation', createRng(22));
    const frames = [p.a, p.b, q.b];
    const aligner = createFrameAligner({ seed: 9 });
    expect(aligner.push(frames[0]!)).toBeNull();
    for (let k = 1; k < frames.length; k++) {
      const streamed = aligner.push(frames[k]!);
      const pairwise = estimateHomography(frames[k - 1]!, frames[k]!, { seed: 9 });
      expect(streamed?.ok).toBe(pairwise.ok);
      if (streamed?.ok && pairwise.ok) {
        expect(Array.from(streamed.H)).toEqual(Array.from(pairwise.H));
        expect(streamed.inliers).toBe(pairwise.inliers);
      }
    }
    expect(aligner.previous?.width).toBe(640);
  });

  it('starts over after reset', () => {
    const p = makeSyntheticPair(photo, 'translation', createRng(23));
    const aligner = createFrameAligner();
    aligner.push(p.a);
    aligner.reset();
    expect(aligner.previous).toBeNull();
    expect(aligner.push(p.b)).toBeNull();
    expect(aligner.push(p.a)?.ok).toBe(true);
  });
});
