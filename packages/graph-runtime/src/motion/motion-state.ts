import { DeltaBuffer } from '@motiondelta/core';
import { SphericalBuffer, SphericalGeometry, wrapCoordinate, type Rect, type WorldPoint } from '@motiondelta/spherical-buffer';
import { DIN, EXT, SLOT_OUT, planFrameBuffers } from './frame-buffer-plan.js';
import type { MotionPlan, MotionValue, Ring } from './motion-plan.js';

const NO_RING: Ring = { top: 0, left: 0, bottom: 0, right: 0 };

/**
 * Persistent storage of one value in world coordinates: a torus exactly the size of the value's
 * window (viewport plus ring), so the window's positions always occupy distinct slots and no
 * slack is needed (the exact viewport semantics never revisits a forgotten position without
 * resetting it; docs/architecture/motion.md).
 */
export class WindowStore {
  readonly buffer: SphericalBuffer;
  readonly ring: MotionValue['ring'];
  readonly viewportHeight: number;
  readonly viewportWidth: number;
  /** The buffer's values, `data[(row * slotsW + col) * channels + c]`. */
  readonly data: Float32Array;
  readonly slotsH: number;
  readonly slotsW: number;
  readonly channels: number;
  /**
   * Per-step addressing of the window at the origin last given to {@link address}: `rowBase[i]` is
   * the offset (in slots) of window row `i`'s slot row, `colSlot[j]` the slot column of window
   * column `j`; `windowRow[r]` / `windowCol[k]` invert them. Hot loops index these instead of
   * wrapping coordinates per pixel; they are rebuilt per step (slotsH + slotsW entries).
   */
  readonly rowBase: Int32Array;
  readonly colSlot: Int32Array;
  readonly windowRow: Int32Array;
  readonly windowCol: Int32Array;

  /** `ring`: what the store keeps around the viewport (none by default). */
  constructor(value: MotionValue, ring: Ring = NO_RING) {
    const h = value.shape[1] + ring.top + ring.bottom;
    const w = value.shape[2] + ring.left + ring.right;
    this.buffer = new SphericalBuffer(new SphericalGeometry({ slotsH: h, slotsW: w, viewportHeight: h, viewportWidth: w }), value.shape[3]);
    this.ring = ring;
    this.viewportHeight = value.shape[1];
    this.viewportWidth = value.shape[2];
    this.data = this.buffer.data;
    this.slotsH = h;
    this.slotsW = w;
    this.channels = value.shape[3];
    this.rowBase = new Int32Array(h);
    this.colSlot = new Int32Array(w);
    this.windowRow = new Int32Array(h);
    this.windowCol = new Int32Array(w);
  }

  /**
   * Fills the addressing tables for the window whose top-left pixel is world `(y, x)`; the window
   * is exactly the buffer's size, so every slot row and column is hit exactly once.
   */
  address(y: number, x: number): void {
    const r0 = this.row(y);
    const c0 = this.col(x);
    for (let i = 0, r = r0; i < this.slotsH; i++, r = r + 1 === this.slotsH ? 0 : r + 1) {
      this.rowBase[i] = r * this.slotsW;
      this.windowRow[r] = i;
    }
    for (let j = 0, k = c0; j < this.slotsW; j++, k = k + 1 === this.slotsW ? 0 : k + 1) {
      this.colSlot[j] = k;
      this.windowCol[k] = j;
    }
  }

  /** Index in `data` of channel 0 of world pixel `(y, x)`. */
  at(y: number, x: number): number {
    return (wrapCoordinate(y, this.slotsH) * this.slotsW + wrapCoordinate(x, this.slotsW)) * this.channels;
  }

  /**
   * Slot row of world row `y`. Hot loops address a rectangle from its first slot row and column
   * and step with one wrap test, instead of a modulo per pixel: the buffer is exactly
   * window-sized, so a window's rows (columns) wrap at most once.
   */
  row(y: number): number {
    return wrapCoordinate(y, this.slotsH);
  }

  /** Slot column of world column `x`; see {@link row}. */
  col(x: number): number {
    return wrapCoordinate(x, this.slotsW);
  }

  /** The window at a viewport origin. */
  windowAt(origin: WorldPoint): Rect {
    const r = this.ring;
    return {
      y: origin.y - r.top,
      x: origin.x - r.left,
      height: this.viewportHeight + r.top + r.bottom,
      width: this.viewportWidth + r.left + r.right,
    };
  }
}

/** What one value keeps: see {@link ValueRole}. */
export interface ValueState {
  readonly value: MotionValue;
  /** The delta consumers read, over the viewport (absent for fused values). */
  readonly view: DeltaBuffer | undefined;
  /** Fused values: the producer's own output buffer over viewport + ring. */
  readonly ext: DeltaBuffer | undefined;
  /** `input`: sparsify reference. `store`/`fused`: accumulated value. `activation`: accumulated input when not fused. */
  readonly store: WindowStore | undefined;
  /**
   * `activation`: last emitted output. A fused activation's carries its producer's ring, so that it
   * puts every pixel in the same slot as the accumulator (the ring's slots stay unused).
   */
  readonly emitted: WindowStore | undefined;
}

/**
 * Per-frame scratch arrays (the input's composed frame and reference, an activation's retractions)
 * shared by every step: one array per slot, as long as the longest request, handed out as views of
 * the requested length.
 */
export class ScratchPool {
  readonly #arrays = new Map<number, Float32Array>();

  array(length: number, slot: number): Float32Array {
    let a = this.#arrays.get(slot);
    if (!a || a.length < length) {
      a = new Float32Array(length);
      this.#arrays.set(slot, a);
    }
    return a.length === length ? a : a.subarray(0, length);
  }

  get bytes(): number {
    let b = 0;
    for (const a of this.#arrays.values()) b += a.byteLength;
    return b;
  }
}

/** Scratch slot of an activation's retraction values while its shrink step runs. */
export const LEAVING_SCRATCH = 2;

/**
 * Allocates the per-frame delta buffers as {@link planFrameBuffers} lays them out: the two slabs
 * of step temporaries, and the buffers shared like registers between values whose lifetimes
 * within a pass do not overlap.
 */
function assignFrameBuffers(plan: MotionPlan): Map<string, DeltaBuffer> {
  const layout = planFrameBuffers(plan);
  const slabs = layout.slabs.map((n) => ({
    values: new Float32Array(n.values),
    mask: new Uint8Array(n.pixels),
    active: new Int32Array(n.pixels),
  }));
  const buffers = layout.buffers.map((b) => new DeltaBuffer(b.shape));
  const assigned = new Map<string, DeltaBuffer>();
  for (const [name, place] of layout.places) {
    assigned.set(name, place.slab !== undefined ? new DeltaBuffer(place.shape, slabs[place.slab]) : buffers[place.buffer]!);
  }
  return assigned;
}

/** All state of a motion stream on one viewport size. */
export class MotionState {
  readonly values = new Map<string, ValueState>();
  readonly scratch = new ScratchPool();
  readonly #frame: ReadonlyMap<string, DeltaBuffer>;
  /**
   * Per value, the viewport pixels its delta updated in the last grow pass (statistics and update
   * masks; the delta buffers themselves are shared and overwritten later in the pass).
   */
  readonly updated = new Map<string, Int32Array>();
  // Backing arrays of `updated`, one per value, so a frame allocates only views.
  readonly #updatedBacking = new Map<string, Int32Array>();

  constructor(plan: MotionPlan) {
    // A fused activation's producer: its emitted store shares the producer's ring, so that both of
    // its stores put every pixel in the same slot and the kernel can run on them in place.
    const fusedProducer = new Map<string, MotionValue>();
    for (const step of plan.steps)
      if (step.kind === 'activation' && step.fused) fusedProducer.set(step.step.output, plan.values.get(step.step.input)!);
    const frame = assignFrameBuffers(plan);
    this.#frame = frame;
    // Scratch is allocated up front, so state bytes are known (and fixed) from the first frame.
    for (const step of plan.steps) {
      if (step.kind === 'input') {
        const [, h, w, c] = plan.values.get(step.value)!.shape;
        this.scratch.array(h * w * c, 0);
        this.scratch.array(h * w * c, 1);
      } else if (step.kind === 'activation') {
        const shape = plan.values.get(step.step.output)!.shape;
        this.scratch.array(shape[1] * shape[2] * shape[3], LEAVING_SCRATCH);
      }
    }
    for (const value of plan.values.values()) {
      // Allocated here, with everything else, so that state bytes are fixed from the first frame.
      this.#updatedBacking.set(value.name, new Int32Array(value.shape[0] * value.shape[1] * value.shape[2]));
      const buffer = frame.get(value.name)!;
      switch (value.role) {
        case 'input':
          this.values.set(value.name, { value, view: buffer, ext: undefined, store: new WindowStore(value), emitted: undefined });
          break;
        case 'store':
          this.values.set(value.name, {
            value,
            view: buffer,
            ext: undefined,
            store: new WindowStore(value, value.ring),
            emitted: undefined,
          });
          break;
        case 'fused':
          this.values.set(value.name, {
            value,
            view: undefined,
            ext: buffer,
            store: new WindowStore(value, value.ring),
            emitted: undefined,
          });
          break;
        case 'pointwise':
          this.values.set(value.name, { value, view: buffer, ext: undefined, store: undefined, emitted: undefined });
          break;
        case 'activation': {
          const producer = fusedProducer.get(value.name);
          this.values.set(value.name, {
            value,
            view: buffer,
            ext: undefined,
            store: producer ? undefined : new WindowStore(value),
            emitted: new WindowStore(value, producer?.ring),
          });
          break;
        }
      }
    }
  }

  /** A store value's kernel output (viewport + ring), valid while its step runs. */
  extOf(value: string): DeltaBuffer {
    return this.#frame.get(`${value}${EXT}`)!;
  }

  /**
   * An activation's input delta, valid while its step runs. It is laid out in the slot order of the
   * activation's stores (accumulated and emitted), not in viewport order: an activation is
   * pixelwise, so its kernel can update the wrapped stores in place instead of gathering and
   * scattering them.
   */
  dinOf(value: string): DeltaBuffer {
    return this.#frame.get(`${value}${DIN}`)!;
  }

  /** An activation's kernel output in slot order (see {@link dinOf}), valid while its step runs. */
  slotOutOf(value: string): DeltaBuffer {
    return this.#frame.get(`${value}${SLOT_OUT}`)!;
  }

  /** Records the pixels `d` updated for `value` in this grow pass (see {@link updated}). */
  recordUpdated(value: string, d: DeltaBuffer): void {
    const backing = this.#updatedBacking.get(value)!;
    backing.set(d.active.subarray(0, d.count));
    this.updated.set(value, backing.subarray(0, d.count));
  }

  get(name: string): ValueState {
    const s = this.values.get(name);
    if (!s) throw new Error(`motion state: no value '${name}'`);
    return s;
  }

  /** Every store, with the value it belongs to (for resets when the viewport moves). */
  *stores(): Generator<{ value: MotionValue; store: WindowStore }> {
    for (const s of this.values.values()) {
      if (s.store) yield { value: s.value, store: s.store };
      if (s.emitted) yield { value: s.value, store: s.emitted };
    }
  }

  /** Bytes held between frames: wrapped state, the (shared) per-frame delta buffers and scratch. */
  get stateBytes(): number {
    return this.persistentBytes + this.frameBufferBytes;
  }

  /** Bytes of the wrapped buffers whose content must survive from one frame to the next. */
  get persistentBytes(): number {
    let bytes = 0;
    for (const s of this.values.values()) {
      if (s.store) bytes += s.store.data.byteLength;
      if (s.emitted) bytes += s.emitted.data.byteLength;
    }
    return bytes;
  }

  /** Bytes of the wrapped buffers spent on rings (window minus viewport): the padded convolutions' cost. */
  get ringBytes(): number {
    let bytes = 0;
    for (const s of this.values.values()) {
      for (const st of [s.store, s.emitted]) {
        if (!st) continue;
        const r = st.ring;
        const area = (st.viewportHeight + r.top + r.bottom) * (st.viewportWidth + r.left + r.right) - st.viewportHeight * st.viewportWidth;
        bytes += area * st.channels * 4;
      }
    }
    return bytes;
  }

  /**
   * Bytes of per-frame buffers (reused every frame; their content is not carried over, except the
   * lists of updated pixels, which `updateMasks()` reads after the frame).
   */
  get frameBufferBytes(): number {
    let bytes = this.scratch.bytes;
    // By backing store: buffers that share one (registers, step temporaries) count once.
    const stores = new Set<ArrayBufferLike>();
    for (const d of this.#frame.values()) for (const a of [d.values, d.mask, d.active]) stores.add(a.buffer);
    for (const b of stores) bytes += b.byteLength;
    for (const u of this.#updatedBacking.values()) bytes += u.byteLength;
    return bytes;
  }
}
