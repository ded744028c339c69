import { UnsupportedOpError, type Program, type Step, type ValueId } from '@motiondelta/core';
import { planLinear, type LinearOperand } from '../kernels/delta-linear.js';
import { accumulatePlan, activationPlan, binaryDeltaPlan, maxPoolDeltaPlan, sparsifyPlan } from '../kernels/delta-steps.js';
import { compactTilesPlan, gateArgsPlan, tileArgsPlan } from '../kernels/active-tiles.js';
import type { KernelPlan, ShapedCall } from '../kernels/kernel-plan.js';
import { planDense } from '../kernels/plan-dense.js';

/**
 * A buffer of a program value: a tensor's data, or one of a delta's buffers (its values, its
 * mask, its list of active tiles, the indirect arguments of a kernel over those tiles, and the
 * indirect arguments of the step producing it when that step is skipped unless an input changed).
 */
export interface BufferRef {
  readonly value: ValueId;
  readonly part: 'data' | 'values' | 'mask' | 'tiles' | 'args' | 'gate';
}

/** One GPU command of a planned step, over program values (bound to buffers at compile time). */
export type PlannedCommand =
  | {
      readonly kind: 'dispatch';
      readonly plan: KernelPlan;
      readonly reads: readonly BufferRef[];
      readonly writes: readonly BufferRef[];
      /** Dispatched with the workgroup counts this buffer holds (written earlier in the frame). */
      readonly indirect?: BufferRef;
    }
  | { readonly kind: 'copy'; readonly from: BufferRef; readonly to: BufferRef }
  | { readonly kind: 'clear'; readonly target: BufferRef };

/** The step kinds the webgpu compiler implements. */
export const WEBGPU_STEP_KINDS = new Set(['dense', 'copy', 'sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool'] as const);

const data = (value: ValueId): BufferRef => ({ value, part: 'data' });
const values = (value: ValueId): BufferRef => ({ value, part: 'values' });
const mask = (value: ValueId): BufferRef => ({ value, part: 'mask' });
const tiles = (value: ValueId): BufferRef => ({ value, part: 'tiles' });
const args = (value: ValueId): BufferRef => ({ value, part: 'args' });
const gate = (value: ValueId): BufferRef => ({ value, part: 'gate' });
const clear = (target: BufferRef): PlannedCommand => ({ kind: 'clear', target });

/**
 * The commands of one step, from the program's declarations only (no device): what `compile`
 * binds and `declines` tries, so that a step the compiler cannot run is declined with the
 * planner's own reason before anything is allocated.
 *
 * @throws UnsupportedOpError for an op, step kind or operand combination without a webgpu kernel;
 *   ShapeError for shapes that do not fit the op
 */
export function planStep(program: Program, step: Step): PlannedCommand[] {
  const shape = (id: ValueId): readonly number[] => program.values[id]!.shape;
  const isDelta = (id: ValueId | null): boolean => id !== null && program.values[id]!.kind === 'delta';
  const dispatch = (plan: KernelPlan, reads: BufferRef[], writes: BufferRef[], indirect?: BufferRef): PlannedCommand => ({
    kind: 'dispatch',
    plan,
    reads,
    writes,
    ...(indirect ? { indirect } : {}),
  });
  const pixels = (id: ValueId): number => shape(id)[0]! * shape(id)[1]! * shape(id)[2]!;
  /** Lists the active tiles of delta `id` on the device. */
  const listTiles = (id: ValueId): PlannedCommand[] => [clear(tiles(id)), dispatch(compactTilesPlan(pixels(id)), [mask(id)], [tiles(id)])];
  /** A per-pixel kernel over the listed tiles of `id` (its tile list bound last among the reads). */
  const overTiles = (id: ValueId, plan: KernelPlan, reads: BufferRef[], writes: BufferRef[]): PlannedCommand[] => [
    dispatch(tileArgsPlan(), [tiles(id)], [args(id)]),
    dispatch(plan, [...reads, tiles(id)], writes, args(id)),
  ];
  /** A kernel over every output pixel of `output`, run only when one of `inputs` (listed) has an active tile. */
  const gated = (
    inputs: readonly ValueId[],
    output: ValueId,
    plan: KernelPlan,
    reads: BufferRef[],
    writes: BufferRef[],
  ): PlannedCommand[] => [
    dispatch(gateArgsPlan(inputs.length, plan.threads), inputs.map(tiles), [gate(output)]),
    dispatch(plan, reads, writes, gate(output)),
  ];
  switch (step.kind) {
    case 'dense': {
      const call = {
        ...step.call,
        inputs: step.inputs.map((id) => (id === null ? undefined : shape(id))),
        outputShape: shape(step.output),
      };
      const plan = planDense(call as ShapedCall);
      return [
        dispatch(
          plan,
          plan.inputs.map((k) => data(step.inputs[k]!)),
          [data(step.output)],
        ),
      ];
    }
    case 'copy':
      return [{ kind: 'copy', from: data(step.input), to: data(step.output) }];
    case 'sparsify':
      // Reads a dense tensor: every pixel.
      return [
        dispatch(
          sparsifyPlan(shape(step.input), step.threshold),
          [data(step.input)],
          [data(step.reference), values(step.output), mask(step.output)],
        ),
      ];
    case 'accumulate':
      return [
        ...listTiles(step.input),
        ...overTiles(step.input, accumulatePlan(shape(step.input)), [values(step.input), mask(step.input)], [data(step.target)]),
      ];
    case 'activation':
      return [
        ...listTiles(step.input),
        clear(mask(step.output)),
        ...overTiles(
          step.input,
          activationPlan(shape(step.input), step.activation, step.threshold),
          [values(step.input), mask(step.input)],
          [data(step.accumulated), data(step.emitted), values(step.output), mask(step.output)],
        ),
      ];
    case 'maxpool':
      return [
        ...listTiles(step.input),
        ...overTiles(step.input, accumulatePlan(shape(step.input)), [values(step.input), mask(step.input)], [data(step.accumulated)]),
        clear(mask(step.output)),
        ...gated(
          [step.input],
          step.output,
          maxPoolDeltaPlan(step.attrs, shape(step.input), shape(step.output), step.threshold),
          [mask(step.input), data(step.accumulated)],
          [data(step.emitted), values(step.output), mask(step.output)],
        ),
      ];
    case 'binary': {
      const commands: PlannedCommand[] = [];
      const varying: ValueId[] = [];
      const operand = (k: 0 | 1): { varying: boolean; shape: readonly number[]; source: ValueId } => {
        const input = step.inputs[k];
        const acc = step.accumulated[k];
        if (isDelta(input) && acc !== null) {
          varying.push(input);
          commands.push(...listTiles(input), ...overTiles(input, accumulatePlan(shape(input)), [values(input), mask(input)], [data(acc)]));
          return { varying: true, shape: shape(input), source: acc };
        }
        return { varying: false, shape: shape(input), source: input };
      };
      const [a, b] = [operand(0), operand(1)];
      if (!a.varying && !b.varying)
        throw new UnsupportedOpError(step.op, step.node, 'a binary delta step needs at least one varying operand');
      commands.push(
        clear(mask(step.output)),
        ...gated(
          varying,
          step.output,
          binaryDeltaPlan(step.op, a, b, shape(step.output), step.threshold),
          [data(a.source), data(b.source), ...varying.map(mask)],
          [data(step.emitted), values(step.output), mask(step.output)],
        ),
      );
      return commands;
    }
    case 'linear': {
      const operands = step.inputs.map((id): LinearOperand => {
        if (id === null) return undefined;
        return { kind: isDelta(id) ? 'delta' : 'constant', shape: shape(id) };
      });
      const { plan, reads, tiledOver, footprint } = planLinear(step.call, operands, shape(step.output));
      const refs = reads.map((r) => {
        const id = step.inputs[r.operand]!;
        return r.part === 'values' ? values(id) : r.part === 'mask' ? mask(id) : data(id);
      });
      const writes = [values(step.output), mask(step.output)];
      if (tiledOver !== undefined) {
        const over = step.inputs[tiledOver]!;
        return [...listTiles(over), clear(mask(step.output)), ...overTiles(over, plan, refs, writes)];
      }
      const varying = step.inputs.filter((id): id is ValueId => isDelta(id));
      if (footprint !== undefined) {
        // Convolutions: mark the output's active pixels (skipped when no input tile is active),
        // list the output's active tiles, and multiply-add over those only.
        return [
          ...varying.flatMap(listTiles),
          clear(mask(step.output)),
          ...gated(varying, step.output, footprint, [mask(varying[0]!)], [mask(step.output)]),
          ...listTiles(step.output),
          ...overTiles(step.output, plan, refs, writes),
        ];
      }
      return [...varying.flatMap(listTiles), clear(mask(step.output)), ...gated(varying, step.output, plan, refs, writes)];
    }
    default: {
      const kind = (step as { kind: string }).kind;
      throw new UnsupportedOpError(kind, (step as { node: string }).node, `the webgpu compiler has no '${kind}' step`);
    }
  }
}
