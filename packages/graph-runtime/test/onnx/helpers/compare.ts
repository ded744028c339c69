import { expect } from 'vitest';
import type { Tensor } from '@motiondelta/core';
import { runGraphDense } from '../../../src/executor/run-graph-dense.js';
import { importOnnx } from '../../../src/import/onnx/index.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { nchwToNhwc, nhwcToNchw, runOnnxRuntime } from './engines.js';
import { relativeL2 } from '../../helpers/relative-l2.js';

export interface OnnxFeeds {
  /** Inputs in ONNX layout (NCHW for 4-D). */
  readonly [name: string]: { data: Float32Array; shape: readonly number[] };
}

/**
 * Runs `model` in onnxruntime-node and through importOnnx + runGraphDense on the reference
 * backend, and checks every output's relative L2 error. `plainOutputs` lists 4-D outputs the
 * importer is expected to leave in ONNX layout (after a Reshape, Transpose...).
 */
export async function expectMatchesOnnxRuntime(
  model: Uint8Array,
  feeds: OnnxFeeds,
  options: { tolerance?: number; plainOutputs?: readonly string[]; location?: string } = {},
): Promise<void> {
  const tolerance = options.tolerance ?? 1e-4;
  const expected = await runOnnxRuntime(model, feeds);
  const graph = importOnnx(model, options.location ?? '<test model>');
  const ourFeeds: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(feeds))
    ourFeeds[name] = t.shape.length === 4 ? nchwToNhwc(t) : { data: t.data, shape: [...t.shape] };
  const actual = await runGraphDense(graph, ourFeeds, new ReferenceBackend());
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  // The layout marker tells users what the test knows: which 4-D values MotionDelta holds NHWC.
  for (const info of graph.inputs)
    expect(info.transposedFrom, `layout marker of input '${info.name}'`).toBe(info.shape.length === 4 ? 'nchw' : undefined);
  for (const info of graph.outputs) {
    const nhwc = expected[info.name]?.shape.length === 4 && !(options.plainOutputs ?? []).includes(info.name);
    expect(info.transposedFrom, `layout marker of output '${info.name}'`).toBe(nhwc ? 'nchw' : undefined);
  }
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name]!;
    const plain = want.shape.length !== 4 || (options.plainOutputs ?? []).includes(name);
    const ours = plain ? { data: got.data, shape: [...got.shape] } : nhwcToNchw(got);
    expect(ours.shape, `shape of output '${name}'`).toEqual(want.shape);
    const error = relativeL2(ours.data, want.data);
    expect(error, `relative L2 error of output '${name}'`).toBeLessThanOrEqual(tolerance);
  }
}
