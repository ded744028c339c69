import type { Tensor } from '@motiondelta/core';
import { MODEL_INPUTS, ensureData, type ModelId } from '@motiondelta/data';
import { frameToTensor, openVideo, probeVideo } from '@motiondelta/video-io';

/** Which real frames to feed a model. */
export interface FrameSelection {
  /** A clip id of the data catalog. */
  readonly clip: 'vtest' | 'cube';
  readonly start: number;
  readonly count: number;
  /** Model input [height, width]. */
  readonly size: readonly [number, number];
}

/**
 * Reads real frames and turns them into the model's input tensors: the largest centred region
 * with the model's aspect ratio is cropped (so nothing is stretched), resized to the input size,
 * and mapped to the model's value range.
 */
export async function readModelFrames(id: ModelId, selection: FrameSelection): Promise<Tensor[]> {
  const spec = MODEL_INPUTS[id];
  const clip = await ensureData(selection.clip);
  const info = await probeVideo(clip.main);
  const [h, w] = selection.size;
  const scale = Math.min(info.width / w, info.height / h);
  const cropW = Math.min(info.width, Math.round(w * scale));
  const cropH = Math.min(info.height, Math.round(h * scale));
  const crop = { x: Math.floor((info.width - cropW) / 2), y: Math.floor((info.height - cropH) / 2), width: cropW, height: cropH };
  const reader = await openVideo(clip.main, { start: selection.start, count: selection.count, crop, resize: { width: w, height: h } });
  const tensors: Tensor[] = [];
  for await (const frame of reader) {
    tensors.push(
      frameToTensor(frame, {
        scale: spec.scale,
        offset: spec.offset,
        ...(spec.mean ? { mean: spec.mean } : {}),
        ...(spec.std ? { std: spec.std } : {}),
      }),
    );
  }
  return tensors;
}
