import { createRng, randomInt, uniform, type Rng, type Tensor } from '@motiondelta/core';
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model.js';
import { relativeL2 } from '../helpers/relative-l2.js';
import { randomNet } from './random-net.js';
import { MotionSimulator } from './simulator.js';

/** A changing world: a random image in which random rectangles get new content now and then. */
class World {
  readonly data: Float32Array;
  constructor(
    readonly height: number,
    readonly width: number,
    private readonly rng: Rng,
  ) {
    this.data = new Float32Array(height * width * 3).map(() => uniform(rng, -1, 1));
  }
  change(): void {
    const rh = randomInt(this.rng, 1, 6);
    const rw = randomInt(this.rng, 1, 6);
    const y0 = randomInt(this.rng, 0, this.height - rh);
    const x0 = randomInt(this.rng, 0, this.width - rw);
    for (let y = y0; y < y0 + rh; y++)
      for (let x = x0; x < x0 + rw; x++) for (let c = 0; c < 3; c++) this.data[(y * this.width + x) * 3 + c] = uniform(this.rng, -1, 1);
  }
  crop(y0: number, x0: number, h: number, w: number): Tensor {
    const out = new Float32Array(h * w * 3);
    for (let y = 0; y < h; y++)
      out.set(this.data.subarray(((y0 + y) * this.width + x0) * 3, ((y0 + y) * this.width + x0 + w) * 3), y * w * 3);
    return { data: out, shape: [1, h, w, 3] };
  }
}

/**
 * Issue 5 acceptance (c): on seeded random graphs and random paths (integer pans of any size, so
 * sub-stride residuals leave uncovered strips; back-and-forth steps; jumps past the viewport;
 * content changing meanwhile), motion mode at threshold 0 agrees with the plain simulator of
 * motion.md on every output of every frame.
 */
describe('motion mode agrees with a dense simulator of its semantics', () => {
  const SEEDS = 40;
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`random graph and path, seed ${seed}`, async () => {
      const rng = createRng(1000 + seed);
      const { graph, sizeMultiple } = randomNet(rng);
      const model = new Model(graph);
      const m = Math.max(sizeMultiple, 1);
      const h = m * Math.max(2, Math.ceil(randomInt(rng, 8, 16) / m));
      const w = m * Math.max(2, Math.ceil(randomInt(rng, 8, 18) / m));
      const motion = await model.createSession({ mode: 'motion', reanchor: { minOverlap: 0, minCoverage: 0 } });
      const dense = await model.createSession({ mode: 'dense' });
      const margin = 48;
      const world = new World(h + 2 * margin, w + 2 * margin, rng);
      let pos = { y: margin, x: margin };
      const start = { ...pos };
      const x = { name: 'x' };
      let sim: MotionSimulator | undefined;
      const problems: string[] = [];
      const frames = 14;
      let back: { y: number; x: number } | undefined;
      for (let f = 0; f < frames; f++) {
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
        const got = await motion.run({ [x.name]: frame }, { homography });
        sim ??= new MotionSimulator(dense, 'x', motion.totalStride!);
        const want = await sim.step(frame, homography);
        const stats = motion.stats().frames.at(-1)!;
        if (stats.offset.y !== sim.origin.y || stats.offset.x !== sim.origin.x)
          problems.push(`frame ${f}: offset ${JSON.stringify(stats.offset)} vs ${JSON.stringify(sim.origin)}`);
        for (const out of model.outputs) {
          const e = relativeL2(got[out.name]!.data, want[out.name]!.data);
          if (!(e <= 1e-5)) problems.push(`frame ${f} (${pos.y - start.y},${pos.x - start.x}) output ${out.name}: relL2 ${e}`);
        }
      }
      expect(motion.stats().frames.filter((s) => s.keyframe)).toHaveLength(1);
      expect(problems).toEqual([]);
    });
  }
});

/**
 * The same agreement when the camera also rotates, zooms a little and moves by fractions of a
 * pixel: the frame is warped bilinearly into the viewport and the corners it leaves uncovered
 * keep the canvas. (The frames are warps of one world image, so the simulator and the session see
 * the same frames; what is checked is the session's handling of them.)
 */
describe('motion mode agrees with the simulator under rotation, zoom and sub-pixel motion', () => {
  for (let seed = 1; seed <= 12; seed++) {
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
      });
      const dense = await model.createSession({ mode: 'dense' });
      const world = new World(h + 40, w + 40, rng);
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
        // World from frame: rotate and zoom about the origin, then translate; the frame samples
        // the world image (nearest, so the frame content is exact) at those positions + 20.
        const ca = zoom * Math.cos(angle);
        const sa = zoom * Math.sin(angle);
        const homography = [ca, -sa, tx, sa, ca, ty, 0, 0, 1];
        const data = new Float32Array(h * w * 3);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const wx = Math.round(ca * x - sa * y + tx) + 20;
            const wy = Math.round(sa * x + ca * y + ty) + 20;
            const inside = wx >= 0 && wy >= 0 && wx < world.width && wy < world.height;
            for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = inside ? world.data[(wy * world.width + wx) * 3 + c]! : 0;
          }
        }
        const frame = { data, shape: [1, h, w, 3] };
        const got = await motion.run({ x: frame }, { homography });
        sim ??= new MotionSimulator(dense, 'x', motion.totalStride!);
        const want = await sim.step(frame, homography);
        const stats = motion.stats().frames.at(-1)!;
        if (stats.offset.y !== sim.origin.y || stats.offset.x !== sim.origin.x)
          problems.push(`frame ${f}: offset ${JSON.stringify(stats.offset)} vs ${JSON.stringify(sim.origin)}`);
        for (const out of model.outputs) {
          const e = relativeL2(got[out.name]!.data, want[out.name]!.data);
          if (!(e <= 1e-5)) problems.push(`frame ${f} output ${out.name}: relL2 ${e}`);
        }
      }
      expect(motion.stats().frames.filter((s) => s.keyframe)).toHaveLength(1);
      expect(problems).toEqual([]);
    });
  }
});
