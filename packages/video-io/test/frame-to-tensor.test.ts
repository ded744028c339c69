import { OptionError } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { IMAGENET_MEAN, IMAGENET_STD, frameToTensor } from '../src/frame-to-tensor.js';

// 2x1 image: a pure red pixel then (0, 128, 255).
const image = { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 128, 255]) };

describe('frameToTensor', () => {
  it('keeps [0,255] by default in NHWC', () => {
    const t = frameToTensor(image);
    expect(t.shape).toEqual([1, 1, 2, 3]);
    expect([...t.data]).toEqual([255, 0, 0, 0, 128, 255]);
  });

  it('maps to [0,1] and [-1,1] with scale and offset', () => {
    expect([...frameToTensor(image, { scale: 1 / 255 }).data].map((v) => +v.toFixed(4))).toEqual([1, 0, 0, 0, 0.502, 1]);
    expect([...frameToTensor(image, { scale: 2 / 255, offset: -1 }).data].map((v) => +v.toFixed(4))).toEqual([1, -1, -1, -1, 0.0039, 1]);
  });

  it('applies ImageNet mean/std per channel and can lay out NCHW', () => {
    const t = frameToTensor(image, { scale: 1 / 255, mean: IMAGENET_MEAN, std: IMAGENET_STD, layout: 'nchw' });
    expect(t.shape).toEqual([1, 3, 1, 2]);
    const expected = [
      (1 - 0.485) / 0.229,
      (0 - 0.485) / 0.229,
      (0 - 0.456) / 0.224,
      (128 / 255 - 0.456) / 0.224,
      (0 - 0.406) / 0.225,
      (1 - 0.406) / 0.225,
    ];
    [...t.data].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('reverses the channels for BGR models, mean and std in the tensor`s order, in both layouts', () => {
    expect([...frameToTensor(image, { channelOrder: 'bgr' }).data]).toEqual([0, 0, 255, 255, 128, 0]);
    const t = frameToTensor(image, { channelOrder: 'bgr', mean: [10, 20, 30], std: [1, 2, 5], layout: 'nchw' });
    expect([...t.data]).toEqual([-10, 245, -10, 54, 45, -6]);
    expect(() => frameToTensor(image, { channelOrder: 'grb' as never })).toThrow(/channelOrder must be 'rgb' or 'bgr'/);
  });

  it('rejects data of the wrong length and a zero std', () => {
    expect(() => frameToTensor({ width: 2, height: 2, data: new Uint8Array(5) })).toThrow(OptionError);
    expect(() => frameToTensor(image, { std: [1, 0, 1] })).toThrow(/std must not be 0/);
  });
});
