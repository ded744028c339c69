import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRng } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import {
  cornerError,
  createFrameAligner,
  estimateHomography,
  MOTION_CLASSES,
  makeSyntheticPair,
  type ImageInput,
  warpBilinear,
} from '@motiondelta/homography';
import { createSyntheticClip, openVideo, readImage, type RgbImage } from '@motiondelta/video-io';
import type { Command } from 'commander';
import { moderateMarkdown, runModerateWarps } from './moderate-warps.js';
import { estimateWithOpenCv, loadOpenCv, type OpenCv, type RgbFrame } from './opencv-homography.js';
import { mean, median, timeMedian } from './stats.js';

/** Photos of the data catalog, scaled so 640x480 crops keep an 80 px margin for the synthetic warps. */
const PHOTOS = [
  { id: 'flower', width: 1134, height: 756 },
  { id: 'evening-glow', width: 1024, height: 640 },
  { id: 'path', width: 1024, height: 640 },
  { id: 'astronaut', width: 820, height: 820 },
] as const;

/** A pair counts as a success when its mean corner error is at most this (pixels). */
const SUCCESS_PX = 1;

interface MethodRow {
  successRate: number;
  meanCornerErrorPx: number | null;
  /** Median corner error over every estimate that returned a homography, successful or not. */
  medianCornerErrorAllPx?: number;
  medianMs: number;
  /** Real pairs only: mean |ΔI| over the aligned pixels, before and after warping b onto a. */
  meanAbsDiffBefore?: number;
  meanAbsDiffAfter?: number;
}

/**
 * One 640x480 stream: each new frame aligned to the one before. Ours pairwise extracts both frames'
 * features per pair (what the synthetic rows time); ours streamed keeps the previous frame's
 * features (`createFrameAligner`), so it extracts one frame per pair. OpenCV runs pairwise.
 */
interface StreamRow {
  clip: string;
  pairs: number;
  size: string;
  oursPairwise: MethodRow;
  oursStreamed: MethodRow;
  opencv: MethodRow;
  /** Median time ratios against OpenCV in the same run. */
  pairwiseRatio: number;
  streamedRatio: number;
}

interface ClassRow {
  motion: string;
  pairs: number;
  size: string;
  ours: MethodRow;
  opencv: MethodRow;
  /** Median time ratio ours / OpenCV (below 1: ours is faster). */
  timeRatio: number;
}

function absDiff(a: RgbFrame, b: RgbFrame, H: Float64Array | null): { before: number; after: number } | null {
  if (!H) return null;
  let warped;
  try {
    warped = warpBilinear(b, H, { width: a.width, height: a.height });
  } catch {
    return null;
  }
  let sb = 0;
  let sa = 0;
  let n = 0;
  for (let i = 0; i < warped.mask.length; i++) {
    if (!warped.mask[i]) continue;
    for (let c = 0; c < 3; c++) {
      sb += Math.abs(a.data[i * 3 + c]! - b.data[i * 3 + c]!);
      sa += Math.abs(a.data[i * 3 + c]! - warped.image.data[i * 3 + c]!);
    }
    n += 3;
  }
  return n === 0 ? null : { before: sb / n, after: sa / n };
}

/** Camera path of the stream row: a sway with a slow turn, about 3-5 px of motion per frame. */
const STREAM_PATH = {
  kind: 'compose',
  paths: [
    { kind: 'sway', amplitudeX: 60, amplitudeY: 30, period: 40 },
    { kind: 'rotation', degreesPerFrame: 0.25 },
  ],
} as const;

function summarize(ok: number, n: number, err: number[], all: number[], ms: number[]): MethodRow {
  return {
    successRate: ok / n,
    meanCornerErrorPx: err.length ? mean(err) : null,
    medianCornerErrorAllPx: median(all),
    medianMs: median(ms),
  };
}

/**
 * Streams `frames` frames of a synthetic 640x480 clip over the flower photo (seeded sensor noise,
 * exact ground truth) through ours pairwise, ours streamed and OpenCV, interleaved frame by frame.
 */
function runStream(cv: OpenCv, photo: RgbImage, frames: number): StreamRow {
  const clip = createSyntheticClip(photo, { path: STREAM_PATH, frames, width: 640, height: 480, noise: { sigma: 2, seed: 5 } });
  const aligner = createFrameAligner({ seed: 1 });
  const acc = () => ({ ok: 0, err: [] as number[], all: [] as number[], ms: [] as number[] });
  const pairwise = acc();
  const streamed = acc();
  const ocv = acc();
  const score = (a: ReturnType<typeof acc>, H: Float64Array | null, truth: Float64Array) => {
    if (!H) return;
    const e = cornerError(H, truth, 640, 480);
    a.all.push(e);
    if (e <= SUCCESS_PX) {
      a.ok++;
      a.err.push(e);
    }
  };
  let prev: RgbFrame | null = null;
  for (let i = 0; i < frames; i++) {
    const f = clip.frame(i);
    const frame: RgbFrame = { data: f.data, width: f.width, height: f.height, channels: 3 };
    let t = performance.now();
    const s = aligner.push(frame);
    const streamMs = performance.now() - t;
    if (prev && s) {
      const truth = clip.homographyBetween(i - 1, i);
      streamed.ms.push(streamMs);
      score(streamed, s.ok ? s.H : null, truth);
      t = performance.now();
      const p = estimateHomography(prev, frame, { seed: 1 });
      pairwise.ms.push(performance.now() - t);
      score(pairwise, p.ok ? p.H : null, truth);
      t = performance.now();
      const c = estimateWithOpenCv(cv, prev, frame);
      ocv.ms.push(performance.now() - t);
      score(ocv, c.ok ? c.H : null, truth);
    }
    prev = frame;
  }
  const n = frames - 1;
  return {
    clip: 'synthetic stream (flower, sway + turn, noise 2)',
    pairs: n,
    size: '640x480',
    oursPairwise: summarize(pairwise.ok, n, pairwise.err, pairwise.all, pairwise.ms),
    oursStreamed: summarize(streamed.ok, n, streamed.err, streamed.all, streamed.ms),
    opencv: summarize(ocv.ok, n, ocv.err, ocv.all, ocv.ms),
    pairwiseRatio: median(pairwise.ms) / Math.max(1e-9, median(ocv.ms)),
    streamedRatio: median(streamed.ms) / Math.max(1e-9, median(ocv.ms)),
  };
}

async function runBenchmark(pairsPerClass: number, repeat: number, cubePairs: number, streamFrames: number, log: (s: string) => void) {
  const { cv } = await loadOpenCv();
  const photos: ImageInput[] = [];
  const decoded: RgbImage[] = [];
  for (const p of PHOTOS) {
    const img = await readImage((await ensureData(p.id)).main, { resize: { width: p.width, height: p.height } });
    decoded.push(img);
    photos.push({ data: img.data, width: img.width, height: img.height, channels: 3 });
  }
  const rows: ClassRow[] = [];
  let warmed = false;
  for (const [ci, motion] of MOTION_CLASSES.entries()) {
    const ours = { ok: 0, err: [] as number[], all: [] as number[], ms: [] as number[] };
    const ocv = { ok: 0, err: [] as number[], all: [] as number[], ms: [] as number[] };
    for (let k = 0; k < pairsPerClass; k++) {
      const photo = photos[k % photos.length]!;
      const pair = makeSyntheticPair(photo, motion, createRng(100_000 * (ci + 1) + k));
      if (!warmed) {
        // JIT warm-up for both sides before anything is timed.
        for (let w = 0; w < 3; w++) {
          estimateHomography(pair.a, pair.b);
          estimateWithOpenCv(cv, pair.a, pair.b);
        }
        warmed = true;
      }
      const o = timeMedian(repeat, () => estimateHomography(pair.a, pair.b, { seed: k }));
      ours.ms.push(o.ms);
      if (o.result.ok) {
        const e = cornerError(o.result.H, pair.H, 640, 480);
        ours.all.push(e);
        if (e <= SUCCESS_PX) {
          ours.ok++;
          ours.err.push(e);
        }
      }
      const c = timeMedian(repeat, () => estimateWithOpenCv(cv, pair.a, pair.b));
      ocv.ms.push(c.ms);
      if (c.result.ok && c.result.H) {
        const e = cornerError(c.result.H, pair.H, 640, 480);
        ocv.all.push(e);
        if (e <= SUCCESS_PX) {
          ocv.ok++;
          ocv.err.push(e);
        }
      }
    }
    const row: ClassRow = {
      motion,
      pairs: pairsPerClass,
      size: '640x480',
      ours: {
        successRate: ours.ok / pairsPerClass,
        meanCornerErrorPx: ours.err.length ? mean(ours.err) : null,
        medianCornerErrorAllPx: median(ours.all),
        medianMs: median(ours.ms),
      },
      opencv: {
        successRate: ocv.ok / pairsPerClass,
        meanCornerErrorPx: ocv.err.length ? mean(ocv.err) : null,
        medianCornerErrorAllPx: median(ocv.all),
        medianMs: median(ocv.ms),
      },
      timeRatio: median(ours.ms) / Math.max(1e-9, median(ocv.ms)),
    };
    rows.push(row);
    log(
      `${motion}: ours ${(100 * row.ours.successRate).toFixed(1)}% ${row.ours.medianMs.toFixed(1)} ms, OpenCV ${(100 * row.opencv.successRate).toFixed(1)}% ${row.opencv.medianMs.toFixed(1)} ms`,
    );
  }

  if (cubePairs > 0) {
    const video = await openVideo((await ensureData('cube')).main, { start: 0, count: cubePairs + 1 });
    const frames: RgbFrame[] = [];
    for await (const f of video) frames.push({ data: f.data, width: f.width, height: f.height, channels: 3 });
    const ours = { ok: 0, ms: [] as number[], before: [] as number[], after: [] as number[] };
    const ocv = { ok: 0, ms: [] as number[], before: [] as number[], after: [] as number[] };
    for (let t = 0; t + 1 < frames.length; t++) {
      const a = frames[t]!;
      const b = frames[t + 1]!;
      const o = timeMedian(repeat, () => estimateHomography(a, b, { seed: t }));
      ours.ms.push(o.ms);
      const od = o.result.ok ? absDiff(a, b, o.result.H) : null;
      if (od) {
        ours.ok++;
        ours.before.push(od.before);
        ours.after.push(od.after);
      }
      const c = timeMedian(repeat, () => estimateWithOpenCv(cv, a, b));
      ocv.ms.push(c.ms);
      const cd = c.result.ok ? absDiff(a, b, c.result.H) : null;
      if (cd) {
        ocv.ok++;
        ocv.before.push(cd.before);
        ocv.after.push(cd.after);
      }
    }
    const n = frames.length - 1;
    rows.push({
      motion: 'cube clip (real)',
      pairs: n,
      size: `${frames[0]!.width}x${frames[0]!.height}`,
      ours: {
        successRate: ours.ok / n,
        meanCornerErrorPx: null,
        medianMs: median(ours.ms),
        meanAbsDiffBefore: mean(ours.before),
        meanAbsDiffAfter: mean(ours.after),
      },
      opencv: {
        successRate: ocv.ok / n,
        meanCornerErrorPx: null,
        medianMs: median(ocv.ms),
        meanAbsDiffBefore: mean(ocv.before),
        meanAbsDiffAfter: mean(ocv.after),
      },
      timeRatio: median(ours.ms) / Math.max(1e-9, median(ocv.ms)),
    });
  }
  const stream = streamFrames > 1 ? runStream(cv, decoded[0]!, streamFrames) : null;
  if (stream) {
    log(
      `stream: ours pairwise ${stream.oursPairwise.medianMs.toFixed(1)} ms, streamed ${stream.oursStreamed.medianMs.toFixed(1)} ms, OpenCV ${stream.opencv.medianMs.toFixed(1)} ms`,
    );
  }
  return { rows, stream };
}

const fmtErr = (r: MethodRow) =>
  r.meanCornerErrorPx !== null || r.medianCornerErrorAllPx !== undefined
    ? `${r.meanCornerErrorPx?.toFixed(3) ?? '—'} (median all ${r.medianCornerErrorAllPx?.toFixed(3) ?? '—'})`
    : r.meanAbsDiffAfter !== undefined
      ? `mean abs diff ${r.meanAbsDiffBefore!.toFixed(2)} → ${r.meanAbsDiffAfter.toFixed(2)}`
      : '—';

function toMarkdown(rows: ClassRow[], stream: StreamRow | null): string {
  const lines = [
    '| motion | pairs | size | ours success (≤1 px) | ours corner error px: mean of successes (median of all) / real: mean abs diff before → after | ours median ms | OpenCV success | OpenCV error | OpenCV median ms | time ours/OpenCV |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.motion} | ${r.pairs} | ${r.size} | ${(100 * r.ours.successRate).toFixed(1)}% | ${fmtErr(r.ours)} | ${r.ours.medianMs.toFixed(1)} | ${(100 * r.opencv.successRate).toFixed(1)}% | ${fmtErr(r.opencv)} | ${r.opencv.medianMs.toFixed(1)} | ${r.timeRatio.toFixed(2)} |`,
    );
  }
  if (stream) {
    const pct = (r: MethodRow) => `${(100 * r.successRate).toFixed(1)}%`;
    lines.push(
      '',
      '| stream | pairs | size | ours pairwise: success, error px, median ms | ours streamed: success, error px, median ms per frame | OpenCV: success, error px, median ms | ours pairwise/OpenCV | ours streamed/OpenCV |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${stream.clip} | ${stream.pairs} | ${stream.size} | ${pct(stream.oursPairwise)}, ${fmtErr(stream.oursPairwise)}, ${stream.oursPairwise.medianMs.toFixed(1)} | ${pct(stream.oursStreamed)}, ${fmtErr(stream.oursStreamed)}, ${stream.oursStreamed.medianMs.toFixed(1)} | ${pct(stream.opencv)}, ${fmtErr(stream.opencv)}, ${stream.opencv.medianMs.toFixed(1)} | ${stream.pairwiseRatio.toFixed(2)} | ${stream.streamedRatio.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Registers `homography`: seeded 640x480 synthetic pairs per motion class from the data catalog's photos
 * plus consecutive cube-clip frames, aligned by `@motiondelta/homography` and by OpenCV (opencv.js,
 * single-threaded WASM: ORB + BFMatcher + findHomography RANSAC) on the same pairs.
 *
 * @example
 * ```sh
 * pnpm exec turbo run build && pnpm bench homography --pairs 84 --json --out homography.json
 * ```
 */
export function registerHomographyCommand(program: Command): void {
  program
    .command('homography')
    .description('Frame alignment: ours vs OpenCV ORB + findHomography on synthetic and real pairs (one thread).')
    .option('--pairs <n>', 'synthetic pairs per motion class (6 classes; 84 gives the 500-case acceptance run)', '20')
    .option('--repeat <n>', 'timed runs per pair and method; the median is kept', '1')
    .option('--cube <n>', 'consecutive cube-clip pairs (0 to skip)', '78')
    .option('--stream <n>', 'frames of the synthetic 640x480 stream, aligned pairwise and streamed (0 to skip)', '31')
    .option('--moderate <n>', 'seeded 640x480 pairs of the moderate-warp range, ours only (0 to skip)', '100')
    .option('--json', 'print the JSON result instead of the Markdown table')
    .option('--out <file>', 'write the JSON result here', 'homography-bench.json')
    .action(
      async (opts: { pairs: string; repeat: string; cube: string; stream: string; moderate: string; json?: boolean; out: string }) => {
        const pairs = Number.parseInt(opts.pairs, 10);
        const repeat = Number.parseInt(opts.repeat, 10);
        const cube = Number.parseInt(opts.cube, 10);
        const streamFrames = Number.parseInt(opts.stream, 10);
        const moderatePairs = Number.parseInt(opts.moderate, 10);
        if (!(pairs >= 1) || !(repeat >= 1) || !(cube >= 0) || !(streamFrames >= 0) || !(moderatePairs >= 0)) {
          throw new Error('--pairs and --repeat must be >= 1, --cube, --stream and --moderate >= 0');
        }
        const log = (s: string) => process.stderr.write(`${s}\n`);
        const { rows, stream } = await runBenchmark(pairs, repeat, cube, streamFrames, log);
        const moderate = moderatePairs > 0 ? await runModerateWarps(moderatePairs, repeat, SUCCESS_PX) : null;
        if (moderate) {
          log(`moderate warps: ${moderate.ok}/${moderate.pairs}, median ${moderate.medianMs.toFixed(1)} ms`);
          for (const f of moderate.failures) log(`  failed ${f}`);
        }
        const result = {
          date: new Date().toISOString(),
          machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
          threads: 1,
          pairsPerClass: pairs,
          repeat,
          successThresholdPx: SUCCESS_PX,
          rows,
          stream,
          moderate,
        };
        writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(`${toMarkdown(rows, stream)}\n${moderate ? `\n${moderateMarkdown(moderate)}\n` : ''}`);
      },
    );
}
