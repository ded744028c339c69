import type { DemoModel } from './demo-models.js';

/** One frame at the model's input size: the pixels (for drawing) and the input tensor (NHWC). */
export interface GrabbedFrame {
  readonly image: ImageData;
  readonly tensor: { readonly data: Float32Array; readonly shape: [number, number, number, number] };
}

/**
 * Scales the video's current frame to `size` ([height, width]) and maps its RGB bytes to the
 * model's input values, as `@motiondelta/data`'s `frameToTensor` does for the Node tests.
 */
export class FrameGrabber {
  private readonly context: CanvasRenderingContext2D;

  constructor(
    private readonly model: DemoModel,
    private readonly size: readonly [number, number],
  ) {
    const canvas = document.createElement('canvas');
    [canvas.height, canvas.width] = size;
    // willReadFrequently keeps the canvas on the CPU, where getImageData is cheap.
    this.context = canvas.getContext('2d', { willReadFrequently: true })!;
  }

  grab(video: HTMLVideoElement): GrabbedFrame {
    const [height, width] = this.size;
    this.context.drawImage(video, 0, 0, width, height);
    const image = this.context.getImageData(0, 0, width, height);
    const { scale, offset, mean = [0, 0, 0], std = [1, 1, 1] } = this.model;
    const data = new Float32Array(height * width * 3);
    for (let p = 0; p < height * width; p++) {
      for (let c = 0; c < 3; c++) data[p * 3 + c] = (image.data[p * 4 + c]! * scale + offset - mean[c]!) / std[c]!;
    }
    return { image, tensor: { data, shape: [1, height, width, 3] } };
  }
}
