import type { Shape } from '@motiondelta/core';
import { firstFrameMemory } from '../delta/delta-memory.js';
import { planDelta, type DeltaThresholds } from '../delta/delta-plan.js';
import type { Graph } from '../ir/graph.js';
import { DELTA_BUFFER_PIXEL_BYTES, MemoryTally, describeSession, enforceMemoryLimit, type MemoryEstimate } from '../session/memory-budget.js';
import { planGraph } from '../shape/plan-graph.js';
import { planMotion, windowShape, type MotionPlan, type MotionValue, type Ring } from './motion-plan.js';

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
  for (const step of plan.steps) if (step.kind === 'activation' && step.fused) fusedProducer.set(step.step.output, plan.values.get(step.step.input)!);
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
  return { bytes: stateBytes + tables + transient, stateBytes, persistentBytes: persistent.bytes, frameBufferBytes: frame.bytes, largest, longest };
}

const EXT = '#ext';
const DIN = '#din';
const SLOT_OUT = '#sout';

/**
 * The per-frame delta buffers of `assignFrameBuffers` (motion-state.ts), counted instead of
 * allocated: the same lifetimes, the same two slabs for step temporaries, the same reuse of freed
 * buffers of equal shape.
 */
function addFrameBuffers(plan: MotionPlan, tally: MemoryTally): void {
  const produced = new Map<string, number>();
  const lastUse = new Map<string, number>();
  const shapeOf = new Map<string, Shape>();
  const temporaries = new Map<string, 0 | 1>();
  plan.steps.forEach((step, i) => {
    if (step.kind === 'input') {
      produced.set(step.value, i);
      shapeOf.set(step.value, plan.values.get(step.value)!.shape);
      return;
    }
    const out = step.step.output;
    const v = plan.values.get(out)!;
    produced.set(out, i);
    shapeOf.set(out, v.role === 'fused' ? windowShape(v) : v.shape);
    if (step.kind === 'linear' && v.role === 'store') {
      produced.set(`${out}${EXT}`, i);
      shapeOf.set(`${out}${EXT}`, step.extShape);
      temporaries.set(`${out}${EXT}`, 0);
    }
    if (step.kind === 'activation') {
      const slots = step.fused ? windowShape(plan.values.get(step.step.input)!) : v.shape;
      for (const [suffix, slab] of [[DIN, 0], [SLOT_OUT, 1]] as const) {
        produced.set(`${out}${suffix}`, i);
        shapeOf.set(`${out}${suffix}`, slots);
        temporaries.set(`${out}${suffix}`, slab);
      }
    }
    const reads = step.kind === 'linear' ? step.step.inputs.flatMap((x) => (x.kind === 'delta' ? [x.value] : [])) : [step.step.input];
    for (const r of reads) lastUse.set(r, Math.max(lastUse.get(r) ?? -1, i));
  });
  const slabs = [
    { values: 0, pixels: 0, name: '', shape: [] as Shape },
    { values: 0, pixels: 0, name: '', shape: [] as Shape },
  ];
  for (const [name, slab] of temporaries) {
    const shape = shapeOf.get(name)!;
    const s = slabs[slab]!;
    s.pixels = Math.max(s.pixels, pixelsOf(shape));
    if (pixelsOf(shape) * shape[3]! > s.values) Object.assign(s, { values: pixelsOf(shape) * shape[3]!, name, shape });
  }
  for (const s of slabs) {
    if (s.values === 0 && s.pixels === 0) continue;
    tally.add(`${s.name} (step temporaries)`, s.shape);
    // The slab's mask and list are as long as its longest temporary in pixels, maybe another one's.
    tally.bytes += s.pixels * DELTA_BUFFER_PIXEL_BYTES;
  }
  const free = new Map<string, number>();
  const live: { until: number; key: string }[] = [];
  plan.steps.forEach((_, i) => {
    for (let k = live.length - 1; k >= 0; k--) {
      const l = live[k]!;
      if (l.until < i) {
        free.set(l.key, (free.get(l.key) ?? 0) + 1);
        live.splice(k, 1);
      }
    }
    for (const [name, at] of produced) {
      if (at !== i || temporaries.has(name)) continue;
      const shape = shapeOf.get(name)!;
      const key = shape.join('x');
      const spare = free.get(key) ?? 0;
      if (spare > 0) free.set(key, spare - 1);
      else tally.add(`${name} (delta)`, shape, DELTA_BUFFER_PIXEL_BYTES);
      live.push({ until: Math.max(lastUse.get(name) ?? i, i), key });
    }
  });
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
export function planMotionWithin(graph: Graph, inputShapes: Readonly<Record<string, Shape>>, thresholds: DeltaThresholds, limit: number): MotionPlan {
  const what = describeSession('motion', inputShapes);
  const delta = planDelta(graph, planGraph(graph, inputShapes), thresholds);
  const values = firstFrameMemory(delta);
  enforceMemoryLimit({ bytes: values.bytes, stateBytes: 0, largest: values.largest, longest: values.longest }, limit, what);
  const plan = planMotion(graph, delta);
  enforceMemoryLimit(motionMemory(plan), limit, what);
  return plan;
}
