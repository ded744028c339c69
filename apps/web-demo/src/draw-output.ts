import type { UpdateMask } from 'motiondelta';
import type { OutputView } from './demo-models.js';

/** A canvas of `width` x `height` holding `pixels` (RGBA), to be scaled onto a panel. */
function bitmap(width: number, height: number, pixels: Uint8ClampedArray<ArrayBuffer>): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(pixels, width, height), 0, 0);
  return canvas;
}

/** The output tensor ([1, H, W, C], NHWC) as RGBA pixels, drawn as `view` says. */
function outputPixels(data: Float32Array, shape: readonly number[], view: OutputView): HTMLCanvasElement {
  const [, height = 1, width = 1, channels = 1] = shape;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    if (view.kind === 'rgb') {
      for (let c = 0; c < 3; c++) pixels[p * 4 + c] = (data[p * channels + Math.min(c, channels - 1)]! / view.range) * 255;
      pixels[p * 4 + 3] = 255;
    } else {
      // Magenta where the model sees a person, its opacity the probability.
      pixels.set([255, 0, 200, Math.max(0, Math.min(1, data[p * channels]!)) * 160], p * 4);
    }
  }
  return bitmap(width, height, pixels);
}

/** A layer's update mask as green where the last frame recomputed, transparent elsewhere. */
function maskPixels(mask: UpdateMask): HTMLCanvasElement {
  const [, height, width] = mask.shape;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) if (mask.mask[p] !== 0) pixels.set([0, 255, 80, 110], p * 4);
  return bitmap(width, height, pixels);
}

/**
 * Draws one panel: the frame the model saw, its output over it, and (for the mode's panel) the
 * chosen layer's update mask over both. Pixels stay square-edged when scaled up, so that tiny
 * inputs show what the model really got.
 */
export function drawPanel(
  canvas: HTMLCanvasElement,
  frame: ImageData,
  output: { readonly data: Float32Array; readonly shape: readonly number[] },
  view: OutputView,
  mask?: UpdateMask,
): void {
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.globalAlpha = 1;
  context.drawImage(bitmap(frame.width, frame.height, new Uint8ClampedArray(frame.data)), 0, 0, canvas.width, canvas.height);
  context.drawImage(outputPixels(output.data, output.shape, view), 0, 0, canvas.width, canvas.height);
  if (mask !== undefined) context.drawImage(maskPixels(mask), 0, 0, canvas.width, canvas.height);
}
