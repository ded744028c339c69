import type { Backend, DenseKernelCall, MaybePromise, Tensor } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import type { DeltaPlan, StepInput } from './delta-plan.js';

/**
 * Runs a keyframe densely, step by step in the delta plan's own decomposition (a convolution and
 * its fused activation separately), and returns every value: the state of a delta session is
 * initialised from exactly these values, biases included.
 */
export async function runFirstFrame(
  graph: Graph,
  plan: DeltaPlan,
  inputs: Readonly<Record<string, Tensor>>,
  backend: Backend,
): Promise<Map<string, Tensor>> {
  const values = new Map<string, Tensor>(Object.entries(inputs));
  const read = (name: string): Tensor | undefined => (name === '' ? undefined : (values.get(name) ?? graph.constants.get(name)));
  const readInput = (input: StepInput): Tensor | undefined => (input.kind === 'absent' ? undefined : read(input.value));
  const run = (call: DenseKernelCall): MaybePromise<Tensor> => backend.runDense(call);

  for (const step of plan.steps) {
    switch (step.kind) {
      case 'sparsify':
      case 'densify':
        break;
      case 'linear':
        values.set(
          step.output,
          await run({ op: step.op, attrs: step.attrs, inputs: step.inputs.map(readInput), outputShape: step.outputShape } as DenseKernelCall),
        );
        break;
      case 'binary':
        values.set(step.output, await run({ op: step.op, attrs: {}, inputs: step.inputs.map(readInput), outputShape: step.outputShape }));
        break;
      case 'activation':
        values.set(
          step.output,
          await run({ op: 'Activation', attrs: { activation: step.activation }, inputs: [read(step.input)], outputShape: step.outputShape }),
        );
        break;
      case 'maxpool':
        values.set(step.output, await run({ op: 'MaxPool2D', attrs: step.attrs, inputs: [read(step.input)], outputShape: step.outputShape }));
        break;
      case 'island': {
        const r = step.resolved;
        values.set(
          step.output,
          await run({ op: r.node.op, attrs: r.attrs, inputs: step.inputs.map(read), outputShape: r.outputShape } as DenseKernelCall),
        );
        break;
      }
    }
  }
  return values;
}
