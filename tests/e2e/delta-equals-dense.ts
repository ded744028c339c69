import { readModelFrames } from '@motiondelta/dense-demo';
import { MODEL_IDS, ensureData, modelInputSize, type ModelId } from '@motiondelta/data';
import { Model, loadModel, tensorError } from '@motiondelta/graph-runtime';
import { expect } from 'vitest';

/**
 * Delta mode at threshold 0 must equal dense inference on every frame: 60 consecutive frames of
 * the static-camera clip (vtest) and of the moving-camera clip (cube), every real model, every
 * output, relative L2 <= 1e-4 per frame, or, for outputs that are about zero everywhere (ppocr-det's
 * text probabilities on a clip without text, about 1e-7), max abs <= 1e-6: there the relative
 * error divides float rounding by an almost-zero norm and says nothing.
 *
 * Sizes are small to fit CI (the reference backend is the plain TypeScript oracle): frames are
 * centre-cropped and downscaled. posenet's file fixes its input at 385x385, but the network is
 * fully convolutional, so the test opens the input size and runs it at 65x65 (its output stride
 * is 16, so 65 = 4 * 16 + 1 keeps the published alignment). selfie only takes 256x256.
 */
const SIZES: Record<ModelId, readonly [number, number]> = {
  'esrgan-x2': [16, 24],
  posenet: [65, 65],
  selfie: [256, 256],
  'ppocr-det': [64, 96],
};
export const FRAMES = 60;
/** Per test: 60 frames, each run densely and in delta mode on the plain TypeScript backend. */
export const TIMEOUT_MS = 600_000;

async function openModel(id: ModelId): Promise<Model> {
  const model = await loadModel((await ensureData(id)).main);
  if (id !== 'posenet') return model;
  const inputs = model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] }));
  return new Model({ ...model.graph, inputs });
}

/** Runs `count` frames of `clip` through dense and delta sessions and checks they agree. */
export async function expectDeltaEqualsDense(id: ModelId, clip: 'vtest' | 'cube'): Promise<void> {
  const model = await openModel(id);
  const size = id === 'posenet' ? SIZES.posenet : modelInputSize(id, SIZES[id]);
  const frames = await readModelFrames(id, { clip, start: 0, count: FRAMES, size });
  expect(frames).toHaveLength(FRAMES);
  // readModelFrames gives NHWC frames, ppocr-det's (an ONNX model) too.
  const dense = await model.createSession({ mode: 'dense', layout: 'nhwc' });
  const delta = await model.createSession({ mode: 'delta', threshold: 0, layout: 'nhwc' });
  const inputName = model.inputs[0]!.name;
  // Each comparison as a fraction of its tolerance: at most 1 passes.
  let worst = 0;
  let worstText = '';
  for (const [index, frame] of frames.entries()) {
    const expected = await dense.run({ [inputName]: frame });
    const actual = await delta.run({ [inputName]: frame });
    for (const out of model.outputs) {
      const err = tensorError(actual[out.name]!.data, expected[out.name]!.data);
      const score = Math.min(err.relL2 / 1e-4, err.maxAbs / 1e-6);
      if (score > worst) {
        worst = score;
        worstText = `frame ${index}, output ${out.name}: relative L2 ${err.relL2}, max abs ${err.maxAbs}`;
      }
    }
  }
  expect(worst, `worst: ${worstText} (tolerance: relative L2 1e-4, or max abs 1e-6)`).toBeLessThanOrEqual(1);
  const later = delta.stats().frames.filter((f) => !f.keyframe);
  expect(later).toHaveLength(FRAMES - 1);
  // The work of a delta frame never exceeds dense work.
  for (const f of later) expect(f.macs).toBeLessThanOrEqual(f.denseMacs * (1 + 1e-9));
}

export { MODEL_IDS };
