import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { openVideo } from '../src/open-video.js';
import { probeVideo } from '../src/probe-video.js';
import type { Frame, VideoInfo } from '../src/types.js';
import { clipPaths } from './clips.js';

let clips: { vtest: string; cube: string };
let cubeInfo: VideoInfo;
beforeAll(async () => {
  clips = await clipPaths();
  cubeInfo = await probeVideo(clips.cube);
});

/** ffmpeg processes that are children of this test worker, zombies included. */
function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('ffmpeg'));
}

async function collect(reader: AsyncIterable<Frame>): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of reader) frames.push(frame);
  return frames;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('openVideo', () => {
  it('reads a frame range with crop and resize, with indices, timestamps and changing content', async () => {
    const reader = await openVideo(clips.cube, {
      info: cubeInfo,
      start: 20,
      count: 4,
      crop: { x: 32, y: 16, width: 320, height: 256 },
      resize: { width: 160, height: 128 },
    });
    expect(reader.frameSize).toEqual({ width: 160, height: 128 });
    const frames = await collect(reader);
    expect(frames.map((f) => f.index)).toEqual([20, 21, 22, 23]);
    expect(frames.map((f) => f.timestamp)).toEqual([0.8, 0.84, 0.88, 0.92]);
    for (const frame of frames) {
      expect([frame.width, frame.height, frame.data.length]).toEqual([160, 128, 160 * 128 * 3]);
    }
    // The camera moves fast in this clip: consecutive frames must differ clearly.
    expect(meanAbsDiff(frames[0]!.data, frames[3]!.data)).toBeGreaterThan(2);
    // Each frame owns its bytes (no buffer reuse under the caller).
    expect(frames[0]!.data.buffer).not.toBe(frames[1]!.data.buffer);
  });

  it('crops exactly the requested region of the frame', async () => {
    const [full] = await collect(await openVideo(clips.cube, { info: cubeInfo, start: 10, count: 1 }));
    const crop = { x: 100, y: 50, width: 64, height: 32 };
    const [cropped] = await collect(await openVideo(clips.cube, { info: cubeInfo, start: 10, count: 1, crop }));
    for (let row = 0; row < crop.height; row++) {
      const from = ((crop.y + row) * cubeInfo.width + crop.x) * 3;
      const expected = full!.data.subarray(from, from + crop.width * 3);
      expect(cropped!.data.subarray(row * crop.width * 3, (row + 1) * crop.width * 3)).toEqual(expected);
    }
  });

  it('reads to the end of the file when no count is given', async () => {
    const frames = await collect(await openVideo(clips.cube, { info: cubeInfo, start: 75, resize: { width: 48, height: 36 } }));
    expect(frames.map((f) => f.index)).toEqual([75, 76, 77, 78]);
  });

  it('stops ffmpeg when the loop breaks early, leaving no child process', async () => {
    const reader = await openVideo(clips.vtest, { resize: { width: 192, height: 144 } });
    let seen = 0;
    for await (const frame of reader) {
      expect(frame.width).toBe(192);
      if (++seen === 3) {
        expect(ffmpegChildren().length).toBe(1);
        break;
      }
    }
    expect(ffmpegChildren()).toEqual([]);
  });

  it('stops ffmpeg on close() before the first frame is read', async () => {
    const reader = await openVideo(clips.vtest);
    expect(ffmpegChildren().length).toBe(1);
    await reader.close();
    await reader.close();
    expect(ffmpegChildren()).toEqual([]);
    expect(await collect(reader)).toEqual([]);
  });
});
