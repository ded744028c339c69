import type { ActivationSpec } from '@motiondelta/core';

/** A named activation, and whether it is exact on the 1/256 grid (see DYADIC_STEP). */
export interface NamedActivation {
  readonly label: string;
  readonly spec: ActivationSpec;
  /** Exact: every backend computes bit-identical outputs from grid inputs, so ties at the threshold are testable. */
  readonly exact: boolean;
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
  ];
}
