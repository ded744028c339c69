import {
  ShapeError,
  broadcastShapes,
  broadcastStrides,
  concatGeometry,
  conv2dGeometry,
  convTranspose2dGeometry,
  expectOutputShape,
  expectRank,
  formatShape,
  gemmGeometry,
  matMulBatchOffsets,
  matMulGeometry,
  normalizeAxis,
  padAxisMap,
  pool2dGeometry,
  resizeOutputSize,
  resizeTaps,
  sizeOf,
  stridesOf,
} from '@motiondelta/core';
import type { DenseStep, OpName, Shape, ValueId } from '@motiondelta/core';
import { coalesceAxes } from '../dense/broadcast.js';
import { BINARY_OP } from '../dense/binary.js';
import { encodeActivation } from '../dense/native-activation.js';
import { reducePlan, stridedCopyPlan } from '../dense/structural.js';
import { expectInt32 } from '../validate-inputs.js';
import { DENSE_OP_CODE, STEP_KIND_CODE } from './program-codes.js';
import { encodedStep, type EncodeContext, type StepAttributes } from './encoded-step.js';
import type { FusedConv } from './fuse-conv-steps.js';
import type { EncodedStep } from './native-program-addon.js';

/**
 * Ops a compiled program runs natively: every op of the IR. Reshape, Flatten, Squeeze, Unsqueeze
 * and Identity become aliases of their input's storage where the storage plan allows it (a copy
 * otherwise); Transpose and Softmax have small kernels of their own; Slice, DepthToSpace and
 * SpaceToDepth run the strided gather of the per-node kernels, Reduce its kernel.
 */
export const NATIVE_PROGRAM_OPS: ReadonlySet<OpName> = new Set<OpName>([
  'Conv2D',
  'ConvTranspose2D',
  'MaxPool2D',
  'AvgPool2D',
  'GlobalAvgPool',
  'Activation',
  'BatchNorm',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Max',
  'Min',
  'Concat',
  'Pad',
  'Resize',
  'Reshape',
  'Transpose',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'MatMul',
  'Gemm',
  'Softmax',
  'Identity',
  'Reduce',
  'Slice',
  'DepthToSpace',
  'SpaceToDepth',
]);

/**
 * Why a dense step has no native form in a program, or undefined when it has one: an op outside
 * {@link NATIVE_PROGRAM_OPS}, or a BatchNorm whose parameters are not constants (they are folded
 * at compile time).
 */
export function denseStepDeclines(step: DenseStep, isConstant: (id: ValueId) => boolean): string | undefined {
  if (!NATIVE_PROGRAM_OPS.has(step.call.op)) return `node '${step.node}' (${step.call.op}) has no native kernel`;
  if (step.call.op === 'BatchNorm' && !step.inputs.slice(1, 5).every((id) => id !== null && isConstant(id))) {
    return `node '${step.node}' (BatchNorm) takes its parameters from tensors computed at run time; only constant parameters are folded`;
  }
  return undefined;
}

/**
 * Encodes a dense step for the addon, checking it as the per-node kernel wrappers (src/dense/*.ts)
 * check their calls, on shapes instead of data: a wrong program ends here in a ShapeError naming
 * the op, before any native code runs.
 */
export function encodeDenseStep(step: DenseStep, ctx: EncodeContext, fused?: FusedConv): EncodedStep {
  const { call, node } = step;
  const op = call.op;
  const outputShape = ctx.shape(step.output);
  const shapeAt = (i: number, role: string): Shape => {
    const id = step.inputs[i];
    if (id === undefined || id === null) throw new ShapeError(`${op}: input ${i} (${role}) is missing; this op requires it.`);
    return ctx.shape(id);
  };
  const optionalShape = (i: number): Shape | undefined => {
    const id = step.inputs[i];
    return id === undefined || id === null ? undefined : ctx.shape(id);
  };
  const operands = [...step.inputs, step.output];
  const encode = (code: number, attrs: StepAttributes = {}, ids: readonly (ValueId | null)[] = operands): EncodedStep =>
    encodedStep(STEP_KIND_CODE.dense, code, node, ids, attrs);
  const empty = (): EncodedStep => encode(DENSE_OP_CODE.Empty, {}, [step.output]);

  switch (call.op) {
    case 'Conv2D':
    case 'ConvTranspose2D': {
      const x = shapeAt(0, 'x');
      const w = shapeAt(1, 'weight');
      const bias = optionalShape(2);
      const g = call.op === 'Conv2D' ? conv2dGeometry(op, call.attrs, x, w) : convTranspose2dGeometry(op, call.attrs, x, w);
      if (bias !== undefined && sizeOf(bias) !== g.outC) {
        throw new ShapeError(`${op}: bias has shape ${formatShape(bias)}; expected ${g.outC} values, one per channel.`);
      }
      expectOutputShape(op, outputShape, [g.batch, g.outH, g.outW, g.outC]);
      expectInt32(op, 'the output size', sizeOf(outputShape));
      expectInt32(op, 'the input size', sizeOf(x));
      const geometry = [
        g.batch,
        g.inH,
        g.inW,
        g.inC,
        g.outH,
        g.outW,
        g.outC,
        g.kh,
        g.kw,
        g.sh,
        g.sw,
        g.dh,
        g.dw,
        g.padTop,
        g.padLeft,
        g.groups,
      ];
      const code = call.op === 'Conv2D' ? DENSE_OP_CODE.Conv2D : DENSE_OP_CODE.ConvTranspose2D;
      const operands = [step.inputs[0]!, step.inputs[1]!, step.inputs[2] ?? null];
      if (fused === undefined) {
        return encode(code, { ints: geometry, act: encodeActivation(op, call.attrs.activation, g.outC) }, [...operands, step.output]);
      }
      // Later steps folded into the epilogue: it writes their output, of the convolution's shape.
      expectOutputShape(op, ctx.shape(fused.output), outputShape);
      const scalar = (v: number | null): Float32Array => (v === null ? new Float32Array(0) : Float32Array.of(v));
      return encode(
        code,
        { ints: geometry, act: encodeActivation(op, fused.activation, g.outC), f32: [scalar(fused.post.mul), scalar(fused.post.add)] },
        [...operands, fused.output],
      );
    }
    case 'MaxPool2D':
    case 'AvgPool2D': {
      const x = shapeAt(0, 'x');
      const { batch, inH, inW, channels, outH, outW, pads } = pool2dGeometry(op, call.attrs, x, outputShape);
      expectInt32(op, 'the input size', sizeOf(x));
      const geometry = [batch, inH, inW, channels, outH, outW, ...call.attrs.kernel, ...call.attrs.strides, ...pads];
      return encode(DENSE_OP_CODE.Pool2D, { ints: [...geometry, call.op === 'MaxPool2D' ? 0 : 1, call.attrs.countIncludePad ? 1 : 0] });
    }
    case 'GlobalAvgPool': {
      const x = shapeAt(0, 'x');
      expectRank(op, 'input x', x, 4, 'NHWC');
      const [batch, h, w, c] = x as [number, number, number, number];
      expectOutputShape(op, outputShape, [batch, 1, 1, c]);
      expectInt32(op, 'the input size', sizeOf(x));
      return encode(DENSE_OP_CODE.GlobalAvgPool, { ints: [batch, h * w, c] });
    }
    case 'Activation': {
      const x = shapeAt(0, 'x');
      expectOutputShape(op, outputShape, x);
      expectInt32(op, 'the input size', sizeOf(x));
      if (sizeOf(x) === 0) return empty();
      const channels = x.length === 0 ? 1 : x[x.length - 1]!;
      return encode(DENSE_OP_CODE.Activation, {
        ints: [Math.max(channels, 1)],
        act: encodeActivation(op, call.attrs.activation, channels),
      });
    }
    case 'BatchNorm': {
      const x = shapeAt(0, 'x');
      if (x.length === 0) throw new ShapeError(`${op}: input x is a scalar; expected a tensor whose last axis holds the channels.`);
      const c = x[x.length - 1]!;
      const [scale, bias, mean, variance] = (['scale', 'bias', 'mean', 'variance'] as const).map((role, i) => {
        const id = step.inputs[i + 1];
        const data = id === undefined || id === null ? undefined : ctx.constant(id);
        if (data === undefined) throw new ShapeError(`${op}: ${role} must be a constant to be folded into the program.`);
        if (data.length !== c) throw new ShapeError(`${op}: ${role} has ${data.length} values; expected ${c} values, one per channel.`);
        return data;
      }) as [Float32Array, Float32Array, Float32Array, Float32Array];
      expectOutputShape(op, outputShape, x);
      expectInt32(op, 'the input size', sizeOf(x));
      if (sizeOf(x) === 0) return empty();
      // Folded in float64 as the per-node kernel and the reference do.
      const mul = new Float32Array(c);
      const add = new Float32Array(c);
      for (let ch = 0; ch < c; ch++) {
        const m = scale[ch]! / Math.sqrt(variance[ch]! + call.attrs.epsilon);
        mul[ch] = m;
        add[ch] = bias[ch]! - mean[ch]! * m;
      }
      return encode(DENSE_OP_CODE.BatchNorm, { f32: [mul, add] }, [step.inputs[0]!, step.output]);
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Max':
    case 'Min': {
      const a = shapeAt(0, 'A');
      const b = shapeAt(1, 'B');
      const outShape = broadcastShapes(op, a, b);
      expectOutputShape(op, outputShape, outShape);
      expectInt32(op, 'the output size', sizeOf(outShape));
      const channels = outShape.length === 0 ? 1 : outShape[outShape.length - 1]!;
      const act = encodeActivation(op, call.attrs.activation, channels);
      if (sizeOf(outShape) === 0) return empty();
      const full =
        outShape.length === 0
          ? { shape: [1], a: [0], b: [0] }
          : { shape: outShape, a: broadcastStrides(a, outShape), b: broadcastStrides(b, outShape) };
      const keepLastAxis = act !== null && act.slope !== null && act.slope.length > 1;
      const { shape, a: sa, b: sb } = coalesceAxes(full.shape, full.a, full.b, keepLastAxis);
      return encode(DENSE_OP_CODE.Binary, {
        ints: [BINARY_OP[call.op]],
        i32: [Int32Array.from(shape), Int32Array.from(sa), Int32Array.from(sb)],
        act,
      });
    }
    case 'Concat': {
      const shapes = step.inputs.map((_, i) => shapeAt(i, `input ${i}`));
      const { axis, outShape, outer, inner } = concatGeometry(op, call.attrs.axis, shapes);
      expectOutputShape(op, outputShape, outShape);
      expectInt32(op, 'the output size', sizeOf(outShape));
      if (sizeOf(outShape) === 0) return empty();
      return encode(DENSE_OP_CODE.Concat, { ints: [outer, ...shapes.map((s) => s[axis]! * inner)] });
    }
    case 'Pad': {
      const x = shapeAt(0, 'x');
      const { attrs } = call;
      const rank = x.length;
      if (attrs.pads.length !== 2 * rank || attrs.pads.some((p) => !Number.isInteger(p))) {
        throw new ShapeError(
          `${op}: pads [${attrs.pads.join(',')}] must be ${2 * rank} integers ([begin..., end...]) for input ${formatShape(x)}.`,
        );
      }
      if (attrs.mode !== 'constant' && attrs.mode !== 'reflect' && attrs.mode !== 'edge') {
        throw new ShapeError(`${op}: unknown mode '${String(attrs.mode)}'; accepted: constant, reflect, edge.`);
      }
      const outShape = x.map((d, i) => d + attrs.pads[i]! + attrs.pads[i + rank]!);
      if (outShape.some((d) => d < 0))
        throw new ShapeError(`${op}: pads [${attrs.pads.join(',')}] crop more than input ${formatShape(x)} holds.`);
      expectOutputShape(op, outputShape, outShape);
      expectInt32(op, 'the output size', sizeOf(outShape));
      if (sizeOf(outShape) === 0) return empty();
      if (rank === 0) return encode(DENSE_OP_CODE.Reshape, {}, [step.inputs[0]!, step.output]);
      const maps = new Int32Array(outShape.reduce((s, d) => s + d, 0));
      let at = 0;
      x.forEach((d, i) => {
        maps.set(padAxisMap(op, d, attrs.pads[i]!, attrs.pads[i + rank]!, outShape[i]!, attrs.mode), at);
        at += outShape[i]!;
      });
      return encode(DENSE_OP_CODE.Pad, {
        i32: [Int32Array.from(outShape), Int32Array.from(stridesOf(x)), maps],
        floats: [attrs.value],
      });
    }
    case 'Resize': {
      const x = shapeAt(0, 'x');
      const { attrs } = call;
      expectRank(op, 'input x', x, 4, 'NHWC');
      const [batch, inH, inW, c] = x as [number, number, number, number];
      if (attrs.mode !== 'nearest' && attrs.mode !== 'linear') {
        throw new ShapeError(`${op}: unknown mode '${String(attrs.mode)}'; accepted: nearest, linear.`);
      }
      const [outH, outW] = resizeOutputSize(attrs, inH, inW);
      expectOutputShape(op, outputShape, [batch, outH, outW, c]);
      if (inH === 0 || inW === 0)
        throw new ShapeError(`${op}: input ${formatShape(x)} has an empty spatial axis; nothing to resample from.`);
      expectInt32(op, 'the output size', sizeOf(outputShape));
      if (sizeOf(outputShape) === 0) return empty();
      const { rows, cols } = resizeTaps(attrs, inH, inW, outH, outW);
      return encode(
        DENSE_OP_CODE.Resize,
        {
          ints: [batch, inH, inW, c, outH, outW],
          i32: [rows.lo, rows.hi, cols.lo, cols.hi],
          f32: [Float32Array.from(rows.weight), Float32Array.from(cols.weight)],
        },
        [step.inputs[0]!, step.output],
      );
    }
    case 'MatMul': {
      const a = shapeAt(0, 'A');
      const b = shapeAt(1, 'B');
      const g = matMulGeometry(op, a, b);
      const { m, k, n, batchShape, outShape } = g;
      expectOutputShape(op, outputShape, outShape);
      const batches = sizeOf(batchShape);
      expectInt32(op, 'the output size', batches * m * n);
      expectInt32(op, 'A', sizeOf(a));
      expectInt32(op, 'B', sizeOf(b));
      const channels = outShape.length === 0 ? 1 : outShape[outShape.length - 1]!;
      const act = encodeActivation(op, call.attrs.activation, channels);
      if (batches * m * n === 0) return empty();
      const offsets = matMulBatchOffsets(g);
      return encode(DENSE_OP_CODE.MatMul, { ints: [m, k, n, batches, Math.max(channels, 1)], i32: [offsets.a, offsets.b], act });
    }
    case 'Gemm': {
      const { attrs } = call;
      const a = shapeAt(0, 'A');
      const b = shapeAt(1, 'B');
      const c = optionalShape(2);
      const { m, k, n } = gemmGeometry(op, attrs, a, b);
      expectOutputShape(op, outputShape, [m, n]);
      let cStrides: [number, number] = [0, 0];
      const useC = c !== undefined && attrs.beta !== 0;
      if (useC) {
        const broadcast = c.length <= 2 ? broadcastShapes(op, c, [m, n]) : [];
        if (broadcast.length !== 2 || broadcast[0] !== m || broadcast[1] !== n) {
          throw new ShapeError(`${op}: C ${formatShape(c)} does not broadcast to the output [${m},${n}].`);
        }
        cStrides = broadcastStrides(c, [m, n]) as [number, number];
      }
      expectInt32(op, 'the output size', m * n);
      const act = encodeActivation(op, attrs.activation, n);
      if (m * n === 0) return empty();
      return encode(
        DENSE_OP_CODE.Gemm,
        {
          ints: [m, k, n, attrs.transA ? 1 : 0, attrs.transB ? 1 : 0, cStrides[0], cStrides[1]],
          floats: [attrs.alpha, useC ? attrs.beta : 0],
          act,
        },
        [step.inputs[0]!, step.inputs[1]!, useC ? step.inputs[2]! : null, step.output],
      );
    }
    case 'Reshape':
    case 'Flatten':
    case 'Squeeze':
    case 'Unsqueeze':
    case 'Identity': {
      const x = shapeAt(0, 'x');
      if (sizeOf(outputShape) !== sizeOf(x)) {
        throw new ShapeError(
          `${op}: input ${formatShape(x)} has ${sizeOf(x)} values but the planned output shape ${formatShape(outputShape)} holds ${sizeOf(outputShape)}; the element count must not change.`,
        );
      }
      return encode(DENSE_OP_CODE.Reshape, {}, [step.inputs[0]!, step.output]);
    }
    case 'Transpose': {
      const x = shapeAt(0, 'x');
      const rank = x.length;
      const perm = call.attrs.perm;
      const valid = perm.length === rank && new Set(perm).size === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank);
      if (!valid)
        throw new ShapeError(`${op}: perm [${perm.join(',')}] is not a permutation of 0..${rank - 1} for input ${formatShape(x)}.`);
      expectOutputShape(
        op,
        outputShape,
        perm.map((p) => x[p]!),
      );
      expectInt32(op, 'the output size', sizeOf(x));
      if (sizeOf(x) === 0) return empty();
      if (rank === 0) return encode(DENSE_OP_CODE.Reshape, {}, [step.inputs[0]!, step.output]);
      return encode(DENSE_OP_CODE.Transpose, { i32: [Int32Array.from(x), Int32Array.from(perm)] });
    }
    case 'Softmax': {
      const x = shapeAt(0, 'x');
      expectOutputShape(op, outputShape, x);
      expectInt32(op, 'the output size', sizeOf(x));
      if (sizeOf(x) === 0) return empty();
      // A scalar's softmax is 1: one group of one value.
      if (x.length === 0) return encode(DENSE_OP_CODE.Softmax, { ints: [1, 1, 1] });
      const axis = normalizeAxis(op, call.attrs.axis, x.length);
      return encode(DENSE_OP_CODE.Softmax, { ints: [sizeOf(x.slice(0, axis)), x[axis]!, sizeOf(x.slice(axis + 1))] });
    }
    case 'Slice':
    case 'DepthToSpace':
    case 'SpaceToDepth': {
      const plan = stridedCopyPlan(call.op, call.attrs, shapeAt(0, 'x'), outputShape);
      if (plan === null) return empty();
      return encode(DENSE_OP_CODE.StridedCopy, { ints: [plan.base], i32: [Int32Array.from(plan.shape), Int32Array.from(plan.strides)] }, [
        step.inputs[0]!,
        step.output,
      ]);
    }
    case 'Reduce': {
      const plan = reducePlan(call.op, call.attrs, shapeAt(0, 'x'), outputShape);
      if (plan === null) return empty();
      return encode(DENSE_OP_CODE.Reduce, { ints: [plan.kind], i32: [Int32Array.from(plan.shape), Int32Array.from(plan.reduced)] }, [
        step.inputs[0]!,
        step.output,
      ]);
    }
    default: {
      const unknown: never = call;
      throw new ShapeError(`${String((unknown as { op: unknown }).op)}: no native kernel in a compiled program.`);
    }
  }
}
