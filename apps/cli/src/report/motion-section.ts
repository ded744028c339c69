import type { RunSummary } from '../run-summary.js';
import { escapeHtml } from './html-escape.js';
import { frameQuad, renderUnveiled, renderWorldCanvas, viewportQuad } from './motion-pictures.js';
import { encodePng, pngDataUri } from './png.js';

/**
 * The motion part of the report: the world canvas (every frame pasted at its world position)
 * with the viewport path drawn over it, the unveiled regions of sampled frames, and a chart of
 * coverage, unveiled and compared fractions. Empty for other modes.
 */
export function motionSection(summary: RunSummary): string {
  const motion = summary.motion;
  if (!motion) return '';
  const canvas = renderWorldCanvas(summary);
  const size = summary.inputSize;
  let canvasHtml = '<p class="note">No world canvas: the homographies put the frames nowhere finite.</p>';
  if (canvas) {
    const { image, minX, minY, scale } = canvas;
    const pt = ([x, y]: [number, number]): string => `${((x - minX) * scale).toFixed(1)},${((y - minY) * scale).toFixed(1)}`;
    const records = summary.perFrame.flatMap((f) => (f.motion ? [f.motion] : []));
    const centres = records.map((r) => {
      const q = viewportQuad(r, size);
      return pt([(q[0]![0] + q[2]![0]) / 2, (q[0]![1] + q[2]![1]) / 2]);
    });
    const last = records.at(-1);
    const keyframes = records.filter((r) => r.keyframeReason !== undefined);
    const svg = [
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${image.width} ${image.height}" width="${image.width}" height="${image.height}" style="max-width:100%;height:auto">`,
      `<image href="${pngDataUri(encodePng(image))}" width="${image.width}" height="${image.height}"/>`,
      ...keyframes.map(
        (r) =>
          `<polygon points="${viewportQuad(r, size).map(pt).join(' ')}" fill="none" stroke="#fde725" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      ),
      last ? `<polygon points="${frameQuad(last, size).map(pt).join(' ')}" fill="none" stroke="#ffffff" stroke-width="1"/>` : '',
      last ? `<polygon points="${viewportQuad(last, size).map(pt).join(' ')}" fill="none" stroke="#e6007e" stroke-width="2"/>` : '',
      `<polyline points="${centres.join(' ')}" fill="none" stroke="#e6007e" stroke-width="2"/>`,
      ...centres.map((c) => `<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="2" fill="#e6007e"/>`),
      '</svg>',
    ].join('');
    canvasHtml = `<figure>${svg}<figcaption>World canvas (world = the first frame run): each frame pasted where its homography puts it, later frames on top.
Magenta: the viewport centre from frame to frame and the last frame's viewport; white: the last frame's outline; dashed yellow: viewports of keyframes (${keyframes.length}: ${escapeHtml(keyframes.map((r) => r.keyframeReason).join(', ') || 'none')}).</figcaption></figure>`;
  }
  const unveiled = renderUnveiled(summary);
  const tiles = unveiled
    .map(
      (u) =>
        `<figure><img class="thumb" alt="unveiled pixels of frame ${u.index}" src="${pngDataUri(encodePng(u.image))}"><figcaption>frame ${u.index}: ${(u.fraction * 100).toFixed(1)}% new${u.keyframeReason ? ` (keyframe: ${escapeHtml(u.keyframeReason)})` : ''}</figcaption></figure>`,
    )
    .join('');
  const failures = summary.perFrame.filter((f) => f.motion?.align === 'failed');
  const failureHtml = failures.length
    ? `<p class="note">Alignment failed on ${failures.length} frame(s); each restarted the session with a keyframe: ${failures.map((f) => `frame ${f.index} (${escapeHtml(f.motion?.alignFailure ?? '')})`).join('; ')}.</p>`
    : '';
  return `<h2>World canvas and viewport path</h2>
<p class="lede">Alignment: <b>${escapeHtml(motion.align)}</b>; viewport offsets are multiples of ${motion.totalStride} input pixels. Outputs of motion mode lie on the viewport grid, so the sample pictures above draw them on a frame they fit up to the residual warp.</p>
${failureHtml}
${canvasHtml}
<h2>Unveiled regions</h2>
<p class="lede">Per frame, magenta: pixels new to the viewport on that frame (they enter with their full value; all of them on a keyframe). Darkened: parts of the frame outside the viewport.</p>
<div class="sample">${tiles}</div>
<div class="charts"><div class="chart"><canvas id="chart-motion"></canvas></div></div>`;
}

/** Browser code for the motion chart (coverage, unveiled and compared fractions per frame). */
export const MOTION_CHART_SCRIPT = String.raw`
(function () {
  var d = JSON.parse(document.getElementById('motiondelta-data').textContent);
  if (!d.motion || !document.getElementById('chart-motion')) return;
  var m = d.motion.perFrame;
  function s(label, data, colour) { return { label: label, data: data, borderColor: colour, backgroundColor: colour, pointRadius: 2 }; }
  new Chart(document.getElementById('chart-motion'), {
    type: 'line',
    data: { labels: d.perFrame.index, datasets: [
      s('viewport covered by the frame', m.coverage, '#3b528b'),
      s('viewport pixels unveiled', m.unveiledFraction, '#e6007e'),
      s('outputs compared with dense', m.comparedFraction, '#21918c'),
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      scales: { x: { title: { display: true, text: 'frame' } }, y: { min: 0, max: 1, title: { display: true, text: 'fraction' } } } },
  });
})();
`;
