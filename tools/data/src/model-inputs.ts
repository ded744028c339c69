/**
 * How each real model of the catalog wants its frames: size rules, the mapping from RGB bytes to
 * input values, and the engine whose outputs define "correct" for it. Tests, the demo and the
 * benchmarks all prepare frames from this one table, so they feed every model identically.
 */

export type ModelId = 'esrgan-x2' | 'posenet' | 'selfie' | 'ppocr-det';

export interface ModelInputSpec {
  readonly id: ModelId;
  readonly format: 'onnx' | 'tfjs-graph' | 'tfjs-layers';
  /** The dense engine the model was published for: the reference its outputs are checked against. */
  readonly referenceEngine: 'onnxruntime' | 'tfjs';
  /** [height, width] when the model only takes one size. */
  readonly fixedSize?: readonly [number, number];
  /** Height and width must be multiples of this (1 when any size works). */
  readonly multipleOf: number;
  /** Input value = (byte * scale + offset - mean[c]) / std[c]. */
  readonly scale: number;
  readonly offset: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
  /** What the model computes, for tables and reports. */
  readonly task: string;
}

export const MODEL_INPUTS: Readonly<Record<ModelId, ModelInputSpec>> = {
  'esrgan-x2': {
    id: 'esrgan-x2',
    format: 'tfjs-layers',
    referenceEngine: 'tfjs',
    multipleOf: 1,
    scale: 1,
    offset: 0,
    task: 'x2 super-resolution',
  },
  posenet: {
    id: 'posenet',
    format: 'tfjs-graph',
    referenceEngine: 'tfjs',
    fixedSize: [385, 385],
    multipleOf: 1,
    scale: 2 / 255,
    offset: -1,
    task: 'pose keypoints (heatmaps, offsets, displacements)',
  },
  selfie: {
    id: 'selfie',
    format: 'tfjs-graph',
    referenceEngine: 'tfjs',
    fixedSize: [256, 256],
    multipleOf: 1,
    scale: 1 / 255,
    offset: 0,
    task: 'person segmentation mask',
  },
  'ppocr-det': {
    id: 'ppocr-det',
    format: 'onnx',
    referenceEngine: 'onnxruntime',
    multipleOf: 32,
    scale: 1 / 255,
    offset: 0,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    task: 'text detection probability map',
  },
};

/** Every model id, in catalog order. */
export const MODEL_IDS: readonly ModelId[] = ['esrgan-x2', 'posenet', 'selfie', 'ppocr-det'];

/**
 * The input size to use for a model given a wish: fixed-size models ignore the wish, the others
 * round it down to their multiple (never below one multiple).
 */
export function modelInputSize(id: ModelId, wish: readonly [number, number]): [number, number] {
  const spec = MODEL_INPUTS[id];
  if (spec.fixedSize) return [spec.fixedSize[0], spec.fixedSize[1]];
  const m = spec.multipleOf;
  return [Math.max(m, Math.floor(wish[0] / m) * m), Math.max(m, Math.floor(wish[1] / m) * m)];
}

/** The mapping from RGB bytes to a model's input values (`frameToTensor`'s options), alone. */
export interface ModelInputMapping {
  readonly scale: number;
  readonly offset: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
}

/**
 * A catalog model's input mapping: what `frameToTensor` takes, and what a threshold profile
 * records as its preprocessing.
 */
export function modelInputMapping(id: ModelId): ModelInputMapping {
  const { scale, offset, mean, std } = MODEL_INPUTS[id];
  return { scale, offset, ...(mean ? { mean } : {}), ...(std ? { std } : {}) };
}
