import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelFormatError } from '@motiondelta/core';

/**
 * A tensor going into a reference engine (NHWC, as TF.js stores it): float32, or integers for the
 * inputs a model declares int32 (an Int32Array) or uint8 (a Uint8Array, fed as TF.js's int32).
 */
export interface TfjsTensor {
  readonly data: Float32Array | Int32Array | Uint8Array;
  readonly shape: readonly number[];
}

/**
 * A TF.js model run on tfjs-backend-cpu, the oracle for the TF.js importers.
 *
 * Names match what `importTfjs` gives the graph: graph models use node names without the `:0`
 * suffix (`image`, `MobilenetV1/heatmap_2/BiasAdd`) for inputs; outputs are the signature's
 * outputs, named by their key without `:0` (`world_3d` for the tensor `Identity_4:0`; the
 * tensor's name where the key is another node's name), or, without a signature, the sink nodes;
 * layers models use the InputLayer names and the output layer names.
 */
export interface TfjsRunner {
  readonly kind: 'graph' | 'layers';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, TfjsTensor>): Promise<Record<string, { data: Float32Array; shape: number[] }>>;
  dispose(): void;
}

/**
 * Loads `model.json` and its shards from disk (tfjs-node, whose file loader this replaces, does
 * not install here) and returns a runner on the CPU backend.
 *
 * @example
 * ```ts
 * const runner = await createTfjsRunner('/models/posenet.json');
 * const out = await runner.run({ image: { data: new Float32Array(385 * 385 * 3), shape: [1, 385, 385, 3] } });
 * runner.dispose();
 * ```
 */
export async function createTfjsRunner(modelJsonPath: string): Promise<TfjsRunner> {
  await tf.setBackend('cpu');
  await tf.ready();
  const artifacts = await readArtifacts(modelJsonPath);
  const handler = tf.io.fromMemory(artifacts);
  if (artifacts.format === 'graph-model') return graphRunner(await loadGraphModel(handler), signatureOutputNames(artifacts));
  return layersRunner(await loadLayersModel(handler));
}

interface ModelJsonFile {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology: object;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: tf.io.WeightsManifestEntry[] }[];
  readonly signature?: object;
  readonly userDefinedMetadata?: Record<string, object>;
  readonly modelInitializer?: object;
}

async function readArtifacts(modelJsonPath: string): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJsonFile;
  if (typeof json.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw new ModelFormatError(`${modelJsonPath}: not a TF.js model.json (needs 'modelTopology' and 'weightsManifest').`);
  }
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      try {
        shards.push(await readFile(join(dirname(modelJsonPath), path)));
      } catch (cause) {
        throw new ModelFormatError(`${modelJsonPath}: weight shard '${path}' cannot be read.`, { cause });
      }
    }
  }
  // Groups are decoded back to back, so one buffer of every shard in manifest order is what
  // tfjs's own http/file loaders hand to the model too.
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of shards) {
    weightData.set(s, at);
    at += s.length;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weightData.buffer,
    ...(json.format !== undefined && { format: json.format }),
    ...(json.generatedBy !== undefined && { generatedBy: json.generatedBy }),
    ...(json.convertedBy !== undefined && { convertedBy: json.convertedBy }),
    ...(json.signature !== undefined && { signature: json.signature }),
    ...(json.userDefinedMetadata !== undefined && { userDefinedMetadata: json.userDefinedMetadata }),
    ...(json.modelInitializer !== undefined && { modelInitializer: json.modelInitializer }),
  };
}

function stripIndex(name: string): string {
  return name.endsWith(':0') ? name.slice(0, -2) : name;
}

function toTensors(names: readonly string[], feeds: Record<string, TfjsTensor>): tf.Tensor[] {
  const extra = Object.keys(feeds).filter((k) => !names.includes(k));
  if (extra.length > 0) throw new Error(`Unknown input(s) ${extra.join(', ')}; the model's inputs are ${names.join(', ')}.`);
  return names.map((name) => {
    const feed = feeds[name];
    if (feed === undefined) throw new Error(`Missing input '${name}'; the model's inputs are ${names.join(', ')}.`);
    return tf.tensor(feed.data, [...feed.shape], feed.data instanceof Float32Array ? 'float32' : 'int32');
  });
}

/** Runs `execute` in a tidy scope and copies the results out, so no tensor outlives the call. */
function collect(outputNames: readonly string[], execute: () => tf.Tensor[]): Record<string, { data: Float32Array; shape: number[] }> {
  const result: Record<string, { data: Float32Array; shape: number[] }> = {};
  tf.tidy(() => {
    const outputs = execute();
    outputs.forEach((t, i) => {
      result[outputNames[i]!] = { data: Float32Array.from(t.dataSync()), shape: [...t.shape] };
    });
  });
  return result;
}

/**
 * The user-facing name of each signature output, by its tensor (`Identity_4` -> `world_3d`), the
 * rule `importTfjs` follows: the key without `:0`, unless that is the name of another node.
 */
function signatureOutputNames(artifacts: tf.io.ModelArtifacts): Map<string, string> {
  const outputs = (artifacts.signature as { outputs?: Record<string, { name?: string }> } | undefined)?.outputs ?? {};
  const nodes = new Set(((artifacts.modelTopology as { node?: { name: string }[] }).node ?? []).map((n) => n.name));
  const names = new Map<string, string>();
  for (const [key, info] of Object.entries(outputs)) {
    const tensor = stripIndex(info.name ?? key);
    const wanted = stripIndex(key);
    names.set(tensor, wanted !== tensor && nodes.has(wanted) ? tensor : wanted);
  }
  return names;
}

function graphRunner(model: GraphModel, signatureNames: ReadonlyMap<string, string>): TfjsRunner {
  const inputNodes = model.inputNodes;
  const outputNodes = model.outputNodes;
  const inputNames = inputNodes.map(stripIndex);
  const outputNames = outputNodes.map((n) => signatureNames.get(stripIndex(n)) ?? stripIndex(n));
  return {
    kind: 'graph',
    inputNames,
    outputNames,
    async run(feeds) {
      return collect(outputNames, () => {
        const tensors = toTensors(inputNames, feeds);
        const named: tf.NamedTensorMap = Object.fromEntries(inputNodes.map((n, i) => [n, tensors[i]!]));
        const out = model.execute(named, outputNodes);
        return Array.isArray(out) ? out : [out];
      });
    },
    dispose: () => model.dispose(),
  };
}

function layersRunner(model: LayersModel): TfjsRunner {
  const inputNames = [...model.inputNames];
  const outputNames = [...model.outputNames];
  return {
    kind: 'layers',
    inputNames,
    outputNames,
    async run(feeds) {
      return collect(outputNames, () => {
        const out = model.predict(toTensors(inputNames, feeds));
        return Array.isArray(out) ? out : [out];
      });
    },
    dispose: () => model.dispose(),
  };
}
