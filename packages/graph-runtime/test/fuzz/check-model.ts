import { MotionDeltaError, randomFloat32, sizeOf, type Rng, type Tensor } from '@motiondelta/core';
import type { Model } from '../../src/model.js';
import type { Session } from '../../src/session/session.js';

/** One fuzz case: a mutated model and how to load it. */
export interface FuzzCase {
  /** The base model and the mutations applied, for failure messages. */
  readonly description: string;
  /**
   * Whether a mutation may have changed numbers the model computes with (weights, quantization,
   * float attributes, raw bytes). Then NaN or infinite outputs are the model's own arithmetic
   * (3e38 * 2 overflows in any runtime) and are accepted; otherwise they point at a bug.
   */
  readonly touchesValues: boolean;
  /** Size given to each unknown spatial dimension when the model is run. */
  readonly unknownDim: number;
  load(): Promise<Model>;
}

/** What happened to a case, counted per test so that a run shows what it exercised. */
export type Outcome = 'refused at load' | 'ran' | 'refused at run' | 'not run (large input)' | 'non-finite (values mutated)';

/** Shared between the cases of one test: how many runs on large fixed inputs may still happen. */
export interface RunBudget {
  largeRuns: number;
}

/** Inputs with more values than this count as large (their runs are rationed). */
const SMALL_INPUT_VALUES = 64 * 64 * 4;
/** A fuzzed session may not allocate more than this: a mutated shape must not take the machine. */
const SESSION_MEMORY_LIMIT = 256 * 2 ** 20;

/** A failed invariant; the caller adds the seed and case number. */
export class FuzzFailure extends Error {}

function typedOrFail(error: unknown, stage: string): void {
  if (!MotionDeltaError.isInstance(error)) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new FuzzFailure(`${stage} threw an untyped error (not a MotionDeltaError): ${detail}`);
  }
}

/**
 * The invariant of every case: `loadModel` resolves or throws a MotionDeltaError; a model that
 * loads runs densely on the reference backend on a small input and gives outputs of consistent
 * size that are finite (unless the case changed numbers), or throws a MotionDeltaError.
 */
export async function checkCase(
  fuzzCase: FuzzCase,
  rng: Rng,
  budget: RunBudget,
  note: (detail: string) => void = () => {},
): Promise<Outcome> {
  let model: Model;
  try {
    model = await fuzzCase.load();
  } catch (error) {
    typedOrFail(error, 'loadModel');
    note(`${(error as Error).name}: ${(error as Error).message}`);
    return 'refused at load';
  }

  const inputs: Record<string, Tensor> = {};
  let values = 0;
  for (const input of model.inputs) {
    const rank = input.shape.length;
    const shape = input.shape.map((d, axis) => d ?? (axis === 0 ? 1 : rank === 4 && axis === 3 ? 3 : fuzzCase.unknownDim));
    const n = sizeOf(shape);
    values += n;
    if (!Number.isSafeInteger(n) || n > 2 ** 24) return 'not run (large input)';
    inputs[input.name] = { data: new Float32Array(0), shape };
  }
  if (values > SMALL_INPUT_VALUES) {
    if (budget.largeRuns <= 0) return 'not run (large input)';
    budget.largeRuns--;
  }
  for (const tensor of Object.values(inputs)) (tensor as { data: Float32Array }).data = randomFloat32(rng, sizeOf(tensor.shape), -1, 1);

  let session: Session | undefined;
  try {
    // Inputs are built from `model.inputs`, which are NHWC: say so (the default is the file's layout).
    session = await model.createSession({ mode: 'dense', backend: ['reference'], memoryLimit: SESSION_MEMORY_LIMIT, layout: 'nhwc' });
    const outputs = await session.run(inputs);
    for (const [name, tensor] of Object.entries(outputs)) {
      if (tensor.data.length !== sizeOf(tensor.shape)) {
        throw new FuzzFailure(`output '${name}' has shape [${tensor.shape.join(',')}] but ${tensor.data.length} values`);
      }
      const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        if (fuzzCase.touchesValues) return 'non-finite (values mutated)';
        throw new FuzzFailure(`output '${name}' holds ${tensor.data[bad]} at ${bad}, and no mutation changed the model's numbers`);
      }
    }
    return 'ran';
  } catch (error) {
    if (error instanceof FuzzFailure) throw error;
    typedOrFail(error, session === undefined ? 'createSession' : 'session.run');
    note(`${(error as Error).name}: ${(error as Error).message}`);
    return 'refused at run';
  } finally {
    session?.dispose();
  }
}
