import { ShapeError } from '@motiondelta/core';
import type { PadAttrs } from '@motiondelta/core';

/** Output index -> input index of one padded axis, or -1 where the output holds the pad constant. */
export const PAD_CONSTANT = -1;

/**
 * One padded axis as the native kernel takes it: `map` (output -> input or -1) and its inverse as
 * CSR (`start[i]..start[i+1]` index `outputs`, the outputs copying input i). The rules are the
 * dense oracle's: negative pads crop first, so reflect and edge mirror about the cropped edges.
 */
export interface PadAxis {
  readonly map: Int32Array;
  readonly start: Int32Array;
  readonly outputs: Int32Array;
}

export function padAxis(size: number, begin: number, end: number, mode: PadAttrs['mode']): PadAxis {
  const outSize = size + begin + end;
  const lo = Math.max(0, -begin);
  const kept = size - lo - Math.max(0, -end);
  const shift = Math.max(0, begin);
  if (kept <= 0 && mode !== 'constant' && outSize > 0) {
    throw new ShapeError(`Pad: ${mode} padding needs at least one input element on every axis, but an axis of size ${size} is cropped to nothing.`);
  }
  const map = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let j = o - shift;
    if (j < 0 || j >= kept) {
      if (mode === 'constant') {
        map[o] = PAD_CONSTANT;
        continue;
      }
      j = mode === 'edge' ? (j < 0 ? 0 : kept - 1) : reflectIndex(j, kept);
    }
    map[o] = lo + j;
  }
  const start = new Int32Array(size + 1);
  for (const src of map) if (src !== PAD_CONSTANT) start[src + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const outputs = new Int32Array(start[size]!);
  const fill = start.slice(0, size);
  for (let o = 0; o < outSize; o++) {
    const src = map[o]!;
    if (src !== PAD_CONSTANT) outputs[fill[src]!++] = o;
  }
  return { map, start, outputs };
}

/** numpy/ONNX `reflect` (edge not repeated), folded repeatedly when the pad exceeds the axis. */
function reflectIndex(j: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((j % period) + period) % period;
  return m < size ? m : period - m;
}
