import { ensureData, MODEL_INPUTS, type ModelId } from '@motiondelta/data';
import { Model, loadModel, tensorError, type MotionSession, type Session } from '@motiondelta/graph-runtime';
import { readImage } from '@motiondelta/video-io';
import type { Tensor } from '@motiondelta/core';

/**
 * Shared by the motion e2e tests: the real models at small viewports, and a static scene (the
 * astronaut photo of the data catalog, downscaled) seen through a camera that pans by whole strides.
 * A frame at world offset (y, x) is the photo cropped there, and its homography is the
 * translation (x, y) from frame pixels to world pixels, so the aligned frame is the crop itself.
 */
export interface MotionCase {
  readonly id: Extract<ModelId, 'esrgan-x2' | 'posenet'>;
  /** Viewport (= frame) size. posenet runs fully convolutional at 65 = 4 * 16 + 1, as in the delta tests. */
  readonly size: readonly [number, number];
  /** The photo is scaled to this size; crops stay inside it. */
  readonly world: readonly [number, number];
}

export const CASES: readonly MotionCase[] = [
  { id: 'esrgan-x2', size: [16, 24], world: [40, 48] },
  { id: 'posenet', size: [65, 65], world: [129, 129] },
];

export async function openModel(id: ModelId): Promise<Model> {
  const model = await loadModel((await ensureData(id)).main);
  if (id !== 'posenet') return model;
  const inputs = model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] }));
  return new Model({ ...model.graph, inputs });
}

/** The photo as model input values (the model's own scale and offset), NHWC. */
export async function loadWorld(c: MotionCase): Promise<{ data: Float32Array; height: number; width: number }> {
  const [height, width] = c.world;
  const img = await readImage((await ensureData('astronaut')).main, { resize: { width, height } });
  const spec = MODEL_INPUTS[c.id];
  const data = new Float32Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i]! * spec.scale + spec.offset;
  return { data, height, width };
}

export function cropWorld(world: { data: Float32Array; width: number }, y0: number, x0: number, h: number, w: number): Tensor {
  const data = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    data.set(world.data.subarray(((y0 + y) * world.width + x0) * 3, ((y0 + y) * world.width + x0 + w) * 3), y * w * 3);
  return { data, shape: [1, h, w, 3] };
}

/**
 * Runs a path of world offsets through a motion session and a dense session on the same crops;
 * returns the worst relative L2 error over every output, the full viewport and, separately, the
 * viewport pixels whose receptive field lies inside the viewport (here: all of them, since the
 * exact viewport semantics makes the whole viewport equal dense).
 */
export async function runPath(
  model: Model,
  world: { data: Float32Array; width: number },
  size: readonly [number, number],
  path: readonly (readonly [number, number])[],
  motion: MotionSession,
  dense: Session,
): Promise<{ worst: number; perFrame: number[] }> {
  const inputName = model.inputs[0]!.name;
  const [y0, x0] = path[0]!;
  const perFrame: number[] = [];
  for (const [y, x] of path) {
    const frame = cropWorld(world, y, x, size[0], size[1]);
    const expected = await dense.run({ [inputName]: frame });
    const actual = await motion.run({ [inputName]: frame }, { homography: [1, 0, x - x0, 0, 1, y - y0, 0, 0, 1] });
    let worst = 0;
    for (const out of model.outputs) worst = Math.max(worst, tensorError(actual[out.name]!.data, expected[out.name]!.data).relL2);
    perFrame.push(worst);
  }
  return { worst: Math.max(...perFrame), perFrame };
}
