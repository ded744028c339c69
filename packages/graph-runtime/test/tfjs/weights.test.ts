import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ModelFormatError, UnsupportedOpError, createRng, randomInt } from '@motiondelta/core';
import type { Rng } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTfjs } from '../../src/import/tfjs/index.js';
import { parseModelJson } from '../../src/import/tfjs/model-json.js';
import { loadWeights } from '../../src/import/tfjs/weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Entry = tf.io.WeightsManifestEntry;

/** Random bytes that decode to finite values for every entry (float16 NaN/Inf patterns avoided). */
function encode(entries: readonly Entry[], rng: Rng): Uint8Array {
  const chunks = entries.map((e) => {
    const n = e.shape.reduce((a, b) => a * b, 1);
    const q = e.quantization?.dtype;
    if (q === 'float16') {
      const bits = new Uint16Array(n);
      for (let i = 0; i < n; i++) bits[i] = (randomInt(rng, 0, 1) << 15) | (randomInt(rng, 0, 30) << 10) | randomInt(rng, 0, 1023);
      return new Uint8Array(bits.buffer);
    }
    if (q === 'uint8' || q === 'uint16') {
      const bytes = new Uint8Array(n * (q === 'uint8' ? 1 : 2));
      for (let i = 0; i < bytes.length; i++) bytes[i] = randomInt(rng, 0, 255);
      return bytes;
    }
    if (e.dtype === 'int32') return new Uint8Array(Int32Array.from({ length: n }, () => randomInt(rng, -1000, 1000)).buffer);
    return new Uint8Array(Float32Array.from({ length: n }, () => rng.next() * 4 - 2).buffer);
  });
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const GROUP_A: Entry[] = [
  { name: 'a/f32', shape: [3, 5], dtype: 'float32' },
  { name: 'a/f16', shape: [7, 3], dtype: 'float32', quantization: { dtype: 'float16' } },
  { name: 'a/u8', shape: [2, 9], dtype: 'float32', quantization: { dtype: 'uint8', min: -0.73, scale: 0.0117 } },
  { name: 'a/i32', shape: [4], dtype: 'int32' },
];
const GROUP_B: Entry[] = [
  { name: 'b/u16', shape: [5, 5], dtype: 'float32', quantization: { dtype: 'uint16', min: -1.5, scale: 0.00004 } },
  { name: 'b/u8int', shape: [6], dtype: 'int32', quantization: { dtype: 'uint8', min: -10, scale: 0.3 } },
  { name: 'b/f16', shape: [33], dtype: 'float32', quantization: { dtype: 'float16' } },
];

/** Cuts `bytes` into shards at seeded positions, deliberately through the middle of weights. */
function shard(bytes: Uint8Array, count: number, rng: Rng): Uint8Array[] {
  const cuts = Array.from({ length: count - 1 }, () => randomInt(rng, 1, bytes.length - 1)).sort((a, b) => a - b);
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, i) => bytes.slice(edges[i]!, end));
}

describe('TF.js weight decoding', () => {
  it('decodes float32, int32, float16, uint8 and uint16 across cut shards exactly as tf.io.decodeWeights', async () => {
    const rng = createRng(1234);
    const bytesA = encode(GROUP_A, rng);
    const bytesB = encode(GROUP_B, rng);
    const files = new Map<string, Uint8Array>();
    const shardsA = shard(bytesA, 3, rng);
    shardsA.forEach((s, i) => files.set(`groupA-shard${i + 1}of3.bin`, s));
    files.set('groupB-shard1of1.bin', bytesB);
    const manifest = parseModelJson(
      {
        format: 'graph-model',
        modelTopology: { node: [] },
        weightsManifest: [
          { paths: [...files.keys()].slice(0, 3), weights: GROUP_A },
          { paths: ['groupB-shard1of1.bin'], weights: GROUP_B },
        ],
      },
      'generated.json',
    ).weightsManifest;
    const ours = await loadWeights(manifest, async (p) => files.get(p)!, 'generated.json');

    const all = new Uint8Array(bytesA.length + bytesB.length);
    all.set(bytesA);
    all.set(bytesB, bytesA.length);
    const theirs = tf.io.decodeWeights(all.buffer, [...GROUP_A, ...GROUP_B]);
    expect([...ours.keys()]).toEqual(Object.keys(theirs));
    for (const [name, w] of ours) {
      const ref = theirs[name]!;
      expect(w.dtype).toBe(ref.dtype);
      expect(w.tensor.shape).toEqual(ref.shape);
      expect(Array.from(w.tensor.data)).toEqual(Array.from(ref.dataSync()));
    }
    tf.dispose(Object.values(theirs));
  });
});

/** A one-Const graph model whose weight group is split into two shards. */
function constModel(): { json: unknown; files: Map<string, Uint8Array> } {
  const bytes = new Uint8Array(Float32Array.from({ length: 64 }, (_, i) => i).buffer);
  const files = new Map([
    ['group1-shard1of2.bin', bytes.slice(0, 128)],
    ['group1-shard2of2.bin', bytes.slice(128)],
  ]);
  const json = {
    format: 'graph-model',
    modelTopology: {
      node: [
        {
          name: 'x',
          op: 'Placeholder',
          attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: '4' }, { size: '4' }, { size: '4' }] } } },
        },
        { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
        { name: 'y', op: 'Mul', input: ['x', 'w'] },
      ],
    },
    weightsManifest: [{ paths: [...files.keys()], weights: [{ name: 'w', shape: [4, 4, 4], dtype: 'float32' }] }],
  };
  return { json, files };
}

async function importError(json: unknown, files: ReadonlyMap<string, Uint8Array>): Promise<unknown> {
  return importTfjs(
    json,
    async (p) => {
      const f = files.get(p);
      if (f === undefined) throw new Error(`ENOENT: no such file '${p}'`);
      return f;
    },
    'models/test.json',
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('TF.js import errors', () => {
  it('imports the well-formed test model (the baseline the error cases break)', async () => {
    const { json, files } = constModel();
    const graph = await importTfjs(json, async (p) => files.get(p)!, 'models/test.json');
    expect(graph.nodes.map((n) => [n.op, n.inputs])).toEqual([['Mul', ['x', 'w']]]);
    expect(Array.from(graph.constants.get('w')!.data)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('names a missing shard and the model file', async () => {
    const { json, files } = constModel();
    files.delete('group1-shard2of2.bin');
    const error = await importError(json, files);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'group1-shard2of2.bin'");
    expect((error as Error).message).toContain('models/test.json');
  });

  it('names a truncated shard', async () => {
    const { json, files } = constModel();
    files.set('group1-shard1of2.bin', files.get('group1-shard1of2.bin')!.slice(0, 100));
    const error = await importError(json, files);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("shard 'group1-shard1of2.bin' is truncated");
  });

  it('names what is missing from a malformed model.json', async () => {
    const error = await importError({ format: 'graph-model', weightsManifest: [] }, new Map());
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'modelTopology' is missing");
  });

  it('rejects an unsupported graph op with UnsupportedOpError naming the node', async () => {
    const { json, files } = constModel();
    const nodes = (json as { modelTopology: { node: { op: string }[] } }).modelTopology.node;
    nodes[2]!.op = 'NonMaxSuppressionV5';
    const error = await importError(json, files);
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ op: 'NonMaxSuppressionV5', node: 'y' });
  });

  it('rejects NCHW data_format with UnsupportedOpError naming the node', async () => {
    const { json, files } = constModel();
    const nodes = (json as { modelTopology: { node: Record<string, unknown>[] } }).modelTopology.node;
    nodes[2] = { name: 'y', op: 'BiasAdd', input: ['x', 'w'], attr: { data_format: { s: btoa('NCHW') } } };
    const error = await importError(json, files);
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ op: 'BiasAdd', node: 'y' });
    expect((error as Error).message).toContain("data_format 'NCHW'");
  });

  it('rejects an unsupported layer class with UnsupportedOpError naming the layer', async () => {
    const json = {
      format: 'layers-model',
      modelTopology: {
        model_config: {
          class_name: 'Functional',
          config: {
            layers: [
              { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 8, 8, 3] }, inbound_nodes: [] },
              { class_name: 'LSTM', name: 'memory', config: { name: 'memory', units: 4 }, inbound_nodes: [[['in', 0, 0, {}]]] },
            ],
            input_layers: [['in', 0, 0]],
            output_layers: [['memory', 0, 0]],
          },
        },
      },
      weightsManifest: [],
    };
    const error = await importError(json, new Map());
    expect(UnsupportedOpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ op: 'LSTM', node: 'memory' });
  });
});
