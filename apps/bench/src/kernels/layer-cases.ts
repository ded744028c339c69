import type { Conv2DAttrs, Tensor } from '@motiondelta/core';
import { randomFloat32, type Rng } from '@motiondelta/core';

/** One convolution layer shaped like a layer of a real model, with random weights. */
export interface LayerCase {
  readonly id: string;
  readonly description: string;
  /** NHWC input shape. */
  readonly inputShape: readonly [number, number, number, number];
  readonly outputShape: readonly [number, number, number, number];
  readonly attrs: Conv2DAttrs;
  readonly weight: Tensor;
  readonly bias: Tensor;
  /** Multiply-accumulates of one dense evaluation. */
  readonly denseMacs: number;
}

function convCase(rng: Rng, id: string, description: string, h: number, w: number, cin: number, cout: number, groups: number): LayerCase {
  const attrs: Conv2DAttrs = { kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', groups };
  const weightShape = [3, 3, cin / groups, cout];
  return {
    id,
    description,
    inputShape: [1, h, w, cin],
    outputShape: [1, h, w, cout],
    attrs,
    weight: { data: randomFloat32(rng, 9 * (cin / groups) * cout, -0.1, 0.1), shape: weightShape },
    bias: { data: randomFloat32(rng, cout, -0.1, 0.1), shape: [cout] },
    denseMacs: h * w * cout * 9 * (cin / groups),
  };
}

/**
 * The layers the cost curve is measured on: a 3x3 convolution as in esrgan-x2's body (64 -> 64
 * channels at its default bench input, 144x192) and a depthwise 3x3 layer as in posenet's
 * MobileNet (256 channels at 49x49, its 385x385 input after stride 8).
 */
export function layerCases(rng: Rng): LayerCase[] {
  return [
    convCase(rng, 'conv3x3', 'Conv2D 3x3, 64 -> 64 channels, 144x192 (esrgan-x2 body)', 144, 192, 64, 64, 1),
    convCase(rng, 'depthwise3x3', 'depthwise Conv2D 3x3, 256 channels, 49x49 (posenet MobileNet)', 49, 49, 256, 256, 256),
  ];
}
