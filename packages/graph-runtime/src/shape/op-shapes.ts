import {
  ShapeError,
  depthSpaceShape,
  expectPositivePair,
  formatShape,
  reduceGeometry,
  sizeOf,
  sliceGeometry,
  type OpAttrs,
  type Shape,
} from '@motiondelta/core';
import type { GraphNode } from '../ir/graph.js';
import { broadcastShapes } from './broadcast.js';
import { resolvePads2D, windowOutputSize } from '@motiondelta/core';
import { resizeAttrsProblem } from './resize-attrs.js';

/**
 * A node whose attributes are resolved for concrete input shapes: SAME padding turned into
 * explicit pads, Resize output sizes fixed. Kernels only ever see resolved nodes.
 */
export interface ResolvedNode {
  readonly node: GraphNode;
  readonly attrs: GraphNode['attrs'];
  readonly outputShape: number[];
}

function normalizeAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${where}: axis ${axis} is out of range for rank ${rank}.`);
  return a;
}

/**
 * Window attributes must be whole and positive before they enter size arithmetic: a zero stride
 * divides by zero, a negative one makes a negative size, and either would only fail later, as a
 * RangeError deep in a kernel.
 */
function expectWindow(
  where: string,
  a: {
    readonly kernel: readonly number[];
    readonly strides: readonly number[];
    readonly pads: readonly number[];
    readonly dilations?: readonly number[];
  },
): void {
  expectPositivePair(where, 'kernel', a.kernel);
  expectPositivePair(where, 'strides', a.strides);
  if (a.dilations) expectPositivePair(where, 'dilations', a.dilations);
  if (a.pads.length !== 4 || !a.pads.every((p) => Number.isSafeInteger(p) && p >= 0)) {
    throw new ShapeError(`${where}: pads [${a.pads.join(',')}] must be 4 whole numbers >= 0.`);
  }
}

function expectRank(shape: Shape | undefined, rank: number, where: string, what: string): Shape {
  if (!shape || shape.length !== rank) {
    throw new ShapeError(`${where}: ${what} must have rank ${rank}, got ${shape ? formatShape(shape) : 'nothing'}.`);
  }
  return shape;
}

/**
 * Infers the output shape of one node from its input shapes and resolves its attributes.
 * `inputs[i]` is undefined for an absent optional input.
 */
export function resolveNode(node: GraphNode, inputs: readonly (Shape | undefined)[]): ResolvedNode {
  const where = `Node '${node.name}' (${node.op})`;
  const x = inputs[0];
  const done = (attrs: GraphNode['attrs'], outputShape: number[]): ResolvedNode => ({ node, attrs, outputShape });
  switch (node.op) {
    case 'Conv2D': {
      const [n, h, w, c] = expectRank(x, 4, where, 'input') as [number, number, number, number];
      const wt = expectRank(inputs[1], 4, where, 'weight') as [number, number, number, number];
      const a = node.attrs;
      expectWindow(where, a);
      if (wt[0] !== a.kernel[0] || wt[1] !== a.kernel[1] || wt[2] * a.groups !== c || wt[3] % a.groups !== 0) {
        throw new ShapeError(
          `${where}: weight ${formatShape(wt)} does not fit input ${formatShape(x!)} with kernel ${a.kernel.join('x')} ` +
            `and groups ${a.groups}; expected [${a.kernel[0]},${a.kernel[1]},${c / a.groups},Cout] with Cout divisible by groups.`,
        );
      }
      const pads = resolvePads2D(a.autoPad, a.pads, h, w, a.kernel, a.strides, a.dilations);
      const oh = windowOutputSize(h, pads[0], pads[2], a.kernel[0], a.strides[0], a.dilations[0]);
      const ow = windowOutputSize(w, pads[1], pads[3], a.kernel[1], a.strides[1], a.dilations[1]);
      return done({ ...a, pads, autoPad: 'explicit' } satisfies OpAttrs['Conv2D'], [n, oh, ow, wt[3]]);
    }
    case 'ConvTranspose2D': {
      const [n, h, w, c] = expectRank(x, 4, where, 'input') as [number, number, number, number];
      const wt = expectRank(inputs[1], 4, where, 'weight') as [number, number, number, number];
      const a = node.attrs;
      expectWindow(where, a);
      if (a.outputPadding.length !== 2 || !a.outputPadding.every((p) => Number.isSafeInteger(p) && p >= 0)) {
        throw new ShapeError(`${where}: outputPadding [${a.outputPadding.join(',')}] must be two whole numbers >= 0.`);
      }
      if (wt[2] !== c) {
        throw new ShapeError(`${where}: weight ${formatShape(wt)} expects ${wt[2]} input channels, input is ${formatShape(x!)}.`);
      }
      const oh = (h - 1) * a.strides[0] - a.pads[0] - a.pads[2] + (a.kernel[0] - 1) * a.dilations[0] + 1 + a.outputPadding[0];
      const ow = (w - 1) * a.strides[1] - a.pads[1] - a.pads[3] + (a.kernel[1] - 1) * a.dilations[1] + 1 + a.outputPadding[1];
      return done(a, [n, oh, ow, wt[3] * a.groups]);
    }
    case 'MaxPool2D':
    case 'AvgPool2D': {
      const [n, h, w, c] = expectRank(x, 4, where, 'input') as [number, number, number, number];
      const a = node.attrs;
      expectWindow(where, a);
      const pads = resolvePads2D(a.autoPad, a.pads, h, w, a.kernel, a.strides, [1, 1]);
      const oh = windowOutputSize(h, pads[0], pads[2], a.kernel[0], a.strides[0], 1, a.ceilMode);
      const ow = windowOutputSize(w, pads[1], pads[3], a.kernel[1], a.strides[1], 1, a.ceilMode);
      return done({ ...a, pads, autoPad: 'explicit' }, [n, oh, ow, c]);
    }
    case 'GlobalAvgPool': {
      const s = expectRank(x, 4, where, 'input');
      return done(node.attrs, [s[0]!, 1, 1, s[3]!]);
    }
    case 'Activation':
    case 'BatchNorm':
    case 'Identity':
      return done(node.attrs, [...expectPresent(x, where)]);
    case 'Softmax': {
      const s = expectPresent(x, where);
      normalizeAxis(node.attrs.axis, s.length, where);
      return done(node.attrs, [...s]);
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min':
      return done(node.attrs, broadcastShapes(where, expectPresent(x, where), expectPresent(inputs[1], where)));
    case 'Concat': {
      const first = expectPresent(x, where);
      const axis = normalizeAxis(node.attrs.axis, first.length, where);
      const out = [...first];
      out[axis] = 0;
      for (const s of inputs) {
        const shape = expectPresent(s, where);
        if (shape.length !== first.length || shape.some((d, i) => i !== axis && d !== first[i])) {
          throw new ShapeError(`${where}: inputs ${inputs.map((i) => formatShape(i ?? [])).join(', ')} differ outside axis ${axis}.`);
        }
        out[axis]! += shape[axis]!;
      }
      return done({ axis }, out);
    }
    case 'Pad': {
      const s = expectPresent(x, where);
      const p = node.attrs.pads;
      if (p.length !== 2 * s.length) throw new ShapeError(`${where}: pads has ${p.length} values, rank ${s.length} needs ${2 * s.length}.`);
      return done(
        node.attrs,
        s.map((d, i) => d + p[i]! + p[i + s.length]!),
      );
    }
    case 'Resize': {
      const [n, h, w, c] = expectRank(x, 4, where, 'input') as [number, number, number, number];
      const a = node.attrs;
      const problem = resizeAttrsProblem(a);
      if (problem) throw new ShapeError(`${where}: ${problem}.`);
      const sizes: [number, number] = a.sizes ? [a.sizes[0], a.sizes[1]] : [Math.floor(h * a.scales![0]), Math.floor(w * a.scales![1])];
      if (h > 0 && w > 0 && (sizes[0] < 1 || sizes[1] < 1)) {
        throw new ShapeError(
          `${where}: scales [${a.scales!.join(',')}] shrink the ${h}x${w} input to ${sizes[0]}x${sizes[1]}; the output needs at least one pixel.`,
        );
      }
      return done({ ...a, sizes }, [n, sizes[0], sizes[1], c]);
    }
    case 'Reshape':
      return done(node.attrs, reshapeTarget(expectPresent(x, where), node.attrs.shape, where));
    case 'Transpose': {
      const s = expectPresent(x, where);
      const perm = node.attrs.perm.length ? node.attrs.perm : s.map((_, i) => s.length - 1 - i);
      if (perm.length !== s.length) throw new ShapeError(`${where}: perm [${perm.join(',')}] does not fit rank ${s.length}.`);
      return done(
        { perm },
        perm.map((p) => s[p]!),
      );
    }
    case 'Flatten': {
      const s = expectPresent(x, where);
      const axis = node.attrs.axis < 0 ? node.attrs.axis + s.length : node.attrs.axis;
      return done(node.attrs, [sizeOf(s.slice(0, axis)), sizeOf(s.slice(axis))]);
    }
    case 'Squeeze': {
      const s = expectPresent(x, where);
      const axes = new Set(node.attrs.axes.map((a) => normalizeAxis(a, s.length, where)));
      const out = s.filter((d, i) => (axes.size ? !axes.has(i) : d !== 1));
      return done(node.attrs, out);
    }
    case 'Unsqueeze': {
      const s = expectPresent(x, where);
      const rank = s.length + node.attrs.axes.length;
      const axes = new Set(node.attrs.axes.map((a) => normalizeAxis(a, rank, where)));
      const out: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(axes.has(i) ? 1 : s[j++]!);
      return done(node.attrs, out);
    }
    case 'MatMul':
      return done(node.attrs, matmulShape(expectPresent(x, where), expectPresent(inputs[1], where), where));
    case 'Reduce':
      return done(node.attrs, [...reduceGeometry(where, expectPresent(x, where), node.attrs).outShape]);
    case 'Slice':
      return done(node.attrs, [...sliceGeometry(where, expectPresent(x, where), node.attrs).outShape]);
    case 'DepthToSpace':
    case 'SpaceToDepth':
      return done(node.attrs, depthSpaceShape(where, expectPresent(x, where), node.attrs.blockSize, node.op === 'DepthToSpace'));
    case 'Gemm': {
      const a = expectRank(x, 2, where, 'A');
      const b = expectRank(inputs[1], 2, where, 'B');
      const [m, k] = node.attrs.transA ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
      const [k2, nn] = node.attrs.transB ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
      if (k !== k2) throw new ShapeError(`${where}: inner dimensions ${k} and ${k2} differ.`);
      return done(node.attrs, [m, nn]);
    }
  }
}

function expectPresent(shape: Shape | undefined, where: string): Shape {
  if (!shape) throw new ShapeError(`${where}: a required input is missing.`);
  return shape;
}

function reshapeTarget(input: Shape, target: readonly number[], where: string): number[] {
  const out = target.map((d, i) => (d === 0 ? input[i]! : d));
  const inferred = out.indexOf(-1);
  const total = sizeOf(input);
  if (inferred >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== inferred));
    out[inferred] = known === 0 ? 0 : total / known;
  }
  if (sizeOf(out) !== total || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: cannot reshape ${formatShape(input)} (${total} values) to [${target.join(',')}].`);
  }
  return out;
}

function matmulShape(a: Shape, b: Shape, where: string): number[] {
  const a2 = a.length === 1 ? [1, a[0]!] : [...a];
  const b2 = b.length === 1 ? [b[0]!, 1] : [...b];
  const k = a2[a2.length - 1]!;
  if (k !== b2[b2.length - 2]) {
    throw new ShapeError(`${where}: cannot multiply ${formatShape(a)} by ${formatShape(b)} (inner dimensions differ).`);
  }
  const batch = broadcastShapes(where, a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch, a2[a2.length - 2]!, b2[b2.length - 1]!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}
