import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedOpError, createRng, randomFloat32, sizeOf } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { importTfjs } from '../../src/import/tfjs/index.js';
import { relativeL2 } from '../helpers/relative-l2.js';

/**
 * The elementwise activations of TF.js models (graph ops Elu ... Pow, and the tfjs-layers
 * activation names), imported and run on the reference backend against tfjs itself.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type TfNodeJson = { name: string; op: string; input?: string[]; attr?: Record<string, unknown> };

const X_SHAPE = [1, 5, 6, 3];
const FLOAT = { type: 'DT_FLOAT' };

/** A graph model with scalar float constants (name -> value) and the given nodes after Placeholder x. */
function graphModel(scalars: Record<string, number>, nodes: readonly TfNodeJson[]) {
  const consts: TfNodeJson[] = Object.keys(scalars).map((name) => ({ name, op: 'Const', attr: { dtype: FLOAT } }));
  const x: TfNodeJson = {
    name: 'x',
    op: 'Placeholder',
    attr: { dtype: FLOAT, shape: { shape: { dim: X_SHAPE.map((d) => ({ size: String(d) })) } } },
  };
  const weights = Object.keys(scalars).map((name) => ({ name, shape: [], dtype: 'float32' as const }));
  const bytes = new Uint8Array(Float32Array.from(Object.values(scalars)).buffer);
  const json = {
    format: 'graph-model',
    modelTopology: { node: [x, ...consts, ...nodes], versions: { producer: 1 }, library: {} },
    weightsManifest: [{ paths: ['w.bin'], weights }],
  };
  return { json, bytes };
}

async function expectGraphMatchesTfjs(model: ReturnType<typeof graphModel>, outputs: readonly string[]): Promise<void> {
  const x = { data: randomFloat32(createRng(41), sizeOf(X_SHAPE), -3, 3), shape: X_SHAPE };
  const tfModel = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: model.json.modelTopology,
      weightSpecs: model.json.weightsManifest[0]!.weights,
      weightData: model.bytes.buffer,
    }),
  );
  const expected = tf.tidy(() => {
    const out = tfModel.execute({ x: tf.tensor(x.data, X_SHAPE) }, [...outputs]) as tf.Tensor[];
    return out.map((t) => Float32Array.from(t.dataSync()));
  });
  const graph = await importTfjs(model.json, async () => model.bytes, '<test model>');
  const actual = await runGraphDense(graph, { x }, new ReferenceBackend());
  outputs.forEach((name, i) => {
    expect(actual[name], `output '${name}'`).toBeDefined();
    expect(relativeL2(actual[name]!.data, expected[i]!), `error of '${name}'`).toBeLessThanOrEqual(1e-5);
  });
}

const op = (name: string, kind: string, inputs: string[]): TfNodeJson => ({ name, op: kind, input: inputs, attr: { T: FLOAT } });

describe('TF.js graph unary ops against tfjs-converter', () => {
  // Softsign is mapped too, but tfjs-converter cannot execute it, so it has no oracle here.
  it('Elu, Selu, Softplus, Abs, Neg, Exp, Erf, Square, Floor, Ceil, Round on any input', async () => {
    const kinds = ['Elu', 'Selu', 'Softplus', 'Abs', 'Neg', 'Exp', 'Erf', 'Square', 'Floor', 'Ceil', 'Round'];
    const model = graphModel(
      {},
      kinds.map((k) => op(k.toLowerCase(), k, ['x'])),
    );
    await expectGraphMatchesTfjs(
      model,
      kinds.map((k) => k.toLowerCase()),
    );
  });

  it('Log, Sqrt, Rsqrt, Reciprocal and Pow by constant scalars on positive values (exp of the input)', async () => {
    const model = graphModel({ half: 0.5, three: 3 }, [
      op('pos', 'Exp', ['x']),
      op('log', 'Log', ['pos']),
      op('sqrt', 'Sqrt', ['pos']),
      op('rsqrt', 'Rsqrt', ['pos']),
      op('reciprocal', 'Reciprocal', ['pos']),
      op('pow_half', 'Pow', ['pos', 'half']),
      op('pow_three', 'Pow', ['x', 'three']),
    ]);
    await expectGraphMatchesTfjs(model, ['log', 'sqrt', 'rsqrt', 'reciprocal', 'pow_half', 'pow_three']);
  });

  it('refuses Pow by a computed exponent with UnsupportedOpError', async () => {
    const model = graphModel({}, [op('e', 'Abs', ['x']), op('p', 'Pow', ['x', 'e'])]);
    await expect(importTfjs(model.json, async () => model.bytes, '<test model>')).rejects.toSatisfy(
      (e: unknown) => UnsupportedOpError.isInstance(e) && /exponent/.test((e as Error).message),
    );
  });
});

describe('tfjs-layers activation names', () => {
  it('elu, selu, softplus, softsign, gelu, gelu_new and swish fuse into Conv2D and match predict', async () => {
    const names = ['elu', 'selu', 'softplus', 'softsign', 'gelu', 'gelu_new', 'swish'] as const;
    const input = tfl.input({ shape: [6, 5, 3], name: 'image' });
    const outputs = names.map(
      (activation) =>
        tfl.layers
          .conv2d({ name: `conv_${activation}`, filters: 4, kernelSize: 3, padding: 'same', activation: activation as 'elu' })
          .apply(input) as tfl.SymbolicTensor,
    );
    // tfjs-layers' ELU layer refuses any alpha but 1.
    const elu = tfl.layers.elu({ name: 'elu_layer' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: [...outputs, elu] });
    const rng = createRng(43);
    model.setWeights(model.weights.map((w) => tf.tensor(randomFloat32(rng, sizeOf(w.shape as number[]), -1, 1), w.shape as number[])));
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const json = {
      format: 'layers-model',
      modelTopology: artifacts!.modelTopology,
      weightsManifest: [{ paths: ['w.bin'], weights: artifacts!.weightSpecs }],
    };
    const bytes = new Uint8Array(artifacts!.weightData as ArrayBuffer);
    const graph = await importTfjs(json, async () => bytes, 'activations.json');
    // Every activation is fused: one Conv2D per output, no separate Activation, Sigmoid or Mul nodes.
    expect(graph.nodes.filter((n) => n.op !== 'Conv2D').map((n) => n.op)).toEqual(['Activation']);

    const shape = [2, 6, 5, 3];
    const x = randomFloat32(rng, sizeOf(shape), -2, 2);
    const ours = await runGraphDense(graph, { image: { data: x, shape } }, new ReferenceBackend());
    const xt = tf.tensor(x, shape);
    const theirs = model.predict(xt) as tf.Tensor[];
    model.outputNames.forEach((name, i) => {
      expect(relativeL2(ours[name]!.data, theirs[i]!.dataSync() as Float32Array), name).toBeLessThanOrEqual(1e-4);
    });
    tf.dispose([xt, ...theirs]);
    model.dispose();
  });
});
