import { beforeAll, describe, it } from 'vitest';
import { createRng, randomInt } from '@motiondelta/core';
import type { Pair, ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode, Tensor } from '@motiondelta/core';
import { expectClose, fromTf, randomTensor, run, tf, tfPair, toTf, useTfCpu } from './tf-oracle.js';

const COORDINATE_MODES: readonly ResizeCoordinateMode[] = [
  'half_pixel',
  'pytorch_half_pixel',
  'align_corners',
  'asymmetric',
  'tf_half_pixel_for_nn',
];
const NEAREST_MODES: readonly ResizeNearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

function runResize(x: Tensor, attrs: ResizeAttrs, out: Pair): Tensor {
  return run({ op: 'Resize', attrs, inputs: [x], outputShape: [x.shape[0]!, out[0], out[1], x.shape[3]!] });
}

/**
 * A deliberately naive ONNX Resize, one output element at a time, written from the formulas of the
 * ONNX operator spec. Arithmetic is rounded to float32 after each step because onnxruntime (the
 * engine the importer tests compare with) computes coordinates in float, and nearest rounding at
 * an exact .5 depends on that last bit.
 */
function naiveResize(x: Tensor, attrs: ResizeAttrs, out: Pair): Tensor {
  const [n, inH, inW, c] = x.shape as [number, number, number, number];
  const f = Math.fround;
  const coordinate = (xr: number, inLen: number, outLen: number, scaleAttr: number | undefined): number => {
    const scale = f(scaleAttr ?? outLen / inLen);
    switch (attrs.coordinateMode) {
      case 'half_pixel':
        return f(f(f(xr + 0.5) / scale) - 0.5);
      case 'pytorch_half_pixel':
        return outLen > 1 ? f(f(f(xr + 0.5) / scale) - 0.5) : 0;
      case 'align_corners':
        return outLen === 1 ? 0 : f(f(xr * (inLen - 1)) / (outLen - 1));
      case 'asymmetric':
        return f(xr / scale);
      case 'tf_half_pixel_for_nn':
        return f(f(xr + 0.5) / scale);
    }
  };
  const nearest = (v: number, inLen: number): number => {
    let i: number;
    const halfway = v - Math.floor(v) === 0.5;
    if (attrs.nearestMode === 'floor') i = Math.floor(v);
    else if (attrs.nearestMode === 'ceil') i = Math.ceil(v);
    else if (halfway) i = attrs.nearestMode === 'round_prefer_floor' ? Math.floor(v) : Math.ceil(v);
    else i = Math.round(v);
    return Math.min(Math.max(i, 0), inLen - 1);
  };
  const at = (b: number, y: number, xx: number, ch: number) => x.data[((b * inH + y) * inW + xx) * c + ch]!;
  const data = new Float32Array(n * out[0] * out[1] * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < out[0]; oy++) {
      for (let ox = 0; ox < out[1]; ox++) {
        const sy = coordinate(oy, inH, out[0], attrs.scales?.[0]);
        const sx = coordinate(ox, inW, out[1], attrs.scales?.[1]);
        for (let ch = 0; ch < c; ch++) {
          if (attrs.mode === 'nearest') {
            data[o++] = at(b, nearest(sy, inH), nearest(sx, inW), ch);
            continue;
          }
          const y = Math.min(Math.max(sy, 0), inH - 1);
          const xx = Math.min(Math.max(sx, 0), inW - 1);
          const y0 = Math.floor(y);
          const x0 = Math.floor(xx);
          const y1 = Math.min(y0 + 1, inH - 1);
          const x1 = Math.min(x0 + 1, inW - 1);
          const ly = y - y0;
          const lx = xx - x0;
          data[o++] =
            (1 - ly) * (1 - lx) * at(b, y0, x0, ch) +
            (1 - ly) * lx * at(b, y0, x1, ch) +
            ly * (1 - lx) * at(b, y1, x0, ch) +
            ly * lx * at(b, y1, x1, ch);
        }
      }
    }
  }
  return { data, shape: [n, out[0], out[1], c] };
}

describe('Resize (reference)', () => {
  beforeAll(useTfCpu);

  it('linear matches tf.image.resizeBilinear for half_pixel, pytorch_half_pixel, align_corners and asymmetric', () => {
    const rng = createRng(1701);
    for (let i = 0; i < 24; i++) {
      const x = randomTensor(rng, [randomInt(rng, 1, 2), randomInt(rng, 1, 7), randomInt(rng, 1, 7), randomInt(rng, 1, 3)]);
      // pytorch_half_pixel equals half_pixel only when the output axis is longer than 1.
      const out: Pair = [randomInt(rng, 2, 13), randomInt(rng, 2, 13)];
      const coordinateMode = (['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'] as const)[i % 4]!;
      const expected = fromTf(
        tf.tidy(() =>
          tf.image.resizeBilinear(
            toTf(x) as tf.Tensor4D,
            tfPair(out),
            coordinateMode === 'align_corners',
            coordinateMode.endsWith('half_pixel'),
          ),
        ),
      );
      const attrs: ResizeAttrs = { mode: 'linear', coordinateMode, nearestMode: 'round_prefer_floor', sizes: out };
      expectClose(runResize(x, attrs, out), expected, `linear ${coordinateMode} [${x.shape.join(',')}] -> ${out.join('x')}`);
    }
  });

  it('nearest matches tf.image.resizeNearestNeighbor where tfjs has the same rule (exact ratios)', () => {
    const rng = createRng(1702);
    const cases: { coordinateMode: ResizeCoordinateMode; nearestMode: ResizeNearestMode; alignCorners: boolean; halfPixel: boolean }[] = [
      { coordinateMode: 'asymmetric', nearestMode: 'floor', alignCorners: false, halfPixel: false },
      { coordinateMode: 'tf_half_pixel_for_nn', nearestMode: 'floor', alignCorners: false, halfPixel: true },
      { coordinateMode: 'align_corners', nearestMode: 'round_prefer_ceil', alignCorners: true, halfPixel: false },
    ];
    for (const c of cases) {
      // Ratios that are exact in binary, so float rounding cannot move a pixel choice.
      const sizes: [Pair, Pair][] =
        c.coordinateMode === 'align_corners'
          ? [
              [
                [5, 3],
                [9, 5],
              ],
              [
                [9, 5],
                [5, 3],
              ],
              [
                [3, 2],
                [9, 4],
              ],
            ]
          : [
              [
                [4, 3],
                [8, 6],
              ],
              [
                [8, 6],
                [4, 3],
              ],
              [
                [3, 5],
                [12, 10],
              ],
            ];
      for (const [inSize, out] of sizes) {
        const x = randomTensor(rng, [2, inSize[0], inSize[1], 3]);
        const expected = fromTf(
          tf.tidy(() => tf.image.resizeNearestNeighbor(toTf(x) as tf.Tensor4D, tfPair(out), c.alignCorners, c.halfPixel)),
        );
        const attrs: ResizeAttrs = { mode: 'nearest', coordinateMode: c.coordinateMode, nearestMode: c.nearestMode, sizes: out };
        expectClose(
          runResize(x, attrs, out),
          expected,
          `nearest ${c.coordinateMode}/${c.nearestMode} ${inSize.join('x')} -> ${out.join('x')}`,
        );
      }
    }
  });

  it('every coordinate mode with every nearest mode, and linear, matches a naive ONNX Resize (sizes, scales, or both)', () => {
    const rng = createRng(1703);
    for (const coordinateMode of COORDINATE_MODES) {
      for (const mode of ['nearest', 'linear'] as const) {
        for (const nearestMode of mode === 'nearest' ? NEAREST_MODES : (['round_prefer_floor'] as const)) {
          for (let i = 0; i < 6; i++) {
            const x = randomTensor(rng, [1, randomInt(rng, 1, 6), randomInt(rng, 1, 6), randomInt(rng, 1, 2)]);
            const inH = x.shape[1]!;
            const inW = x.shape[2]!;
            const variant = i % 3;
            let attrs: ResizeAttrs;
            let out: Pair;
            if (variant === 0) {
              out = [randomInt(rng, 1, 12), randomInt(rng, 1, 12)];
              attrs = { mode, coordinateMode, nearestMode, sizes: out };
            } else {
              // Scales such as 1.5, 0.75 or 3: ties at .5 are common, which is what the rounding modes decide.
              const scales: Pair = [[0.5, 0.75, 1.5, 2, 3][randomInt(rng, 0, 4)]!, [0.6, 1.25, 1.5, 2, 2.5][randomInt(rng, 0, 4)]!];
              out = [Math.max(1, Math.floor(inH * scales[0])), Math.max(1, Math.floor(inW * scales[1]))];
              attrs =
                variant === 1 ? { mode, coordinateMode, nearestMode, sizes: out, scales } : { mode, coordinateMode, nearestMode, scales };
              if (variant === 2 && (Math.floor(inH * scales[0]) < 1 || Math.floor(inW * scales[1]) < 1)) {
                attrs = { mode, coordinateMode, nearestMode, sizes: out, scales };
              }
            }
            const label = `${mode} ${coordinateMode}/${nearestMode} [${x.shape.join(',')}] -> ${out.join('x')} (${attrs.scales ? `scales ${attrs.scales.join(',')}` : 'sizes'})`;
            expectClose(runResize(x, attrs, out), naiveResize(x, attrs, out), label);
          }
        }
      }
    }
  });
});
