import { createOnnxRuntimeRunner } from './onnxruntime.js';
import { nchwToNhwc, nhwcToNchw } from './layout.js';
import { createTfjsRunner } from './tfjs.js';

/** A tensor in MotionDelta's layout: NHWC for four-dimensional tensors. */
export interface NhwcTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * A dense engine behind MotionDelta's conventions: NHWC feeds in, NHWC outputs out, whatever
 * layout the engine itself uses. Comparisons (tests, demo, benchmarks) then need no layout code.
 */
export interface NhwcEngine {
  /** Human-readable engine name with version, for tables. */
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Readonly<Record<string, NhwcTensor>>): Promise<Record<string, NhwcTensor>>;
  dispose(): Promise<void>;
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (t: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

const toNchw = (t: NhwcTensor): NhwcTensor => (t.shape.length === 4 ? nhwcToNchw(t) : t);
const toNhwc = (t: NhwcTensor): NhwcTensor => (t.shape.length === 4 ? nchwToNhwc(t) : t);

/**
 * Opens the model's own dense engine: onnxruntime-node for ONNX (a path or the bytes), tfjs (CPU
 * backend) for TF.js (the model.json path).
 *
 * @example
 * ```ts
 * const engine = await createNhwcEngine('onnx', 'model.onnx', { threads: 2 });
 * const out = await engine.run({ x: { data: new Float32Array(64 * 64 * 3), shape: [1, 64, 64, 3] } });
 * await engine.dispose();
 * ```
 */
export async function createNhwcEngine(
  format: 'onnx' | 'tfjs-graph' | 'tfjs-layers',
  model: string | Uint8Array,
  options: { threads?: number } = {},
): Promise<NhwcEngine> {
  if (format === 'onnx') {
    const threads = options.threads ?? 1;
    const runner = await createOnnxRuntimeRunner(model, { threads });
    return {
      name: `onnxruntime-node 1.30 (${threads} thread${threads > 1 ? 's' : ''})`,
      inputNames: runner.inputNames,
      outputNames: runner.outputNames,
      run: async (feeds) => mapValues(await runner.run(mapValues(feeds, toNchw)), toNhwc),
      dispose: () => runner.dispose(),
    };
  }
  if (typeof model !== 'string') throw new TypeError('TF.js models are opened from their model.json path.');
  const runner = await createTfjsRunner(model);
  return {
    name: 'tfjs 4.22 (cpu backend)',
    inputNames: runner.inputNames,
    outputNames: runner.outputNames,
    run: (feeds) => runner.run({ ...feeds }),
    dispose: async () => runner.dispose(),
  };
}
