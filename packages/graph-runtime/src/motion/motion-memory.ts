import type { Shape } from '@motiondelta/core';
import { firstFrameMemory } from '../delta/delta-memory.js';
import { planDelta, type DeltaThresholds } from '../delta/delta-plan.js';
import type { Graph } from '../ir/graph.js';
import {
  DELTA_BUFFER_PIXEL_BYTES,
  MemoryTally,
  describeSession,
  enforceMemoryLimit,
  type MemoryEstimate,
} from '../session/memory-budget.js';
import { planGraph } from '../shape/plan-graph.js';
import { planFrameBuffers } from './frame-buffer-plan.js';
import { planMotion, type MotionPlan, type MotionValue, type Ring } from './motion-plan.js';

/** What a motion stream allocates, by kind (see {@link motionMemory}). */
export interface MotionMemoryEstimate extends MemoryEstimate {
  /** Wrapped stores whose content carries over (`MotionSession.memory.persistentBytes`). */
  readonly persistentBytes: number;
  /** Per-frame delta buffers, scratch and update lists (`MotionSession.memory.frameBufferBytes`). */
  readonly frameBufferBytes: number;
}

const pixelsOf = (shape: Shape): number => shape[0]! * shape[1]! * shape[2]!;
const ringed = (v: MotionValue, ring: Ring | undefined): Shape =>
  ring ? [1, v.shape[1] + ring.top + ring.bottom, v.shape[2] + ring.left + ring.right, v.shape[3]] : v.shape;

/**
 * What a motion session allocates for a plan, worked out before `MotionState` exists, following
 * `motion-state.ts` buffer by buffer: per value its wrapped stores (by role), the per-frame delta
 * buffers (shared like registers between values whose lifetimes do not overlap, step temporaries
 * on two shared slabs), scratch and update lists; on a keyframe besides, the dense values
 * (`runMotionKeyframe`), and on later frames the warped frame and the pass geometry. Keep it in
 * step with `MotionState`: a test compares it with the session's `memory` figures.
 */
export function motionMemory(plan: MotionPlan): MotionMemoryEstimate {
  const persistent = new MemoryTally();
  const frame = new MemoryTally();
  // The stores' addressing tables (four Int32Arrays of a store's height or width): small, and not
  // part of the session's `memory` figures, so counted apart.
  let tables = 0;
  const store = (v: MotionValue, ring?: Ring, what = 'store'): void => {
    const shape = ringed(v, ring);
    persistent.add(`${v.name} (${what})`, shape);
    tables += 8 * (shape[1]! + shape[2]!);
  };
  const fusedProducer = new Map<string, MotionValue>();
  for (const step of plan.steps)
    if (step.kind === 'activation' && step.fused) fusedProducer.set(step.step.output, plan.values.get(step.step.input)!);
  for (const v of plan.values.values()) {
    switch (v.role) {
      case 'input':
        store(v);
        break;
      case 'store':
      case 'fused':
        store(v, v.ring);
        break;
      case 'activation': {
        const producer = fusedProducer.get(v.name);
        if (!producer) store(v, undefined, 'accumulated');
        store(v, producer?.ring, 'emitted');
        break;
      }
      case 'pointwise':
        break;
    }
    frame.bytes += 4 * pixelsOf(v.shape); // the value's list of updated pixels
  }
  addFrameBuffers(plan, frame);
  addScratch(plan, frame);

  // Transient: the keyframe's dense values (one per linear and activation value, as in delta mode)
  // and the largest kernel output over viewport + ring; on moving frames, the warped frame and the
  // pass geometry (entering or leaving pixels, at most every pixel of each value grid, per pass).
  const keyframe = firstFrameMemory(plan.delta);
  let ext = 0;
  for (const step of plan.steps) if (step.kind === 'linear' && step.ext) ext = Math.max(ext, 4 * step.extShape.reduce((a, b) => a * b, 1));
  const input = plan.values.get(plan.input)!;
  const warped = 4 * input.shape.reduce((a, b) => a * b, 1) + pixelsOf(input.shape);
  const grids = new Set([...plan.values.values()].map((v) => `${v.shape[1]}x${v.shape[2]}`));
  let geometry = 0;
  for (const g of grids) {
    const [h, w] = g.split('x').map(Number) as [number, number];
    geometry += 2 * 4 * h * w;
  }
  const stateBytes = persistent.bytes + frame.bytes;
  const transient = Math.max(keyframe.bytes + ext, warped + geometry);
  const tallies = [persistent, frame, keyframe];
  const largest = tallies.map((t) => t.largest).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const longest = tallies.map((t) => t.longest).reduce((a, b) => (b.values > a.values ? b : a));
  return {
    bytes: stateBytes + tables + transient,
    stateBytes,
    persistentBytes: persistent.bytes,
    frameBufferBytes: frame.bytes,
    largest,
    longest,
  };
}

/**
 * The per-frame delta buffers of `assignFrameBuffers` (motion-state.ts), counted instead of
 * allocated from the same layout: the two slabs for step temporaries, each named after its
 * largest temporary, and the shared buffers, each named after the value it is first given to.
 */
function addFrameBuffers(plan: MotionPlan, tally: MemoryTally): void {
  const layout = planFrameBuffers(plan);
  const largest: ({ name: string; shape: Shape; values: number } | undefined)[] = [undefined, undefined];
  for (const [name, { shape, slab }] of layout.places) {
    if (slab === undefined) continue;
    const values = pixelsOf(shape) * shape[3]!;
    if (!largest[slab] || values > largest[slab].values) largest[slab] = { name, shape, values };
  }
  layout.slabs.forEach((s, slab) => {
    const temporary = largest[slab];
    if (!temporary) return;
    tally.add(`${temporary.name} (step temporaries)`, temporary.shape);
    // The slab's mask and list are as long as its longest temporary in pixels, maybe another one's.
    tally.bytes += s.pixels * DELTA_BUFFER_PIXEL_BYTES;
  });
  for (const b of layout.buffers) tally.add(`${b.first} (delta)`, b.shape, DELTA_BUFFER_PIXEL_BYTES);
}

/** `MotionState`'s scratch: the input's composed frame and reference, the activations' retractions. */
function addScratch(plan: MotionPlan, tally: MemoryTally): void {
  const longest = [0, 0, 0];
  for (const step of plan.steps) {
    const shape = plan.values.get(step.kind === 'input' ? step.value : step.step.output)!.shape;
    const length = shape[1] * shape[2] * shape[3];
    if (step.kind === 'input') {
      longest[0] = Math.max(longest[0]!, length);
      longest[1] = Math.max(longest[1]!, length);
    } else if (step.kind === 'activation') longest[2] = Math.max(longest[2]!, length);
  }
  tally.bytes += 4 * (longest[0]! + longest[1]! + longest[2]!);
}

/**
 * Plans a motion stream and refuses it, before anything is allocated, when it would need more
 * than `limit` bytes: first on the delta plan's dense values (a lower bound, checked before motion
 * planning computes resize taps of the output's size), then on the whole estimate. The motion
 * session's planner.
 */
export function planMotionWithin(
  graph: Graph,
  inputShapes: Readonly<Record<string, Shape>>,
  thresholds: DeltaThresholds,
  limit: number,
): MotionPlan {
  const what = describeSession('motion', inputShapes);
  const delta = planDelta(graph, planGraph(graph, inputShapes), thresholds);
  const values = firstFrameMemory(delta);
  enforceMemoryLimit({ bytes: values.bytes, stateBytes: 0, largest: values.largest, longest: values.longest }, limit, what);
  const plan = planMotion(graph, delta);
  enforceMemoryLimit(motionMemory(plan), limit, what);
  return plan;
}
