import { readFile } from 'node:fs/promises';
import { OptionError, ShapeError, formatShape } from '@motiondelta/core';
import { MODEL_INPUTS, ensureData, type ModelId } from '@motiondelta/data';
import { loadModel, tensorError } from '@motiondelta/graph-runtime';
import { createNhwcEngine, exposeOnnxOutputs } from '@motiondelta/reference-engines';

import { readModelFrames, type FrameSelection } from './read-model-frames.js';
// Importing the package registers the backends it ships (cpu-native) with the runtime.
import { DEFAULT_BACKENDS } from 'motiondelta';

/** The worst error of one output over all frames. */
export interface OutputComparison {
  readonly maxAbs: number;
  /** ||ours - reference|| / ||reference||. */
  readonly relL2: number;
  readonly name: string;
  /** Largest |value| the engine produced, to judge the error against. */
  readonly maxAbsValue: number;
}

/** Options of {@link compareModel}. */
export interface CompareOptions {
  /**
   * ONNX models only: intermediate values to compare as well, by name (added to the model's
   * outputs for both engines). Useful before a final op whose engines differ by design.
   */
  readonly exposeOutputs?: readonly string[];
  /** MotionDelta's backend preference (default: cpu-native where built, then reference). */
  readonly backend?: readonly string[];
}

/** One model run densely by MotionDelta and by its own engine on the same real frames. */
export interface ModelComparison {
  readonly model: ModelId;
  readonly task: string;
  readonly inputShape: readonly number[];
  readonly frames: number;
  readonly engine: string;
  /** MotionDelta's backend id. */
  readonly backend: string;
  /** Backends passed over before it, each as `id: reason`. */
  readonly skipped: readonly string[];
  /** Mean milliseconds per frame (the first frame, which warms up both, is not timed). */
  readonly engineMs: number;
  readonly ourMs: number;
  /** Per output (exposed intermediates included), worst over frames. */
  readonly outputs: readonly OutputComparison[];
  /** Worst over frames and outputs. */
  readonly maxAbsError: number;
  readonly maxRelL2: number;
  /** Dense multiply-accumulates per frame. */
  readonly macs: number;
}

/**
 * Loads a catalog model, runs it on real frames with MotionDelta's dense session and with the
 * model's own engine, and compares every output of every frame.
 *
 * @example
 * ```ts
 * const row = await compareModel('selfie', { clip: 'vtest', start: 0, count: 2, size: [256, 256] });
 * console.log(row.maxRelL2 < 1e-4);
 * ```
 */
export async function compareModel(id: ModelId, selection: FrameSelection, options: CompareOptions = {}): Promise<ModelComparison> {
  const spec = MODEL_INPUTS[id];
  const item = await ensureData(id);
  let source: string | Uint8Array = item.main;
  if (options.exposeOutputs?.length) {
    if (spec.format !== 'onnx') throw new OptionError(`exposeOutputs works for ONNX models only; '${id}' is ${spec.format}.`);
    source = exposeOnnxOutputs(await readFile(item.main), options.exposeOutputs);
  }
  const model = await loadModel(source);
  // Frames and the engine's outputs are NHWC for every model (the engine wraps onnxruntime so).
  const session = await model.createSession({ mode: 'dense', backend: options.backend ?? DEFAULT_BACKENDS, layout: 'nhwc' });
  const engine = await createNhwcEngine(spec.format, source);
  try {
    const inputName = model.inputs[0]!.name;
    const frames = await readModelFrames(id, selection);
    let engineMs = 0;
    let ourMs = 0;
    const worst = new Map<string, OutputComparison>();
    for (const [index, frame] of frames.entries()) {
      const t0 = performance.now();
      const reference = await engine.run({ [engine.inputNames[0]!]: frame });
      const t1 = performance.now();
      const ours = await session.run({ [inputName]: frame });
      const t2 = performance.now();
      if (index > 0 || frames.length === 1) {
        engineMs += t1 - t0;
        ourMs += t2 - t1;
      }
      for (const out of model.outputs) {
        const expected = reference[out.name];
        const actual = ours[out.name]!;
        if (!expected)
          throw new ShapeError(`${id}: the reference engine has no output '${out.name}' (it has ${Object.keys(reference).join(', ')}).`);
        if (formatShape(expected.shape) !== formatShape(actual.shape)) {
          throw new ShapeError(
            `${id}: output '${out.name}' is ${formatShape(actual.shape)}, the engine gives ${formatShape(expected.shape)}.`,
          );
        }
        const err = tensorError(actual.data, expected.data);
        const previous = worst.get(out.name);
        worst.set(out.name, {
          name: out.name,
          maxAbs: Math.max(err.maxAbs, previous?.maxAbs ?? 0),
          relL2: Math.max(err.relL2, previous?.relL2 ?? 0),
          maxAbsValue: Math.max(maxAbsOf(expected.data), previous?.maxAbsValue ?? 0),
        });
      }
    }
    const timed = Math.max(frames.length - 1, 1);
    const lastFrame = session.stats().frames.at(-1);
    return {
      model: id,
      task: spec.task,
      inputShape: frames[0]!.shape,
      frames: frames.length,
      engine: engine.name,
      backend: session.backendInfo.id,
      skipped: session.backendInfo.skipped.map((s) => `${s.id}: ${s.reason}`),
      engineMs: engineMs / timed,
      ourMs: ourMs / timed,
      outputs: [...worst.values()],
      maxAbsError: Math.max(...[...worst.values()].map((o) => o.maxAbs)),
      maxRelL2: Math.max(...[...worst.values()].map((o) => o.relL2)),
      macs: lastFrame?.denseMacs ?? 0,
    };
  } finally {
    await engine.dispose();
    session.dispose();
  }
}

function maxAbsOf(data: Float32Array): number {
  let m = 0;
  for (const v of data) m = Math.max(m, Math.abs(v));
  return m;
}
