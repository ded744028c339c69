import { checkProgram, ProgramError, type BlockGrid, type OpCall, type Program, type Step, type ValueId } from '@motiondelta/core';
import type { Graph } from '../ir/graph.js';
import { pixelsOf, type LoweredProgram, type StepInfo } from '../program/lowered-program.js';
import { ValueTable } from '../program/value-table.js';
import type { ExecutionPlan } from '../shape/plan-graph.js';
import { blockSpans } from './block-spans.js';
import { tileFormOf, type TileForm } from './tile-form.js';

/** Name of the frame input that carries the executed-block mask of a block program. */
export const BLOCKS_INPUT = '#blocks';

/** A block-mode program and what its statistics need. */
export interface BlockProgram extends LoweredProgram {
  /** Per step of the `frame` entry: how it computes its node. */
  readonly forms: readonly TileForm[];
}

/**
 * Lowers a plan to block mode's program. Every node's output is a `stream` value: the persistent
 * map that keeps last frame's features where blocks are copied.
 * - `keyframe`: one dense step per node (every block executed).
 * - `frame`: per node, a `tiles` step that recomputes the node's output over the executed blocks
 *   (their spans on the node's map, from its size relative to the image), or a `dense` step for a
 *   global node (recomputed whole from the combined maps).
 *
 * The executed-block mask is the frame input {@link BLOCKS_INPUT}, [1, rows, cols, 1].
 * `macs[i]` is node i's multiply-accumulates.
 */
export function lowerBlock(graph: Graph, plan: ExecutionPlan, grid: BlockGrid, macs: readonly number[]): BlockProgram {
  const table = new ValueTable();
  for (const input of graph.inputs) table.declare(input.name, 'tensor', plan.shapes.get(input.name)!, 'input');
  const blocks = table.declare(BLOCKS_INPUT, 'tensor', [1, grid.rows, grid.cols, 1], 'input');
  const operand = (name: string, node: string): ValueId | null => {
    if (name === '') return null;
    if (table.has(name)) return table.id(name);
    const constant = graph.constants.get(name);
    if (constant) return table.declare(name, 'tensor', constant.shape, 'constant');
    // Integer constants (rare after import) are folded into attributes; kernels never read them.
    if (graph.intConstants.has(name)) return null;
    throw new ProgramError(`node '${node}' reads '${name}', which no input, constant or earlier node provides.`);
  };
  const keyframe: Step[] = [];
  const frame: Step[] = [];
  const info: StepInfo[] = [];
  const forms: TileForm[] = [];
  plan.steps.forEach((resolved, index) => {
    const node = resolved.node;
    const inputs = node.inputs.map((name) => operand(name, node.name));
    const shape = resolved.outputShape;
    const output = table.declare(node.outputs[0]!, 'tensor', shape, 'stream');
    const call = { op: node.op, attrs: resolved.attrs } as OpCall;
    keyframe.push({ kind: 'dense', node: node.name, call, inputs, output });
    const form = tileFormOf(
      call,
      node.inputs.map((name) => (name === '' ? undefined : plan.shapes.get(name))),
      shape,
    );
    if (form === 'global') frame.push({ kind: 'dense', node: node.name, call, inputs, output });
    else {
      const rowSpans = blockSpans(grid.rows, grid.blockSize, grid.height, shape[1]!);
      const colSpans = blockSpans(grid.cols, grid.blockSize, grid.width, shape[2]!);
      frame.push({ kind: 'tiles', node: node.name, call, inputs, blocks, rowSpans, colSpans, output });
    }
    forms.push(form);
    info.push({ denseMacs: macs[index]!, pixels: pixelsOf(shape) });
  });
  const program: Program = {
    values: table.values,
    inputs: [...graph.inputs.map((i) => ({ name: i.name, value: table.id(i.name) })), { name: BLOCKS_INPUT, value: blocks }],
    outputs: graph.outputs.map((o) => ({ name: o.name, value: table.id(o.name) })),
    entries: { keyframe, frame },
  };
  checkProgram(program);
  return { program, info: { keyframe: info, frame: info }, forms };
}
