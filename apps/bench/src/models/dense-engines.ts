import type { ModelInputSpec } from '@motiondelta/data';
import { createNhwcEngine, type NhwcEngine } from '@motiondelta/reference-engines';
import { initTfjsWasm, useTfjsBackend } from './tfjs-wasm-backend.js';

/** Which dense engine a timing belongs to. */
export type DenseEngineKind = 'onnxruntime' | 'tfjs-wasm' | 'tfjs-cpu';

/** A dense engine under test, with what it really runs on. */
export interface DenseEngine extends NhwcEngine {
  readonly kind: DenseEngineKind;
  /** Threads the engine really uses. */
  readonly threads: number;
  /** Anything a reader of the results must know (for example fewer threads than asked). */
  readonly note?: string;
}

/** Options of {@link openDenseEngines}. */
export interface DenseEngineOptions {
  readonly threads: number;
  /** Also open tfjs-backend-cpu for TF.js models (slow; off by default). */
  readonly tfjsCpu: boolean;
}

/**
 * Opens the dense engines a user of this model would pick instead of MotionDelta. The first is
 * the baseline (speedups and errors are against it): onnxruntime-node for ONNX models with
 * `threads` intra-op threads, tfjs-backend-wasm (XNNPACK) for TF.js models. tfjs-backend-cpu
 * follows for TF.js models when asked, as an extra labelled timing.
 *
 * @example
 * ```ts
 * const [baseline] = await openDenseEngines(MODEL_INPUTS['ppocr-det'], path, { threads: 2, tfjsCpu: false });
 * ```
 */
export async function openDenseEngines(spec: ModelInputSpec, modelPath: string, options: DenseEngineOptions): Promise<DenseEngine[]> {
  if (spec.format === 'onnx') {
    const engine = await createNhwcEngine('onnx', modelPath, { threads: options.threads });
    return [{ ...bind(engine), kind: 'onnxruntime', threads: options.threads }];
  }
  const engines: DenseEngine[] = [];
  try {
    engines.push(await openTfjsEngine(spec, modelPath, 'wasm', options.threads));
    if (options.tfjsCpu) engines.push(await openTfjsEngine(spec, modelPath, 'cpu', options.threads));
  } catch (error) {
    await Promise.all(engines.map((e) => e.dispose()));
    throw error;
  }
  return engines;
}

/** Copies an engine's members so spreading it keeps working methods. */
function bind(engine: NhwcEngine): NhwcEngine {
  return {
    name: engine.name,
    inputNames: engine.inputNames,
    outputNames: engine.outputNames,
    run: (feeds) => engine.run(feeds),
    dispose: () => engine.dispose(),
  };
}

async function openTfjsEngine(spec: ModelInputSpec, modelPath: string, backend: 'wasm' | 'cpu', threads: number): Promise<DenseEngine> {
  if (spec.format === 'onnx') throw new TypeError('openTfjsEngine needs a TF.js model');
  const wasm = backend === 'wasm' ? await initTfjsWasm(threads) : undefined;
  // The runner loads weights on the current backend; they move to this engine's backend on its
  // first (warm-up) run and stay there, because every run selects that backend first.
  const inner = await createNhwcEngine(spec.format, modelPath);
  const used = wasm?.threads ?? 1;
  const label = backend === 'wasm' ? 'tfjs-backend-wasm 4.22 (XNNPACK' : 'tfjs-backend-cpu 4.22 (pure JS';
  return {
    kind: backend === 'wasm' ? 'tfjs-wasm' : 'tfjs-cpu',
    name: `${label}, ${used} thread${used > 1 ? 's' : ''})`,
    threads: used,
    ...(wasm?.note !== undefined && { note: wasm.note }),
    inputNames: inner.inputNames,
    outputNames: inner.outputNames,
    run: async (feeds) => {
      await useTfjsBackend(backend);
      return inner.run(feeds);
    },
    dispose: () => inner.dispose(),
  };
}
