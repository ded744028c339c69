import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelFormatError } from '@motiondelta/core';
import { importOnnx } from './import/onnx/index.js';
import { importTfjs } from './import/tfjs/index.js';
import type { Graph } from './ir/graph.js';
import { Model } from './model.js';

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Reads a TF.js weight shard named in model.json. Needed when a TF.js model is given as bytes;
   * for a path, shards are read from the model's folder.
   */
  readonly readWeightFile?: (relativePath: string) => Promise<Uint8Array>;
  /** Skip the simplification passes (for debugging an importer). */
  readonly simplify?: boolean;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b === 0x7b;
  }
  return false;
}

/**
 * Loads an ONNX model (`.onnx`) or a TensorFlow.js graph or layers model (`model.json` plus its
 * weight shards). The format is detected from the content, not the file name.
 *
 * @example
 * ```ts
 * import { loadModel } from '@motiondelta/graph-runtime';
 * const model = await loadModel('model.onnx');
 * const session = await model.createSession({ mode: 'dense', backend: ['reference'] });
 * const [input] = model.inputs;
 * const outputs = await session.run({ [input!.name]: { data: new Float32Array(1 * 64 * 64 * 3), shape: [1, 64, 64, 3] } });
 * ```
 */
export async function loadModel(source: string | Uint8Array, options: LoadModelOptions = {}): Promise<Model> {
  const location = typeof source === 'string' ? source : '<bytes>';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw new ModelFormatError(`Cannot read model file '${source}': ${(error as Error).message}`, { cause: error });
    }
  } else {
    bytes = source;
  }
  if (bytes.length === 0) throw new ModelFormatError(`Model '${location}' is empty (0 bytes); expected ONNX protobuf or TF.js model.json.`);

  let graph: Graph;
  if (looksLikeJson(bytes)) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new ModelFormatError(
        `Model '${location}' starts like JSON but does not parse (${(error as Error).message}); a TF.js model.json is expected, or ONNX protobuf bytes.`,
        { cause: error },
      );
    }
    const readWeightFile =
      options.readWeightFile ??
      (typeof source === 'string'
        ? (relative: string) => readFile(join(dirname(source), relative))
        : () => {
            throw new ModelFormatError(`TF.js model given as bytes: pass options.readWeightFile to read its weight shards.`);
          });
    graph = await importTfjs(json, readWeightFile, location);
  } else {
    graph = importOnnx(bytes, location);
  }
  return new Model(graph, options.simplify !== false);
}
