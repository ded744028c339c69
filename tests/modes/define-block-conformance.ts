import { createRng, randomFloat32, type Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, type Session } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { BlockSimulator, coveredPixel } from '../../packages/graph-runtime/test/block/block-simulator.js';
import { SeededRandomPolicy, executeAll } from '../../packages/graph-runtime/test/block/test-policies.js';
import { relativeL2 } from '../../packages/graph-runtime/test/helpers/relative-l2.js';
import { randomNet } from '../../packages/graph-runtime/test/motion/random-net.js';
import type { BackendFactory } from './define-mode-conformance.js';

/** Independent frames in [0, 1): every block's content changes, so a copied block shows. */
function frames(seed: number, h: number, w: number, count: number): Tensor[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({ data: randomFloat32(rng, h * w * 3, 0, 1), shape: [1, h, w, 3] }));
}

/**
 * Block mode's tier of the mode-level conformance suite, on seeded random graphs (convolutions of
 * stride 1 and 2, depthwise, dilated, pooling, resize, concat, add):
 *
 * 1. with every block executed, block mode equals dense inference (on the reference backend);
 * 2. with seeded random blocks, it equals the simulator of its semantics (written from
 *    docs/architecture/block-mode.md), and every pixel no executed block reaches keeps last
 *    frame's value bit for bit.
 */
export function defineBlockConformance(
  name: string,
  make: BackendFactory,
  options: {
    readonly tolerance?: number;
    readonly seeds?: number;
    /** How the backend runs block programs (`backendInfo.programs`), when it must be that. */
    readonly programs?: 'native';
  } = {},
): void {
  const tolerance = options.tolerance ?? 1e-5;
  const seeds = options.seeds ?? 5;
  const oracle = (model: Model): Promise<Session> => model.createSession({ mode: 'dense', backend: [new ReferenceBackend()] });

  describe(`block mode conformance on ${name}`, () => {
    for (let seed = 1; seed <= seeds; seed++) {
      it(`random graph ${seed}: every block executed equals dense; random blocks equal the simulator`, async () => {
        const { graph, sizeMultiple } = randomNet(createRng(900 + seed));
        const model = new Model(graph);
        const [h, w] = [sizeMultiple * Math.ceil(20 / sizeMultiple), sizeMultiple * Math.ceil(26 / sizeMultiple)];
        const problems: string[] = [];

        const dense = await oracle(model);
        const backend = await make();
        const all = await model.createSession({
          mode: 'block',
          backend: [backend],
          policy: executeAll(),
          blockSize: 8,
          sceneCut: Infinity,
        });
        // The backend under test runs it (tiles steps through its own kernels), not a fallback.
        expect(all.backendInfo.id).toBe(backend.id);
        for (const [f, frame] of frames(seed, h, w, 3).entries()) {
          const want = await dense.run({ x: frame });
          const got = await all.run({ x: frame });
          for (const out of model.outputs) {
            const e = relativeL2(got[out.name]!.data, want[out.name]!.data);
            if (!(e <= tolerance)) problems.push(`all blocks, frame ${f}, output ${out.name}: relL2 ${e}`);
          }
        }

        if (options.programs) expect(all.backendInfo.programs).toBe(options.programs);

        const policy = new SeededRandomPolicy(seed, 0.4);
        const block = await model.createSession({ mode: 'block', backend: [await make()], policy, blockSize: 7, sceneCut: Infinity });
        const sim = new BlockSimulator(model.graph, 7);
        let previous: Record<string, Tensor> | undefined;
        for (const [f, frame] of frames(100 + seed, h, w, 5).entries()) {
          const got = await block.run({ x: frame });
          // The policy decides while the frame runs; the first frame executes every block.
          const executed = f === 0 ? undefined : policy.decided[f];
          const want = await sim.step({ x: frame }, executed);
          for (const out of model.outputs) {
            const e = relativeL2(got[out.name]!.data, want[out.name]!.data);
            if (!(e <= tolerance)) problems.push(`random blocks, frame ${f}, output ${out.name}: relL2 ${e}`);
            if (!previous || !executed) continue;
            const [, ho, wo, c] = got[out.name]!.shape as [number, number, number, number];
            let moved = 0;
            for (let y = 0; y < ho; y++)
              for (let x = 0; x < wo; x++) {
                if (coveredPixel(executed, 7, h, w, ho, wo, y, x)) continue;
                for (let k = 0; k < c; k++)
                  moved += got[out.name]!.data[(y * wo + x) * c + k] !== previous[out.name]!.data[(y * wo + x) * c + k] ? 1 : 0;
              }
            if (moved > 0) problems.push(`random blocks, frame ${f}, output ${out.name}: ${moved} copied values changed`);
          }
          previous = got;
        }
        if (options.programs) expect(block.backendInfo.programs).toBe(options.programs);
        expect(problems).toEqual([]);
      });
    }
  });
}
