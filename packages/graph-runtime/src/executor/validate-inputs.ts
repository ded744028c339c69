import { ShapeError, checkFinite, checkTensor, formatShape, type Tensor } from '@motiondelta/core';
import type { ValueInfo } from '../ir/graph.js';

function describe(info: ValueInfo): string {
  return `[${info.shape.map((d) => (d === null ? '?' : d)).join(',')}]`;
}

/**
 * Checks that `inputs` holds exactly the graph's inputs, with shapes the model accepts and finite
 * values, before anything runs, so a bad call never leaves a session half-updated.
 */
export function validateInputs(expected: readonly ValueInfo[], inputs: Readonly<Record<string, Tensor>>): void {
  for (const name of Object.keys(inputs)) {
    if (!expected.some((e) => e.name === name)) {
      throw new ShapeError(`Unknown input '${name}'; the model's inputs are ${expected.map((e) => `'${e.name}'`).join(', ')}.`);
    }
  }
  for (const info of expected) {
    const t = inputs[info.name];
    if (!t) throw new ShapeError(`Missing input '${info.name}' (shape ${describe(info)}, NHWC float32).`);
    if (!(t.data instanceof Float32Array)) {
      throw new ShapeError(`Input '${info.name}' must hold a Float32Array.`);
    }
    checkTensor(info.name, t);
    const fits = t.shape.length === info.shape.length && info.shape.every((d, i) => d === null || d === t.shape[i]);
    if (!fits) {
      throw new ShapeError(
        `Input '${info.name}' has shape ${formatShape(t.shape)}, but the model accepts ${describe(info)} (NHWC; ? is any size).`,
      );
    }
    checkFinite(info.name, t.data);
  }
}
