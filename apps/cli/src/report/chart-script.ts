/**
 * Browser code that draws the report's charts from the JSON data element. Kept as a plain string
 * (not compiled) because it runs in the page, against the inlined Chart.js.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  var d = JSON.parse(document.getElementById('motiondelta-data').textContent);
  var f = d.perFrame;
  var labels = f.index;
  var colours = { mode: '#e6007e', dense: '#3b528b', third: '#21918c' };
  function chart(id, datasets, yTitle, extra) {
    var scales = { x: { title: { display: true, text: 'frame' } }, y: Object.assign({ title: { display: true, text: yTitle } }, extra && extra.y) };
    if (extra && extra.y2) scales.y2 = extra.y2;
    new Chart(document.getElementById(id), {
      type: 'line',
      data: { labels: labels, datasets: datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false, spanGaps: false, interaction: { mode: 'index', intersect: false }, scales: scales },
    });
  }
  function series(label, data, colour, axis) {
    return { label: label, data: data, borderColor: colour, backgroundColor: colour, pointRadius: 2, yAxisID: axis || 'y' };
  }
  chart('chart-time', [series(d.mode + ' ms', f.ms, colours.mode), series('dense ms', f.denseMs, colours.dense)], 'ms per frame', { y: { beginAtZero: true } });
  chart('chart-active', [series('active fraction (' + d.mode + ')', f.activeFraction, colours.mode)], 'fraction of pixels updated', { y: { min: 0, max: 1 } });
  chart('chart-macs', [series('MACs done (' + d.mode + ')', f.macs, colours.mode), series('dense MACs', f.denseMacs, colours.dense)], 'multiply-accumulates', { y: { beginAtZero: true } });
  chart('chart-error', [series('PSNR vs dense (dB)', f.psnr, colours.mode), series('max abs error', f.maxAbsError, colours.third, 'y2')], 'PSNR (dB)', {
    y2: { position: 'right', beginAtZero: true, title: { display: true, text: 'max abs error' }, grid: { drawOnChartArea: false } },
  });
})();
`;
