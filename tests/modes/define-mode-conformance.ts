import { createRng, randomInt, uniform, type Backend, type Tensor } from '@motiondelta/core';
import { Model, ReferenceBackend, type MotionSession, type Session } from '@motiondelta/graph-runtime';
import { describe, expect, it } from 'vitest';
import { relativeL2 } from '../../packages/graph-runtime/test/helpers/relative-l2.js';
import { randomNet } from '../../packages/graph-runtime/test/motion/random-net.js';
import { MotionSimulator } from '../../packages/graph-runtime/test/motion/simulator.js';
import { ChangingWorld } from './changing-world.js';

/** How a backend under test is made (once per test: sessions own their backend's state). */
export type BackendFactory = () => Backend | Promise<Backend>;

export interface ModeConformanceOptions {
  /** Relative L2 error allowed against the oracle, per output and frame. */
  readonly tolerance?: number;
  /** Seeds of the integer-path motion test (the other two tiers scale with it). */
  readonly seeds?: number;
}

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/**
 * The mode-level conformance tier every backend passes: on seeded random graphs of the op
 * families the sparse modes run, with content changing and the camera moving,
 *
 * 1. delta and motion mode at threshold 0 equal dense inference on a static camera;
 * 2. motion mode agrees with the plain simulator of its semantics (written from
 *    docs/architecture/motion.md, not from the executor) on integer paths: pans of any size,
 *    back-and-forth steps, jumps past the viewport;
 * 3. the same under rotation, zoom and sub-pixel motion.
 *
 * The oracle is always dense inference on the reference backend; the sessions under test run on
 * the backend `make` returns.
 */
export function defineModeConformance(name: string, make: BackendFactory, options: ModeConformanceOptions = {}): void {
  const tolerance = options.tolerance ?? 1e-5;
  const seeds = options.seeds ?? 40;
  const oracle = (model: Model): Promise<Session> => model.createSession({ mode: 'dense', backend: [new ReferenceBackend()] });
  const compare = (problems: string[], where: string, model: Model, got: Record<string, Tensor>, want: Record<string, Tensor>): void => {
    for (const out of model.outputs) {
      const e = relativeL2(got[out.name]!.data, want[out.name]!.data);
      if (!(e <= tolerance)) problems.push(`${where} output ${out.name}: relL2 ${e}`);
    }
  };

  /** The simulator's next frame: the session's viewport offset and outputs must match it. */
  const againstSimulator = async (
    problems: string[],
    where: string,
    model: Model,
    motion: MotionSession,
    sim: MotionSimulator,
    frame: Tensor,
    homography: readonly number[],
    got: Record<string, Tensor>,
  ): Promise<void> => {
    const want = await sim.step(frame, homography);
    const { offset } = motion.stats().frames.at(-1)!;
    if (offset.y !== sim.origin.y || offset.x !== sim.origin.x) {
      problems.push(`${where}: offset ${JSON.stringify(offset)} vs ${JSON.stringify(sim.origin)}`);
    }
    compare(problems, where, model, got, want);
  };

  describe(`mode conformance on ${name}: delta and motion at threshold 0 equal dense on a static camera`, () => {
    for (let seed = 1; seed <= Math.max(2, Math.round(seeds / 6)); seed++) {
      it(`random graph ${seed}`, async () => {
        const rng = createRng(500 + seed);
        const { graph, sizeMultiple } = randomNet(rng);
        const model = new Model(graph);
        const h = sizeMultiple * Math.ceil(14 / sizeMultiple);
        const w = sizeMultiple * Math.ceil(18 / sizeMultiple);
        const backend = [await make()];
        const dense = await oracle(model);
        const delta = await model.createSession({ mode: 'delta', threshold: 0, backend });
        const motion = await model.createSession({ mode: 'motion', threshold: 0, backend });
        const world = new ChangingWorld(h, w, rng);
        const problems: string[] = [];
        for (let f = 0; f < 10; f++) {
          if (f > 0 && f % 4 !== 2) world.change();
          const frame = world.crop(0, 0, h, w);
          const want = await dense.run({ x: frame });
          compare(problems, `frame ${f} delta`, model, await delta.run({ x: frame }), want);
          // Every other frame omits the options: a static camera.
          const viaMotion = f % 2 === 0 ? await motion.run({ x: frame }, { homography: IDENTITY }) : await motion.run({ x: frame });
          compare(problems, `frame ${f} motion`, model, viaMotion, want);
        }
        expect(problems).toEqual([]);
        expect([delta.backendInfo.id, motion.backendInfo.id]).toEqual([name, name]);
        expect(motion.stats().frames.map((s) => s.keyframe)).toEqual([true, ...new Array<boolean>(9).fill(false)]);
        expect(delta.stats().frames.map((s) => s.keyframe)).toEqual([true, ...new Array<boolean>(9).fill(false)]);
        // Without motion, a motion frame does a delta frame's work plus the padded convolutions' rings.
        const deltaFrames = delta.stats().frames;
        motion
          .stats()
          .frames.slice(1)
          .forEach((s, i) => expect(s.macs).toBeGreaterThanOrEqual(deltaFrames[i + 1]!.macs * (1 - 1e-9)));
      });
    }
  });

  describe(`mode conformance on ${name}: motion agrees with the simulator on integer paths`, () => {
    for (let seed = 1; seed <= seeds; seed++) {
      it(`random graph and path, seed ${seed}`, async () => {
        const rng = createRng(1000 + seed);
        const { graph, sizeMultiple } = randomNet(rng);
        const model = new Model(graph);
        const m = Math.max(sizeMultiple, 1);
        const h = m * Math.max(2, Math.ceil(randomInt(rng, 8, 16) / m));
        const w = m * Math.max(2, Math.ceil(randomInt(rng, 8, 18) / m));
        const motion = await model.createSession({ mode: 'motion', reanchor: { minOverlap: 0, minCoverage: 0 }, backend: [await make()] });
        const margin = 48;
        const world = new ChangingWorld(h + 2 * margin, w + 2 * margin, rng);
        let pos = { y: margin, x: margin };
        const start = { ...pos };
        const dense = await oracle(model);
        let sim: MotionSimulator | undefined; // made after the first frame, which fixes the total stride
        const problems: string[] = [];
        let back: { y: number; x: number } | undefined;
        for (let f = 0; f < 14; f++) {
          if (f > 0) {
            const r = randomInt(rng, 0, 9);
            if (r === 0)
              pos = { y: pos.y + randomInt(rng, -h - 4, h + 4), x: pos.x + randomInt(rng, -w - 4, w + 4) }; // a jump, maybe past the viewport
            else if (r <= 2 && back)
              pos = back; // back where it was
            else pos = { y: pos.y + randomInt(rng, -3, 3), x: pos.x + randomInt(rng, -3, 3) };
            pos = { y: Math.min(Math.max(pos.y, 0), world.height - h), x: Math.min(Math.max(pos.x, 0), world.width - w) };
            if (randomInt(rng, 0, 1) === 0) world.change();
          }
          back = f > 0 ? (back ?? pos) : undefined;
          if (randomInt(rng, 0, 2) === 0) back = pos;
          const frame = world.crop(pos.y, pos.x, h, w);
          const homography = [1, 0, pos.x - start.x, 0, 1, pos.y - start.y, 0, 0, 1];
          const got = await motion.run({ x: frame }, { homography });
          sim ??= new MotionSimulator(dense, 'x', motion.totalStride!);
          await againstSimulator(
            problems,
            `frame ${f} (${pos.y - start.y},${pos.x - start.x})`,
            model,
            motion,
            sim,
            frame,
            homography,
            got,
          );
        }
        expect(motion.stats().frames.filter((s) => s.keyframe)).toHaveLength(1);
        expect(problems).toEqual([]);
        expect(motion.backendInfo.id).toBe(name);
      });
    }
  });

  describe(`mode conformance on ${name}: motion agrees with the simulator under rotation, zoom and sub-pixel motion`, () => {
    // The frames are warps of one world image, so the simulator and the session see the same
    // frames; what is checked is the session's handling of them (warp into the viewport, the
    // corners left uncovered keeping the canvas).
    for (let seed = 1; seed <= Math.max(2, Math.round((seeds * 3) / 10)); seed++) {
      it(`random graph and smooth camera path, seed ${seed}`, async () => {
        const rng = createRng(2000 + seed);
        const { graph, sizeMultiple } = randomNet(rng);
        const model = new Model(graph);
        const m = Math.max(sizeMultiple, 1);
        const h = m * Math.max(2, Math.ceil(randomInt(rng, 10, 16) / m));
        const w = m * Math.max(2, Math.ceil(randomInt(rng, 10, 18) / m));
        const motion = await model.createSession({
          mode: 'motion',
          reanchor: { minOverlap: 0, minCoverage: 0, maxRotation: 1, maxScaleChange: 2 },
          alignTolerance: 0,
          backend: [await make()],
        });
        const world = new ChangingWorld(h + 40, w + 40, rng);
        const dense = await oracle(model);
        let sim: MotionSimulator | undefined;
        const problems: string[] = [];
        let angle = 0;
        let zoom = 1;
        let tx = 0;
        let ty = 0;
        for (let f = 0; f < 10; f++) {
          if (f > 0) {
            angle += uniform(rng, -0.04, 0.04);
            zoom *= uniform(rng, 0.98, 1.02);
            tx += uniform(rng, -2.5, 2.5);
            ty += uniform(rng, -2.5, 2.5);
            if (randomInt(rng, 0, 1) === 0) world.change();
          }
          const ca = zoom * Math.cos(angle);
          const sa = zoom * Math.sin(angle);
          const homography = [ca, -sa, tx, sa, ca, ty, 0, 0, 1];
          const frame = world.view(h, w, homography, 20);
          const got = await motion.run({ x: frame }, { homography });
          sim ??= new MotionSimulator(dense, 'x', motion.totalStride!);
          await againstSimulator(problems, `frame ${f}`, model, motion, sim, frame, homography, got);
        }
        expect(motion.stats().frames.filter((s) => s.keyframe)).toHaveLength(1);
        expect(problems).toEqual([]);
        expect(motion.backendInfo.id).toBe(name);
      });
    }
  });
}
