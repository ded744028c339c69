import { loadModel, MotionDeltaError, readOnnxTensor, UnsupportedOpError, type Model, type Tensor } from 'motiondelta';
import { bindInputs } from './bind-inputs.js';
import { compareValues, maxAbsError } from './compare-outputs.js';
import { readBackendTest, type BackendTestCase, type BackendTestFiles } from './corpus.js';
import { readModelFacts, type ModelFacts } from './model-facts.js';
import { opFamily } from './op-family.js';
import { allFloat32, outOfScopeReason, type ScopeReason } from './scope.js';

/** The backends every in-scope test must pass on. */
export const CONFORMANCE_BACKENDS = ['reference', 'cpu-native'] as const;
export type ConformanceBackend = (typeof CONFORMANCE_BACKENDS)[number];

/** How one test went on one backend. */
export type Outcome =
  | { readonly kind: 'pass'; readonly maxError: number }
  | { readonly kind: 'mismatch'; readonly message: string }
  /** An `UnsupportedOpError`: the op, or one of its attribute values or inputs, is not supported. */
  | { readonly kind: 'unsupported'; readonly message: string }
  /** Another typed MotionDelta error (ModelFormatError, ShapeError...). */
  | { readonly kind: 'typed-error'; readonly errorName: string; readonly message: string }
  /** An error MotionDelta did not throw on purpose: a bug. */
  | { readonly kind: 'error'; readonly message: string }
  /** The backend cannot run on this machine (the native addon is not built). */
  | { readonly kind: 'backend-unavailable'; readonly message: string };

/** Everything known about one test after it ran. */
export interface CaseReport {
  readonly suite: BackendTestCase['suite'];
  readonly name: string;
  readonly family: string;
  /** Distinct op types of the graph, in first-use order. */
  readonly ops: readonly string[];
  /** Every input and output is float32. */
  readonly allFloat32: boolean;
  /** Why the test is out of scope; undefined when MotionDelta must run it. */
  readonly scope: ScopeReason | undefined;
  /** Graph inputs that were bound as initializers (see `bindInputs`). */
  readonly bound: readonly string[];
  readonly outcomes: Readonly<Partial<Record<ConformanceBackend, Outcome>>>;
}

/** Classifies an error by type; only `UnsupportedOpError` counts as "unsupported". */
export function outcomeOfError(error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  if (UnsupportedOpError.isInstance(error)) return { kind: 'unsupported', message };
  if (MotionDeltaError.isInstance(error)) {
    if ((error as Error).name === 'BackendUnavailableError') return { kind: 'backend-unavailable', message };
    return { kind: 'typed-error', errorName: (error as Error).name, message };
  }
  return { kind: 'error', message: `${(error as Error)?.name ?? 'Error'}: ${message}` };
}

/** An UnsupportedOpError of the importer that asks for one of the graph's inputs to be a constant. */
function inputAskedConstant(error: unknown, unbound: ReadonlyMap<string, number>): number | undefined {
  if (!UnsupportedOpError.isInstance(error)) return undefined;
  const name = /input '([^']*)' must be (?:an integer |a )constant/.exec((error as Error).message)?.[1];
  return name === undefined ? undefined : unbound.get(name);
}

interface LoadedTest {
  readonly model: Model;
  readonly bound: readonly string[];
  readonly feeds: Record<string, Tensor>;
}

/**
 * Loads a test's model with MotionDelta. Integer inputs are bound as initializers at once (only
 * float32 flows through MotionDelta graphs); a float input is bound when the importer asks for it
 * to be a constant (a convolution's weights, a Clip's bounds): one retry per such input.
 */
async function loadBackendTest(facts: ModelFacts, files: BackendTestFiles, location: string): Promise<LoadedTest> {
  const names = facts.inputs.map((input) => input.name);
  const bound = new Set<number>();
  facts.inputs.forEach((input, index) => {
    if (input.elemType !== 'FLOAT') bound.add(index);
  });
  for (;;) {
    const bytes = bindInputs(facts.proto, names, files.inputs, bound);
    try {
      const model = await loadModel(bytes);
      const feeds: Record<string, Tensor> = {};
      names.forEach((name, index) => {
        if (bound.has(index)) return;
        const tensor = readOnnxTensor(files.inputs[index]!, `${location}/input_${index}.pb`);
        // In ONNX order as the file holds them: sessions take the model's own layout by default.
        feeds[name] = { data: Float32Array.from(tensor.data), shape: [...tensor.dims] };
      });
      return { model, feeds, bound: [...bound].sort((a, b) => a - b).map((index) => names[index]!) };
    } catch (error) {
      const unbound = new Map(names.flatMap((name, index) => (bound.has(index) ? [] : [[name, index] as const])));
      const index = inputAskedConstant(error, unbound);
      if (index === undefined) throw error;
      bound.add(index);
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Runs a loaded test densely on one backend and compares every output with the test's. */
async function runOn(loaded: LoadedTest, files: BackendTestFiles, backend: ConformanceBackend, location: string): Promise<Outcome> {
  let session;
  try {
    session = await loaded.model.createSession({ mode: 'dense', backend: [backend] });
  } catch (error) {
    return outcomeOfError(error);
  }
  try {
    const results = await session.run(loaded.feeds);
    const outputs = loaded.model.outputs;
    if (outputs.length !== files.outputs.length) {
      return { kind: 'mismatch', message: `the model has ${outputs.length} outputs, the test expects ${files.outputs.length}` };
    }
    let maxError = 0;
    for (const [index, info] of outputs.entries()) {
      const expected = readOnnxTensor(files.outputs[index]!, `${location}/output_${index}.pb`);
      const produced = results[info.name];
      if (produced === undefined) return { kind: 'mismatch', message: `output '${info.name}' is missing` };
      // The session gives outputs in the model's own layout (its default): ONNX order, as the test expects.
      const actual = produced;
      if (!sameShape(actual.shape, expected.dims)) {
        return {
          kind: 'mismatch',
          message: `output '${info.name}' has shape [${produced.shape.join(',')}], expected [${expected.dims.join(',')}]`,
        };
      }
      const mismatch = compareValues(actual.data, expected.data);
      if (mismatch !== undefined) {
        return {
          kind: 'mismatch',
          message:
            `output '${info.name}': ${mismatch.count} of ${expected.data.length} values out of tolerance; ` +
            `first at ${mismatch.index}: ${mismatch.actual} vs ${mismatch.expected}`,
        };
      }
      maxError = Math.max(maxError, maxAbsError(actual.data, expected.data));
    }
    return { kind: 'pass', maxError };
  } catch (error) {
    return outcomeOfError(error);
  } finally {
    session.dispose();
  }
}

/**
 * Runs one ONNX backend test on each backend: classify, import (binding constant inputs), run
 * densely, compare every output at onnxruntime's tolerances.
 *
 * @example
 * const report = await runBackendTest(test, ['reference']);
 * report.outcomes.reference.kind; // 'pass' | 'mismatch' | 'unsupported' | ...
 */
export async function runBackendTest(
  test: BackendTestCase,
  backends: readonly ConformanceBackend[] = CONFORMANCE_BACKENDS,
): Promise<CaseReport> {
  const location = `${test.suite}/${test.name}`;
  const files = await readBackendTest(test);
  const facts = readModelFacts(files.model);
  const ops = [...new Set(facts.ops)];
  const base = {
    suite: test.suite,
    name: test.name,
    family: opFamily(ops),
    ops,
    allFloat32: allFloat32(facts),
    scope: outOfScopeReason(facts),
  };
  const outcomes: Partial<Record<ConformanceBackend, Outcome>> = {};
  let loaded: LoadedTest;
  try {
    loaded = await loadBackendTest(facts, files, location);
  } catch (error) {
    const outcome = outcomeOfError(error);
    for (const backend of backends) outcomes[backend] = outcome;
    return { ...base, bound: [], outcomes };
  }
  for (const backend of backends) outcomes[backend] = await runOn(loaded, files, backend, location);
  return { ...base, bound: loaded.bound, outcomes };
}
