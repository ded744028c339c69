import { modelInputMapping, modelInputSize } from '@motiondelta/data';
import { describe, expect, it } from 'vitest';
import { DEMO_MODELS } from '../src/demo-models.js';

// The page cannot import @motiondelta/data (it reads the cache with node:fs), so the demo keeps
// its own copy of each model's input mapping; this keeps the copy equal to the catalog's.
describe('the demo models', () => {
  it.each(DEMO_MODELS.map((m) => [m.id, m] as const))('%s maps bytes and sizes frames as the data catalog says', (id, model) => {
    const { scale, offset, mean, std } = model;
    expect({ scale, offset, ...(mean && { mean }), ...(std && { std }) }).toEqual(modelInputMapping(id));
    for (const size of model.sizes) expect(modelInputSize(id, size)).toEqual(size);
  });
});
