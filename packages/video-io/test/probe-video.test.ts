import { beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../src/probe-video.js';
import { clipPaths } from './clips.js';

// The values the data catalog states for the two clips; ffprobe must agree with them.
const DATA_MD = {
  vtest: { width: 768, height: 576, frameCount: 795, fps: 10 },
  cube: { width: 384, height: 288, frameCount: 79, fps: 25 },
};

let clips: { vtest: string; cube: string };
beforeAll(async () => {
  clips = await clipPaths();
});

describe('probeVideo', () => {
  it('reads vtest metadata from the AVI header', async () => {
    const info = await probeVideo(clips.vtest);
    expect(info).toMatchObject(DATA_MD.vtest);
    expect(info.codec).toBe('msmpeg4v3');
    expect(info.durationSeconds).toBeCloseTo(79.5, 3);
  });

  it('counts cube frames because an MPEG elementary stream does not store them', async () => {
    const info = await probeVideo(clips.cube);
    expect(info).toMatchObject(DATA_MD.cube);
    expect(info.codec).toBe('mpeg1video');
    // The container claims 0.04 s; the duration must come from the counted frames instead.
    expect(info.durationSeconds).toBeCloseTo(79 / 25, 6);
  });
});
