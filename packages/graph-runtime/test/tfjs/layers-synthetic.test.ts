import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng, randomFloat32, sizeOf } from '@motiondelta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { importTfjs } from '../../src/import/tfjs/index.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { relativeL2 } from '../helpers/relative-l2.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A functional model touching the layer classes the real models do not use. */
function buildModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [12, 10, 3], name: 'image' });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;
  const c1 = apply(tfl.layers.conv2d({ name: 'c1', filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), input);
  const bn = apply(tfl.layers.batchNormalization({ name: 'bn', epsilon: 1e-3 }), c1);
  const dw = apply(tfl.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6' }), bn);
  const sep = apply(tfl.layers.separableConv2d({ name: 'sep', filters: 16, kernelSize: 3, padding: 'same', activation: 'sigmoid' }), bn);
  const sum = apply(tfl.layers.add({ name: 'sum' }), [dw, sep]);
  const prelu = apply(tfl.layers.prelu({ name: 'prelu', sharedAxes: [1, 2] }), sum);
  const prod = apply(tfl.layers.multiply({ name: 'prod' }), [prelu, dw]);
  const up = apply(tfl.layers.conv2dTranspose({ name: 'up', filters: 5, kernelSize: 3, strides: 2, padding: 'same' }), prod);
  const leaky = apply(tfl.layers.leakyReLU({ name: 'leaky', alpha: 0.1 }), up);
  const capped = apply(tfl.layers.reLU({ name: 'capped', maxValue: 0.5 }), up);
  const cat = apply(tfl.layers.concatenate({ name: 'cat', axis: -1 }), [leaky, capped]);
  const padded = apply(
    tfl.layers.zeroPadding2d({
      name: 'padded',
      padding: [
        [1, 0],
        [0, 2],
      ],
    }),
    cat,
  );
  const pooled = apply(tfl.layers.maxPooling2d({ name: 'pooled', poolSize: 2 }), padded);
  const avg = apply(tfl.layers.averagePooling2d({ name: 'avg', poolSize: 3, strides: 1, padding: 'same' }), pooled);
  const bilinear = apply(tfl.layers.upSampling2d({ name: 'bilinear', size: [2, 2], interpolation: 'bilinear' }), avg);
  const gap = apply(tfl.layers.globalAveragePooling2d({ name: 'gap' }), bilinear);
  const drop = apply(tfl.layers.dropout({ name: 'drop', rate: 0.5 }), gap);
  const dense = apply(tfl.layers.dense({ name: 'dense', units: 4, activation: 'softmax' }), drop);
  const flat = apply(tfl.layers.flatten({ name: 'flat' }), avg);
  const hs = apply(tfl.layers.activation({ name: 'hs', activation: 'hardSigmoid' }), flat);
  return tfl.model({ inputs: input, outputs: [dense, hs], name: 'synthetic' });
}

async function saveArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

describe('TF.js layers importer on a generated functional model', () => {
  it('matches tfjs-layers predict for every output (conv family, BN, merges, pools, resize, dense)', async () => {
    const rng = createRng(99);
    const model = buildModel();
    // Seeded weights; variances kept positive, as trained BN statistics are.
    model.setWeights(
      model.weights.map((w) => {
        const lo = w.name.includes('moving_variance') ? 0.5 : -0.5;
        return tf.tensor(randomFloat32(rng, sizeOf(w.shape as number[]), lo, lo + 1), w.shape as number[]);
      }),
    );
    const artifacts = await saveArtifacts(model);
    const json = {
      format: 'layers-model',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    const bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const graph = await importTfjs(json, async () => bytes, 'synthetic.json');
    expect(graph.inputs).toEqual([{ name: 'image', shape: [null, 12, 10, 3], dtype: 'float32' }]);
    expect(graph.outputs.map((o) => o.name)).toEqual(model.outputNames);
    // Shapes the Keras config does not state, inferred by planning: batch unknown, the rest fixed.
    expect(graph.outputs.map((o) => o.shape)).toEqual(model.outputs.map((t) => t.shape));

    const shape = [2, 12, 10, 3];
    const x = randomFloat32(rng, sizeOf(shape), -1, 1);
    const ours = await runGraphDense(graph, { image: { data: x, shape } }, new ReferenceBackend());
    const input = tf.tensor(x, shape);
    const theirs = model.predict(input) as tf.Tensor[];
    model.outputNames.forEach((name, i) => {
      const ref = theirs[i]!;
      expect(ours[name]!.shape).toEqual(ref.shape);
      expect(relativeL2(ours[name]!.data, ref.dataSync() as Float32Array)).toBeLessThanOrEqual(1e-4);
    });
    tf.dispose([input, ...theirs]);
    model.dispose();
  });
});
