import type { Graph } from '../../ir/graph.js';
import { modelLimits } from '../../load/model-limits.js';
import { importGraphModel } from './graph-model.js';
import { importLayersModel } from './layers-model.js';
import { parseModelJson } from './model-json.js';
import { withInferredOutputShapes } from './output-shapes.js';
import { loadWeights } from './weights.js';
import type { ReadWeightFile, ShardSource } from './weights.js';

export type { ReadWeightFile, ShardSource } from './weights.js';

/**
 * Imports a TF.js model (graph model or Keras layers model, detected from the JSON) into the IR.
 * Weights are read through `readWeightFile`, called with each shard path as written in the
 * manifest (relative to the model.json), so this works on files, fetch or memory alike. Paths
 * are checked first: absolute paths, `..` segments, URL schemes and NUL bytes are refused before
 * `readWeightFile` is called, and the shards of a group must hold exactly the bytes its weights
 * need.
 *
 * Graph model outputs are the signature's outputs, named after the signature key without its `:0`
 * suffix (`world_3d` for the tensor `Identity_4:0`; the tensor's name where the key is another
 * node's name), or without a signature the sink nodes by name; layers model outputs after the
 * output layer. Inputs are named after the Placeholder node or the InputLayer; int32 and uint8
 * Placeholders are declared with that dtype (sessions take Int32Array / Uint8Array for them).
 *
 * @param options.maxModelBytes most bytes the shards may hold together (default 2 GiB); decoded
 *   weights may take twice that
 * @throws ModelFormatError for a malformed model.json, a refused path, or a missing or mis-sized shard
 * @throws ResourceLimitError for weights declaring more bytes than the limits allow
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { dirname, join } from 'node:path';
 * const path = 'models/posenet.json';
 * const json = JSON.parse(await readFile(path, 'utf8'));
 * const graph = await importTfjs(json, async (p) => readFile(join(dirname(path), p)), path);
 * ```
 */
export async function importTfjs(
  modelJson: unknown,
  readWeightFile: ReadWeightFile | ShardSource,
  location: string,
  options: { readonly maxModelBytes?: number } = {},
): Promise<Graph> {
  const limits = modelLimits(options.maxModelBytes);
  const model = parseModelJson(modelJson, location);
  const weights = await loadWeights(model.weightsManifest, readWeightFile, location, limits);
  const graph = model.kind === 'graph' ? importGraphModel(model, weights, location) : importLayersModel(model, weights, location);
  return withInferredOutputShapes(graph);
}
