import type { Backend, Executable, Program, StepKind, Tensor } from '@motiondelta/core';
import { HostExecutable } from './host-executable.js';

/** Step kinds the host runs through a backend's delta kernels. */
const DELTA_KINDS: ReadonlySet<StepKind> = new Set(['sparsify', 'accumulate', 'linear', 'activation', 'binary', 'maxpool']);

/** The step kinds a program uses, in first-use order. */
export function stepKindsOf(program: Program): StepKind[] {
  const kinds = new Set<StepKind>();
  for (const step of [...program.entries.keyframe, ...(program.entries.frame ?? [])]) kinds.add(step.kind);
  return [...kinds];
}

/**
 * The first of `kinds` that `backend` can run neither with its own program compiler nor on the
 * host through its kernels (dense and copy steps need only `runDense`; delta steps need its delta
 * kernels), or undefined when it can run them all.
 */
export function missingStepKind(backend: Backend, kinds: readonly StepKind[]): StepKind | undefined {
  return kinds.find((kind) => !backend.programs?.stepKinds.has(kind) && DELTA_KINDS.has(kind) && backend.delta === undefined);
}

/**
 * How a program runs on a backend: `'native'` when the backend's own program compiler takes it
 * (one dispatch per frame on the backend's own storage), or `{ host: reason }` when it runs on the
 * host, step by step through the backend's kernels, with the reason: the backend has no compiler,
 * its compiler lacks a step kind the program holds, or it declined the program
 * (`ProgramCompiler.declines`).
 */
export type ProgramRoute = 'native' | { readonly host: string };

/** Where `program` runs on `backend` (see {@link ProgramRoute}). */
export function programRoute(program: Program, backend: Backend): ProgramRoute {
  const compiler = backend.programs;
  if (!compiler) return { host: `backend '${backend.id}' has no program compiler` };
  const missing = stepKindsOf(program).find((kind) => !compiler.stepKinds.has(kind));
  if (missing !== undefined) return { host: `the program compiler of '${backend.id}' does not implement '${missing}' steps` };
  const declined = compiler.declines?.(program);
  return declined === undefined ? 'native' : { host: declined };
}

/**
 * Compiles a program for `backend`: with the backend's own compiler when it implements every step
 * kind the program uses and does not decline it, otherwise on the host (step by step through the
 * backend's kernels).
 */
export async function compileProgram(program: Program, constants: ReadonlyMap<string, Tensor>, backend: Backend): Promise<Executable> {
  if (programRoute(program, backend) === 'native') return backend.programs!.compile(program, constants);
  return new HostExecutable(program, constants, backend);
}
