import type { Backend, DenseKernelCall, Tensor } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import type { Graph } from '../../src/ir/graph.js';
import { planGraph } from '../../src/shape/plan-graph.js';

/** Ops that mix a whole map (or leave the frame's grid): recomputed in full every frame. */
const GLOBAL_OPS = new Set([
  'GlobalAvgPool',
  'Reduce',
  'MatMul',
  'Gemm',
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'Slice',
]);

/**
 * Block mode's semantics written from docs/architecture/block-mode.md, not from the session: every
 * node keeps its output map; each frame, per node in graph order, the op runs densely on its
 * inputs' maps as they are (current where their producer updated them, earlier elsewhere), and
 * its map takes that result at the pixels an executed block overlaps (a node's output pixel y
 * covers input rows [y H / Ho, (y + 1) H / Ho)) and keeps its old values everywhere else. Global
 * nodes (and maps of one pixel or not NHWC) take the whole result. Graph inputs are the current
 * frame everywhere. The first frame takes every result.
 */
export class BlockSimulator {
  readonly #graph: Graph;
  readonly #blockSize: number;
  readonly #backend: Backend;
  #maps: Map<string, Tensor> | undefined;

  constructor(graph: Graph, blockSize: number, backend: Backend = new ReferenceBackend()) {
    this.#graph = graph;
    this.#blockSize = blockSize;
    this.#backend = backend;
  }

  /** Runs a frame with the executed blocks (row-major; undefined: all of them, a keyframe). */
  async step(inputs: Readonly<Record<string, Tensor>>, executed: Uint8Array | undefined): Promise<Record<string, Tensor>> {
    const graph = this.#graph;
    const plan = planGraph(graph, Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape])));
    const image = graph.inputs.find((i) => i.shape.length === 4)!.name;
    const [, H, W] = inputs[image]!.shape as [number, number, number, number];
    const B = this.#blockSize;
    const previous = this.#maps;
    const maps = new Map<string, Tensor>(Object.entries(inputs));
    for (const [name, t] of graph.constants) maps.set(name, t);
    for (const step of plan.steps) {
      const node = step.node;
      const args = node.inputs.map((n) => (n === '' ? undefined : maps.get(n)));
      const full = await this.#backend.runDense({
        op: node.op,
        attrs: step.attrs,
        inputs: args,
        outputShape: step.outputShape,
      } as DenseKernelCall);
      const out = step.outputShape;
      const old = previous?.get(node.outputs[0]!);
      const isGlobal = GLOBAL_OPS.has(node.op) || out.length !== 4 || out[1]! * out[2]! <= 1;
      if (!executed || !old || isGlobal) {
        maps.set(node.outputs[0]!, full);
        continue;
      }
      const [n, ho, wo, c] = out as [number, number, number, number];
      const merged = new Float32Array(old.data);
      for (let y = 0; y < ho; y++) {
        for (let x = 0; x < wo; x++) {
          if (!coveredPixel(executed, B, H, W, ho, wo, y, x)) continue;
          for (let b = 0; b < n; b++) {
            const at = ((b * ho + y) * wo + x) * c;
            merged.set(full.data.subarray(at, at + c), at);
          }
        }
      }
      maps.set(node.outputs[0]!, { data: merged, shape: out });
    }
    this.#maps = maps;
    return Object.fromEntries(graph.outputs.map((o) => [o.name, maps.get(o.name)!]));
  }
}

/** Whether pixel (y, x) of an ho x wo map overlaps an executed block (of B pixels) of the H x W input. */
export function coveredPixel(executed: Uint8Array, B: number, H: number, W: number, ho: number, wo: number, y: number, x: number): boolean {
  const rows = Math.ceil(H / B);
  const cols = Math.ceil(W / B);
  for (let r = 0; r < rows; r++) {
    const [from, to] = [r * B, Math.min(H, (r + 1) * B)];
    if (!((y * H) / ho < to && ((y + 1) * H) / ho > from)) continue;
    for (let c = 0; c < cols; c++) {
      const [left, right] = [c * B, Math.min(W, (c + 1) * B)];
      if (executed[r * cols + c] && (x * W) / wo < right && ((x + 1) * W) / wo > left) return true;
    }
  }
  return false;
}
