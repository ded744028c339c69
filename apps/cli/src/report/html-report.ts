import { BLOCK_CHART_SCRIPT, blockSection } from './block-section.js';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorHeatImage, errorMap } from '../draw/error-map.js';
import { visualizeOutputs, type Panel } from '../draw/visualize-outputs.js';
import type { RunSummary } from '../run-summary.js';
import { summaryToJson } from '../summary-json.js';
import { formatPsnr } from '../summary-table.js';
import { chartJsSource } from './chartjs-source.js';
import { CHART_SCRIPT } from './chart-script.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { maskRows, type MaskRow } from './mask-strips.js';
import { prepareOutputFolder } from '../output-location.js';
import { MOTION_CHART_SCRIPT, motionSection } from './motion-section.js';
import { encodePng, pngDataUri } from './png.js';

/** The files `writeReport` writes directly in its folder (besides the `frames/` folder). */
export const REPORT_FILES: readonly string[] = ['report.html', 'summary.json'];

/** Files a report consists of. */
export interface ReportFiles {
  /** The self-contained page (images as data URIs, Chart.js inlined). */
  readonly html: string;
  /** The same figures as `--json`. */
  readonly json: string;
  /** The sample pictures as PNG files beside the page, for reuse elsewhere. */
  readonly images: readonly string[];
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
.lede { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.card { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: .6rem .9rem; min-width: 9rem; }
.card b { display: block; font-size: 1.35rem; } .card span { color: #666; font-size: .85rem; }
.samples { display: flex; flex-direction: column; gap: 1.2rem; }
.sample { display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-start; }
figure { margin: 0; background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: .5rem; }
figure img { display: block; max-width: 100%; height: auto; max-height: 420px; }
figcaption { font-size: .85rem; color: #444; margin-top: .3rem; max-width: 420px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1rem; }
.chart { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: .6rem; height: 300px; }
.note { background: #fff7d6; border: 1px solid #f0dc8a; border-radius: 6px; padding: .5rem .8rem; }
table.masks { border-collapse: collapse; font-size: .8rem; }
table.masks td, table.masks th { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: middle; }
table.masks img { image-rendering: pixelated; width: 72px; height: auto; background: #282828; display: block; }
table.masks .frac { color: #666; }
img.thumb { image-rendering: pixelated; width: 192px; height: auto; }
dl { font-size: .9rem; } dt { font-weight: 600; margin-top: .5rem; } dd { margin-left: 1rem; color: #444; }
`;

function card(value: string, label: string): string {
  return `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

/** dB for people: "exact" rather than "Infinity dB". */
function db(value: number): string {
  return value === Number.POSITIVE_INFINITY ? 'exact' : `${value.toFixed(1)} dB`;
}

function summaryCards(s: RunSummary): string {
  const spread = s.psnrSpread;
  return `<div class="cards">${[
    card(`${s.speedup.toFixed(2)}x`, 'speedup vs dense (same run)'),
    card(
      s.steadySpeedup === undefined ? '-' : `${s.steadySpeedup.toFixed(2)}x`,
      `steady-state speedup (after the first frame and ${s.warmupFrames} warm-up frames)`,
    ),
    card(s.fps.toFixed(2), `${s.mode} frames/s`),
    card(s.denseFps.toFixed(2), 'dense frames/s'),
    card(s.activeFraction.toFixed(3), 'mean active fraction'),
    card(s.macsRatio.toFixed(3), 'MACs done / dense'),
    card(formatPsnr(s), 'PSNR vs dense (mean)'),
    ...(spread
      ? [
          card(db(spread.worstWindow), `PSNR, worst ${spread.frames}-frame window (from frame ${spread.worstWindowStart})`),
          card(db(spread.p10), 'PSNR, 10th-percentile frame'),
          card(db(spread.lastWindow), `PSNR, last ${spread.frames}-frame window`),
        ]
      : []),
    card(s.maxAbsError.toExponential(2), 'max abs error vs dense'),
  ].join('')}</div>`;
}

function maskTable(rows: readonly MaskRow[], sampleIndices: readonly number[]): string {
  const head = `<tr><th>layer</th><th>op</th><th>grid</th>${sampleIndices.map((i) => `<th>frame ${i}</th>`).join('')}</tr>`;
  const body = rows.map((row) => {
    const cells = row.cells.map((cell) =>
      cell
        ? `<td><img alt="update mask of ${escapeHtml(row.node)}" src="${pngDataUri(encodePng(cell.image))}"><span class="frac">${(cell.active * 100).toFixed(1)}% updated</span></td>`
        : '<td>-</td>',
    );
    return `<tr><td>${escapeHtml(row.node)}</td><td>${escapeHtml(row.op)}</td><td>${row.grid[0]}x${row.grid[1]}</td>${cells.join('')}</tr>`;
  });
  return `<table class="masks">${head}${body.join('')}</table>`;
}

/** Lower-case words joined by dashes, for file names. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
}

/**
 * Writes `<outDir>/report.html` (one self-contained page: sample frames with the model's output
 * drawn on them, charts per frame, update masks per layer), `<outDir>/summary.json` and the sample
 * pictures as PNG files under `<outDir>/frames/`.
 *
 * @example
 * const summary = await runVideo({ video: 'vtest', model: 'selfie', frames: 3 });
 * const { html } = await writeReport(summary, 'out'); // out/report.html
 */
export async function writeReport(summary: RunSummary, outDir: string): Promise<ReportFiles> {
  // Created level by level and checked: a clear OptionError for a folder that cannot be written.
  const dir = (await prepareOutputFolder(outDir, 'report folder', REPORT_FILES)).path;
  // A report folder is rewritten whole: pictures of an earlier run must not sit beside this one's.
  await rm(join(dir, 'frames'), { recursive: true, force: true });
  await mkdir(join(dir, 'frames'));
  const images: string[] = [];
  const sampleHtml: string[] = [];
  for (const sample of summary.samples) {
    const panels: Panel[] = visualizeOutputs(summary.model.catalogId, sample.image, sample.outputs).map((p) =>
      sample.denseOutputs ? { ...p, title: `${summary.mode}: ${p.title}` } : p,
    );
    if (sample.denseOutputs) {
      // Beside the mode's output: dense inference's, and where the two differ.
      for (const p of visualizeOutputs(summary.model.catalogId, sample.image, sample.denseOutputs))
        panels.push({ ...p, title: `dense: ${p.title}` });
      const map = errorMap(sample.outputs, sample.denseOutputs);
      if (map)
        panels.push({ title: `|${summary.mode} - dense| (hottest: 5% of the output range)`, image: errorHeatImage(sample.image, map) });
    }
    const figures: string[] = [];
    for (const panel of panels) {
      const png = encodePng(panel.image);
      const file = join(dir, 'frames', `frame-${String(sample.index).padStart(6, '0')}-${slug(panel.title)}.png`);
      await writeFile(file, png);
      images.push(file);
      figures.push(
        `<figure><img alt="${escapeHtml(panel.title)}" src="${pngDataUri(png)}"><figcaption>frame ${sample.index}: ${escapeHtml(panel.title)}</figcaption></figure>`,
      );
    }
    sampleHtml.push(`<div class="sample">${figures.join('')}</div>`);
  }
  const json = summaryToJson(summary);
  const rows = maskRows(summary.samples);
  const denseNote =
    summary.mode === 'dense'
      ? '<p class="note">This run is in <b>dense</b> mode: every layer recomputes every pixel on every frame, so every mask is white. Run with <code>--mode delta</code> to see which pixels each layer actually updates.</p>'
      : '';
  const skipped = summary.backend.skipped.length
    ? `<p>Skipped backends: ${summary.backend.skipped.map((s) => `<b>${escapeHtml(s.id)}</b> (${escapeHtml(s.reason)})`).join('; ')}.</p>`
    : '';
  const modeLabel =
    summary.mode === 'delta'
      ? `delta, threshold ${summary.threshold ?? 0}`
      : summary.mode === 'motion'
        ? `motion, threshold ${summary.threshold ?? 0}, align ${summary.motion?.align ?? 'estimate'}`
        : summary.mode;
  const first = summary.perFrame[0]?.index ?? 0;
  const last = summary.perFrame.at(-1)?.index ?? 0;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MotionDelta: ${escapeHtml(summary.model.label)} on ${escapeHtml(summary.video)} (${escapeHtml(summary.mode)})</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(summary.model.label)} on ${escapeHtml(summary.video)}</h1>
<p class="lede">${escapeHtml(summary.model.task)} &middot; mode <b>${escapeHtml(modeLabel)}</b> against dense on the same ${summary.frames} frames (${first}..${last}) &middot; input ${summary.inputSize[0]}x${summary.inputSize[1]} &middot; backend <b>${escapeHtml(summary.backend.id)}</b></p>
${skipped}
${summaryCards(summary)}
<h2>Sample frames</h2>
<p class="lede">The model's input as it saw it (cropped to its aspect ratio and resized), and the ${escapeHtml(summary.mode)} session's outputs drawn on it.</p>
<div class="samples">${sampleHtml.join('\n')}</div>
${motionSection(summary)}
${blockSection(summary)}
<h2>Per frame</h2>
<div class="charts">
<div class="chart"><canvas id="chart-time"></canvas></div>
<div class="chart"><canvas id="chart-active"></canvas></div>
<div class="chart"><canvas id="chart-macs"></canvas></div>
<div class="chart"><canvas id="chart-error"></canvas></div>
</div>
<p class="lede">Frames whose outputs equal dense exactly have no PSNR (it is infinite): they are gaps in the PSNR line.</p>
<h2>Update masks per layer</h2>
${denseNote}
<p class="lede">White: output pixels the layer updated on that frame; dark: pixels kept from the previous frame.</p>
${maskTable(
  rows,
  summary.samples.map((s) => s.index),
)}
<h2>Definitions</h2>
<dl>
<dt>speedup</dt><dd>Total dense session time over total ${escapeHtml(summary.mode)} session time, both measured in this run on the same frames and backend (decoding excluded).</dd>
<dt>active fraction</dt><dd>Per frame, the mean over the graph's nodes of the fraction of output pixels updated.</dd>
<dt>MACs ratio</dt><dd>Multiply-accumulates done over those dense inference does, summed over frames.</dd>
${summary.mode === 'motion' ? "<dt>error in motion mode</dt><dd>Motion outputs lie on the viewport grid. Each output pixel's footprint centre is mapped to the frame; where it lands on the frame, the dense output of the raw frame is sampled there (bilinear) and compared; the other output pixels (viewport not covered by the frame) are left out. PSNR and max abs error below are over the compared values.</dd>" : ''}
<dt>windows and percentile</dt><dd>A window's PSNR is that of the mean squared error of its frames (each relative to its frame's peak; exact frames add no error), so that a few nearly exact frames cannot hide a run of bad ones. The worst window is the lowest over any run of ${summary.psnrSpread?.frames ?? 30} consecutive frames; the last window is that of the last ones, where the error has settled by the end of the run; the 10th-percentile frame is the PSNR that 90% of the frames reach or beat (exact frames counted). The steady-state speedup leaves out the first frame (a keyframe) and the ${summary.warmupFrames} frames after it.</dd>
<dt>PSNR</dt><dd>Per output, 10&middot;log10(peak&sup2; / MSE) against the dense output, with peak = max &minus; min of the dense output (1 if constant); a frame takes its worst output. The mean is over frames that differ from dense; exact frames are counted separately.</dd>
</dl>
<script>${chartJsSource()}</script>
<script type="application/json" id="motiondelta-data">${jsonForScript(json)}</script>
<script>${CHART_SCRIPT}</script>
${summary.mode === 'motion' ? `<script>${MOTION_CHART_SCRIPT}</script>` : ''}
${summary.block ? `<script>${BLOCK_CHART_SCRIPT}</script>` : ''}
</body></html>
`;
  const htmlPath = join(dir, 'report.html');
  const jsonPath = join(dir, 'summary.json');
  await writeFile(htmlPath, html);
  await writeFile(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  return { html: htmlPath, json: jsonPath, images };
}
