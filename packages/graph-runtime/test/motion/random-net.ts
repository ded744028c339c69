import { randomFloat32, randomInt, uniform, type ActivationSpec, type Conv2DAttrs, type Rng, type Tensor } from '@motiondelta/core';
import { makeNode, type Graph, type GraphNode } from '../../src/ir/graph.js';

/** A random network of the ops motion mode runs, and the stride its input size must be a multiple of. */
export interface RandomNet {
  readonly graph: Graph;
  /** Input H and W must be multiples of this (strided layers, then upsampling back). */
  readonly sizeMultiple: number;
}

const ACTIVATIONS: readonly ActivationSpec[] = [
  { kind: 'relu' },
  { kind: 'leakyRelu', alpha: 0.1 },
  { kind: 'clip', min: 0, max: 6 },
  { kind: 'sigmoid' },
  { kind: 'tanh' },
];

/**
 * Seeded random networks over the op families of motion mode: convolutions of kernel 1 to 5,
 * stride 1 or 2, dilation, groups, SAME or explicit asymmetric pads, with or without bias and a
 * fused activation; standalone activations (fed by a window op, by a pointwise op); BatchNorm;
 * residual Add and channel Concat of equal-grid values; Mul and Add by per-channel constants;
 * nearest 2x upsampling; average pooling; several outputs (a window op's, an activation's, a
 * pointwise op's).
 */
export function randomNet(rng: Rng, depth = randomInt(rng, 3, 7)): RandomNet {
  const constants = new Map<string, Tensor>();
  const nodes: GraphNode[] = [];
  let id = 0;
  const name = (p: string): string => `${p}${id++}`;
  const constant = (shape: number[], lo = -0.6, hi = 0.6): string => {
    const n = name('k');
    constants.set(n, {
      data: randomFloat32(
        rng,
        shape.reduce((a, b) => a * b, 1),
        lo,
        hi,
      ),
      shape,
    });
    return n;
  };
  // Values by grid level (0 = input resolution, 1 = half, ...), with their channel counts.
  type V = { name: string; c: number; level: number };
  let cur: V = { name: 'x', c: 3, level: 0 };
  const seen: V[] = [cur];
  let maxLevel = 0;
  const outputs = new Set<string>();

  for (let d = 0; d < depth; d++) {
    const kind = randomInt(rng, 0, 9);
    const out = name('v');
    if (kind <= 3) {
      const k = [1, 3, 3, 5][randomInt(rng, 0, 3)]!;
      const stride = k > 1 && cur.level < 2 && randomInt(rng, 0, 2) === 0 ? 2 : 1;
      const dil = stride === 1 && k === 3 && randomInt(rng, 0, 3) === 0 ? 2 : 1;
      const depthwise = k > 1 && randomInt(rng, 0, 3) === 0;
      const cout = depthwise ? cur.c : randomInt(rng, 2, 6);
      const groups = depthwise ? cur.c : 1;
      const explicit = randomInt(rng, 0, 2) === 0;
      // Explicit pads that keep ceil(in / stride) outputs for even sizes, often lopsided.
      const extent = (k - 1) * dil + 1;
      const total = stride === 1 ? extent - 1 : extent - 2 + randomInt(rng, 0, 1);
      const top = randomInt(rng, 0, total);
      const left = randomInt(rng, 0, total);
      const attrs: Conv2DAttrs = {
        kernel: [k, k],
        strides: [stride, stride],
        dilations: [dil, dil],
        autoPad: explicit ? 'explicit' : 'same-upper',
        pads: explicit ? [top, left, total - top, total - left] : [0, 0, 0, 0],
        groups,
        ...(randomInt(rng, 0, 1) === 0 ? { activation: ACTIVATIONS[randomInt(rng, 0, ACTIVATIONS.length - 1)]! } : {}),
      };
      const bias = randomInt(rng, 0, 3) === 0 ? '' : constant([cout], -0.3, 0.3);
      nodes.push(makeNode(name('conv'), 'Conv2D', attrs, [cur.name, constant([k, k, cur.c / groups, cout], -0.5, 0.5), bias], [out]));
      cur = { name: out, c: cout, level: cur.level + (stride === 2 ? 1 : 0) };
    } else if (kind === 4) {
      nodes.push(
        makeNode(name('act'), 'Activation', { activation: ACTIVATIONS[randomInt(rng, 0, ACTIVATIONS.length - 1)]! }, [cur.name], [out]),
      );
      cur = { ...cur, name: out };
    } else if (kind === 5) {
      const c = cur.c;
      nodes.push(
        makeNode(
          name('bn'),
          'BatchNorm',
          { epsilon: 1e-3 },
          [cur.name, constant([c], 0.5, 1.5), constant([c]), constant([c]), constant([c], 0.2, 2)],
          [out],
        ),
      );
      cur = { ...cur, name: out };
    } else if (kind === 6) {
      const partner = seen.filter((v) => v.level === cur.level && v.name !== cur.name && v.name !== 'x');
      const other = partner[randomInt(rng, 0, Math.max(0, partner.length - 1))];
      if (other && other.c === cur.c) {
        nodes.push(makeNode(name('add'), 'Add', {}, [cur.name, other.name], [out]));
      } else if (other) {
        nodes.push(makeNode(name('cat'), 'Concat', { axis: 3 }, [cur.name, other.name], [out]));
        cur = { ...cur, c: cur.c + other.c };
      } else {
        nodes.push(makeNode(name('addc'), 'Add', {}, [cur.name, constant([1, 1, 1, cur.c])], [out]));
      }
      cur = { ...cur, name: out };
    } else if (kind === 7) {
      nodes.push(makeNode(name('mul'), 'Mul', {}, [cur.name, constant([cur.c], 0.5, 1.5)], [out]));
      cur = { ...cur, name: out };
    } else if (kind === 8 && cur.level > 0) {
      nodes.push(
        makeNode(
          name('up'),
          'Resize',
          { mode: 'nearest', coordinateMode: 'asymmetric', nearestMode: 'floor', scales: [2, 2] },
          [cur.name],
          [out],
        ),
      );
      cur = { ...cur, name: out, level: cur.level - 1 };
    } else {
      nodes.push(
        makeNode(
          name('avg'),
          'AvgPool2D',
          { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], autoPad: 'explicit', ceilMode: false, countIncludePad: true },
          [cur.name],
          [out],
        ),
      );
      cur = { ...cur, name: out };
    }
    seen.push(cur);
    maxLevel = Math.max(maxLevel, cur.level);
    if (uniform(rng, 0, 1) < 0.15) outputs.add(cur.name);
  }
  outputs.add(cur.name);
  if (cur.name === 'x') throw new Error('empty net');
  const graph: Graph = {
    source: { format: 'onnx', location: '<random-net>' },
    inputs: [{ name: 'x', shape: [1, null, null, 3], dtype: 'float32' }],
    outputs: [...outputs].filter((o) => o !== 'x').map((o) => ({ name: o, shape: [1, null, null, null], dtype: 'float32' as const })),
    nodes,
    constants,
    intConstants: new Map(),
  };
  return { graph, sizeMultiple: 2 ** maxLevel };
}
