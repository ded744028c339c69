import { PAD_CONSTANT, padAxisMap } from '@motiondelta/core';
import type { PadAttrs } from '@motiondelta/core';

/**
 * One padded axis as the native kernel takes it: `map` (core's `padAxisMap`, output -> input or
 * PAD_CONSTANT) and its inverse as CSR (`start[i]..start[i+1]` index `outputs`, the outputs
 * copying input i).
 */
export interface PadAxis {
  readonly map: Int32Array;
  readonly start: Int32Array;
  readonly outputs: Int32Array;
}

export function padAxis(size: number, begin: number, end: number, mode: PadAttrs['mode']): PadAxis {
  const outSize = size + begin + end;
  const map = padAxisMap('Pad', size, begin, end, outSize, mode);
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
