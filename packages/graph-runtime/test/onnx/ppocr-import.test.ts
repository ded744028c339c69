import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, randomInt, uniform } from '@motiondelta/core';
import { ensureData } from '@motiondelta/data';
import { runGraphDense } from '../../src/executor/run-graph-dense.js';
import type { Graph } from '../../src/ir/graph.js';
import { importOnnx } from '../../src/import/onnx/index.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import { relativeL2 } from '../helpers/relative-l2.js';
import { nchwToNhwc, nhwcToNchw, runOnnxRuntime } from './helpers/engines.js';

/**
 * The real PP-OCRv4 detector (opset 11, weights in Constant nodes, hard-swish spelt as
 * Add/Clip/Mul/Div, nearest Resize, ConvTranspose) imported and run on the reference backend.
 */
describe('PP-OCRv4 detector import', () => {
  let bytes: Uint8Array;
  let path: string;
  let graph: Graph;

  beforeAll(async () => {
    path = (await ensureData('ppocr-det')).main;
    bytes = new Uint8Array(await readFile(path));
    graph = importOnnx(bytes, path);
  });

  it('declares an NHWC image input and output with symbolic dims as null', () => {
    expect(graph.source).toEqual({ format: 'onnx', location: path });
    expect(graph.inputs).toEqual([{ name: 'x', shape: [null, null, null, 3], dtype: 'float32', transposedFrom: 'nchw' }]);
    expect(graph.outputs).toEqual([{ name: 'sigmoid_0.tmp_0', shape: [null, null, null, 1], dtype: 'float32', transposedFrom: 'nchw' }]);
    // A pure conv net: no layout transposes are needed anywhere.
    expect(graph.nodes.filter((n) => n.op === 'Transpose')).toEqual([]);
    expect(new Set(graph.nodes.map((n) => n.name)).size).toBe(graph.nodes.length);
  });

  /**
   * A seeded 64x96 page: light paper noise with rows of dark vertical strokes, ImageNet-normalised.
   * Pure noise makes the detector answer ~0 everywhere, where onnxruntime's approximate sigmoid
   * flushes to exactly 0 and a relative error would measure nothing but that approximation.
   */
  function textLikeInput(seed: number, h: number, w: number): { data: Float32Array; shape: number[] } {
    const rng = createRng(seed);
    const page = new Float32Array(h * w).map(() => uniform(rng, 0.85, 1));
    for (let word = 0; word < 6; word++) {
      const top = randomInt(rng, 2, h - 12);
      const left = randomInt(rng, 2, w - 34);
      for (let stroke = 0; stroke < 5; stroke++) {
        for (let y = top; y < top + 9; y++) {
          for (let x = left + stroke * 6; x < left + stroke * 6 + 2; x++) page[y * w + x] = uniform(rng, 0, 0.15);
        }
      }
    }
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const data = new Float32Array(3 * h * w);
    for (let c = 0; c < 3; c++) for (let i = 0; i < h * w; i++) data[c * h * w + i] = (page[i]! - mean[c]!) / std[c]!;
    return { data, shape: [1, 3, h, w] };
  }

  it('matches onnxruntime-node on a 1x3x64x96 text-like input', async () => {
    const x = textLikeInput(2024, 64, 96);
    const expected = (await runOnnxRuntime(bytes, { x }))['sigmoid_0.tmp_0']!;
    // The comparison only means something if the detector actually fires somewhere.
    expect(Math.max(...expected.data)).toBeGreaterThan(0.5);
    const actual = (await runGraphDense(graph, { x: nchwToNhwc(x) }, new ReferenceBackend()))['sigmoid_0.tmp_0']!;
    const ours = nhwcToNchw(actual);
    expect(ours.shape).toEqual(expected.shape);
    expect(relativeL2(ours.data, expected.data)).toBeLessThanOrEqual(1e-4);
  });
});
