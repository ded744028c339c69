import { describe, it } from 'vitest';
import { FRAMES, MODEL_IDS, TIMEOUT_MS, expectDeltaEqualsDense } from './delta-equals-dense.js';

// One file per clip so that vitest runs the two clips in parallel workers.
describe('delta mode at threshold 0 equals dense on the vtest clip', () => {
  for (const id of MODEL_IDS) {
    it(`${id} on ${FRAMES} vtest frames`, () => expectDeltaEqualsDense(id, 'vtest'), TIMEOUT_MS);
  }
});
