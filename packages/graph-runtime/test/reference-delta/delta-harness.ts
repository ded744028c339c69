import { expect } from 'vitest';
import { DeltaBuffer, randomFloat32, randomInt, sizeOf } from '@motiondelta/core';
import type { DenseKernelCall, LinearDeltaCall, LinearDeltaOp, OpAttrs, OpName, Rng, Shape, Tensor } from '@motiondelta/core';
import type { GraphNode } from '../../src/ir/graph.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { resolveNode } from '../../src/shape/op-shapes.js';

/** Shared fixtures of the delta-kernel tests: random frames, sparse change patterns, and the checks. */

export const backend = new ReferenceBackend();
export const kernels = backend.delta;

export function randomTensor(rng: Rng, shape: Shape, lo = -1, hi = 1): Tensor {
  return { data: randomFloat32(rng, sizeOf(shape), lo, hi), shape };
}

/** Resolves attributes (SAME pads, Resize sizes) and the output shape exactly as the planner does. */
export function resolve<K extends OpName>(
  op: K,
  attrs: OpAttrs[K],
  shapes: readonly (Shape | undefined)[],
): { attrs: OpAttrs[K]; outputShape: number[] } {
  const node = { name: 'node', op, attrs, inputs: [], outputs: [] } as unknown as GraphNode;
  const resolved = resolveNode(node, shapes);
  return { attrs: resolved.attrs as OpAttrs[K], outputShape: resolved.outputShape };
}

export function dense<K extends OpName>(op: K, attrs: OpAttrs[K], inputs: readonly (Tensor | undefined)[], outputShape: Shape): Tensor {
  return backend.runDense({ op, attrs, inputs, outputShape } as unknown as DenseKernelCall);
}

export const PATTERNS = ['none', 'single', 'corners', 'borders', 'scattered', 'everything'] as const;
export type ChangePattern = (typeof PATTERNS)[number];

/** Pixel indices (n*H*W + y*W + x) a frame changes; deliberately hits corners and borders. */
export function changedPixels(rng: Rng, shape: Shape, pattern: ChangePattern): number[] {
  const [batch, h, w] = shape as [number, number, number, number];
  const pixel = (n: number, y: number, x: number): number => (n * h + y) * w + x;
  const set = new Set<number>();
  switch (pattern) {
    case 'none':
      break;
    case 'single':
      set.add(pixel(randomInt(rng, 0, batch - 1), randomInt(rng, 0, h - 1), randomInt(rng, 0, w - 1)));
      break;
    case 'corners':
      for (let n = 0; n < batch; n++) for (const y of [0, h - 1]) for (const x of [0, w - 1]) set.add(pixel(n, y, x));
      break;
    case 'borders':
      for (let n = 0; n < batch; n++) {
        set.add(pixel(n, 0, randomInt(rng, 0, w - 1)));
        set.add(pixel(n, h - 1, randomInt(rng, 0, w - 1)));
        set.add(pixel(n, randomInt(rng, 0, h - 1), 0));
        set.add(pixel(n, randomInt(rng, 0, h - 1), w - 1));
      }
      break;
    case 'scattered':
      for (let p = 0; p < batch * h * w; p++) if (rng.next() < 0.15) set.add(p);
      set.add(pixel(0, h - 1, w - 1));
      break;
    case 'everything':
      for (let p = 0; p < batch * h * w; p++) set.add(p);
      break;
  }
  return [...set];
}

/** A copy of `x` with fresh random values at `pixels`. */
export function changeAt(rng: Rng, x: Tensor, pixels: readonly number[], lo = -1, hi = 1): Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const data = Float32Array.from(x.data);
  for (const p of pixels) for (let ch = 0; ch < c; ch++) data[p * c + ch] = lo + (hi - lo) * rng.next();
  return { data, shape: x.shape };
}

/** The delta from x0 to x1, made by the sparsify kernel at threshold 0. */
export function deltaBetween(x0: Tensor, x1: Tensor): DeltaBuffer {
  const d = new DeltaBuffer(x0.shape);
  kernels.sparsify(x1, Float32Array.from(x0.data), 0, d);
  return d;
}

/** A varying input of a linear op: its value on both frames. */
export interface Varying {
  readonly x0: Tensor;
  readonly x1: Tensor;
}

export type LinearInput = Varying | Tensor | undefined;

function isVarying(input: LinearInput): input is Varying {
  return input !== undefined && 'x0' in input;
}

/** The mask, list and count of a DeltaBuffer agree (a kernel that compacts lists must keep them so). */
export function expectConsistent(d: DeltaBuffer): void {
  let masked = 0;
  for (let p = 0; p < d.pixels; p++) masked += d.mask[p]!;
  expect(masked).toBe(d.count);
  for (let i = 0; i < d.count; i++) expect(d.mask[d.active[i]!]).toBe(1);
}

/**
 * The core property of a linear delta kernel, against the dense kernel on both frames:
 * (a) every pixel whose dense output changed by more than 1e-5 is active; (b) active pixels hold
 * dense(x1) - dense(x0) to 1e-4 relative; (c) the output count is at most the changed input
 * pixels times the op's footprint.
 */
export function checkLinear<K extends LinearDeltaOp>(
  op: K,
  attrs: OpAttrs[K],
  inputs: readonly LinearInput[],
  outputShape: Shape,
  footprint: number,
): DeltaBuffer {
  const frame = (which: 'x0' | 'x1'): (Tensor | undefined)[] => inputs.map((i) => (isVarying(i) ? i[which] : i));
  const y0 = dense(op, attrs, frame('x0'), outputShape).data;
  const y1 = dense(op, attrs, frame('x1'), outputShape).data;
  const deltas = inputs.map((i) => (isVarying(i) ? deltaBetween(i.x0, i.x1) : i));
  const out = new DeltaBuffer(outputShape);
  kernels.linear({ op, attrs, inputs: deltas } as unknown as LinearDeltaCall, out);
  expectConsistent(out);

  const c = out.channels;
  const missing: number[] = [];
  const wrong: string[] = [];
  for (let q = 0; q < out.pixels; q++) {
    let changed = false;
    for (let ch = 0; ch < c; ch++) {
      const expected = y1[q * c + ch]! - y0[q * c + ch]!;
      if (Math.abs(expected) > 1e-5) changed = true;
      if (out.mask[q] === 1) {
        const got = out.values[q * c + ch]!;
        if (Math.abs(got - expected) > 1e-4 * Math.max(1, Math.abs(y0[q * c + ch]!), Math.abs(y1[q * c + ch]!))) {
          wrong.push(`pixel ${q} channel ${ch}: delta ${got}, dense difference ${expected}`);
        }
      }
    }
    if (changed && out.mask[q] !== 1) missing.push(q);
  }
  expect(missing.slice(0, 10), 'pixels whose dense output changed but are inactive').toEqual([]);
  expect(wrong.slice(0, 10), 'active pixels whose delta differs from the dense difference').toEqual([]);
  let changedInputs = 0;
  for (const d of deltas) if (d instanceof DeltaBuffer) changedInputs += d.count;
  expect(out.count).toBeLessThanOrEqual(changedInputs * footprint);
  return out;
}

/** Largest |a - b| over all elements. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A random pattern, weighted toward sparse ones, for multi-frame sequences. */
export function randomPattern(rng: Rng): ChangePattern {
  const sparse = ['none', 'single', 'corners', 'borders', 'scattered', 'scattered'] as const;
  return sparse[randomInt(rng, 0, sparse.length - 1)]!;
}

/** A copy of `x` nudged by up to ±amplitude at `pixels`: small changes that thresholds hold back. */
export function perturbAt(rng: Rng, x: Tensor, pixels: readonly number[], amplitude: number): Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const data = Float32Array.from(x.data);
  for (const p of pixels) for (let ch = 0; ch < c; ch++) data[p * c + ch]! += amplitude * (2 * rng.next() - 1);
  return { data, shape: x.shape };
}

/** Frame t of a test sequence: big random changes on even frames, small nudges on odd ones. */
export function nextFrame(rng: Rng, x: Tensor, frame: number, lo = -1, hi = 1): Tensor {
  const pixels = changedPixels(rng, x.shape, randomPattern(rng));
  return frame % 2 === 0 ? changeAt(rng, x, pixels, lo, hi) : perturbAt(rng, x, pixels, 0.1);
}
