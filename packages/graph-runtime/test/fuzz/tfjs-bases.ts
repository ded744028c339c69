import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng, randomFloat32, sizeOf } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import type { TfjsFiles } from './tfjs-mutations.js';

/** A TF.js model to mutate, and the size to give its unknown dimensions when running it. */
export interface TfjsBase extends TfjsFiles {
  readonly name: string;
  readonly unknownDim: number;
}

/** A catalogued real model, read whole (model.json and every shard of its manifest). */
async function realModel(id: 'posenet' | 'selfie' | 'esrgan-x2', unknownDim: number): Promise<TfjsBase> {
  const path = (await ensureData(id)).main;
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const files = new Map<string, Uint8Array>();
  for (const group of json['weightsManifest'] as { paths: string[] }[]) {
    for (const p of group.paths) files.set(p, new Uint8Array(await readFile(join(dirname(path), p))));
  }
  return { name: id, json, files, unknownDim };
}

/**
 * PoseNet with its input fixed at 17x17 instead of 385x385 (the Placeholder and the signature): the
 * same topology and weights, but a dense run takes milliseconds instead of seconds.
 */
function shrinkPosenet(base: TfjsBase): TfjsBase {
  const json = structuredClone(base.json);
  const small = { dim: [{ size: '1' }, { size: '17' }, { size: '17' }, { size: '3' }] };
  const topology = json['modelTopology'] as { node: { op: string; attr?: Record<string, { shape?: unknown }> }[] };
  for (const node of topology.node) if (node.op === 'Placeholder' && node.attr?.['shape'] !== undefined) node.attr['shape'].shape = small;
  const inputs = (json['signature'] as { inputs?: Record<string, { tensorShape?: unknown }> }).inputs ?? {};
  for (const input of Object.values(inputs)) input.tensorShape = small;
  return { ...base, name: 'posenet (17x17 input)', json };
}

/** A small Keras functional model over the layer classes the real models do not use, seeded weights. */
async function syntheticLayers(): Promise<TfjsBase> {
  await tf.setBackend('cpu');
  const input = tfl.input({ shape: [null, null, 3] as unknown as number[], name: 'image' });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const c1 = apply(tfl.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), input);
  const bn = apply(tfl.layers.batchNormalization({ name: 'bn', epsilon: 1e-3 }), c1);
  const dw = apply(tfl.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', activation: 'relu6' }), bn);
  const sep = apply(tfl.layers.separableConv2d({ name: 'sep', filters: 4, kernelSize: 3, padding: 'same', activation: 'sigmoid' }), bn);
  const sum = apply(tfl.layers.add({ name: 'sum' }), [dw, sep]);
  const prelu = apply(tfl.layers.prelu({ name: 'prelu', sharedAxes: [1, 2] }), sum);
  const up = apply(tfl.layers.conv2dTranspose({ name: 'up', filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), prelu);
  const pooled = apply(tfl.layers.maxPooling2d({ name: 'pooled', poolSize: 2 }), up);
  const cat = apply(tfl.layers.concatenate({ name: 'cat', axis: -1 }), [pooled, c1]);
  const padded = apply(tfl.layers.zeroPadding2d({ name: 'padded', padding: 1 }), cat);
  const avg = apply(tfl.layers.averagePooling2d({ name: 'avg', poolSize: 3, strides: 1 }), padded);
  const upsampled = apply(tfl.layers.upSampling2d({ name: 'upsampled', size: [2, 2] }), avg);
  const gap = apply(tfl.layers.globalAveragePooling2d({ name: 'gap' }), upsampled);
  const dense = apply(tfl.layers.dense({ name: 'dense', units: 3, activation: 'softmax' }), gap);
  const model = tfl.model({ inputs: input, outputs: [dense, upsampled], name: 'fuzz_synthetic' });
  const rng = createRng(14);
  model.setWeights(
    model.weights.map((w) => {
      const lo = w.name.includes('moving_variance') ? 0.5 : -0.5;
      return tf.tensor(randomFloat32(rng, sizeOf(w.shape as number[]), lo, lo + 1), w.shape as number[]);
    }),
  );
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  const json = {
    format: 'layers-model',
    modelTopology: artifacts!.modelTopology as Record<string, unknown>,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }],
  };
  return {
    name: 'synthetic layers model',
    json,
    files: new Map([['weights.bin', new Uint8Array(artifacts!.weightData as ArrayBuffer)]]),
    unknownDim: 8,
  };
}

/** Every base of the TF.js fuzz target. Selfie keeps its fixed 256x256 input: its runs are rationed. */
export async function tfjsBases(): Promise<{ bases: TfjsBase[]; largeInput: ReadonlySet<string> }> {
  const bases = [
    shrinkPosenet(await realModel('posenet', 17)),
    await realModel('selfie', 256),
    await realModel('esrgan-x2', 8),
    await syntheticLayers(),
  ];
  return { bases, largeInput: new Set(['selfie']) };
}
