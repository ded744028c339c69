import { describe, expect, it } from 'vitest';
import { colormap } from '../src/draw/colormap.js';
import { heatOverlay, tintOverlay } from '../src/draw/overlay.js';
import { createImage, sideBySide } from '../src/draw/rgb-image.js';
import { resample } from '../src/draw/scalar-map.js';
import { sampleOffsets } from '../src/run-video.js';
import { encodePng } from '../src/report/png.js';
import { PNG } from 'pngjs';

describe('drawing helpers', () => {
  it('colormap runs from dark to bright and clamps', () => {
    const lum = (c: readonly number[]) => c[0]! * 0.3 + c[1]! * 0.59 + c[2]! * 0.11;
    const steps = [0, 0.25, 0.5, 0.75, 1].map((v) => lum(colormap(v)));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
    expect(colormap(-3)).toEqual(colormap(0));
    expect(colormap(7)).toEqual(colormap(1));
  });

  it('heatOverlay keeps the picture where the map is 0 and colours it where the map is 1', () => {
    const image = createImage(4, 2);
    image.data.fill(100);
    const out = heatOverlay(image, { width: 2, height: 1, data: Float32Array.from([0, 1]) }, 1);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([100, 100, 100]);
    expect(Array.from(out.data.subarray(3 * 3, 3 * 3 + 3))).toEqual([...colormap(1)]);
  });

  it('tintOverlay blends the colour by mask value', () => {
    const image = createImage(1, 1);
    const out = tintOverlay(image, { width: 1, height: 1, data: Float32Array.from([1]) }, [200, 0, 100], 0.5);
    expect(Array.from(out.data)).toEqual([100, 0, 50]);
  });

  it('resample keeps a constant map constant', () => {
    const r = resample({ width: 3, height: 2, data: new Float32Array(6).fill(0.25) }, 7, 5);
    expect(r.data.every((v) => Math.abs(v - 0.25) < 1e-7)).toBe(true);
  });

  it('sideBySide lays images out left to right with a gap', () => {
    const a = createImage(2, 1);
    a.data.fill(9);
    const b = createImage(3, 2);
    b.data.fill(7);
    const out = sideBySide([a, b], 1);
    expect([out.width, out.height]).toEqual([6, 2]);
    expect(out.data[0]).toBe(9);
    expect(out.data[3 * 3]).toBe(7);
  });

  it('encodePng round-trips RGB and grey images', () => {
    for (const grey of [false, true]) {
      const image = createImage(3, 2);
      image.data.forEach((_, i) => (image.data[i] = grey ? Math.floor(i / 3) * 40 : i * 11));
      const decoded = PNG.sync.read(encodePng(image));
      const rgb = Array.from(decoded.data).filter((_, i) => i % 4 !== 3);
      expect(rgb).toEqual(Array.from(image.data));
    }
  });

  it('sampleOffsets picks first, middle and last', () => {
    expect([...sampleOffsets(9, 3)]).toEqual([0, 4, 8]);
    expect([...sampleOffsets(2, 3)]).toEqual([0, 1]);
    expect([...sampleOffsets(1, 3)]).toEqual([0]);
  });
});
