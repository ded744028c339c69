import { f32Literal, u32Literal as u } from '../wgsl/literals.js';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { tiledEntry } from './active-tiles.js';
import type { KernelPlan } from './kernel-plan.js';

/**
 * A delta kernel's plan: named read-only f32 bindings, an optional i32 table `aux`, then named
 * read-write f32 bindings, in that binding order (the one GpuContext lays out).
 */
export function deltaPlan(
  reads: readonly string[],
  writes: readonly string[],
  threads: number,
  body: string,
  extra = '',
  aux?: Int32Array,
): KernelPlan {
  const lines = reads.map((name, k) => `@group(0) @binding(${k}) var<storage, read> ${name}: array<f32>;`);
  if (aux) lines.push(`@group(0) @binding(${reads.length}) var<storage, read> aux: array<i32>;`);
  const first = reads.length + (aux ? 1 : 0);
  writes.forEach((name, k) => lines.push(`@group(0) @binding(${first + k}) var<storage, read_write> ${name}: array<f32>;`));
  return {
    code: `${lines.join('\n')}\n${extra}\n${elementwiseEntry(threads, body)}`,
    threads,
    inputs: reads.map((_, k) => k),
    writes: writes.length,
    ...(aux ? { aux } : {}),
  };
}

/**
 * A per-pixel delta kernel run only over the active tiles of its input delta: the tile list is
 * bound after `reads` (binding `tiles`), and the dispatch is indirect, from that list's arguments.
 * `threads` of the returned plan is the full pixel count (what a direct dispatch would run).
 */
export function tiledDeltaPlan(reads: readonly string[], writes: readonly string[], pixels: number, body: string, extra = ''): KernelPlan {
  const lines = reads.map((name, k) => `@group(0) @binding(${k}) var<storage, read> ${name}: array<f32>;`);
  lines.push(`@group(0) @binding(${reads.length}) var<storage, read> tiles: array<u32>;`);
  writes.forEach((name, k) => lines.push(`@group(0) @binding(${reads.length + 1 + k}) var<storage, read_write> ${name}: array<f32>;`));
  return {
    code: `${lines.join('\n')}\n${extra}\n${tiledEntry(pixels, body)}`,
    threads: pixels,
    inputs: [...reads, 'tiles'].map((_, k) => k),
    writes: writes.length,
  };
}

/**
 * WGSL that emits with truncation the pixel whose new outputs are `vals[base .. base + c)`:
 * emitted where max_c |y - emitted| > threshold or a difference is NaN (as the reference, whose
 * rule is "not <= threshold"), and then `vals` holds y - emitted and `emitted` takes y; elsewhere
 * the pixel's mask is cleared. Expects `base` (first element) and `q` (pixel) in scope.
 */
export function truncateWgsl(c: number, threshold: number): string {
  return `
  var worst = 0.0;
  var nan = false;
  for (var ch = 0u; ch < ${u(c)}; ch++) {
    let e = abs(vals[base + ch] - emitted[base + ch]);
    nan = nan || e != e;
    worst = max(worst, e);
  }
  let emit = nan || worst > ${f32Literal(threshold)};
  mask[q] = select(0.0, 1.0, emit);
  if (emit) {
    for (var ch = 0u; ch < ${u(c)}; ch++) {
      let y = vals[base + ch];
      vals[base + ch] = y - emitted[base + ch];
      emitted[base + ch] = y;
    }
  }`;
}

/** WGSL splitting pixel index `q` of an [N, H, W, *] map into `n`, `oy`, `ox` (i32 for y and x). */
export function pixelCoords(h: number, w: number): string {
  return `
  let ox = i32(q % ${u(w)});
  let oy = i32((q / ${u(w)}) % ${u(h)});
  let n = q / ${u(w * h)};`;
}
