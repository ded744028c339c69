import { ShapeError, broadcastShapes, broadcastStrides, formatShape, type ActivationSpec, type OpCall } from '@motiondelta/core';
import { activationWgsl } from '../wgsl/activation.js';
import { elementwiseEntry } from '../wgsl/elementwise-entry.js';
import { f32Literal, u32Literal as u } from '../wgsl/literals.js';
import { stridedOffsets } from '../wgsl/strided-index.js';
import { bindingsWgsl, expectChannels, expectShape, inputShape, type KernelPlan, type ShapedCall } from './kernel-plan.js';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const channelsOf = (s: readonly number[]): number => (s.length === 0 ? 1 : s[s.length - 1]!);

/** A standalone activation, elementwise. */
export function planActivation(call: ShapedCall & { op: 'Activation' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  expectShape(call.op, call.outputShape, x);
  return unaryPlan(x, call.attrs.activation);
}

/** `y = act(x)` over every element of a tensor of shape `shape`. */
export function unaryPlan(shape: readonly number[], activation: ActivationSpec | undefined): KernelPlan {
  const total = size(shape);
  const c = channelsOf(shape);
  if (activation?.kind === 'prelu' && activation.slope.length !== 1 && activation.slope.length !== c) {
    throw new ShapeError(
      `prelu: slope has ${activation.slope.length} values but the tensor has ${c} channels; accepted: 1 or one per channel.`,
    );
  }
  const body = `  out[i] = md_act(in0[i], i % ${u(Math.max(c, 1))});`;
  return {
    code: `${bindingsWgsl(1, false)}\n${activationWgsl(activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs: [0],
  };
}

/** Inference batch normalization over the last axis: (x - mean) * scale / sqrt(var + eps) + bias. */
export function planBatchNorm(call: ShapedCall & { op: 'BatchNorm' }): KernelPlan {
  const x = inputShape(call, 0, 'x');
  if (x.length === 0) throw new ShapeError(`${call.op}: input x is a scalar; expected a tensor whose last axis holds the channels.`);
  const c = channelsOf(x);
  (['scale', 'bias', 'mean', 'variance'] as const).forEach((role, k) => expectChannels(call.op, role, inputShape(call, k + 1, role), c));
  expectShape(call.op, call.outputShape, x);
  const total = size(x);
  const body = `
  let c = i % ${u(c)};
  let mul = in1[c] / sqrt(in4[c] + ${f32Literal(call.attrs.epsilon)});
  out[i] = in0[i] * mul + (in2[c] - in3[c] * mul);`;
  return { code: `${bindingsWgsl(5, false)}\n${elementwiseEntry(total, body)}`, threads: total, inputs: [0, 1, 2, 3, 4] };
}

type BinaryOpName = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min';

/** WGSL of a binary op on `a` and `b`; Max/Min propagate NaN as the host's Math.max/min do. */
export function binaryExpression(op: BinaryOpName, a: string, b: string): string {
  switch (op) {
    case 'Add':
      return `${a} + ${b}`;
    case 'Sub':
      return `${a} - ${b}`;
    case 'Mul':
      return `${a} * ${b}`;
    case 'Div':
      return `${a} / ${b}`;
    case 'Max':
      return `select(select(max(${a}, ${b}), ${a}, ${a} != ${a}), ${b}, ${b} != ${b})`;
    case 'Min':
      return `select(select(min(${a}, ${b}), ${a}, ${a} != ${a}), ${b}, ${b} != ${b})`;
  }
}

/** Elementwise Add/Sub/Mul/Div/Max/Min with numpy broadcasting of any ranks, then the fused activation. */
export function planBinary(call: ShapedCall & { op: BinaryOpName; attrs: Extract<OpCall, { op: BinaryOpName }>['attrs'] }): KernelPlan {
  const a = inputShape(call, 0, 'a');
  const b = inputShape(call, 1, 'b');
  const outShape = broadcastShapes(call.op, a, b);
  expectShape(call.op, call.outputShape, outShape);
  const total = size(outShape);
  const c = channelsOf(outShape);
  const body = `${stridedOffsets(outShape, [broadcastStrides(a, outShape), broadcastStrides(b, outShape)])}
  let a = in0[off0];
  let b = in1[off1];
  out[i] = md_act(${binaryExpression(call.op, 'a', 'b')}, i % ${u(Math.max(c, 1))});`;
  if (call.attrs.activation?.kind === 'prelu' && call.attrs.activation.slope.length !== 1 && call.attrs.activation.slope.length !== c) {
    throw new ShapeError(`${call.op}: fused prelu slope does not fit the output ${formatShape(outShape)}.`);
  }
  return {
    code: `${bindingsWgsl(2, false)}\n${activationWgsl(call.attrs.activation)}\n${elementwiseEntry(total, body)}`,
    threads: total,
    inputs: [0, 1],
  };
}
