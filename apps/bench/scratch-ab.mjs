import { ensureData } from '@motiondelta/data';
import { createCpuNativeBackend } from 'motiondelta';
const OLD = await import('../../packages/graph-runtime/.scratch-old/index.js');
const NEW = await import('../../packages/graph-runtime/.scratch-old/new.js');
for (const M of [OLD, NEW]) M.registerBackend('cpu-native', () => createCpuNativeBackend({ threads: 2, fallback: new M.ReferenceBackend() }));
const [h, w] = [144, 192];
const backend = process.argv[3] ?? 'cpu-native';
const file = (await ensureData('esrgan-x2')).main;
const WH = h + 60, WW = w + 120;
const world = new Float32Array(WH * WW * 3);
for (let i = 0; i < world.length; i++) world[i] = Math.sin(i * 0.37) * 0.3 + 0.5 + 0.2 * Math.sin(i * 0.0011);
const crop = (oy, ox) => { const d = new Float32Array(h * w * 3); for (let y = 0; y < h; y++) d.set(world.subarray(((oy + y) * WW + ox) * 3, ((oy + y) * WW + ox + w) * 3), y * w * 3); return { data: d, shape: [1, h, w, 3] }; };
const sessions = {};
for (const [k, M] of [['old', OLD], ['new', NEW]]) {
  const model = await M.loadModel(file);
  sessions[k] = { s: await model.createSession({ mode: 'motion', backend: [backend] }), name: model.inputs[0].name, t: [] };
}
const frames = Number(process.argv[2] ?? 13);
let maxDiff = 0;
for (let k = 0; k < frames; k++) {
  const f = crop(2 * k, 4 * k);
  const outs = {};
  for (const key of k % 2 ? ['new', 'old'] : ['old', 'new']) {
    const S = sessions[key];
    const t0 = performance.now();
    outs[key] = await S.s.run({ [S.name]: f }, { homography: [1, 0, 4 * k, 0, 1, 2 * k, 0, 0, 1] });
    if (k > 0) S.t.push(performance.now() - t0);
  }
  for (const n of Object.keys(outs.old)) { const a = outs.old[n].data, b = outs.new[n].data; for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i])); }
}
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const key of ['old', 'new']) {
  const S = sessions[key]; const st = S.s.stats(); const stepMs = st.nodes.reduce((s, n) => s + n.ms, 0);
  console.log(key, 'mean', mean(S.t).toFixed(1), 'median', med(S.t).toFixed(1), 'ms/frame; last frame macs/dense', (st.frames.at(-1).macs / st.frames.at(-1).denseMacs).toFixed(3), 'offset', JSON.stringify(st.frames.at(-1).offset));
}
console.log('max |old - new| over outputs', maxDiff);
