import { UnsupportedOpError, sizeOf } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
import { RELU, RELU6, SIGMOID, TANH } from './activations.js';
import { requireNhwc } from './graph-ops-conv.js';
import type { TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';

const BINARY = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Div: 'Div' } as const;

export function isBinaryOp(op: string): op is keyof typeof BINARY {
  return op in BINARY;
}

/** Two-input arithmetic; BiasAdd is an Add that broadcasts over the channel (last) axis. */
export function convertBinary(node: TfNode, ctx: GraphImportContext, op: keyof typeof BINARY): void {
  if (op === 'BiasAdd') requireNhwc(node, ctx.attrs(node));
  const out = ctx.builder.add(node.name, BINARY[op], {}, [ctx.input(node, 0), ctx.input(node, 1)]);
  ctx.define(node.name, out);
}

/** AddN sums any number of tensors: a chain of Adds, the last one named after the node. */
export function convertAddN(node: TfNode, ctx: GraphImportContext): void {
  const n = node.inputs.length;
  if (n === 0) throw new UnsupportedOpError(node.op, node.name, 'AddN with no inputs');
  if (n === 1) {
    ctx.define(node.name, ctx.builder.add(node.name, 'Identity', {}, [ctx.input(node, 0)]));
    return;
  }
  let acc = ctx.input(node, 0);
  for (let i = 1; i < n; i++) {
    const name = i === n - 1 ? node.name : `${node.name}/partial_${i}`;
    acc = ctx.builder.add(name, 'Add', {}, [acc, ctx.input(node, i)]);
  }
  ctx.define(node.name, acc);
}

function activationOf(node: TfNode, ctx: GraphImportContext): ActivationSpec {
  switch (node.op) {
    case 'Relu':
      return RELU;
    case 'Relu6':
      return RELU6;
    case 'Sigmoid':
      return SIGMOID;
    case 'Tanh':
      return TANH;
    case 'LeakyRelu':
      return { kind: 'leakyRelu', alpha: ctx.attrs(node).float('alpha', 0.2) };
    case 'Prelu':
      return { kind: 'prelu', slope: Float32Array.from(ctx.requireFloatConst(node, 1, 'alpha').data) };
    default:
      throw new UnsupportedOpError(node.op, node.name);
  }
}

export const ACTIVATION_OPS: ReadonlySet<string> = new Set(['Relu', 'Relu6', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Prelu']);

export function convertActivation(node: TfNode, ctx: GraphImportContext): void {
  const activation = activationOf(node, ctx);
  ctx.define(node.name, ctx.builder.add(node.name, 'Activation', { activation }, [ctx.input(node, 0)]));
}

/**
 * Maximum / Minimum. Against a scalar constant it is how some converters spell ReLU and clipping,
 * and becomes that activation (which fuses into a producer and has a delta form); any other form
 * is the broadcasting elementwise Max / Min.
 */
export function convertMinMax(node: TfNode, ctx: GraphImportContext): void {
  const constIndex = ctx.floatConst(node, 1) !== undefined ? 1 : ctx.floatConst(node, 0) !== undefined ? 0 : -1;
  const c = constIndex < 0 ? undefined : ctx.floatConst(node, constIndex);
  if (c === undefined || sizeOf(c.shape) !== 1) {
    const op = node.op === 'Maximum' ? 'Max' : 'Min';
    ctx.define(node.name, ctx.builder.add(node.name, op, {}, [ctx.input(node, 0), ctx.input(node, 1)]));
    return;
  }
  const v = c.data[0]!;
  const activation: ActivationSpec =
    node.op === 'Maximum' ? (v === 0 ? RELU : { kind: 'clip', min: v, max: Infinity }) : { kind: 'clip', min: -Infinity, max: v };
  ctx.define(node.name, ctx.builder.add(node.name, 'Activation', { activation }, [ctx.input(node, 1 - constIndex)]));
}
