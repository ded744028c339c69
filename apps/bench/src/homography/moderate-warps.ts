import { createRng } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { cornerError, estimateHomography, type ImageInput, MODERATE_WARP_RANGE, makeWarpRangePair } from '@motiondelta/homography';
import { readImage } from '@motiondelta/video-io';
import { mean, median, timeMedian } from './stats.js';

/**
 * The catalog photos scaled so that a 640x480 crop and its moderate warp (up to about 190 px
 * beyond the crop on a side) both fit inside; the same sizes as tests/homography/photos.ts.
 */
const WIDE_PHOTOS = [
  { id: 'flower', width: 1260, height: 840 },
  { id: 'evening-glow', width: 1280, height: 800 },
  { id: 'path', width: 1280, height: 800 },
  { id: 'astronaut', width: 960, height: 960 },
] as const;

/** Result of the moderate-warp run: ours only (OpenCV's 100 ms per pair is in the class rows). */
export interface ModerateRow {
  readonly pairs: number;
  readonly size: '640x480';
  /** Pairs whose estimate came back with a mean corner error within `successPx`. */
  readonly ok: number;
  readonly successRate: number;
  readonly successPx: number;
  readonly meanCornerErrorPx: number | null;
  readonly worstCornerErrorPx: number | null;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** One line per failed pair: index, photo and why. */
  readonly failures: readonly string[];
}

/**
 * Aligns `pairs` seeded 640x480 pairs of `MODERATE_WARP_RANGE` (translation ±120 px, rotation
 * ±4°, scale ±5%, perspective ±1e-4 per pixel) with `estimateHomography`, the same pairs as the
 * moderate-warp acceptance test (seeds 20000 + k). Times are end to end per pair (RGB in, H out),
 * one thread, median of `repeat` runs per pair after a JIT warm-up.
 */
export async function runModerateWarps(pairs: number, repeat: number, successPx: number): Promise<ModerateRow> {
  const photos: Array<{ id: string; image: ImageInput }> = [];
  for (const p of WIDE_PHOTOS) {
    const img = await readImage((await ensureData(p.id)).main, { resize: { width: p.width, height: p.height } });
    photos.push({ id: p.id, image: { data: img.data, width: img.width, height: img.height, channels: 3 } });
  }
  const errors: number[] = [];
  const ms: number[] = [];
  const failures: string[] = [];
  for (let k = 0; k < pairs; k++) {
    const photo = photos[k % photos.length]!;
    const pair = makeWarpRangePair(photo.image, MODERATE_WARP_RANGE, createRng(20_000 + k));
    if (k === 0) for (let w = 0; w < 3; w++) estimateHomography(pair.a, pair.b);
    const o = timeMedian(repeat, () => estimateHomography(pair.a, pair.b, { seed: k }));
    ms.push(o.ms);
    const e = o.result.ok ? cornerError(o.result.H, pair.H, 640, 480) : Infinity;
    if (e <= successPx) errors.push(e);
    else failures.push(`#${k} ${photo.id}: ${o.result.ok ? `corner error ${e.toFixed(2)} px` : o.result.reason}`);
  }
  const sorted = [...ms].sort((x, y) => x - y);
  return {
    pairs,
    size: '640x480',
    ok: errors.length,
    successRate: errors.length / pairs,
    successPx,
    meanCornerErrorPx: errors.length ? mean(errors) : null,
    worstCornerErrorPx: errors.length ? Math.max(...errors) : null,
    medianMs: median(ms),
    p90Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? 0,
    failures,
  };
}

/** The moderate-warp row as a Markdown table. */
export function moderateMarkdown(r: ModerateRow): string {
  return [
    '| moderate warps (±120 px, ±4°, ±5%, perspective ±1e-4/px) | pairs | size | ours success (≤1 px) | mean corner error px (worst) | median ms | p90 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| all terms at once | ${r.pairs} | ${r.size} | ${r.ok}/${r.pairs} (${(100 * r.successRate).toFixed(1)}%) | ${r.meanCornerErrorPx?.toFixed(3) ?? '—'} (${r.worstCornerErrorPx?.toFixed(3) ?? '—'}) | ${r.medianMs.toFixed(1)} | ${r.p90Ms.toFixed(1)} |`,
  ].join('\n');
}
