import type { Tensor, TensorMap } from '@motiondelta/core';
import type { Session } from '@motiondelta/graph-runtime';
import type { RgbImage } from '@motiondelta/video-io';
import type { VideoFrameResult, VideoSession } from 'motiondelta';

/**
 * Runs one frame through the mode's video session and the dense session, `modeFirst` saying which
 * goes first. A run alternates it frame by frame so that cache effects favour neither. Each side
 * makes its input just before it runs (`video.push` converts the frame itself; `denseInput` for
 * the dense session), so neither finds the other's freshly converted input in cache; timing is
 * left to each session's own statistics (`stats().frames[i].ms`).
 *
 * @example
 * ```ts
 * const [result, dense] = await runSideBySide(video, frame, denseSession, () => ({ image: frameToTensor(frame) }), true);
 * ```
 */
export async function runSideBySide(
  video: VideoSession,
  frame: RgbImage,
  dense: Session,
  denseInput: () => Readonly<Record<string, Tensor>>,
  modeFirst: boolean,
): Promise<[VideoFrameResult, TensorMap]> {
  if (modeFirst) {
    const result = await video.push(frame);
    return [result, await dense.run(denseInput())];
  }
  const outputs = await dense.run(denseInput());
  return [await video.push(frame), outputs];
}
