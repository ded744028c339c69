import { UnsupportedOpError, sizeOf } from '@motiondelta/core';
import type { ActivationSpec } from '@motiondelta/core';
import { SELU } from './activations.js';
import type { TfNode } from './graph-def.js';
import type { GraphImportContext } from './graph-context.js';

/** TensorFlow elementwise ops of one input that are an IR activation (TF's own formulas and constants). */
const UNARY_SPECS: Readonly<Record<string, ActivationSpec>> = {
  // TF's Elu has no alpha: it is 1.
  Elu: { kind: 'elu', alpha: 1 },
  Selu: SELU,
  Softplus: { kind: 'softplus' },
  Softsign: { kind: 'softsign' },
  Abs: { kind: 'abs' },
  Neg: { kind: 'neg' },
  Exp: { kind: 'exp' },
  Log: { kind: 'log' },
  Sqrt: { kind: 'sqrt' },
  // 1 / sqrt(x), as x^-0.5 (one rounding instead of two; within float32 tolerance of TF's).
  Rsqrt: { kind: 'pow', exponent: -0.5 },
  Reciprocal: { kind: 'reciprocal' },
  Inv: { kind: 'reciprocal' },
  Erf: { kind: 'erf' },
  Square: { kind: 'pow', exponent: 2 },
  Floor: { kind: 'floor' },
  Ceil: { kind: 'ceil' },
  // TF's Round rounds halves to even, as the IR's round does.
  Round: { kind: 'round' },
};

/** TF.js graph ops converted by `convertUnaryMath`: the table above and Pow. */
export const UNARY_MATH_OPS: ReadonlySet<string> = new Set([...Object.keys(UNARY_SPECS), 'Pow']);

/** The exponent of `Pow(x, y)`: y must be a constant holding one value. */
function powSpec(node: TfNode, ctx: GraphImportContext): ActivationSpec {
  const y = ctx.floatConst(node, 1);
  if (y === undefined || sizeOf(y.shape) !== 1 || !Number.isFinite(y.data[0]!)) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      y === undefined
        ? 'its exponent (input #1) must be a constant, but it is computed at run time'
        : `its exponent (input #1) must be one finite value, got shape [${y.shape.join(',')}]`,
    );
  }
  return { kind: 'pow', exponent: y.data[0]! };
}

/** Elu, Selu, Softplus, Softsign, Abs, Neg, Exp, Log, Sqrt, Rsqrt, Reciprocal, Erf, Square, Floor, Ceil, Round, Pow. */
export function convertUnaryMath(node: TfNode, ctx: GraphImportContext): void {
  const activation = node.op === 'Pow' ? powSpec(node, ctx) : UNARY_SPECS[node.op];
  if (activation === undefined) throw new UnsupportedOpError(node.op, node.name);
  ctx.define(node.name, ctx.builder.add(node.name, 'Activation', { activation }, [ctx.input(node, 0)]));
}
