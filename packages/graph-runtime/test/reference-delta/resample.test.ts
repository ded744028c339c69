import { describe, it } from 'vitest';
import { createRng } from '@motiondelta/core';
import type { PadAttrs, ResizeAttrs, ResizeCoordinateMode, ResizeNearestMode } from '@motiondelta/core';
import { PATTERNS, changeAt, changedPixels, checkLinear, randomTensor, resolve } from './delta-harness.js';

const SCALES = [
  { label: 'x2', input: [1, 5, 4, 3], scales: [2, 2] },
  { label: 'x0.5', input: [2, 8, 6, 2], scales: [0.5, 0.5] },
  { label: 'x3/2', input: [1, 6, 4, 2], scales: [1.5, 1.5] },
  { label: 'x2 by x0.5', input: [1, 5, 8, 2], scales: [2, 0.5] },
] as const;

const MODES: readonly { mode: ResizeAttrs['mode']; coordinateMode: ResizeCoordinateMode; nearestMode: ResizeNearestMode }[] = [
  { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor' },
  { mode: 'nearest', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor' },
  { mode: 'nearest', coordinateMode: 'tf_half_pixel_for_nn', nearestMode: 'round_prefer_ceil' },
  { mode: 'nearest', coordinateMode: 'align_corners', nearestMode: 'ceil' },
  { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'round_prefer_floor' },
  { mode: 'linear', coordinateMode: 'pytorch_half_pixel', nearestMode: 'round_prefer_floor' },
  { mode: 'linear', coordinateMode: 'align_corners', nearestMode: 'round_prefer_floor' },
  { mode: 'linear', coordinateMode: 'asymmetric', nearestMode: 'round_prefer_floor' },
];

describe('linear delta: Resize', () => {
  MODES.forEach((m, modeIndex) => {
    SCALES.forEach((s, scaleIndex) => {
      it(`matches dense(x1) - dense(x0): ${m.mode} ${m.coordinateMode} ${m.nearestMode} ${s.label}`, () => {
        const rng = createRng(4000 + 10 * modeIndex + scaleIndex);
        const { attrs, outputShape } = resolve('Resize', { ...m, scales: s.scales }, [s.input]);
        // Per axis an input index is read by at most ceil(2 * scale) + 2 outputs (two taps each).
        const footprint = (Math.ceil(2 * s.scales[0]) + 2) * (Math.ceil(2 * s.scales[1]) + 2);
        for (const pattern of PATTERNS) {
          const x0 = randomTensor(rng, s.input);
          const x1 = changeAt(rng, x0, changedPixels(rng, s.input, pattern));
          checkLinear('Resize', attrs, [{ x0, x1 }], outputShape, footprint);
        }
      });
    });
  });

  it('matches dense with explicit sizes and no scales', () => {
    const rng = createRng(4100);
    const input = [1, 5, 7, 2] as const;
    const { attrs, outputShape } = resolve(
      'Resize',
      { mode: 'linear', coordinateMode: 'half_pixel', nearestMode: 'floor', sizes: [8, 3] },
      [input],
    );
    for (const pattern of PATTERNS) {
      const x0 = randomTensor(rng, input);
      const x1 = changeAt(rng, x0, changedPixels(rng, input, pattern));
      checkLinear('Resize', attrs, [{ x0, x1 }], outputShape, 6 * 4);
    }
  });
});

const PAD_CASES: readonly { label: string; input: readonly [number, number, number, number]; attrs: PadAttrs }[] = [
  { label: 'constant', input: [2, 5, 6, 3], attrs: { mode: 'constant', value: 0.5, pads: [0, 1, 2, 0, 0, 2, 1, 0] } },
  { label: 'constant with crops', input: [1, 6, 7, 2], attrs: { mode: 'constant', value: 0, pads: [0, -1, 1, 0, 0, 1, -2, 0] } },
  { label: 'reflect', input: [1, 5, 6, 3], attrs: { mode: 'reflect', value: 0, pads: [0, 2, 3, 0, 0, 3, 2, 0] } },
  { label: 'reflect wider than the input', input: [1, 3, 4, 2], attrs: { mode: 'reflect', value: 0, pads: [0, 5, 4, 0, 0, 4, 6, 0] } },
  { label: 'edge', input: [2, 4, 5, 2], attrs: { mode: 'edge', value: 0, pads: [0, 3, 1, 0, 0, 2, 4, 0] } },
];

describe('linear delta: Pad', () => {
  PAD_CASES.forEach((pc, caseIndex) => {
    it(`matches dense(x1) - dense(x0): ${pc.label}`, () => {
      const rng = createRng(4200 + caseIndex);
      const { attrs, outputShape } = resolve('Pad', pc.attrs, [pc.input]);
      const p = pc.attrs.pads;
      // Per axis an input index is copied to its own output plus at most one per padded position.
      const footprint = (1 + Math.abs(p[1]!) + Math.abs(p[5]!)) * (1 + Math.abs(p[2]!) + Math.abs(p[6]!));
      for (const pattern of PATTERNS) {
        const x0 = randomTensor(rng, pc.input);
        const x1 = changeAt(rng, x0, changedPixels(rng, pc.input, pattern));
        checkLinear('Pad', attrs, [{ x0, x1 }], outputShape, footprint);
      }
    });
  });
});
