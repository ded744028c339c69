import type { Backend, DenseKernelCall, Tensor } from '@motiondelta/core';
import type { Graph, InputTensor } from '../ir/graph.js';
import { planGraph, type ExecutionPlan } from '../shape/plan-graph.js';
import { copyInputs, readInputs } from './validate-inputs.js';

/**
 * Runs a planned graph densely on one backend. Intermediate values are dropped after their last
 * reader so that peak memory follows the widest cut of the graph, not its total size. `onStep`
 * hears how long each step took (statistics).
 *
 * Outputs never share storage with `inputs`, the graph's constants or each other (a graph output
 * that is an input or a constant, or a backend returning a view of its operand, is copied), so a
 * caller may keep and change them freely.
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
  return ownOutputs(graph, values, inputs);
}

/** The graph's outputs, each copied where its storage is shared with something the caller must not reach. */
function ownOutputs(graph: Graph, values: ReadonlyMap<string, Tensor>, inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  const shared = new Set<ArrayBufferLike>();
  for (const t of Object.values(inputs)) shared.add(t.data.buffer);
  for (const t of graph.constants.values()) shared.add(t.data.buffer);
  const outputs: Record<string, Tensor> = {};
  for (const out of graph.outputs) {
    const t = values.get(out.name) ?? graph.constants.get(out.name)!;
    const data = shared.has(t.data.buffer) ? new Float32Array(t.data) : t.data;
    shared.add(data.buffer);
    // The shape array too: kernels return the plan's own outputShape, which later frames reuse.
    outputs[out.name] = { data, shape: [...t.shape] };
  }
  return outputs;
}

/**
 * Validates inputs, plans for their shapes and runs the graph densely: the simplest way to execute
 * an imported graph, used by tests and by the dense session. The inputs are copied first, so the
 * backend never sees the caller's buffers (which the caller may change or detach meanwhile).
 */
export async function runGraphDense(
  graph: Graph,
  inputs: Readonly<Record<string, InputTensor>>,
  backend: Backend,
): Promise<Record<string, Tensor>> {
  const { tensors } = copyInputs(readInputs(graph.inputs, inputs));
  const shapes = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]));
  return executePlan(graph, planGraph(graph, shapes), tensors, backend);
}
