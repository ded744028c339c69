import * as ort from 'onnxruntime-node';

/** A float32 tensor in the engine's own layout (NCHW for ONNX models). */
export interface EngineTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface OnnxRuntimeOptions {
  /** Intra-op threads; 1 by default so results and timings are reproducible. */
  readonly threads?: number;
}

/** A reusable onnxruntime-node session, for benchmarks that run one model many times. */
export interface OnnxRuntimeRunner {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Readonly<Record<string, EngineTensor>>): Promise<Record<string, { data: Float32Array; shape: number[] }>>;
  dispose(): Promise<void>;
}

/**
 * Creates an onnxruntime-node session on the CPU provider for a model path or model bytes.
 *
 * @example
 * ```ts
 * const runner = await createOnnxRuntimeRunner('model.onnx', { threads: 4 });
 * const out = await runner.run({ x: { data, shape: [1, 3, 224, 224] } });
 * await runner.dispose();
 * ```
 */
export async function createOnnxRuntimeRunner(model: string | Uint8Array, options: OnnxRuntimeOptions = {}): Promise<OnnxRuntimeRunner> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // Benchmarks interleave engines frame by frame; onnxruntime's intra-op threads otherwise keep
    // spinning after each run and take the cores from whatever runs next.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions)
      : await ort.InferenceSession.create(model, sessionOptions);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, tensor] of Object.entries(feeds)) {
        ortFeeds[name] = new ort.Tensor('float32', tensor.data, [...tensor.shape]);
      }
      const results = await session.run(ortFeeds);
      const out: Record<string, { data: Float32Array; shape: number[] }> = {};
      for (const name of session.outputNames) {
        const tensor = results[name];
        if (tensor === undefined) throw new Error(`onnxruntime returned no value for output '${name}'`);
        if (tensor.type !== 'float32') {
          throw new Error(`onnxruntime output '${name}' has type ${tensor.type}; only float32 outputs are compared`);
        }
        // Copy: ORT may reuse or free the buffer behind the tensor once the session goes away.
        out[name] = { data: Float32Array.from(tensor.data as Float32Array), shape: tensor.dims.map(Number) };
      }
      return out;
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * Runs a model once with onnxruntime-node and returns every output in ORT's own layout.
 *
 * @example
 * ```ts
 * const { y } = await runOnnxRuntime(bytes, { x: { data, shape: [1, 3, 8, 8] } });
 * ```
 */
export async function runOnnxRuntime(
  model: string | Uint8Array,
  feeds: Readonly<Record<string, EngineTensor>>,
  options: OnnxRuntimeOptions = {},
): Promise<Record<string, { data: Float32Array; shape: number[] }>> {
  const runner = await createOnnxRuntimeRunner(model, options);
  try {
    return await runner.run(feeds);
  } finally {
    await runner.dispose();
  }
}
