import type { Program, Step, ValueId } from '@motiondelta/core';
import type { GpuContext } from '../gpu/gpu-context.js';
import type { KernelPlan } from '../kernels/kernel-plan.js';
import type { DeviceValue } from './device-values.js';
import { planStep, type BufferRef } from './plan-step.js';

/** One recorded GPU command of a compiled step. */
export type Command =
  | { readonly kind: 'dispatch'; readonly plan: KernelPlan; readonly group: GPUBindGroup; readonly indirect?: GPUBuffer }
  | { readonly kind: 'copy'; readonly from: GPUBuffer; readonly to: GPUBuffer; readonly bytes: number }
  | { readonly kind: 'clear'; readonly target: GPUBuffer };

/** A step as the executable replays it every frame. */
export interface CompiledStep {
  readonly commands: readonly Command[];
  /** For a step whose output is a delta (and for accumulate, its input): that value, whose mask gives the active pixels. */
  readonly deltaOutput?: ValueId;
  /** For a step without a delta output: the pixels it reports as updated. */
  readonly pixels: number;
  /** Buffers the step owns (tables), released with the executable. */
  readonly owned: readonly GPUBuffer[];
}

const pixelsOf = (shape: readonly number[]): number =>
  shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : shape.reduce((a, b) => a * b, 1);

/**
 * Plans a step and binds its commands to the program's buffers once: running a frame replays
 * them. Pipelines come from the context's cache (keyed by WGSL holding shapes and attributes only).
 */
export function compileStep(ctx: GpuContext, program: Program, values: readonly DeviceValue[], step: Step): CompiledStep {
  const buffer = (ref: BufferRef): GPUBuffer => {
    const v = values[ref.value]!;
    if (v.kind === 'tensor') return v.buffer;
    return v[ref.part === 'data' ? 'values' : ref.part];
  };
  const owned: GPUBuffer[] = [];
  const commands = planStep(program, step).map((c): Command => {
    if (c.kind === 'copy') return { kind: 'copy', from: buffer(c.from), to: buffer(c.to), bytes: values[c.to.value]!.elements * 4 };
    if (c.kind === 'clear') return { kind: 'clear', target: buffer(c.target) };
    const aux = c.plan.aux ? ctx.upload(c.plan.aux as Int32Array<ArrayBuffer>) : undefined;
    if (aux) owned.push(aux);
    const group = ctx.bindGroup(c.plan, c.reads.map(buffer), aux, c.writes.map(buffer));
    return { kind: 'dispatch', plan: c.plan, group, ...(c.indirect ? { indirect: buffer(c.indirect) } : {}) };
  });
  const deltaOutput =
    step.kind === 'accumulate' ? step.input : 'output' in step && program.values[step.output]!.kind === 'delta' ? step.output : undefined;
  if (deltaOutput !== undefined) return { commands, deltaOutput, pixels: 0, owned };
  return { commands, pixels: 'output' in step ? pixelsOf(program.values[step.output]!.shape) : 0, owned };
}
