import { randomInt, type Rng } from '@motiondelta/core';
import { chance, edgeFloat, edgeInt, pick } from './fuzz-settings.js';
import type { Mutation } from './onnx-mutations.js';

/** A TF.js model as the fuzzer holds it: the parsed model.json and its shard files by path. */
export interface TfjsFiles {
  readonly json: Record<string, unknown>;
  readonly files: Map<string, Uint8Array>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface WeightEntry {
  name: Json;
  shape: Json;
  dtype: Json;
  quantization?: Json;
}
interface Group {
  paths: Json[];
  weights: WeightEntry[];
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HOSTILE_PATHS = [
  '../secret.bin',
  '../../../../etc/passwd',
  '/etc/passwd',
  '/dev/zero',
  '',
  'a\0b.bin',
  'file:///etc/passwd',
  '%2e%2e/x.bin',
  'C:\\w.bin',
  'sub/../../x.bin',
  'missing.bin',
];
const TF_DTYPES = ['DT_FLOAT', 'DT_INT32', 'DT_HALF', 'DT_BOOL', 'DT_STRING', 'DT_INT64', 'DT_WHATEVER'];
const STRINGS = [
  'SAME',
  'VALID',
  'EXPLICIT',
  'NCHW',
  'NHWC',
  'BiasAdd',
  'Relu',
  'Relu6',
  'Prelu',
  'LeakyRelu',
  'Add',
  'relu',
  'linear',
  'sigmoid',
  'softmax',
  'swish',
  'bilinear',
  'nearest',
  'channels_first',
  'channels_last',
  'same',
  'valid',
  'causal',
  '',
  '\u0000',
  'x'.repeat(300),
];
const GRAPH_OPS = [
  'Conv2D',
  '_FusedConv2D',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2dNative',
  'Conv2DBackpropInput',
  'MatMul',
  '_FusedMatMul',
  'AddN',
  'Maximum',
  'Minimum',
  'AvgPool',
  'MaxPool',
  'Mean',
  'ResizeBilinear',
  'ResizeNearestNeighbor',
  'ConcatV2',
  'Pad',
  'PadV2',
  'MirrorPad',
  'Reshape',
  'Squeeze',
  'ExpandDims',
  'Transpose',
  'Softmax',
  'Identity',
  'Add',
  'AddV2',
  'BiasAdd',
  'Sub',
  'Mul',
  'RealDiv',
  'Relu',
  'Relu6',
  'Sigmoid',
  'Tanh',
  'Const',
  'Placeholder',
  'NoOp',
  'Erf',
  'While',
  '',
];
const LAYER_CLASSES = [
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'Dense',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'Add',
  'Subtract',
  'Multiply',
  'Concatenate',
  'UpSampling2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'ZeroPadding2D',
  'Flatten',
  'Reshape',
  'Dropout',
  'InputLayer',
  'LSTM',
  'Lambda',
];
/** Layer and attribute fields whose numbers are arithmetic, not structure. */
const VALUE_KEYS = new Set([
  'epsilon',
  'alpha',
  'max_value',
  'negative_slope',
  'threshold',
  'momentum',
  'f',
  'min',
  'scale',
  'rate',
  'stddev',
]);

function base64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function groups(model: TfjsFiles): Group[] {
  const manifest = model.json['weightsManifest'];
  return Array.isArray(manifest) ? (manifest as unknown as Group[]) : [];
}

function allWeights(model: TfjsFiles): WeightEntry[] {
  return groups(model).flatMap((g) => (Array.isArray(g.weights) ? g.weights : []));
}

function graphNodes(model: TfjsFiles): JsonObject[] {
  const topology = model.json['modelTopology'] as Json;
  return isObject(topology) && Array.isArray(topology['node']) ? (topology['node'] as JsonObject[]) : [];
}

function kerasLayers(model: TfjsFiles): JsonObject[] {
  const topology = model.json['modelTopology'] as Json;
  if (!isObject(topology)) return [];
  const config = isObject(topology['model_config']) ? topology['model_config']['config'] : undefined;
  return isObject(config) && Array.isArray(config['layers']) ? (config['layers'] as JsonObject[]) : [];
}

/** A random replacement for a JSON value, usually of the same kind. */
function mutateValue(value: Json, rng: Rng): Json {
  if (chance(rng, 0.15)) return pick<Json>(rng, [null, true, 0, -1, '', [], {}, 1e308, 'garbage']);
  if (typeof value === 'number') return Number.isInteger(value) ? edgeInt(rng, value) : edgeFloat(rng, value);
  if (typeof value === 'string') return pick(rng, STRINGS);
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) {
    const copy = [...value];
    const op = randomInt(rng, 0, 3);
    if (op === 0 && copy.length > 0) copy.splice(randomInt(rng, 0, copy.length - 1), 1);
    else if (op === 1 && copy.length > 0) copy.push(copy[randomInt(rng, 0, copy.length - 1)]!);
    else if (op === 2) copy.reverse();
    else copy.push(edgeInt(rng));
    return copy;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    const copy = { ...value };
    if (keys.length > 0 && chance(rng, 0.5)) delete copy[pick(rng, keys)];
    else copy[pick(rng, ['extra', 'name', 'shape', 'dtype', 'config'])] = edgeInt(rng);
    return copy;
  }
  return edgeInt(rng);
}

/** Replaces one value somewhere under `root`, walking down from it at random. */
function mutateSomewhere(root: JsonObject, rng: Rng): { path: string; key: string } | undefined {
  let node: JsonObject | Json[] = root;
  let path = '';
  for (let depth = 0; depth < 12; depth++) {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) return undefined;
    const key = pick(rng, keys);
    const child: Json = (node as Record<string | number, Json>)[key]!;
    path += `.${key}`;
    const descend = (isObject(child) || Array.isArray(child)) && chance(rng, 0.75);
    if (!descend) {
      (node as Record<string | number, Json>)[key] = mutateValue(child, rng);
      return { path, key: String(key) };
    }
    node = child as JsonObject | Json[];
  }
  return undefined;
}

type TfjsMutator = (model: TfjsFiles, rng: Rng) => Mutation | undefined;

const MUTATORS: readonly TfjsMutator[] = [
  // Manifest: shapes (the sizes every read is derived from).
  (model, rng) => {
    const weights = allWeights(model);
    if (weights.length === 0) return undefined;
    const w = pick(rng, weights);
    const shape = Array.isArray(w.shape) ? [...w.shape] : [];
    const op = randomInt(rng, 0, 4);
    if (op === 0 && shape.length > 0) shape[randomInt(rng, 0, shape.length - 1)] = edgeInt(rng, shape[0] as number);
    else if (op === 1) shape.push(edgeInt(rng));
    else if (op === 2) shape.reverse();
    else if (op === 3 && shape.length > 0) shape.splice(randomInt(rng, 0, shape.length - 1), 1);
    else w.shape = mutateValue(w.shape, rng);
    if (op < 4) w.shape = shape;
    return { name: `weight '${String(w.name)}' shape = ${JSON.stringify(w.shape)}`, values: op === 2 };
  },
  (model, rng) => {
    const weights = allWeights(model);
    if (weights.length === 0) return undefined;
    const w = pick(rng, weights);
    if (chance(rng, 0.5)) w.dtype = pick(rng, ['float32', 'int32', 'float16', 'bool', 'string', 'complex64', 7]);
    else
      w.quantization = pick<Json>(rng, [
        { dtype: 'uint8', min: edgeFloat(rng), scale: edgeFloat(rng) },
        { dtype: 'uint16', min: -1, scale: 0.001 },
        { dtype: 'float16' },
        { dtype: 'int4' },
        null,
        'uint8',
      ]);
    return {
      name: `weight '${String(w.name)}' dtype ${JSON.stringify(w.dtype)} quantization ${JSON.stringify(w.quantization)}`,
      values: true,
    };
  },
  (model, rng) => {
    const weights = allWeights(model);
    if (weights.length < 2) return undefined;
    const a = pick(rng, weights);
    const b = pick(rng, weights);
    const op = randomInt(rng, 0, 2);
    if (op === 0) [a.name, b.name] = [b.name, a.name];
    else if (op === 1) a.name = b.name;
    else a.name = pick(rng, ['', 'x', 'ghost', '../w']);
    return { name: `weight names changed ('${String(a.name)}', '${String(b.name)}')`, values: true };
  },
  (model, rng) => {
    const g = groups(model).filter((group) => Array.isArray(group.weights) && group.weights.length > 0);
    if (g.length === 0) return undefined;
    const group = pick(rng, g);
    const i = randomInt(rng, 0, group.weights.length - 1);
    const op = randomInt(rng, 0, 2);
    if (op === 0) group.weights.splice(i, 1);
    else if (op === 1) group.weights.splice(i, 0, { ...group.weights[i]! });
    else group.weights.push(group.weights.splice(i, 1)[0]!);
    return { name: `manifest entry #${i} ${['removed', 'duplicated', 'moved last'][op]}`, values: true };
  },
  // Manifest: shard paths.
  (model, rng) => {
    const g = groups(model).filter((group) => Array.isArray(group.paths) && group.paths.length > 0);
    if (g.length === 0) return undefined;
    const group = pick(rng, g);
    const i = randomInt(rng, 0, group.paths.length - 1);
    const op = randomInt(rng, 0, 2);
    if (op === 0) group.paths[i] = pick(rng, HOSTILE_PATHS);
    else if (op === 1) group.paths.push(group.paths[i]!);
    else group.paths.splice(i, 1);
    return { name: `shard path #${i} ${['replaced', 'repeated', 'removed'][op]}: ${JSON.stringify(group.paths)}`, values: false };
  },
  // Shard bytes: changed in place (the file still fits its manifest), or cut, grown, deleted.
  (model, rng) => {
    const paths = [...model.files.keys()];
    if (paths.length === 0) return undefined;
    const path = pick(rng, paths);
    const bytes = model.files.get(path)!.slice();
    if (bytes.length === 0) return undefined;
    for (let k = randomInt(rng, 1, 16); k > 0; k--) bytes[randomInt(rng, 0, bytes.length - 1)] = randomInt(rng, 0, 255);
    model.files.set(path, bytes);
    return { name: `shard '${path}' bytes changed`, values: true };
  },
  (model, rng) => {
    const paths = [...model.files.keys()];
    if (paths.length === 0) return undefined;
    const path = pick(rng, paths);
    const bytes = model.files.get(path)!;
    const op = randomInt(rng, 0, 2);
    if (op === 0) model.files.set(path, bytes.slice(0, randomInt(rng, 0, bytes.length)));
    else if (op === 1) model.files.set(path, Uint8Array.from([...bytes, ...new Array<number>(randomInt(rng, 1, 64)).fill(0)]));
    else model.files.delete(path);
    return { name: `shard '${path}' ${['truncated', 'extended', 'deleted'][op]}`, values: true };
  },
  // Graph models: nodes.
  (model, rng) => {
    const nodes = graphNodes(model);
    if (nodes.length === 0) return undefined;
    const node = pick(rng, nodes);
    const before = node['op'];
    node['op'] = pick(rng, GRAPH_OPS);
    return { name: `node '${String(node['name'])}' op ${String(before)} -> ${String(node['op'])}`, values: true };
  },
  (model, rng) => {
    const nodes = graphNodes(model);
    if (nodes.length === 0) return undefined;
    const node = pick(rng, nodes);
    const names = nodes.map((n) => String(n['name']));
    const inputs = Array.isArray(node['input']) ? [...(node['input'] as Json[])] : [];
    const op = randomInt(rng, 0, 4);
    if (op === 0 && inputs.length > 0)
      inputs[randomInt(rng, 0, inputs.length - 1)] = pick(rng, [...names, 'ghost', `${pick(rng, names)}:1`, `^${pick(rng, names)}`]);
    else if (op === 1) inputs.push(pick(rng, names));
    else if (op === 2 && inputs.length > 0) inputs.splice(randomInt(rng, 0, inputs.length - 1), 1);
    else if (op === 3) inputs.reverse();
    else inputs.push(String(node['name']));
    node['input'] = inputs;
    return { name: `node '${String(node['name'])}' inputs = ${JSON.stringify(inputs)}`, values: false };
  },
  (model, rng) => {
    const nodes = graphNodes(model);
    if (nodes.length === 0) return undefined;
    const i = randomInt(rng, 0, nodes.length - 1);
    const op = randomInt(rng, 0, 2);
    if (op === 0) nodes.splice(i, 1);
    else if (op === 1) nodes.push({ ...nodes[i]! });
    else
      nodes[i]!['name'] = pick(
        rng,
        nodes.map((n) => String(n['name'])),
      );
    return { name: `node #${i} ${['removed', 'duplicated', 'renamed'][op]}`, values: false };
  },
  (model, rng) => {
    const nodes = graphNodes(model).filter((n) => isObject(n['attr']) && Object.keys(n['attr']).length > 0);
    if (nodes.length === 0) return undefined;
    const node = pick(rng, nodes);
    const attrs = node['attr'] as JsonObject;
    const key = pick(rng, Object.keys(attrs));
    const value = attrs[key];
    if (!isObject(value) || chance(rng, 0.1)) {
      delete attrs[key];
      return { name: `node '${String(node['name'])}' attr ${key} removed`, values: true };
    }
    let values = false;
    if ('s' in value) value['s'] = base64(pick(rng, STRINGS));
    else if ('i' in value) value['i'] = String(edgeInt(rng, Number(value['i'])));
    else if ('f' in value) {
      value['f'] = edgeFloat(rng, Number(value['f']));
      values = true;
    } else if ('b' in value) value['b'] = !value['b'];
    else if ('type' in value) value['type'] = pick(rng, TF_DTYPES);
    else if ('list' in value && isObject(value['list'])) {
      const list = value['list'];
      if (Array.isArray(list['i'])) list['i'] = (list['i'] as Json[]).map((v) => (chance(rng, 0.5) ? String(edgeInt(rng, Number(v))) : v));
      else if (Array.isArray(list['s']))
        list['s'] = [base64(pick(rng, STRINGS)), ...(chance(rng, 0.5) ? [base64(pick(rng, STRINGS))] : [])];
      else list['i'] = [String(edgeInt(rng)), String(edgeInt(rng)), String(edgeInt(rng)), String(edgeInt(rng))];
    } else if ('shape' in value && isObject(value['shape'])) {
      const dims = Array.isArray(value['shape']['dim']) ? (value['shape']['dim'] as JsonObject[]) : [];
      if (dims.length > 0) dims[randomInt(rng, 0, dims.length - 1)] = { size: String(edgeInt(rng, 8)) };
      else value['shape']['unknownRank'] = true;
    } else attrs[key] = mutateValue(value, rng);
    return { name: `node '${String(node['name'])}' attr ${key} = ${JSON.stringify(attrs[key]).slice(0, 80)}`, values };
  },
  // Layers models: layer configs, classes and connections.
  (model, rng) => {
    const layers = kerasLayers(model);
    if (layers.length === 0) return undefined;
    const layer = pick(rng, layers);
    const config = layer['config'];
    if (!isObject(config)) return undefined;
    const changed = mutateSomewhere(config, rng);
    if (changed === undefined) return undefined;
    return {
      name: `layer '${String(layer['name'])}' config${changed.path} changed`,
      values: VALUE_KEYS.has(changed.key) || changed.path.includes('activation'),
    };
  },
  (model, rng) => {
    const layers = kerasLayers(model);
    if (layers.length === 0) return undefined;
    const layer = pick(rng, layers);
    if (chance(rng, 0.5)) {
      layer['class_name'] = pick(rng, LAYER_CLASSES);
      return { name: `layer '${String(layer['name'])}' class -> ${String(layer['class_name'])}`, values: true };
    }
    const changed = isObject(layer) ? mutateSomewhere({ inbound_nodes: layer['inbound_nodes'] ?? [] } as JsonObject, rng) : undefined;
    return changed === undefined
      ? undefined
      : { name: `layer '${String(layer['name'])}' inbound_nodes${changed.path} changed`, values: false };
  },
  // Anywhere in the topology or signature.
  (model, rng) => {
    const root = pick(rng, ['modelTopology', 'signature', 'format'] as const);
    if (root === 'format') {
      model.json['format'] = pick<Json>(rng, ['graph-model', 'layers-model', 'keras', undefined as unknown as Json, 42]);
      return { name: `format = ${JSON.stringify(model.json['format'])}`, values: false };
    }
    const value = model.json[root] as Json;
    if (!isObject(value)) return undefined;
    const changed = mutateSomewhere(value, rng);
    return changed === undefined ? undefined : { name: `${root}${changed.path} changed`, values: VALUE_KEYS.has(changed.key) };
  },
];

/**
 * How often each mutator is drawn, in MUTATORS order. Manifest changes nearly always make the byte
 * counts disagree (refused at load); changes to weights' bytes, node attributes and layer configs
 * keep more models loadable, so that the run path is fuzzed as well.
 */
const WEIGHTS = [2, 1, 1, 1, 2, 4, 1, 2, 2, 1, 5, 5, 2, 2];
const DRAW = MUTATORS.flatMap((m, i) => new Array<TfjsMutator>(WEIGHTS[i] ?? 1).fill(m));

/** One to three mutations of a copy of `base`; the base is left as it is. */
export function mutateTfjs(base: TfjsFiles, rng: Rng): { model: TfjsFiles; mutations: Mutation[] } {
  const model: TfjsFiles = { json: structuredClone(base.json), files: new Map(base.files) };
  const mutations: Mutation[] = [];
  const wanted = randomInt(rng, 1, 3);
  for (let attempts = 0; mutations.length < wanted && attempts < 10; attempts++) {
    const m = pick(rng, DRAW)(model, rng);
    if (m !== undefined) mutations.push(m);
  }
  return { model, mutations };
}

/** The model.json text, sometimes damaged at the character level (cut short, a byte changed). */
export function modelJsonBytes(json: unknown, rng: Rng): { bytes: Uint8Array; mutation?: Mutation } {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  if (!chance(rng, 0.05)) return { bytes };
  if (chance(rng, 0.5)) {
    const at = randomInt(rng, 0, bytes.length - 1);
    return { bytes: bytes.slice(0, at), mutation: { name: `model.json cut at ${at}`, values: false } };
  }
  const copy = bytes.slice();
  const at = randomInt(rng, 0, copy.length - 1);
  copy[at] = randomInt(rng, 0, 255);
  return { bytes: copy, mutation: { name: `model.json byte ${at} changed`, values: true } };
}
