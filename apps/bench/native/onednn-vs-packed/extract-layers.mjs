// Dumps the convolution (and MatMul/Gemm) layers of the four benchmark models, planned at their
// benchmark sizes, as the JSON the oneDNN-vs-packed benchmark reads (layers.json next to this
// file). Run from the repository root after `pnpm exec turbo run build`:
//
//   node apps/bench/native/onednn-vs-packed/extract-layers.mjs > apps/bench/native/onednn-vs-packed/layers.json
//
// The graph is the one sessions execute (Model.graph: simplified, activations fused into their
// convolutions), planned with planGraph for the input size, so pads are explicit and every shape
// is concrete. Layers of one model with the same geometry and activation are counted once.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { loadModel, planGraph } from '@motiondelta/graph-runtime';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

// Benchmark sizes (H x W of the image input), as in docs/BENCHMARKS.md.
const RUNS = [
  { id: 'esrgan-x2', h: 144, w: 192 },
  { id: 'esrgan-x2', h: 576, w: 768 },
  { id: 'posenet', h: 385, w: 385 },
  { id: 'selfie', h: 256, w: 256 },
  { id: 'ppocr-det', h: 576, w: 768 },
];

function modelPath(id) {
  return execFileSync(process.execPath, [path.join(root, 'tools/data/dist/cli.js'), 'path', id], { encoding: 'utf8' }).trim();
}

// The activation as the C++ side encodes it (md::ActKind and its a/b fields); PReLU keeps only its
// slope length (the benchmark uses random slopes of that length).
function activation(spec) {
  if (!spec) return { kind: 'none' };
  switch (spec.kind) {
    case 'clip': return { kind: 'clip', a: spec.min, b: spec.max };
    case 'leakyRelu': return { kind: 'leakyRelu', a: spec.alpha };
    case 'hardSigmoid': return { kind: 'hardSigmoid', a: spec.alpha, b: spec.beta };
    case 'prelu': return { kind: 'prelu', slopeLen: spec.slope.length };
    default: return { kind: spec.kind };
  }
}

const models = [];
for (const run of RUNS) {
  const model = await loadModel(modelPath(run.id));
  const graph = model.graph;
  const input = graph.inputs[0];
  const plan = planGraph(graph, { [input.name]: [1, run.h, run.w, input.shape[3] ?? 3] });
  const distinct = new Map();
  const skipped = {};
  for (const step of plan.steps) {
    const { node, attrs, outputShape } = step;
    const shapeOf = (name) => plan.shapes.get(name);
    if (node.op === 'Conv2D') {
      const [n, inH, inW, cin] = shapeOf(node.inputs[0]);
      const [, outH, outW, cout] = outputShape;
      const layer = {
        op: 'Conv2D',
        batch: n, inH, inW, cin, outH, outW, cout,
        kh: attrs.kernel[0], kw: attrs.kernel[1],
        sh: attrs.strides[0], sw: attrs.strides[1],
        dh: attrs.dilations[0], dw: attrs.dilations[1],
        pads: [...attrs.pads], // top, left, bottom, right
        groups: attrs.groups,
        bias: (node.inputs[2] ?? '') !== '',
        act: activation(attrs.activation),
      };
      layer.macs = n * outH * outW * cout * attrs.kernel[0] * attrs.kernel[1] * (cin / attrs.groups);
      const key = JSON.stringify(layer);
      const seen = distinct.get(key);
      if (seen) seen.count += 1, seen.nodes.push(node.name);
      else distinct.set(key, { ...layer, count: 1, nodes: [node.name] });
    } else if (node.op === 'MatMul' || node.op === 'Gemm') {
      const a = shapeOf(node.inputs[0]);
      const b = shapeOf(node.inputs[1]);
      const layer = { op: node.op, a, b, out: outputShape, act: activation(attrs.activation) };
      const key = JSON.stringify(layer);
      const seen = distinct.get(key);
      if (seen) seen.count += 1, seen.nodes.push(node.name);
      else distinct.set(key, { ...layer, count: 1, nodes: [node.name] });
    } else if (node.op === 'ConvTranspose2D') {
      // Not timed (no oneDNN counterpart asked for); counted so the totals say what they leave out.
      const [n, inH, inW, cin] = shapeOf(node.inputs[0]);
      const [, outH, outW, cout] = outputShape;
      const macs = n * inH * inW * cin * attrs.kernel[0] * attrs.kernel[1] * (cout / attrs.groups);
      skipped.ConvTranspose2D ??= { count: 0, macs: 0 };
      skipped.ConvTranspose2D.count += 1;
      skipped.ConvTranspose2D.macs += macs;
    }
  }
  const layers = [...distinct.values()];
  const convMacs = layers.filter((l) => l.op === 'Conv2D').reduce((s, l) => s + l.macs * l.count, 0);
  models.push({ id: run.id, input: [1, run.h, run.w, input.shape[3] ?? 3], convNodes: layers.reduce((s, l) => s + l.count, 0), convMacs, notTimed: skipped, layers });
}

process.stdout.write(
  JSON.stringify(
    { generatedBy: 'node apps/bench/native/onednn-vs-packed/extract-layers.mjs > apps/bench/native/onednn-vs-packed/layers.json', models },
    null,
    1,
  ) + '\n',
);
