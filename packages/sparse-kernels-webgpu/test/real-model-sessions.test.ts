import type { Tensor } from '@motiondelta/core';
import { loadModel, tensorError, type Model, type Session } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { createWebGpuBackend } from '../src/index.js';
import { webGpuSkipReason } from './webgpu-availability.js';

/**
 * Real models through sessions on webgpu equal the reference backend: dense frames, and delta
 * frames at threshold 0 (which equal dense inference; their keyframe is a dense pass too), each
 * session running one compiled program on the device. Small frames, and esrgan-x2 in delta mode
 * only: SwiftShader computes on the CPU, and CI time is bounded.
 */
type ModelId = 'esrgan-x2' | 'ppocr-det';
const SIZES: Record<ModelId, readonly [number, number]> = { 'esrgan-x2': [12, 16], 'ppocr-det': [32, 64] };
const FRAMES = 3;

async function openModel(id: ModelId): Promise<{ model: Model; frames: Tensor[] }> {
  const { MODEL_INPUTS, ensureData, modelInputSize } = await import('@motiondelta/data');
  const { frameToTensor, openVideo } = await import('@motiondelta/video-io');
  const model = await loadModel((await ensureData(id)).main);
  const size = modelInputSize(id, SIZES[id]);
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
  return { model, frames };
}

/** Worst error over frames and outputs, as a fraction of the tolerance (relative L2 1e-4, or max abs 1e-6 near zero). */
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

describe.skipIf(webGpuSkipReason !== undefined)(
  `real models on webgpu equal the reference backend (${webGpuSkipReason ?? 'device found'})`,
  () => {
    const runs: readonly (readonly [ModelId, 'dense' | 'delta'])[] = [
      ['ppocr-det', 'dense'],
      ['ppocr-det', 'delta'],
      ['esrgan-x2', 'delta'],
    ];
    for (const [id, mode] of runs) {
      it(`${id}: ${mode} frames`, async () => {
        const { model, frames } = await openModel(id);
        const backend = await createWebGpuBackend();
        const reference = await model.createSession({ backend: 'reference', layout: 'nhwc' });
        const session = await model.createSession({ mode, threshold: 0, backend: [backend], layout: 'nhwc' });
        try {
          expect(await worst(model, reference, session, frames)).toBeLessThanOrEqual(1);
          // Known once the first frame compiled the program: it ran on the device, not step by step.
          expect(session.backendInfo).toMatchObject({ id: 'webgpu', programs: 'native' });
        } finally {
          session.dispose();
          reference.dispose();
        }
      }, 300_000);
    }
  },
);
