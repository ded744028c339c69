import { ensureData } from '@motiondelta/data';
import { loadModel } from '@motiondelta/graph-runtime';
import { setCpuNativeThreads } from 'motiondelta';
setCpuNativeThreads(2);
const [h, w] = [144, 192];
const model = await loadModel((await ensureData('esrgan-x2')).main);
const name = model.inputs[0].name;
// Static world, camera pans by (dy, dx) = (2, 4) per frame.
const WH = h + 40, WW = w + 60;
const world = new Float32Array(WH * WW * 3);
for (let i = 0; i < world.length; i++) world[i] = Math.sin(i * 0.37) * 0.3 + 0.5 + 0.2 * Math.sin(i * 0.0011);
const crop = (oy, ox) => { const d = new Float32Array(h * w * 3); for (let y = 0; y < h; y++) d.set(world.subarray(((oy + y) * WW + ox) * 3, ((oy + y) * WW + ox + w) * 3), y * w * 3); return { data: d, shape: [1, h, w, 3] }; };
const motion = await model.createSession({ mode: 'motion', backend: ['cpu-native'] });
const frames = Number(process.argv[2] ?? 7);
const times = [];
for (let k = 0; k < frames; k++) {
  const f = crop(2 * k, 4 * k);
  const t0 = performance.now();
  await motion.run({ [name]: f }, { homography: [1, 0, 4 * k, 0, 1, 2 * k, 0, 0, 1] });
  times.push(performance.now() - t0);
}
const st = motion.stats();
const kernMs = st.nodes.reduce((s, n) => s + n.ms, 0);
console.log('frame ms', times.map((t) => t.toFixed(0)).join(' '), 'mean moving', (times.slice(1).reduce((a, b) => a + b, 0) / (frames - 1)).toFixed(1));
console.log('last frame: macs/dense', (st.frames.at(-1).macs / st.frames.at(-1).denseMacs).toFixed(3), 'sum step ms', kernMs.toFixed(1), 'offset', JSON.stringify(st.frames.at(-1).offset));
