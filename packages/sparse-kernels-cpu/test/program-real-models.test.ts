import { expect, it } from 'vitest';
import type { Backend, Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, loadModel, tensorError } from '@motiondelta/graph-runtime';
import type { Session } from '@motiondelta/graph-runtime';
import { createCpuNativeBackend } from '../src/create-cpu-native-backend.js';
import type { CpuNativeBackend } from '../src/cpu-native-backend.js';
import { describeNative } from './dense-fixtures.js';

/**
 * The four real models run as compiled programs on cpu-native, through sessions, and equal the
 * reference backend: dense frames, and delta frames at threshold 0 (which equal dense inference).
 * Sizes are small to keep the reference backend's time modest (as in tests/e2e); posenet's input
 * is opened (the network is fully convolutional) and run at 65x65.
 */

type ModelId = 'esrgan-x2' | 'posenet' | 'selfie' | 'ppocr-det';
const SIZES: Record<ModelId, readonly [number, number]> = {
  'esrgan-x2': [32, 48],
  posenet: [65, 65],
  selfie: [256, 256],
  'ppocr-det': [64, 96],
};
const FRAMES = 4;

async function openModel(id: ModelId): Promise<{ model: Model; frames: Tensor[] }> {
  const { MODEL_INPUTS, ensureData, modelInputSize } = await import('@motiondelta/data');
  const { frameToTensor, openVideo } = await import('@motiondelta/video-io');
  let model = await loadModel((await ensureData(id)).main);
  if (id === 'posenet') model = new Model({ ...model.graph, inputs: model.graph.inputs.map((i) => ({ ...i, shape: [1, null, null, 3] })) });
  const size = id === 'posenet' ? SIZES.posenet : modelInputSize(id, SIZES[id]);
  const spec = MODEL_INPUTS[id];
  const reader = await openVideo((await ensureData('vtest')).main, {
    start: 0,
    count: FRAMES,
    resize: { width: size[1], height: size[0] },
  });
  const frames: Tensor[] = [];
  for await (const frame of reader) {
    frames.push(
      frameToTensor(frame, {
        scale: spec.scale,
        offset: spec.offset,
        ...(spec.mean ? { mean: spec.mean } : {}),
        ...(spec.std ? { std: spec.std } : {}),
      }),
    );
  }
  // Frames are NHWC (frameToTensor's default) for every model: sessions are made with layout: 'nhwc'.
  return { model, frames };
}

/** cpu-native with a count of the programs its compiler compiled. */
function countingCompiles(native: CpuNativeBackend): { backend: Backend; compiled: () => number } {
  let compiled = 0;
  const programs = native.programs;
  if (!programs) throw new Error('cpu-native was created without its program compiler');
  const counted = {
    stepKinds: programs.stepKinds,
    declines: programs.declines.bind(programs),
    compile: (...args: Parameters<typeof programs.compile>) => {
      compiled++;
      return programs.compile(...args);
    },
  };
  const backend: Backend = {
    id: native.id,
    supports: (c) => native.supports(c),
    runDense: (c) => native.runDense(c),
    delta: native.delta,
    programs: counted,
  };
  return { backend, compiled: () => compiled };
}

/** Worst error over frames and outputs, as a fraction of the tolerance (relative L2 1e-4, or max abs 1e-6 for outputs near zero). */
async function worst(model: Model, expected: Session, actual: Session, frames: readonly Tensor[]): Promise<number> {
  const input = model.inputs[0]!.name;
  let score = 0;
  for (const frame of frames) {
    const want = await expected.run({ [input]: frame });
    const got = await actual.run({ [input]: frame });
    for (const out of model.outputs) {
      const e = tensorError(got[out.name]!.data, want[out.name]!.data);
      score = Math.max(score, Math.min(e.relL2 / 1e-4, e.maxAbs / 1e-6));
    }
  }
  return score;
}

describeNative('real models as compiled programs on cpu-native equal the reference backend', () => {
  for (const id of Object.keys(SIZES) as ModelId[]) {
    it(`${id}: dense frames`, async () => {
      const { model, frames } = await openModel(id);
      const { backend, compiled } = countingCompiles(await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
      const reference = await model.createSession({ backend: 'reference', layout: 'nhwc' });
      const native = await model.createSession({ backend: [backend], layout: 'nhwc' });
      expect(await worst(model, reference, native, frames)).toBeLessThanOrEqual(1);
      expect(compiled()).toBe(1);
      expect(native.backendInfo.programs).toBe('native');
    }, 300_000);

    it(`${id}: delta frames at threshold 0 equal dense, and the host executable on the same kernels`, async () => {
      const { model, frames } = await openModel(id);
      const { backend, compiled } = countingCompiles(await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend() }));
      const host = await createCpuNativeBackend({ threads: 2, fallback: new ReferenceBackend(), programs: 'host' });
      const native = await model.createSession({ mode: 'delta', threshold: 0, backend: [backend], layout: 'nhwc' });
      const onHost = await model.createSession({ mode: 'delta', threshold: 0, backend: [host], layout: 'nhwc' });
      const reference = await model.createSession({ backend: 'reference', layout: 'nhwc' });
      const input = model.inputs[0]!.name;
      let score = 0;
      for (const frame of frames) {
        const want = await reference.run({ [input]: frame });
        const got = await native.run({ [input]: frame });
        const hosted = await onHost.run({ [input]: frame });
        for (const out of model.outputs) {
          const e = tensorError(got[out.name]!.data, want[out.name]!.data);
          score = Math.max(score, Math.min(e.relL2 / 1e-4, e.maxAbs / 1e-6));
          // The same kernels in the same order: the same values.
          expect(tensorError(got[out.name]!.data, hosted[out.name]!.data).relL2).toBeLessThanOrEqual(1e-6);
        }
        // The same steps skipped and the same pixels updated, so the same statistics and masks.
        expect(native.stats().nodes.map((n) => [n.name, n.activeFraction, n.macs])).toEqual(
          onHost.stats().nodes.map((n) => [n.name, n.activeFraction, n.macs]),
        );
        expect(native.updateMasks()).toEqual(onHost.updateMasks());
      }
      expect(score).toBeLessThanOrEqual(1);
      expect(compiled()).toBe(1);
      expect(native.backendInfo.programs).toBe('native');
      expect(onHost.backendInfo.programs).toEqual({ host: "backend 'cpu-native' has no program compiler" });
      const later = native.stats().frames.filter((f) => !f.keyframe);
      expect(later).toHaveLength(FRAMES - 1);
    }, 300_000);
  }
});
