import {
  UnsupportedOpError,
  checkProgram,
  type Program,
  type ProgramCompiler,
  type Step,
  type StepKind,
  type Tensor,
} from '@motiondelta/core';
import type { GpuContext } from '../gpu/gpu-context.js';
import { WEBGPU_DENSE_OPS } from '../kernels/plan-dense.js';
import { compileStep, type CompiledStep } from './compile-step.js';
import { WEBGPU_STEP_KINDS as STEP_KINDS_IMPLEMENTED, planStep } from './plan-step.js';
import { allocateDeviceValues, releaseDeviceValues } from './device-values.js';
import { WebGpuExecutable } from './webgpu-executable.js';

/** The step kinds the webgpu compiler implements. */
export const WEBGPU_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(STEP_KINDS_IMPLEMENTED);

/** Compiles programs to {@link WebGpuExecutable}s on one device. */
export class WebGpuProgramCompiler implements ProgramCompiler {
  readonly stepKinds = WEBGPU_STEP_KINDS;

  constructor(private readonly ctx: GpuContext) {}

  /**
   * Why this compiler cannot run `program`: a step kind, op or operand combination it has no
   * kernel for (the planner's own message), or a Concat binding more inputs than the device
   * allows; undefined when it can. Plans every step without touching the device.
   */
  declines(program: Program): string | undefined {
    for (const step of allSteps(program)) {
      if (!WEBGPU_STEP_KINDS.has(step.kind)) return `step kind '${step.kind}' (node '${step.node}') has no webgpu kernel`;
      if (step.kind === 'dense' && !WEBGPU_DENSE_OPS.has(step.call.op))
        return `op ${step.call.op} (node '${step.node}') has no webgpu kernel`;
      if ((step.kind === 'dense' || step.kind === 'linear') && step.call.op === 'Concat' && step.inputs.length > this.maxInputs()) {
        return `Concat of ${step.inputs.length} inputs (node '${step.node}'): a webgpu kernel binds at most ${this.maxInputs()}`;
      }
      try {
        planStep(program, step);
      } catch (error) {
        if (error instanceof UnsupportedOpError) return `${step.kind} step of node '${step.node}': ${error.message}`;
        throw error;
      }
    }
    return undefined;
  }

  /**
   * Allocates the program's storage, uploads its constants (once per host array) and records
   * every step's dispatches.
   *
   * @throws ProgramError for a program that breaks the contract; UnsupportedOpError for one this
   *   compiler declines (see {@link declines}); WebGpuError when the device refuses a kernel or memory
   */
  compile(program: Program, constants: ReadonlyMap<string, Tensor>): Promise<WebGpuExecutable> {
    checkProgram(program);
    const reason = this.declines(program);
    if (reason !== undefined) throw new UnsupportedOpError('program', '(webgpu)', reason);
    for (const v of program.values) {
      if (v.lifetime === 'constant' && !constants.has(v.name)) {
        throw new UnsupportedOpError('constant', v.name, 'the program names a constant that was not given to compile()');
      }
    }
    return this.ctx.checked('compiling a program', () => this.record(program, constants));
  }

  private record(program: Program, constants: ReadonlyMap<string, Tensor>): WebGpuExecutable {
    const values = allocateDeviceValues(this.ctx, program, constants);
    const compiled: CompiledStep[] = [];
    try {
      const entry = (steps: readonly Step[]): CompiledStep[] =>
        steps.map((s) => {
          const c = compileStep(this.ctx, program, values, s);
          compiled.push(c);
          return c;
        });
      const keyframe = entry(program.entries.keyframe);
      const frame = program.entries.frame ? entry(program.entries.frame) : undefined;
      return new WebGpuExecutable(this.ctx, program, values, frame ? { keyframe, frame } : { keyframe });
    } catch (error) {
      releaseDeviceValues(this.ctx, values);
      for (const c of compiled) for (const b of c.owned) this.ctx.release(b);
      throw error;
    }
  }

  private maxInputs(): number {
    return this.ctx.device.limits.maxStorageBuffersPerShaderStage - 1;
  }
}

function allSteps(program: Program): readonly Step[] {
  return [...program.entries.keyframe, ...(program.entries.frame ?? [])];
}
