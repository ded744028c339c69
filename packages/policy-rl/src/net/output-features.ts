import type { Tensor } from '@motiondelta/core';
import { mapDims, type GainKind } from '../information-gain.js';

/**
 * The previous output reduced to `k` channels, one value per pixel of a `ph` x `pw` map laid over
 * the frame (`frameHeight` x `frameWidth` input pixels, `unit` input pixels per map pixel), NHWC.
 * Channels are grouped (channel c of C goes to group floor(c*k/C)); what a group holds depends on
 * the output kind so that values stay in about [-0.5, 0.5] whatever the model: class probability
 * mass for softmax maps, mean probability for sigmoid maps (both minus 0.5, as BlockCopy centres
 * its inputs), the mean value over the map's largest magnitude otherwise. Map pixels beyond the
 * frame (partial edge blocks) repeat the last row or column.
 */
export function outputFeatures(
  output: Tensor,
  kind: GainKind,
  k: number,
  frameHeight: number,
  frameWidth: number,
  ph: number,
  pw: number,
  unit: number,
): Float32Array {
  const out = new Float32Array(ph * pw * k);
  if (k === 0) return out;
  const { height: h, width: w, channels: c } = mapDims(output.shape);
  const x = output.data;
  let scale = 1;
  if (kind !== 'softmax' && kind !== 'sigmoid') {
    let m = 0;
    for (const v of x) m = Math.max(m, Math.abs(v));
    scale = m > 0 ? 1 / m : 1;
  }
  const probs = new Float64Array(c);
  const groups = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let c0 = 0; c0 < c; c0++) counts[Math.min(k - 1, Math.floor((c0 * k) / c))]!++;
  const rowOf = Array.from({ length: ph }, (_, py) =>
    Math.min(h - 1, Math.floor((Math.min(frameHeight - 1, (py + 0.5) * unit) * h) / frameHeight)),
  );
  const colOf = Array.from({ length: pw }, (_, px) =>
    Math.min(w - 1, Math.floor((Math.min(frameWidth - 1, (px + 0.5) * unit) * w) / frameWidth)),
  );
  for (let py = 0; py < ph; py++) {
    for (let px = 0; px < pw; px++) {
      const base = (rowOf[py]! * w + colOf[px]!) * c;
      pixelValues(x, base, c, kind, probs);
      groups.fill(0);
      for (let c0 = 0; c0 < c; c0++) groups[Math.min(k - 1, Math.floor((c0 * k) / c))]! += probs[c0]!;
      const o = (py * pw + px) * k;
      for (let g = 0; g < k; g++) {
        if (counts[g] === 0) continue;
        if (kind === 'softmax') out[o + g] = groups[g]! - 0.5;
        else if (kind === 'sigmoid') out[o + g] = groups[g]! / counts[g]! - 0.5;
        else out[o + g] = (groups[g]! / counts[g]!) * scale;
      }
    }
  }
  return out;
}

/** The `c` values of one output pixel as the kind reads them (probabilities for softmax and sigmoid). */
function pixelValues(x: Float32Array, base: number, c: number, kind: GainKind, into: Float64Array): void {
  if (kind === 'softmax') {
    let m = -Infinity;
    for (let i = 0; i < c; i++) m = Math.max(m, x[base + i]!);
    let s = 0;
    for (let i = 0; i < c; i++) s += into[i] = Math.exp(x[base + i]! - m);
    for (let i = 0; i < c; i++) into[i] = into[i]! / s;
  } else if (kind === 'sigmoid') {
    for (let i = 0; i < c; i++) into[i] = 1 / (1 + Math.exp(-x[base + i]!));
  } else {
    for (let i = 0; i < c; i++) into[i] = x[base + i]!;
  }
}
