import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MotionDeltaError } from '@motiondelta/core';
import { expect } from 'vitest';
import { attr, buildModel, floatTensor, node } from '../../onnx/helpers/onnx-builder.js';

/** A one-Conv ONNX model (1x2x5x5 in, 3 channels out), as file bytes. */
export function tinyOnnx(): Uint8Array {
  const w = Float32Array.from({ length: 3 * 2 * 3 * 3 }, (_, i) => ((i % 7) - 3) / 10);
  return buildModel({
    opset: 13,
    inputs: [{ name: 'x', dims: [1, 2, 5, 5] }],
    outputs: ['y'],
    nodes: [node('Conv', ['x', 'w'], ['y'], [attr.ints('pads', [1, 1, 1, 1])], 'conv')],
    initializers: [floatTensor('w', [3, 2, 3, 3], w)],
  });
}

/** A TF.js graph model computing x * w, with w (64 floats) split over two shards of 128 bytes. */
export function tinyTfjs(paths: readonly [string, string] = ['group1-shard1of2.bin', 'group1-shard2of2.bin']): {
  json: Record<string, unknown>;
  files: Map<string, Uint8Array>;
} {
  const bytes = new Uint8Array(Float32Array.from({ length: 64 }, (_, i) => i / 8).buffer);
  const files = new Map([
    [paths[0], bytes.slice(0, 128)],
    [paths[1], bytes.slice(128)],
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
    weightsManifest: [{ paths: [...paths], weights: [{ name: 'w', shape: [4, 4, 4], dtype: 'float32' }] }],
  };
  return { json, files };
}

/** Bytes of a JSON value, as a model.json file holds it. */
export function jsonBytes(json: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(json));
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempFolder(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `motiondelta-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a TF.js model (model.json and its shards, at their manifest paths) into `dir`. */
export async function writeTfjs(dir: string, json: unknown, files: ReadonlyMap<string, Uint8Array>): Promise<string> {
  const path = join(dir, 'model.json');
  await writeFile(path, jsonBytes(json));
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
  return path;
}

/** Awaits `promise`, expecting a typed error of class `name` whose message mentions each string. */
export async function expectTyped(promise: Promise<unknown>, name: string, ...mentions: string[]): Promise<MotionDeltaError> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection').toBeDefined();
  expect(MotionDeltaError.isInstance(error), String(error)).toBe(true);
  expect((error as Error).name, String(error)).toBe(name);
  for (const m of mentions) expect((error as Error).message).toContain(m);
  return error as MotionDeltaError;
}
