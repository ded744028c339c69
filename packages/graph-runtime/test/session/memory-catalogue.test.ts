import { ResourceLimitError, UnsupportedOpError, type Shape } from '@motiondelta/core';
import { ensureData, MODEL_IDS, modelInputSize } from '@motiondelta/data';
import { describe, expect, it } from 'vitest';
import { planDeltaWithin } from '../../src/delta/delta-memory.js';
import { loadModel } from '../../src/node.js';
import type { Model } from '../../src/model.js';
import { planMotionWithin } from '../../src/motion/motion-memory.js';
import { DEFAULT_MEMORY_LIMIT, planDenseWithin } from '../../src/session/memory-budget.js';

/**
 * The default `memoryLimit` against the catalogue's real models, by plan only (no frame is run):
 * every model passes at the full frame of the benchmark clip (576x768, or its fixed size) in every
 * mode it supports (the largest, esrgan-x2 in delta and motion mode at 576x768, needs 4.1 GiB), and
 * a 6144x6144 frame is refused with the largest tensor named, where it would not fit.
 */

const THRESHOLDS = { node: 0, input: 0, perNode: {} };
const PLANNERS = {
  dense: (m: Model, s: Record<string, Shape>, limit: number) => planDenseWithin(m.graph, s, limit),
  delta: (m: Model, s: Record<string, Shape>, limit: number) => planDeltaWithin(m.graph, s, THRESHOLDS, limit),
  motion: (m: Model, s: Record<string, Shape>, limit: number) => planMotionWithin(m.graph, s, THRESHOLDS, limit),
};

/** At 6144x6144, per model that takes any size: what the default limit does in each mode. */
const HUGE_FRAME: Readonly<Record<string, Readonly<Record<string, 'refused' | 'planned' | 'unsupported'>>>> = {
  // 64-channel intermediates: 9 GiB each.
  'esrgan-x2': { dense: 'refused', delta: 'refused', motion: 'refused' },
  // Dense keeps only the widest cut (2.8 GiB); delta keeps every value (82 GiB). Motion mode cannot
  // run the model, but the size is refused first: planning it further would cost memory.
  'ppocr-det': { dense: 'planned', delta: 'refused', motion: 'refused' },
};

function outcome(plan: () => unknown): { kind: 'planned' | 'refused' | 'unsupported'; error?: Error } {
  try {
    plan();
    return { kind: 'planned' };
  } catch (error) {
    if (UnsupportedOpError.isInstance(error)) return { kind: 'unsupported' };
    if (ResourceLimitError.isInstance(error)) return { kind: 'refused', error };
    throw error;
  }
}

describe('the default memory limit on the catalogue models', () => {
  for (const id of MODEL_IDS) {
    it(`${id}: the benchmark clip's full frame plans in every mode it supports; 6144x6144 is refused`, async () => {
      const model = await loadModel((await ensureData(id)).main);
      const input = model.inputs[0]!;
      const [h, w] = modelInputSize(id, [576, 768]);
      for (const [mode, plan] of Object.entries(PLANNERS)) {
        const full = outcome(() => plan(model, { [input.name]: [1, h, w, 3] }, DEFAULT_MEMORY_LIMIT));
        // ppocr-det and selfie have ops motion mode does not run; every model runs dense and delta.
        expect(full.kind, `${id} ${mode} at ${h}x${w}: ${String(full.error)}`).toBe(
          mode === 'motion' && (id === 'selfie' || id === 'ppocr-det') ? 'unsupported' : 'planned',
        );
        const want = HUGE_FRAME[id]?.[mode];
        if (want === undefined) continue;
        const huge = outcome(() => plan(model, { [input.name]: [1, 6144, 6144, 3] }, DEFAULT_MEMORY_LIMIT));
        expect(huge.kind, `${id} ${mode} at 6144x6144`).toBe(want);
        if (huge.error) expect(huge.error.message).toMatch(/the largest buffer is '[^']+' \[1,\d+,\d+,\d+\]/);
      }
    });
  }
});
