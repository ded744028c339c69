import { UnsupportedOpError, type ActivationSpec } from '@motiondelta/core';
import { applyActivation } from '@motiondelta/reference-backend';
import type { ImportContext, OnnxNode } from '../context.js';
import type { Constant } from '../tensor-data.js';
import { emitActivation } from './activation.js';

/** ONNX defaults of Selu, as the spec states them (float32 values of the self-normalising constants). */
const SELU_ALPHA = 1.67326319217681884765625;
const SELU_GAMMA = 1.05070102214813232421875;

/** The ONNX elementwise ops of one input that are an activation of the IR, converted by `convertUnaryMath`. */
export const ONNX_UNARY_MATH_OPS = [
  'Elu',
  'Selu',
  'Celu',
  'Softplus',
  'Softsign',
  'Gelu',
  'Abs',
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Reciprocal',
  'Erf',
  'Floor',
  'Ceil',
  'Round',
] as const;

function unarySpec(node: OnnxNode): ActivationSpec {
  const a = node.attrs;
  switch (node.opType) {
    case 'Elu':
      return { kind: 'elu', alpha: a.float('alpha', 1) };
    case 'Selu':
      return { kind: 'selu', alpha: a.float('alpha', SELU_ALPHA), gamma: a.float('gamma', SELU_GAMMA) };
    case 'Celu': {
      const alpha = a.float('alpha', 1);
      if (alpha === 0) throw new UnsupportedOpError(node.opType, node.name, 'alpha 0 is not defined (the formula divides by alpha)');
      return { kind: 'celu', alpha };
    }
    case 'Gelu': {
      // Opset 20; accepted whatever opset the model declares, as exporters emit it as a contrib op too.
      const approximate = a.string('approximate', 'none');
      if (approximate !== 'none' && approximate !== 'tanh') {
        throw new UnsupportedOpError(node.opType, node.name, `approximate '${approximate}' is not one of 'none', 'tanh'`);
      }
      return { kind: 'gelu', approximate };
    }
    case 'Softplus':
      return { kind: 'softplus' };
    case 'Softsign':
      return { kind: 'softsign' };
    case 'Abs':
      return { kind: 'abs' };
    case 'Neg':
      return { kind: 'neg' };
    case 'Exp':
      return { kind: 'exp' };
    case 'Log':
      return { kind: 'log' };
    case 'Sqrt':
      return { kind: 'sqrt' };
    case 'Reciprocal':
      return { kind: 'reciprocal' };
    case 'Erf':
      return { kind: 'erf' };
    case 'Floor':
      return { kind: 'floor' };
    case 'Ceil':
      return { kind: 'ceil' };
    case 'Round':
      return { kind: 'round' };
    default:
      throw new UnsupportedOpError(node.opType, node.name);
  }
}

/**
 * Applies `spec` to a constant at import time, so that later converters can still read the
 * result as a constant (shape arithmetic such as `Floor(size * scale)`). Integers stay integers
 * where the result of every integer is one (abs, neg, floor, ceil, round, non-negative integer
 * powers), as in ONNX's typing; everything else is computed in float32, as the IR would.
 */
function foldConstant(constant: Constant, spec: ActivationSpec): Constant {
  if (constant.kind === 'int') {
    const f = integerFunction(spec);
    // Computed on the plain numbers: float32 would round integers beyond 2^24.
    if (f !== undefined) return { kind: 'int', dims: constant.dims, data: constant.data.map(f) };
  }
  const data = Float32Array.from(constant.data);
  applyActivation(data, 1, spec);
  return { kind: 'float', dims: constant.dims, data };
}

/** `spec` on integers when it maps every integer to an integer; floor, ceil and round are then the identity. */
function integerFunction(spec: ActivationSpec): ((v: number) => number) | undefined {
  switch (spec.kind) {
    case 'abs':
      return Math.abs;
    case 'neg':
      return (v) => -v;
    case 'floor':
    case 'ceil':
    case 'round':
      return (v) => v;
    case 'pow': {
      const { exponent } = spec;
      return Number.isInteger(exponent) && exponent >= 0 ? (v) => v ** exponent : undefined;
    }
    default:
      return undefined;
  }
}

/** Emits `spec` on the node's input, or folds it when that input is a constant. */
function emitOrFold(node: OnnxNode, ctx: ImportContext, spec: ActivationSpec): void {
  const [x = ''] = node.proto.input;
  const constant = ctx.constant(x, node);
  if (constant !== undefined) {
    ctx.define(node.proto.output[0] ?? '', foldConstant(constant, spec));
    return;
  }
  emitActivation(node, ctx, spec);
}

/** Elu, Selu, Celu, Softplus, Softsign, Gelu, Abs, Neg, Exp, Log, Sqrt, Reciprocal, Erf, Floor, Ceil, Round. */
export function convertUnaryMath(node: OnnxNode, ctx: ImportContext): void {
  emitOrFold(node, ctx, unarySpec(node));
}

/**
 * Pow with a constant scalar exponent (one value, of rank at most the base's, so the output has
 * the base's shape): the `pow` activation. A runtime or per-element exponent is not supported.
 */
export function convertPow(node: OnnxNode, ctx: ImportContext): void {
  const [x = '', y = ''] = node.proto.input;
  const exponentValue = ctx.constant(y, node);
  if (exponentValue === undefined || exponentValue.data.length !== 1 || exponentValue.dims.length > ctx.rank(x, node)) {
    throw new UnsupportedOpError(
      node.opType,
      node.name,
      `its exponent '${y}' must be a constant with one value (of rank at most the base's)` +
        (exponentValue === undefined ? ', but it is computed at runtime' : `, but it has shape [${exponentValue.dims.join(',')}]`),
    );
  }
  const exponent = Number(exponentValue.data[0]);
  if (!Number.isFinite(exponent)) {
    throw new UnsupportedOpError(node.opType, node.name, `its exponent is ${exponent}; accepted: a finite number`);
  }
  emitOrFold(node, ctx, { kind: 'pow', exponent });
}
