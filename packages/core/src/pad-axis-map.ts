import { ShapeError } from './errors.js';
import type { PadAttrs } from './ops.js';

/** In a pad axis map: the output holds the pad constant, no input element. */
export const PAD_CONSTANT = -1;

/**
 * Output index -> input index (or PAD_CONSTANT) along one padded axis: the one definition of Pad
 * every backend's dense and delta kernels index with. Negative pads crop first, so `reflect` and
 * `edge` mirror about the cropped edges.
 *
 * @example
 * ```ts
 * padAxisMap('Pad', 3, 2, 1, 6, 'reflect'); // Int32Array [2, 1, 0, 1, 2, 1]
 * ```
 */
export function padAxisMap(op: string, size: number, begin: number, end: number, outSize: number, mode: PadAttrs['mode']): Int32Array {
  const lo = Math.max(0, -begin);
  const kept = size - lo - Math.max(0, -end);
  const shift = Math.max(0, begin);
  const map = new Int32Array(outSize);
  if (kept <= 0 && mode !== 'constant' && outSize > 0) {
    throw new ShapeError(
      `${op}: ${mode} padding needs at least one input element on every axis, but an axis of size ${size} is cropped to nothing.`,
    );
  }
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
  return map;
}

/** numpy/ONNX `reflect` (edge not repeated), folded repeatedly when the pad exceeds the axis. */
function reflectIndex(j: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((j % period) + period) % period;
  return m < size ? m : period - m;
}
