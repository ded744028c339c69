import type { ActivationSpec } from '@motiondelta/core';

/** A named activation, and whether it is exact on the 1/256 grid (see DYADIC_STEP). */
export interface NamedActivation {
  readonly label: string;
  readonly spec: ActivationSpec;
  /** Exact: every backend computes bit-identical outputs from grid inputs, so ties at the threshold are testable. */
  readonly exact: boolean;
  /**
   * What its inputs must be for backends to agree where their inputs differ by rounding (the sums
   * of a producer it is fused into): `positive` for functions singular at 0 or undefined below it
   * (log, sqrt, reciprocal, fractional powers: a last-bit difference around 0 is NaN against a
   * number, or a huge relative error), `exact` for discontinuous ones (floor, ceil, round: a
   * last-bit difference at a jump is a whole unit). Absent: any input. Cases that hand both
   * backends the same inputs (the standalone op) use the whole range, NaN and infinities included.
   */
  readonly inputs?: 'positive' | 'exact';
}

/** Per-channel PReLU slopes on a 1/16 grid (exact), some negative, some above 1. */
export function preluSlopes(channels: number): Float32Array {
  const slopes = new Float32Array(channels);
  for (let c = 0; c < channels; c++) slopes[c] = (((c * 7) % 13) - 4) / 16;
  return slopes;
}

/** Every activation kind, PReLU both per channel and shared, for a tensor with `channels` channels. */
export function namedActivations(channels: number): NamedActivation[] {
  return [
    { label: 'relu', spec: { kind: 'relu' }, exact: true },
    { label: 'clip[0,6]', spec: { kind: 'clip', min: 0, max: 6 }, exact: true },
    { label: 'clip[-0.5,0.75]', spec: { kind: 'clip', min: -0.5, max: 0.75 }, exact: true },
    { label: 'leakyRelu0.125', spec: { kind: 'leakyRelu', alpha: 0.125 }, exact: true },
    { label: 'leakyRelu0.1', spec: { kind: 'leakyRelu', alpha: 0.1 }, exact: false },
    { label: 'prelu-per-channel', spec: { kind: 'prelu', slope: preluSlopes(channels) }, exact: true },
    { label: 'prelu-shared', spec: { kind: 'prelu', slope: new Float32Array([0.25]) }, exact: true },
    { label: 'sigmoid', spec: { kind: 'sigmoid' }, exact: false },
    { label: 'hardSigmoid0.2', spec: { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, exact: false },
    { label: 'hardSigmoid0.25', spec: { kind: 'hardSigmoid', alpha: 0.25, beta: 0.5 }, exact: true },
    { label: 'hardSwish', spec: { kind: 'hardSwish' }, exact: false },
    { label: 'tanh', spec: { kind: 'tanh' }, exact: false },
    { label: 'elu', spec: { kind: 'elu', alpha: 1 }, exact: false },
    { label: 'selu', spec: { kind: 'selu', alpha: 1.6732632423543772, gamma: 1.0507009873554805 }, exact: false },
    { label: 'celu0.5', spec: { kind: 'celu', alpha: 0.5 }, exact: false },
    { label: 'softplus', spec: { kind: 'softplus' }, exact: false },
    { label: 'softsign', spec: { kind: 'softsign' }, exact: false },
    { label: 'gelu', spec: { kind: 'gelu', approximate: 'none' }, exact: false },
    { label: 'gelu-tanh', spec: { kind: 'gelu', approximate: 'tanh' }, exact: false },
    { label: 'swish1.5', spec: { kind: 'swish', alpha: 1.5 }, exact: false },
    { label: 'abs', spec: { kind: 'abs' }, exact: true },
    { label: 'neg', spec: { kind: 'neg' }, exact: true },
    { label: 'exp', spec: { kind: 'exp' }, exact: false },
    { label: 'log', spec: { kind: 'log' }, exact: false, inputs: 'positive' },
    { label: 'sqrt', spec: { kind: 'sqrt' }, exact: false, inputs: 'positive' },
    { label: 'reciprocal', spec: { kind: 'reciprocal' }, exact: false, inputs: 'positive' },
    { label: 'erf', spec: { kind: 'erf' }, exact: false },
    // Integers from grid values: exact, and grid ties (x.5) test rounding halves to even.
    { label: 'floor', spec: { kind: 'floor' }, exact: true, inputs: 'exact' },
    { label: 'ceil', spec: { kind: 'ceil' }, exact: true, inputs: 'exact' },
    { label: 'round', spec: { kind: 'round' }, exact: true, inputs: 'exact' },
    { label: 'pow2', spec: { kind: 'pow', exponent: 2 }, exact: false },
    { label: 'pow0.5', spec: { kind: 'pow', exponent: 0.5 }, exact: false, inputs: 'positive' },
    { label: 'pow-3', spec: { kind: 'pow', exponent: -3 }, exact: false, inputs: 'positive' },
  ];
}
