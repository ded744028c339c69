import { describe, expect, it } from 'vitest';
import { InputError, ModelFormatError, UnsupportedOpError } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import { importTfjs } from '../../src/import/tfjs/index.js';

/**
 * What a TF.js graph model's signature and Placeholders give users: output names (the signature
 * key, found through its tensor `name`), and int32 / uint8 inputs converted at the boundary.
 */

type TfNodeJson = { name: string; op: string; input?: string[]; attr?: Record<string, unknown> };

const dims = (shape: readonly number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });

function placeholder(name: string, dtype: string, shape: readonly number[]): TfNodeJson {
  return { name, op: 'Placeholder', attr: { dtype: { type: dtype }, shape: { shape: dims(shape) } } };
}

/** A graph model with no weights. */
function model(nodes: readonly TfNodeJson[], signature?: object) {
  return {
    format: 'graph-model',
    modelTopology: { node: nodes, versions: { producer: 1 }, library: {} },
    weightsManifest: [],
    ...(signature && { signature }),
  };
}

const noWeights = async () => new Uint8Array(0);

describe('TF.js graph model signature outputs', () => {
  it('finds each output through its tensor name and names it after the key', async () => {
    const json = model(
      [
        placeholder('x', 'DT_FLOAT', [1, 2, 2, 1]),
        { name: 'Identity', op: 'Relu', input: ['x'] },
        { name: 'Identity_1', op: 'Sigmoid', input: ['x'] },
      ],
      {
        outputs: {
          heatmap: { name: 'Identity:0', dtype: 'DT_FLOAT' },
          // A key that is a tensor name itself keeps that name (without :0).
          'Identity_1:0': { name: 'Identity_1:0', dtype: 'DT_FLOAT' },
        },
      },
    );
    const graph = await importTfjs(json, noWeights, '<signature>');
    expect(graph.outputs.map((o) => o.name)).toEqual(['heatmap', 'Identity_1']);
    const out = await runGraphDense(graph, { x: { data: Float32Array.from([-1, 2, -3, 4]), shape: [1, 2, 2, 1] } }, new ReferenceBackend());
    expect([...out['heatmap']!.data]).toEqual([0, 2, 0, 4]);
  });

  it('keeps the tensor name when the key names another node', async () => {
    const json = model(
      [placeholder('x', 'DT_FLOAT', [1, 1, 1, 1]), { name: 'a', op: 'Relu', input: ['x'] }, { name: 'b', op: 'Tanh', input: ['a'] }],
      { outputs: { a: { name: 'b:0' } } },
    );
    const graph = await importTfjs(json, noWeights, '<collision>');
    expect(graph.outputs.map((o) => o.name)).toEqual(['b']);
  });

  it('says which signature output names a missing tensor', async () => {
    const json = model([placeholder('x', 'DT_FLOAT', [1, 1, 1, 1])], { outputs: { world_3d: { name: 'Identity_4:0' } } });
    await expect(importTfjs(json, noWeights, '<missing>')).rejects.toThrow(ModelFormatError);
    await expect(importTfjs(json, noWeights, '<missing>')).rejects.toThrow("'Identity_4' (signature output 'world_3d')");
  });
});

describe('TF.js graph model integer inputs', () => {
  const cast = (input: string): TfNodeJson => ({
    name: 'cast',
    op: 'Cast',
    input: [input],
    attr: { SrcT: { type: 'DT_INT32' }, DstT: { type: 'DT_FLOAT' } },
  });

  it('declares int32 and uint8 inputs and converts them to float where the model casts them', async () => {
    for (const [tfDtype, dtype, array] of [
      ['DT_INT32', 'int32', Int32Array.from([0, 255, -7, 1 << 20])],
      ['DT_UINT8', 'uint8', Uint8Array.from([0, 255, 7, 128])],
    ] as const) {
      const json = model([placeholder('x', tfDtype, [1, 2, 2, 1]), cast('x'), { name: 'y', op: 'Relu', input: ['cast'] }]);
      const graph = await importTfjs(json, noWeights, '<int input>');
      expect(graph.inputs).toEqual([{ name: 'x', shape: [1, 2, 2, 1], dtype }]);
      const out = await runGraphDense(graph, { x: { data: array, shape: [1, 2, 2, 1] } }, new ReferenceBackend());
      expect([...out['y']!.data]).toEqual([...array].map((v) => Math.max(v, 0)));
    }
  });

  it('refuses another typed array for an integer input, naming the one it takes', async () => {
    const graph = await importTfjs(model([placeholder('x', 'DT_INT32', [1, 1, 1, 2]), cast('x')]), noWeights, '<int input>');
    const run = (data: unknown) => runGraphDense(graph, { x: { data: data as Float32Array, shape: [1, 1, 1, 2] } }, new ReferenceBackend());
    await expect(run(new Float32Array(2))).rejects.toThrow(InputError);
    await expect(run(new Float32Array(2))).rejects.toThrow(/Int32Array \(the model declares it int32\)/);
    await expect(run(new Uint8Array(2))).rejects.toThrow(InputError);
  });

  it('refuses an integer input read as integers by anything but a Cast to float', async () => {
    const json = model([placeholder('x', 'DT_INT32', [1, 1, 1, 1]), { name: 'y', op: 'Relu', input: ['x'] }]);
    await expect(importTfjs(json, noWeights, '<int relu>')).rejects.toThrow(UnsupportedOpError);
    await expect(importTfjs(json, noWeights, '<int relu>')).rejects.toThrow(/reads the DT_INT32 graph input 'x' as integers/);
  });

  it('refuses input dtypes it cannot convert, listing the accepted ones', async () => {
    const json = model([placeholder('x', 'DT_HALF', [1, 1, 1, 1])]);
    await expect(importTfjs(json, noWeights, '<half>')).rejects.toThrow(/DT_HALF \(accepted: DT_FLOAT, DT_INT32, DT_UINT8\)/);
  });
});
