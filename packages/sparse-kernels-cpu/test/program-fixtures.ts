import { createRng, randomFloat32, sizeOf } from '@motiondelta/core';
import type { Conv2DAttrs, DenseStep, OpCall, Program, Shape, Tensor, ValueDecl } from '@motiondelta/core';
import { ReferenceBackend } from '@motiondelta/graph-runtime';

/** Builds small programs by hand, and their expected outputs with the reference backend. */
export class ProgramBuilder {
  readonly values: ValueDecl[] = [];
  readonly constants = new Map<string, Tensor>();
  readonly steps: DenseStep[] = [];
  readonly #rng = createRng(41);

  value(name: string, shape: Shape, lifetime: ValueDecl['lifetime'] = 'frame'): number {
    return this.values.push({ name, kind: 'tensor', shape, lifetime }) - 1;
  }

  constant(name: string, shape: Shape, lo = -0.5, hi = 0.5): number {
    this.constants.set(name, { data: randomFloat32(this.#rng, sizeOf(shape), lo, hi), shape });
    return this.value(name, shape, 'constant');
  }

  dense(node: string, call: OpCall, inputs: (number | null)[], output: number): void {
    this.steps.push({ kind: 'dense', node, call, inputs, output });
  }

  program(inputs: Record<string, number>, outputs: Record<string, number>): Program {
    return {
      values: this.values,
      inputs: Object.entries(inputs).map(([name, value]) => ({ name, value })),
      outputs: Object.entries(outputs).map(([name, value]) => ({ name, value })),
      entries: { keyframe: this.steps },
    };
  }
}

/** The outputs of a dense-only program, computed step by step on the reference backend. */
export function referenceOutputs(
  program: Program,
  constants: ReadonlyMap<string, Tensor>,
  inputs: Readonly<Record<string, Tensor>>,
): Record<string, Tensor> {
  const reference = new ReferenceBackend();
  const held = new Map<number, Tensor>();
  program.inputs.forEach((p) => held.set(p.value, inputs[p.name]!));
  program.values.forEach((v, id) => {
    if (v.lifetime === 'constant') held.set(id, constants.get(v.name)!);
  });
  for (const step of program.entries.keyframe) {
    if (step.kind !== 'dense') throw new Error('referenceOutputs runs dense steps only');
    const call = {
      ...step.call,
      inputs: step.inputs.map((id) => (id === null ? undefined : held.get(id))),
      outputShape: program.values[step.output]!.shape,
    };
    held.set(step.output, reference.runDense(call as Parameters<ReferenceBackend['runDense']>[0]));
  }
  return Object.fromEntries(program.outputs.map((p) => [p.name, held.get(p.value)!]));
}

export const CONV3: Conv2DAttrs = {
  kernel: [3, 3],
  strides: [1, 1],
  dilations: [1, 1],
  pads: [1, 1, 1, 1],
  autoPad: 'explicit',
  groups: 1,
};

/**
 * x -> conv (v1) -> relu (v2) -> clip (v3) -> hard-swish (v4) -> Reshape (v5, an alias of v4)
 *   -> v5 + v2 (y): six frame values, v2 live across three steps, v5 reading v4's storage.
 */
export function chainProgram(shape: readonly [number, number, number, number]): { program: Program; constants: Map<string, Tensor> } {
  const b = new ProgramBuilder();
  const [n, h, w, c] = shape;
  const x = b.value('x', shape, 'input');
  const weight = b.constant('w', [3, 3, c, c]);
  const bias = b.constant('b', [c]);
  const v1 = b.value('v1', shape);
  const v2 = b.value('v2', shape);
  const v3 = b.value('v3', shape);
  const v4 = b.value('v4', shape);
  const v5 = b.value('v5', [n, h * w, c]);
  const y = b.value('y', [n, h * w, c]);
  const v2flat = b.value('v2flat', [n, h * w, c]);
  b.dense('conv', { op: 'Conv2D', attrs: CONV3 }, [x, weight, bias], v1);
  b.dense('relu', { op: 'Activation', attrs: { activation: { kind: 'relu' } } }, [v1], v2);
  b.dense('clip', { op: 'Activation', attrs: { activation: { kind: 'clip', min: 0, max: 0.3 } } }, [v2], v3);
  b.dense('hswish', { op: 'Activation', attrs: { activation: { kind: 'hardSwish' } } }, [v3], v4);
  b.dense('flat', { op: 'Reshape', attrs: { shape: [n, -1, c] } }, [v4], v5);
  b.dense('flat2', { op: 'Reshape', attrs: { shape: [n, -1, c] } }, [v2], v2flat);
  b.dense('sum', { op: 'Add', attrs: {} }, [v5, v2flat], y);
  return { program: b.program({ x }, { y }), constants: b.constants };
}

export function randomInput(shape: Shape, seed = 5): Tensor {
  return { data: randomFloat32(createRng(seed), sizeOf(shape), -1, 1), shape };
}
