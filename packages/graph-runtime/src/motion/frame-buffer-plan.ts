import type { Shape } from '@motiondelta/core';
import { windowShape, type MotionPlan } from './motion-plan.js';

/** Name suffix of a store value's kernel output (viewport + ring), a step temporary. */
export const EXT = '#ext';
/** Name suffix of an activation's input delta in slot order, a step temporary. */
export const DIN = '#din';
/** Name suffix of an activation's kernel output in slot order, a step temporary. */
export const SLOT_OUT = '#sout';

/** Size of one slab of step temporaries: as many values and pixels as its largest temporary. */
export interface FrameBufferSlab {
  readonly values: number;
  readonly pixels: number;
}

/** Where one per-frame delta buffer lives: on a slab of step temporaries, or in a shared buffer. */
export type FrameBufferPlace =
  | { readonly shape: Shape; readonly slab: 0 | 1; readonly buffer?: undefined }
  | { readonly shape: Shape; readonly slab?: undefined; readonly buffer: number };

/** A buffer shared like a register by values of its shape whose lifetimes do not overlap. */
export interface SharedFrameBuffer {
  readonly shape: Shape;
  /** The value it is first given to (the one it is allocated for). */
  readonly first: string;
}

/** The per-frame delta buffers of a motion plan, laid out (see {@link planFrameBuffers}). */
export interface FrameBufferLayout {
  /** The two slabs step temporaries share: `[0]` the input side (EXT, DIN), `[1]` SLOT_OUT. */
  readonly slabs: readonly [FrameBufferSlab, FrameBufferSlab];
  /** The shared buffers, in the order they are first needed. */
  readonly buffers: readonly SharedFrameBuffer[];
  /** Per produced name (values, and step temporaries by suffix), its shape and place, in step order. */
  readonly places: ReadonlyMap<string, FrameBufferPlace>;
}

const pixelsOf = (shape: Shape): number => shape[0]! * shape[1]! * shape[2]!;

/**
 * Lays out the per-frame delta buffers of a motion plan, allocating nothing; `MotionState`
 * allocates from it and `motionMemory` counts from it.
 *
 * Only persistent state (the wrapped buffers) must survive between frames; a value's delta is
 * produced by one step and read by later steps of the same pass, so buffers of equal shape are
 * reused once their last reader has run, like registers. Step temporaries (a store value's kernel
 * output, an activation's slot-ordered input and output) live only while their step runs, so all
 * of them share two slabs sized for the largest: one for the input side (EXT, DIN), one for
 * SLOT_OUT, the only two live at once. The executor clears each temporary when its step ends,
 * which keeps the shared masks all zero.
 */
export function planFrameBuffers(plan: MotionPlan): FrameBufferLayout {
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
      // The kernel runs in the slot order of the activation's stores (see MotionState.dinOf), which
      // for a fused activation are as large as its producer's window.
      const slots = step.fused ? windowShape(plan.values.get(step.step.input)!) : v.shape;
      for (const [suffix, slab] of [
        [DIN, 0],
        [SLOT_OUT, 1],
      ] as const) {
        produced.set(`${out}${suffix}`, i);
        shapeOf.set(`${out}${suffix}`, slots);
        temporaries.set(`${out}${suffix}`, slab);
      }
    }
    const reads = step.kind === 'linear' ? step.step.inputs.flatMap((x) => (x.kind === 'delta' ? [x.value] : [])) : [step.step.input];
    for (const r of reads) lastUse.set(r, Math.max(lastUse.get(r) ?? -1, i));
  });

  const slabs: [{ values: number; pixels: number }, { values: number; pixels: number }] = [
    { values: 0, pixels: 0 },
    { values: 0, pixels: 0 },
  ];
  for (const [name, slab] of temporaries) {
    const shape = shapeOf.get(name)!;
    const s = slabs[slab];
    s.pixels = Math.max(s.pixels, pixelsOf(shape));
    s.values = Math.max(s.values, pixelsOf(shape) * shape[3]!);
  }

  const buffers: SharedFrameBuffer[] = [];
  const bufferOf = new Map<string, number>();
  const free = new Map<string, number[]>();
  const live: { name: string; until: number; key: string }[] = [];
  plan.steps.forEach((_, i) => {
    for (let k = live.length - 1; k >= 0; k--) {
      const l = live[k]!;
      if (l.until < i) {
        free.set(l.key, [...(free.get(l.key) ?? []), bufferOf.get(l.name)!]);
        live.splice(k, 1);
      }
    }
    for (const [name, at] of produced) {
      if (at !== i || temporaries.has(name)) continue;
      const shape = shapeOf.get(name)!;
      const key = shape.join('x');
      let buffer = free.get(key)?.pop();
      if (buffer === undefined) {
        buffer = buffers.length;
        buffers.push({ shape, first: name });
      }
      bufferOf.set(name, buffer);
      live.push({ name, until: Math.max(lastUse.get(name) ?? i, i), key });
    }
  });

  const places = new Map<string, FrameBufferPlace>();
  for (const name of produced.keys()) {
    const shape = shapeOf.get(name)!;
    const slab = temporaries.get(name);
    places.set(name, slab === undefined ? { shape, buffer: bufferOf.get(name)! } : { shape, slab });
  }
  return { slabs, buffers, places };
}
