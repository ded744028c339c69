import type { RunSummary, SampleFrame } from '../run-summary.js';
import { escapeHtml } from './html-escape.js';
import { encodePng, pngDataUri } from './png.js';

/**
 * One sample frame with its block grid drawn over it: executed blocks outlined in magenta,
 * copied ones dimmed, and each block's probability (when the policy gave one) as a number.
 */
function gridFigure(sample: SampleFrame): string {
  const grid = sample.blockGrid;
  if (!grid) return '';
  const { width, height } = sample.image;
  const b = grid.blockSize;
  const cells: string[] = [];
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const i = r * grid.cols + c;
      const [x, y] = [c * b, r * b];
      const [w, h] = [Math.min(b, width - x), Math.min(b, height - y)];
      cells.push(
        grid.executed[i]
          ? `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#e6007e" stroke-width="${Math.max(1, b / 32)}"/>`
          : `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#000" fill-opacity="0.55"/>`,
      );
      const p = grid.probabilities?.[i];
      if (p !== undefined)
        cells.push(
          `<text x="${x + w / 2}" y="${y + h / 2}" font-size="${Math.max(8, b / 5)}" fill="#fff" text-anchor="middle" dominant-baseline="middle">${p.toFixed(2)}</text>`,
        );
    }
  }
  const executed = grid.executed.reduce((a, v) => a + v, 0);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width:100%;height:auto"><image href="${pngDataUri(encodePng(sample.image))}" width="${width}" height="${height}"/>${cells.join('')}</svg>`;
  return `<figure>${svg}<figcaption>frame ${sample.index}: ${executed} of ${grid.rows * grid.cols} blocks executed${grid.probabilities ? ' (numbers: the policy\u2019s probability of executing)' : ''}</figcaption></figure>`;
}

/**
 * The block part of the report: the execution rate per frame against the target, with the trailing
 * 100-frame rate, and the block grids of the sample frames. Empty for other modes.
 */
export function blockSection(summary: RunSummary): string {
  const block = summary.block;
  if (!block) return '';
  return `<h2>Blocks executed</h2>
<p class="lede">Policy <b>${escapeHtml(block.policy)}</b>, target ${block.targetRate}, blocks of ${block.blockSize} pixels. Magenta outline: blocks recomputed on that frame; dimmed: blocks whose features were kept from the previous frame (a keyframe recomputes every block).</p>
<div class="samples"><div class="sample">${summary.samples.map(gridFigure).join('')}</div></div>
<div class="charts"><div class="chart"><canvas id="chart-block-rate"></canvas></div></div>`;
}

/** Draws the execution-rate chart from the JSON data element (runs in the page, against Chart.js). */
export const BLOCK_CHART_SCRIPT = String.raw`
(function () {
  var d = JSON.parse(document.getElementById('motiondelta-data').textContent);
  if (!d.block || !document.getElementById('chart-block-rate')) return;
  var b = d.block;
  function s(label, data, colour, dash) { return { label: label, data: data, borderColor: colour, backgroundColor: colour, pointRadius: dash ? 0 : 2, borderDash: dash || [] }; }
  new Chart(document.getElementById('chart-block-rate'), {
    type: 'line',
    data: { labels: d.perFrame.index, datasets: [
      s('executed fraction', b.perFrame.executedFraction, '#e6007e'),
      s('last 100 frames', b.perFrame.trailingRate, '#3b528b'),
      s('target', d.perFrame.index.map(function () { return b.targetRate; }), '#21918c', [6, 4]),
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      scales: { x: { title: { display: true, text: 'frame' } }, y: { min: 0, max: 1, title: { display: true, text: 'fraction of blocks' } } } },
  });
})();
`;
