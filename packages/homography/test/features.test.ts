import { describe, expect, it } from 'vitest';
import {
  AlignmentError,
  ANGLE_STEPS,
  blurBinomial3,
  blurBinomial7,
  buildPyramid,
  DESCRIPTOR_WORDS,
  describeKeypoint,
  detectFast,
  extractFeatures,
  halveBox,
  lumaHalf,
  matchDescriptors,
  patchOrientation,
  toGrayscale,
} from '../src/index.js';
import { texturedGray } from './helpers.js';

function rotate90(src: Uint8Array, w: number, h: number): Uint8Array {
  // Clockwise: (x, y) -> (h - 1 - y, x); the result is h wide and w high.
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + (h - 1 - y)] = src[y * w + x]!;
  return out;
}

describe('grayscale, blur and pyramid', () => {
  it('converts RGB and RGBA with BT.601 weights and copies gray input', () => {
    const rgb = toGrayscale({ data: Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255), width: 4, height: 1, channels: 3 });
    expect(Array.from(rgb.data)).toEqual([77, 149, 29, 255]);
    const rgba = toGrayscale({ data: Uint8Array.of(10, 10, 10, 0), width: 1, height: 1, channels: 4 });
    expect(rgba.data[0]).toBe(10);
    const src = Uint8Array.of(5, 6);
    const g = toGrayscale({ data: src, width: 2, height: 1, channels: 1 });
    g.data[0] = 99;
    expect(src[0]).toBe(5);
  });

  it('throws AlignmentError on bad channel counts and data lengths', () => {
    expect(() => toGrayscale({ data: new Uint8Array(8), width: 2, height: 2, channels: 2 })).toThrow(AlignmentError);
    expect(() => toGrayscale({ data: new Uint8Array(11), width: 2, height: 2, channels: 3 })).toThrow(/needs 12/);
  });

  it('blur keeps constant images constant and lowers variance of noise', () => {
    const flat = blurBinomial7({ data: new Uint8Array(100).fill(77), width: 10, height: 10 });
    expect(flat.data.every((v) => v === 77)).toBe(true);
    const noise = texturedGray(64, 64, 3).map((v, i) => (i % 2 ? v : 255 - v));
    const soft = blurBinomial7({ data: noise, width: 64, height: 64 });
    const variance = (d: Uint8Array) => {
      const m = d.reduce((a, b) => a + b, 0) / d.length;
      return d.reduce((a, b) => a + (b - m) ** 2, 0) / d.length;
    };
    expect(variance(soft.data)).toBeLessThan(variance(noise) / 2);
  });

  it('builds levels of the requested ratio with level-0 coordinate scales', () => {
    const levels = buildPyramid({ data: new Uint8Array(640 * 480), width: 640, height: 480 }, 4, Math.SQRT2);
    expect(levels.map((l) => l.width)).toEqual([640, 453, 320, 226]);
    expect(levels[2]!.scaleX).toBeCloseTo(2, 12);
  });

  it('half-resolution luma matches halving the full-resolution luma within one gray level', () => {
    const w = 67;
    const h = 41;
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 7919 + (i >> 5) * 31) % 256;
    for (const channels of [1, 3]) {
      const data = channels === 3 ? rgb : rgb.subarray(0, w * h);
      const image = { data, width: w, height: h, channels };
      const fused = lumaHalf(image);
      const twoStep = halveBox(toGrayscale(image));
      expect([fused.width, fused.height]).toEqual([twoStep.width, twoStep.height]);
      for (let i = 0; i < fused.data.length; i++) expect(Math.abs(fused.data[i]! - twoStep.data[i]!)).toBeLessThanOrEqual(1);
    }
  });

  it('3-tap blur keeps constants and matches a direct clamped convolution', () => {
    const flat = blurBinomial3({ data: new Uint8Array(35).fill(201), width: 7, height: 5 });
    expect(flat.data.every((v) => v === 201)).toBe(true);
    const w = 9;
    const h = 6;
    const src = texturedGray(w, h, 2);
    const soft = blurBinomial3({ data: src, width: w, height: h });
    const at = (x: number, y: number) => src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
    const k = [1, 2, 1];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let v = -1; v <= 1; v++) for (let u = -1; u <= 1; u++) s += k[v + 1]! * k[u + 1]! * at(x + u, y + v);
        expect(soft.data[y * w + x]).toBe((s + 8) >> 4);
      }
    }
  });

  it('builds sqrt(2) levels two apart by 2x2 averages when sizes are even', () => {
    const img = { data: texturedGray(320, 240, 6), width: 320, height: 240 };
    const levels = buildPyramid(img, 4, Math.SQRT2);
    expect(levels.map((l) => [l.width, l.height])).toEqual([
      [320, 240],
      [226, 170],
      [160, 120],
      [113, 85],
    ]);
    expect(Array.from(levels[2]!.data)).toEqual(Array.from(halveBox(img).data));
    expect(Array.from(levels[3]!.data)).toEqual(Array.from(halveBox(levels[1]!).data));
    expect(levels[3]!.scaleX).toBeCloseTo(320 / 113, 12);
  });

  it('halves by 2x2 averages and drops an odd last row and column', () => {
    const half = halveBox({ data: Uint8Array.of(0, 2, 9, 4, 6, 9, 9, 9, 9), width: 3, height: 3 });
    expect([half.width, half.height, half.data[0]]).toEqual([1, 1, 3]);
    const thin = halveBox({ data: Uint8Array.of(8, 4), width: 1, height: 2 });
    expect([thin.width, thin.height, thin.data[0]]).toEqual([1, 1, 6]);
  });
});

describe('FAST, orientation and descriptors', () => {
  it('finds the four corners of a bright square and nothing on flat ground', () => {
    const w = 64;
    const img = new Uint8Array(w * w).fill(40);
    for (let y = 20; y < 44; y++) for (let x = 20; x < 44; x++) img[y * w + x] = 200;
    const c = detectFast({ data: img, width: w, height: w }, 20, 4);
    const pts = Array.from({ length: c.count }, (_, k) => [c.x[k]!, c.y[k]!]);
    for (const [cx, cy] of [
      [20, 20],
      [43, 20],
      [20, 43],
      [43, 43],
    ]) {
      expect(pts.some(([x, y]) => Math.abs(x! - cx!) <= 1 && Math.abs(y! - cy!) <= 1)).toBe(true);
    }
    expect(detectFast({ data: new Uint8Array(w * w).fill(9), width: w, height: w }, 20, 4).count).toBe(0);
  });

  it('orientation turns with the image and descriptors survive the rotation', () => {
    const w = 81;
    const img = texturedGray(w, w, 11);
    const rot = rotate90(img, w, w);
    const a = blurBinomial7({ data: img, width: w, height: w });
    const b = blurBinomial7({ data: rot, width: w, height: w });
    const angA = patchOrientation(a, 40, 40);
    const angB = patchOrientation(b, 40, 40);
    let diff = angB - angA - Math.PI / 2;
    diff = Math.atan2(Math.sin(diff), Math.cos(diff));
    expect(Math.abs(diff)).toBeLessThan(1e-9);
    const da = new Uint32Array(DESCRIPTOR_WORDS);
    const db = new Uint32Array(DESCRIPTOR_WORDS);
    describeKeypoint(a, 40, 40, angA, da, 0);
    describeKeypoint(b, 40, 40, angB, db, 0);
    let bits = 0;
    for (let k = 0; k < DESCRIPTOR_WORDS; k++) {
      let x = (da[k]! ^ db[k]!) >>> 0;
      while (x) {
        bits += x & 1;
        x >>>= 1;
      }
    }
    // Rounding of rotated sample positions flips a few tests; an unrelated patch differs in ~128.
    expect(bits).toBeLessThan(40);
  });

  it('keeps exactly the FAST corners that beat their 8 neighbours (raster-order ties)', () => {
    const w = 96;
    const h = 80;
    const img = { data: texturedGray(w, h, 11), width: w, height: h };
    const all = detectFast(img, 6, 3);
    // Reference: score every pixel that FAST fires on, then suppress on the full map.
    const score = new Float32Array(w * h);
    const single = (x: number, y: number) => {
      const crop = new Uint8Array(49);
      for (let v = 0; v < 7; v++) for (let u = 0; u < 7; u++) crop[v * 7 + u] = img.data[(y + v - 3) * w + x + u - 3]!;
      return detectFast({ data: crop, width: 7, height: 7 }, 6, 3);
    };
    for (let y = 3; y < h - 3; y++) {
      for (let x = 3; x < w - 3; x++) {
        const c = single(x, y);
        if (c.count) score[y * w + x] = c.score[0]!;
      }
    }
    const expected: string[] = [];
    for (let y = 3; y < h - 3; y++) {
      for (let x = 3; x < w - 3; x++) {
        const i = y * w + x;
        const s = score[i]!;
        if (s === 0) continue;
        const before = [i - w - 1, i - w, i - w + 1, i - 1].every((j) => s > score[j]!);
        const after = [i + 1, i + w - 1, i + w, i + w + 1].every((j) => s >= score[j]!);
        if (before && after) expected.push(`${x},${y}`);
      }
    }
    expect(expected.length).toBeGreaterThan(20);
    expect(Array.from(all.x, (x, k) => `${x},${all.y[k]}`)).toEqual(expected);
  });

  it('detects and keeps smoothed luma at half resolution on 640x480 frames', () => {
    const img = { data: texturedGray(640, 480, 9), width: 640, height: 480, channels: 1 };
    const f = extractFeatures(img);
    expect(f.count).toBeGreaterThan(190);
    expect(f.count).toBeLessThanOrEqual(220);
    expect(Math.min(...f.scale)).toBeCloseTo(2, 6);
    expect([f.width, f.smoothed.width, f.smoothed.height, f.smoothedScale]).toEqual([640, 320, 240, 2]);
    const small = extractFeatures({ data: texturedGray(320, 240, 9), width: 320, height: 240, channels: 1 });
    expect([small.smoothed.width, small.smoothedScale]).toEqual([320, 1]);
  });

  it('quantizes descriptor angles: angles within one step give the same descriptor', () => {
    const w = 81;
    const img = blurBinomial7({ data: texturedGray(w, w, 4), width: w, height: w });
    const step = (2 * Math.PI) / ANGLE_STEPS;
    const a = new Uint32Array(DESCRIPTOR_WORDS);
    const b = new Uint32Array(DESCRIPTOR_WORDS);
    describeKeypoint(img, 40, 40, 3 * step + 0.4 * step, a, 0);
    describeKeypoint(img, 40, 40, 3 * step - 0.4 * step, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
    // -pi and +pi are the same direction.
    describeKeypoint(img, 40, 40, -Math.PI, a, 0);
    describeKeypoint(img, 40, 40, Math.PI, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('extracts spread-out features and matches a frame to itself one to one', () => {
    const w = 320;
    const h = 240;
    const img = { data: texturedGray(w, h, 5), width: w, height: h, channels: 1 };
    const f = extractFeatures(img, { maxFeatures: 200 });
    expect(f.count).toBeGreaterThan(150);
    expect(f.count).toBeLessThanOrEqual(200);
    const m = matchDescriptors(f.descriptors, f.count, f.descriptors, f.count);
    expect(m.count).toBeGreaterThan(f.count * 0.9);
    for (let k = 0; k < m.count; k++) expect(m.a[k]).toBe(m.b[k]);
  });
});
