import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, createRng, randomInt, sizeOf, stridesOf } from '@motiondelta/core';
import type { PadAttrs, Rng, Shape, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, toTf, useTfCpu } from './tf-oracle.js';

/** ONNX pads [begin..., end...] -> tfjs [[begin, end], ...] (non-negative parts only). */
function positivePairs(pads: readonly number[], rank: number): [number, number][] {
  return Array.from({ length: rank }, (_, i): [number, number] => [Math.max(0, pads[i]!), Math.max(0, pads[i + rank]!)]);
}

/** Crops the negative pads off with tf.slice, as onnxruntime does before padding. */
function cropNegative(x: Tensor, pads: readonly number[]): Tensor {
  const rank = x.shape.length;
  const begin = x.shape.map((_, i) => Math.max(0, -pads[i]!));
  const size = x.shape.map((d, i) => d - begin[i]! - Math.max(0, -pads[i + rank]!));
  return fromTf(tf.tidy(() => tf.slice(toTf(x), begin, size)));
}

/**
 * A deliberately naive pad for what tfjs cannot express (edge mode, reflect wider than the axis):
 * per output element, per axis, mirror or clamp the coordinate one step at a time.
 */
function naivePad(x: Tensor, attrs: PadAttrs): Tensor {
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d + Math.max(0, attrs.pads[i]!) + Math.max(0, attrs.pads[i + rank]!));
  const inStrides = stridesOf(x.shape);
  const outStrides = stridesOf(outShape);
  const out = new Float32Array(sizeOf(outShape));
  for (let flat = 0; flat < out.length; flat++) {
    let src = 0;
    let constant = false;
    for (let axis = 0; axis < rank; axis++) {
      const n = x.shape[axis]!;
      let c = (Math.floor(flat / outStrides[axis]!) % outShape[axis]!) - Math.max(0, attrs.pads[axis]!);
      if (c < 0 || c >= n) {
        if (attrs.mode === 'constant') constant = true;
        else if (attrs.mode === 'edge') c = Math.min(Math.max(c, 0), n - 1);
        else if (n === 1) c = 0;
        else {
          while (c < 0 || c >= n) c = c < 0 ? -c : 2 * (n - 1) - c;
        }
      }
      src += c * inStrides[axis]!;
    }
    out[flat] = constant ? attrs.value : x.data[src]!;
  }
  return { data: out, shape: outShape };
}

function randomCase(rng: Rng, mode: PadAttrs['mode'], allowNegative: boolean, narrow: boolean): { x: Tensor; attrs: PadAttrs } {
  const rank = randomInt(rng, 1, 4);
  const shape: Shape = Array.from({ length: rank }, () => randomInt(rng, 2, 5));
  const pads = Array.from({ length: 2 * rank }, (_, i) => {
    const d = shape[i % rank]!;
    // tf.mirrorPad needs reflect pads < axis size; `narrow` keeps that, otherwise pads may exceed the axis.
    const hi = narrow ? d - 2 : d + 3;
    return allowNegative && rng.next() < 0.3 ? -randomInt(rng, 0, 1) : randomInt(rng, 0, Math.max(0, hi));
  });
  return { x: randomTensor(rng, shape), attrs: { pads, mode, value: rng.next() * 4 - 2 } };
}

function runPad(x: Tensor, attrs: PadAttrs): Tensor {
  const rank = x.shape.length;
  const outputShape = x.shape.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + rank]!);
  return run({ op: 'Pad', attrs, inputs: [x], outputShape });
}

describe('Pad (reference)', () => {
  beforeAll(useTfCpu);

  it('constant and reflect match tf.pad / tf.mirrorPad, negative pads cropping first', () => {
    const rng = createRng(1601);
    for (let i = 0; i < 24; i++) {
      const mode = i % 2 === 0 ? 'constant' : 'reflect';
      const { x, attrs } = randomCase(rng, mode, i >= 12, true);
      const cropped = cropNegative(x, attrs.pads);
      const pairs = positivePairs(attrs.pads, x.shape.length);
      const expected = fromTf(
        tf.tidy(() => (mode === 'constant' ? tf.pad(toTf(cropped), pairs, attrs.value) : tf.mirrorPad(toTf(cropped), pairs, 'reflect'))),
      );
      expectClose(runPad(x, attrs), expected, `${mode} pad [${x.shape.join(',')}] by [${attrs.pads.join(',')}]`);
    }
  });

  it('edge, and reflect wider than the axis, match a naive per-element implementation', () => {
    const rng = createRng(1602);
    for (let i = 0; i < 24; i++) {
      const mode = i % 2 === 0 ? 'edge' : 'reflect';
      const { x, attrs } = randomCase(rng, mode, i >= 12, false);
      const expected = naivePad(cropNegative(x, attrs.pads), attrs);
      expectClose(runPad(x, attrs), expected, `${mode} pad [${x.shape.join(',')}] by [${attrs.pads.join(',')}]`);
    }
  });

  it('pads an NHWC tensor spatially, the common case for feature maps', () => {
    const rng = createRng(1603);
    const x = randomTensor(rng, [1, 5, 6, 3]);
    for (const mode of ['constant', 'reflect', 'edge'] as const) {
      const attrs: PadAttrs = { pads: [0, 1, 2, 0, 0, 3, 1, 0], mode, value: 0.5 };
      expectClose(runPad(x, attrs), naivePad(x, attrs), `NHWC ${mode}`);
    }
  });

  it('rejects pads of the wrong length', () => {
    const x = randomTensor(createRng(1604), [2, 3]);
    expect(() => run({ op: 'Pad', attrs: { pads: [1, 1], mode: 'constant', value: 0 }, inputs: [x], outputShape: [4, 3] })).toThrow(
      ShapeError,
    );
  });
});
