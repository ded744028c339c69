import type { Backend, DenseKernelCall, Tensor } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { planGraph, type ExecutionPlan } from '../shape/plan-graph.js';
import { validateInputs } from './validate-inputs.js';

/**
 * Runs a planned graph densely on one backend. Intermediate values are dropped after their last
 * reader so that peak memory follows the widest cut of the graph, not its total size. `onStep`
 * hears how long each step took (statistics).
 */
export async function executePlan(
  graph: Graph,
  plan: ExecutionPlan,
  inputs: Readonly<Record<string, Tensor>>,
  backend: Backend,
  onStep?: (index: number, ms: number) => void,
): Promise<Record<string, Tensor>> {
  const values = new Map<string, Tensor>(Object.entries(inputs));
  for (const [index, step] of plan.steps.entries()) {
    const tensors = step.node.inputs.map((name) => (name === '' ? undefined : (values.get(name) ?? graph.constants.get(name))));
    const call = { op: step.node.op, attrs: step.attrs, inputs: tensors, outputShape: step.outputShape } as DenseKernelCall;
    const t0 = performance.now();
    values.set(step.node.outputs[0]!, await backend.runDense(call));
    onStep?.(index, performance.now() - t0);
    for (const name of step.node.inputs) {
      if (plan.lastUse.get(name) === index) values.delete(name);
    }
  }
  const outputs: Record<string, Tensor> = {};
  for (const out of graph.outputs) outputs[out.name] = values.get(out.name)!;
  return outputs;
}

/**
 * Validates inputs, plans for their shapes and runs the graph densely: the simplest way to execute
 * an imported graph, used by tests and by the dense session.
 */
export async function runGraphDense(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  backend: Backend,
): Promise<Record<string, Tensor>> {
  validateInputs(graph.inputs, inputs);
  const shapes = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape]));
  return executePlan(graph, planGraph(graph, shapes), inputs, backend);
}
