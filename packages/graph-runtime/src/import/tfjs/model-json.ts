import { ModelFormatError } from '@motiondelta/core';

/** Quantization of one weight as tfjs-converter writes it. */
export interface WeightQuantization {
  readonly dtype: 'uint8' | 'uint16' | 'float16';
  readonly min?: number;
  readonly scale?: number;
}

/** One entry of a weights manifest group; weights lie back to back in the group's bytes. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly quantization?: WeightQuantization;
}

/** A group of weights whose bytes are the concatenation of `paths`, in order. */
export interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

/** The parts of a TF.js `model.json` the importers rely on, validated. */
export interface TfjsModelJson {
  readonly kind: 'graph' | 'layers';
  /** Kept opaque here: each importer validates the topology it understands. */
  readonly modelTopology: Record<string, unknown>;
  readonly weightsManifest: readonly WeightGroup[];
  /** Graph models only: the `signature` object, if the converter wrote one. */
  readonly signature?: Record<string, unknown>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed `model.json`. The format field decides graph vs layers; old converters omit
 * it, so the shape of the topology (a GraphDef has `node`, a Keras model has `class_name` or
 * `model_config`) decides then.
 */
export function parseModelJson(json: unknown, location: string): TfjsModelJson {
  if (!isRecord(json)) {
    throw new ModelFormatError(`${location}: a TF.js model.json must be a JSON object, got ${describe(json)}.`);
  }
  const topology = json['modelTopology'];
  if (!isRecord(topology)) {
    throw new ModelFormatError(`${location}: 'modelTopology' is missing or not an object; a TF.js model.json needs one.`);
  }
  const kind = detectKind(json['format'], topology, location);
  const manifest = json['weightsManifest'];
  if (!Array.isArray(manifest)) {
    throw new ModelFormatError(`${location}: 'weightsManifest' is missing or not an array.`);
  }
  const weightsManifest = manifest.map((group, g) => parseGroup(group, `${location}: weightsManifest[${g}]`));
  const signature = json['signature'];
  return isRecord(signature)
    ? { kind, modelTopology: topology, weightsManifest, signature }
    : { kind, modelTopology: topology, weightsManifest };
}

function detectKind(format: unknown, topology: Record<string, unknown>, location: string): 'graph' | 'layers' {
  if (format === 'graph-model') return 'graph';
  if (format === 'layers-model') return 'layers';
  if (format !== undefined) {
    throw new ModelFormatError(`${location}: unknown format '${String(format)}'; accepted: 'graph-model', 'layers-model'.`);
  }
  if (Array.isArray(topology['node'])) return 'graph';
  if ('model_config' in topology || 'class_name' in topology) return 'layers';
  throw new ModelFormatError(
    `${location}: cannot tell a graph model from a layers model: no 'format' field, and 'modelTopology' has neither 'node' nor 'model_config'.`,
  );
}

function parseGroup(group: unknown, where: string): WeightGroup {
  if (!isRecord(group)) throw new ModelFormatError(`${where} is not an object.`);
  const paths = group['paths'];
  if (!Array.isArray(paths) || !paths.every((p): p is string => typeof p === 'string')) {
    throw new ModelFormatError(`${where}.paths must be an array of shard file names.`);
  }
  const weights = group['weights'];
  if (!Array.isArray(weights)) throw new ModelFormatError(`${where}.weights must be an array.`);
  return { paths, weights: weights.map((w, i) => parseWeightSpec(w, `${where}.weights[${i}]`)) };
}

function parseWeightSpec(spec: unknown, where: string): WeightSpec {
  if (!isRecord(spec)) throw new ModelFormatError(`${where} is not an object.`);
  const { name, shape, dtype, quantization } = spec;
  if (typeof name !== 'string') throw new ModelFormatError(`${where} has no 'name'.`);
  const at = `${where} ('${name}')`;
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isInteger(d) && d >= 0)) {
    throw new ModelFormatError(`${at}: 'shape' must be an array of non-negative integers.`);
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ModelFormatError(`${at}: dtype '${String(dtype)}' is not supported; accepted: float32, int32.`);
  }
  if (quantization === undefined) return { name, shape, dtype };
  return { name, shape, dtype, quantization: parseQuantization(quantization, dtype, at) };
}

function parseQuantization(q: unknown, dtype: 'float32' | 'int32', at: string): WeightQuantization {
  if (!isRecord(q)) throw new ModelFormatError(`${at}: 'quantization' is not an object.`);
  const qd = q['dtype'];
  if (qd === 'float16') {
    if (dtype !== 'float32') throw new ModelFormatError(`${at}: float16 quantization only applies to float32 weights, not ${dtype}.`);
    return { dtype: qd };
  }
  if (qd === 'uint8' || qd === 'uint16') {
    const { min, scale } = q;
    if (typeof min !== 'number' || typeof scale !== 'number') {
      throw new ModelFormatError(`${at}: ${qd} quantization needs numeric 'min' and 'scale'.`);
    }
    return { dtype: qd, min, scale };
  }
  throw new ModelFormatError(`${at}: quantization dtype '${String(qd)}' is not supported; accepted: uint8, uint16, float16.`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
