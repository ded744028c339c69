import { STEP_KINDS, UnsupportedOpError, sizeOf } from '@motiondelta/core';
import type { Program, ProgramCompiler, StepKind, Tensor } from '@motiondelta/core';
import { callNativeSync } from '../native-error.js';
import { NoNativeForm, encodeDeltaStep, type DeltaEncodeContext } from './encode-delta-step.js';
import { denseStepDeclines } from './encode-dense-step.js';
import { encodeProgram } from './encode-program.js';
import { NativeExecutable } from './native-executable.js';
import type { NativeProgramAddon } from './native-program-addon.js';

/**
 * Step kinds cpu-native compiles into native programs: every one, block mode's `tiles` included
 * (its rectangles are derived natively from the frame's block mask, native/src/tile_rects.h).
 */
const NATIVE_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(STEP_KINDS);

/**
 * cpu-native's program compiler (`backend.programs`): a program is encoded once (values, steps with
 * their attributes as numbers, constants) and handed to the addon, which plans and allocates all
 * of its storage, packs its weights and checks every step's kernel arguments; each frame is then
 * one native call (see NativeExecutable).
 *
 * @example
 * ```ts
 * const backend = await createCpuNativeBackend({ threads: 2 });
 * const reason = backend.programs.declines(program); // undefined: it compiles
 * const executable = await backend.programs.compile(program, constants);
 * const { outputs, active, ms } = await executable.run('keyframe', { x });
 * ```
 */
export class NativeProgramCompiler implements ProgramCompiler {
  readonly stepKinds: ReadonlySet<StepKind> = NATIVE_STEP_KINDS;
  readonly #addon: NativeProgramAddon;
  readonly #fuse: boolean;

  /** `fuse` (default true): fold elementwise steps into convolutions' epilogues (see fuseConvSteps). */
  constructor(addon: NativeProgramAddon, options: { readonly fuse?: boolean } = {}) {
    this.#addon = addon;
    this.#fuse = options.fuse ?? true;
  }

  /**
   * Why `program` cannot run natively, or undefined: a dense op without a native form in programs
   * (a BatchNorm whose parameters are computed at run time, in a dense or tiles step), or a linear delta step the native
   * delta kernels have no form for (a Concat of another axis than channels, a Pad of the batch or
   * channel axis, a product of two varying operands written as a linear step): what the per-node
   * path hands to the fallback backend.
   */
  declines(program: Program): string | undefined {
    const { values } = program;
    const isConstant = (id: number): boolean => values[id]?.lifetime === 'constant';
    // Attributes only: constants' data is not needed to tell whether a form exists.
    const ctx: DeltaEncodeContext = {
      shape: (id) => values[id]!.shape,
      constant: (id) => (isConstant(id) ? new Float32Array(sizeOf(values[id]!.shape)).fill(1) : undefined),
      isDelta: (id) => values[id]?.kind === 'delta',
    };
    for (const steps of [program.entries.keyframe, program.entries.frame ?? []]) {
      for (const step of steps) {
        if (step.kind === 'dense' || step.kind === 'tiles') {
          // A tiles step runs its op's dense kernel (over rectangles): the same forms apply.
          const reason = denseStepDeclines(
            { kind: 'dense', node: step.node, call: step.call, inputs: step.inputs, output: step.output },
            isConstant,
          );
          if (reason !== undefined) return reason;
        } else if (step.kind === 'linear') {
          try {
            encodeDeltaStep(step, ctx);
          } catch (error) {
            if (error instanceof NoNativeForm) return error.reason;
            throw error;
          }
        }
      }
    }
    return undefined;
  }

  /**
   * Compiles `program` natively (synchronously: storage, checks and weight packing happen here).
   *
   * @throws UnsupportedOpError for a program it declines; ShapeError for one whose steps do not
   *   fit their operands; NativeKernelError when the addon refuses it
   */
  compile(program: Program, constants: ReadonlyMap<string, Tensor>): NativeExecutable {
    const reason = this.declines(program);
    if (reason !== undefined) throw new UnsupportedOpError('program', '(cpu-native program)', reason);
    const spec = encodeProgram(program, constants, { fuse: this.#fuse });
    const handle = callNativeSync('programCompile', () => this.#addon.programCompile(spec));
    return new NativeExecutable(this.#addon, handle, program);
  }
}
