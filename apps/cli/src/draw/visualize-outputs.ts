import type { Tensor, TensorMap } from '@motiondelta/core';
import type { RgbImage } from '@motiondelta/video-io';
import { decodeSinglePose } from './decode-pose.js';
import { drawPose } from './draw-keypoints.js';
import { greyImage, heatOverlay, tensorToImage, tintOverlay } from './overlay.js';
import { scaleNearest } from './rgb-image.js';
import { channelMap, mapValues, normalize } from './scalar-map.js';

/** One picture of a report, with its caption. */
export interface Panel {
  readonly title: string;
  readonly image: RgbImage;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** The output whose name contains `hint`, else the first with `channels` channels. */
function pickOutput(outputs: TensorMap, hint: string, channels: number): Tensor | undefined {
  const entries = Object.entries(outputs);
  return (entries.find(([name]) => name.includes(hint)) ?? entries.find(([, t]) => t.shape.at(-1) === channels))?.[1];
}

function firstOutput(outputs: TensorMap): Tensor | undefined {
  return Object.values(outputs)[0];
}

function posenetPanels(image: RgbImage, outputs: TensorMap): Panel[] {
  const heat = pickOutput(outputs, 'heatmap', 17);
  const offsets = pickOutput(outputs, 'offset', 34);
  if (!heat || !offsets) return genericPanels(image, outputs);
  return [
    {
      title: 'keypoints (score >= 0.3; single-person decoding, so with several people they may come from different ones)',
      image: drawPose(image, decodeSinglePose(heat, offsets)),
    },
    {
      title: 'heatmaps: sigmoid, max over the 17 keypoints',
      image: heatOverlay(image, mapValues(channelMap(heat.data, heat.shape), sigmoid)),
    },
  ];
}

function selfiePanels(image: RgbImage, outputs: TensorMap): Panel[] {
  const mask = firstOutput(outputs);
  if (!mask) return [];
  return [{ title: 'person mask', image: tintOverlay(image, mapValues(channelMap(mask.data, mask.shape, 0), clamp01), [255, 64, 129]) }];
}

function esrganPanels(image: RgbImage, outputs: TensorMap): Panel[] {
  const sr = firstOutput(outputs);
  if (!sr || sr.shape.length !== 4 || sr.shape[3] !== 3) return [{ title: 'input', image }, ...genericPanels(image, outputs)];
  return [
    { title: 'input, enlarged x2 by repeating pixels', image: scaleNearest(image, 2) },
    { title: 'output: x2 super-resolution', image: tensorToImage(sr.data, sr.shape) },
  ];
}

function ppocrPanels(image: RgbImage, outputs: TensorMap): Panel[] {
  const prob = firstOutput(outputs);
  if (!prob) return [];
  return [{ title: 'text probability', image: heatOverlay(image, mapValues(channelMap(prob.data, prob.shape, 0), clamp01)) }];
}

/** Unknown models: each image-like output min-max normalised, as a picture or an overlay. */
function genericPanels(image: RgbImage, outputs: TensorMap): Panel[] {
  const panels: Panel[] = [];
  for (const [name, t] of Object.entries(outputs).slice(0, 4)) {
    if (t.shape.length !== 4) continue;
    const map = normalize(channelMap(t.data, t.shape));
    if (t.shape[3] === 3) {
      const scaled = normalize({ width: t.data.length, height: 1, data: t.data });
      panels.push({
        title: `${name} (min-max normalised)`,
        image: tensorToImage(
          scaled.data.map((v) => v * 255),
          t.shape,
        ),
      });
    } else if (map.width * map.height > 1) {
      panels.push({ title: `${name}: max over channels, min-max normalised`, image: heatOverlay(image, map) });
    } else {
      panels.push({ title: `${name}: a single value per channel`, image: greyImage(map) });
    }
  }
  return panels;
}

/**
 * Pictures of a model's outputs on the frame it saw, after the frame itself: keypoints and heatmaps for posenet, a mask
 * overlay for selfie, the upscaled image beside the input for esrgan-x2, a probability overlay for
 * ppocr-det; other models get their image-like outputs normalised.
 */
export function visualizeOutputs(catalogId: string | undefined, image: RgbImage, outputs: TensorMap): Panel[] {
  const input: Panel = { title: 'input', image };
  switch (catalogId) {
    case 'posenet':
      return [input, ...posenetPanels(image, outputs)];
    case 'selfie':
      return [input, ...selfiePanels(image, outputs)];
    case 'esrgan-x2':
      // Its own panels show the input, enlarged to the output's size for comparison.
      return esrganPanels(image, outputs);
    case 'ppocr-det':
      return [input, ...ppocrPanels(image, outputs)];
    default:
      return [input, ...genericPanels(image, outputs)];
  }
}
