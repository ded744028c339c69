import type { Backend, DeltaBuffer, DeltaKernels, LinearDeltaCall, Tensor } from '@motiondelta/core';
import { intersectRects, subtractRect, type Rect, type WorldPoint } from '@motiondelta/spherical-buffer';
import type { Graph } from '../ir/graph.js';
import type { MotionPlan, MotionStep, MotionValue } from './motion-plan.js';
import { LEAVING_SCRATCH, type MotionState, type ValueState, type WindowStore } from './motion-state.js';
import type { WarpedFrame } from './warp-frame.js';
import { addRowToStore, addRun, copyRowFromSlots, copyRowToSlots, nextActive, runEnd } from './wrapped-rows.js';

/**
 * Above one active pixel in this many, per-frame deltas are walked row by row through their masks,
 * so that runs of active pixels move as contiguous blocks, instead of pixel by pixel through the
 * active list.
 */
const DENSE_FRACTION = 8;

/**
 * One propagation pass of a motion frame. A frame whose viewport moved runs two: `shrink`, in the
 * old viewport's coordinates, takes every pixel that leaves a value's viewport out of the network
 * (it emits minus what it emitted, and its slot keeps only partial sums); `grow`, in the new
 * viewport's coordinates, brings entering pixels in with their full value (bias added once) and
 * propagates the frame's content change. A frame that did not move runs `grow` alone.
 */
export type PassKind = 'shrink' | 'grow';

/** Viewport origins (input pixels) before and after the move. */
export interface PassContext {
  readonly pass: PassKind;
  readonly from: WorldPoint;
  readonly to: WorldPoint;
}

/** A value's viewport origin (its own pixels) for an input-pixel origin; exact by construction of the total stride. */
export function valueOrigin(v: MotionValue, o: WorldPoint): WorldPoint {
  return { y: (o.y * v.scaleY.den) / v.scaleY.num + 0, x: (o.x * v.scaleX.den) / v.scaleX.num + 0 };
}

function viewportRect(v: MotionValue, origin: WorldPoint): Rect {
  return { y: origin.y, x: origin.x, height: v.shape[1], width: v.shape[2] };
}

/**
 * Per value scale and pass: where the viewport is, which part stays, which pixels leave or enter.
 * Values of equal scale and viewport size share one (see MotionExecutor.#geometry).
 */
class ValueGeometry {
  readonly pass: PassKind;
  readonly from: WorldPoint;
  readonly to: WorldPoint;
  readonly cur: WorldPoint;
  /** Leaving (shrink) or entering (grow) viewport pixels, as viewport-local indices `i * width + j`. */
  readonly changed: Int32Array;
  // The staying pixels in viewport-local coordinates: rows [i0, i1), columns [j0, j1); hot loops
  // test these inline.
  readonly i0: number;
  readonly i1: number;
  readonly j0: number;
  readonly j1: number;

  constructor(v: MotionValue, ctx: PassContext) {
    this.pass = ctx.pass;
    this.from = ctx.from;
    this.to = ctx.to;
    const from = valueOrigin(v, ctx.from);
    const to = valueOrigin(v, ctx.to);
    const oldV = viewportRect(v, from);
    const newV = viewportRect(v, to);
    const cur = ctx.pass === 'shrink' ? from : to;
    this.cur = cur;
    const st = intersectRects(oldV, newV);
    const rects = ctx.pass === 'shrink' ? subtractRect(oldV, newV) : subtractRect(newV, oldV);
    const w = v.shape[2];
    this.changed = new Int32Array(rects.reduce((n, r) => n + r.height * r.width, 0));
    let k = 0;
    for (const r of rects) {
      for (let y = r.y; y < r.y + r.height; y++)
        for (let x = r.x; x < r.x + r.width; x++) this.changed[k++] = (y - cur.y) * w + (x - cur.x);
    }
    this.i0 = st ? st.y - cur.y : 0;
    this.i1 = st ? st.y - cur.y + st.height : 0;
    this.j0 = st ? st.x - cur.x : 0;
    this.j1 = st ? st.x - cur.x + st.width : 0;
  }

  /** Whether this geometry was built for `ctx` (origins compared by value: a still camera reuses it every frame). */
  fits(ctx: PassContext): boolean {
    return (
      this.pass === ctx.pass && this.from.y === ctx.from.y && this.from.x === ctx.from.x && this.to.y === ctx.to.y && this.to.x === ctx.to.x
    );
  }
}

/**
 * Marks a pixel active without zeroing its channels: for callers that then write every channel.
 * (`DeltaBuffer.activate` zeroes them so that kernels can accumulate.)
 */
function mark(d: DeltaBuffer, p: number): void {
  if (d.mask[p] === 0) {
    d.mask[p] = 1;
    d.active[d.count++] = p;
  }
}

/** {@link mark} for pixels `[from, to)`. */
function markRange(d: DeltaBuffer, from: number, to: number): void {
  const { mask, active } = d;
  let n = d.count;
  for (let p = from; p < to; p++) {
    if (mask[p] === 0) {
      mask[p] = 1;
      active[n++] = p;
    }
  }
  d.count = n;
}

/**
 * Runs the motion plan's steps for one pass on per-frame buffers in viewport (and viewport + ring)
 * coordinates with the backend's ordinary delta kernels; only persistent state lives in wrapped
 * world-addressed stores, moved in and out at active pixels (activations update theirs in place).
 */
export class MotionExecutor {
  readonly #graph: Graph;
  readonly #plan: MotionPlan;
  readonly #kernels: DeltaKernels;
  /** Geometry per value scale and viewport size, for the pass it was last built for. */
  readonly #geometry = new Map<string, ValueGeometry>();
  readonly #geometryKey = new Map<MotionValue, string>();

  constructor(graph: Graph, plan: MotionPlan, backend: Backend & { readonly delta: DeltaKernels }) {
    this.#graph = graph;
    this.#plan = plan;
    this.#kernels = backend.delta;
    for (const v of plan.values.values())
      this.#geometryKey.set(v, `${v.scaleY.num}/${v.scaleY.den} ${v.scaleX.num}/${v.scaleX.den} ${v.shape[1]}x${v.shape[2]}`);
  }

  /** Runs every step; adds the MACs done and milliseconds spent per step (aligned with `plan.steps`). */
  async runPass(state: MotionState, ctx: PassContext, frame: WarpedFrame | undefined, macs: number[], ms: number[]): Promise<void> {
    const steps = this.#plan.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const t0 = performance.now();
      macs[i] = (macs[i] ?? 0) + (await this.#runStep(step, state, ctx, frame));
      ms[i] = (ms[i] ?? 0) + performance.now() - t0;
      if (ctx.pass === 'grow' && step.kind !== 'input') {
        const out = state.get(step.step.output).view;
        if (out) state.recordUpdated(step.step.output, out);
      }
    }
  }

  /** Zeroes every slot that now stands for a world position its window did not hold before. */
  resetUnveiled(state: MotionState, from: WorldPoint, to: WorldPoint): void {
    for (const { value, store } of state.stores()) {
      const before = store.windowAt(valueOrigin(value, from));
      const after = store.windowAt(valueOrigin(value, to));
      store.buffer.resetSlots(subtractRect(after, before));
    }
  }

  #geometryOf(v: MotionValue, ctx: PassContext): ValueGeometry {
    const key = this.#geometryKey.get(v)!;
    let g = this.#geometry.get(key);
    if (!g || !g.fits(ctx)) {
      g = new ValueGeometry(v, ctx);
      this.#geometry.set(key, g);
    }
    return g;
  }

  async #runStep(step: MotionStep, state: MotionState, ctx: PassContext, frame: WarpedFrame | undefined): Promise<number> {
    switch (step.kind) {
      case 'input':
        return this.#runInput(step, state, ctx, frame);
      case 'linear':
        return this.#runLinear(step, state, ctx);
      case 'activation':
        return this.#runActivation(step, state, ctx);
    }
  }

  async #runInput(
    step: Extract<MotionStep, { kind: 'input' }>,
    state: MotionState,
    ctx: PassContext,
    frame: WarpedFrame | undefined,
  ): Promise<number> {
    const st = state.get(step.value);
    const v = st.value;
    const store = st.store!;
    const out = st.view!;
    const g = this.#geometryOf(v, ctx);
    const [, h, w, c] = v.shape;
    const sd = store.data;
    if (ctx.pass === 'shrink') {
      store.address(g.cur.y, g.cur.x);
      const { rowBase, colSlot } = store;
      out.clear();
      const ov = out.values;
      const changed = g.changed;
      for (let k = 0; k < changed.length; k++) {
        const p = changed[k]!;
        const i = (p / w) | 0;
        const off = (rowBase[i]! + colSlot[p - i * w]!) * c;
        mark(out, p);
        for (let ch = 0, o = p * c; ch < c; ch++) ov[o + ch] = -sd[off + ch]!;
      }
      return 0;
    }
    if (!frame) throw new Error('motion: the grow pass needs the warped frame');
    // Pixels the frame does not cover keep the canvas value (their reference): no update there.
    const x1 = state.scratch.array(h * w * c, 0);
    const ref = state.scratch.array(h * w * c, 1);
    copyViewport(store, g.cur, ref, 'gather');
    if (frame.coveredCount === h * w) x1.set(frame.data);
    else {
      x1.set(ref);
      const covered = frame.covered;
      const fd = frame.data;
      for (let p = 0; p < h * w; p++) {
        if (covered[p] === 1) for (let ch = 0; ch < c; ch++) x1[p * c + ch] = fd[p * c + ch]!;
      }
    }
    await this.#kernels.sparsify({ data: x1, shape: v.shape }, ref, step.threshold, out);
    // The kernel moved the reference at active pixels only; writing it all back in row runs is
    // the same and cheaper than a wrapped write per active pixel.
    if (out.count > 0) copyViewport(store, g.cur, ref, 'scatter');
    return 0;
  }

  async #runLinear(step: Extract<MotionStep, { kind: 'linear' }>, state: MotionState, ctx: PassContext): Promise<number> {
    const st = state.get(step.step.output);
    const v = st.value;
    const constants = this.#graph.constants;
    const inputs = step.step.inputs.map((i): DeltaBuffer | Tensor | undefined =>
      i.kind === 'absent' ? undefined : i.kind === 'constant' ? constants.get(i.value)! : state.get(i.value).view!,
    );
    const out = v.role === 'fused' ? st.ext! : v.role === 'store' ? state.extOf(v.name) : st.view!;
    const active = inputs.some((i) => i !== undefined && 'count' in i && i.count > 0);
    if (active) await this.#kernels.linear({ op: step.step.op, attrs: step.attrs, inputs } as LinearDeltaCall, out);
    else out.clear();
    const macs = (step.step.denseMacs * out.count) / (v.shape[1] * v.shape[2]);
    if (v.role === 'store') {
      settleStore(st, out, this.#geometryOf(v, ctx), ctx.pass);
      // A step temporary that shares storage with other steps' (MotionState): leave its mask zero.
      out.clear();
    } else if (v.role === 'pointwise') settlePointwise(st, this.#geometryOf(v, ctx), ctx.pass);
    return macs;
  }

  /**
   * An activation is pixelwise, so its kernel runs on the wrapped stores in place: the input delta
   * is laid out in the stores' slot order (`state.dinOf`), the kernel updates the accumulated and
   * emitted stores directly, and only its output is put back in viewport order. Both stores have
   * the same torus (a fused activation's emitted store carries its producer's ring), so one
   * slot index addresses both.
   */
  async #runActivation(step: Extract<MotionStep, { kind: 'activation' }>, state: MotionState, ctx: PassContext): Promise<number> {
    const yState = state.get(step.step.output);
    const uState = state.get(step.step.input);
    const y = yState.value;
    const u = uState.value;
    const out = yState.view!;
    const emitted = yState.emitted!;
    const [, h, w, c] = y.shape;
    const fused = step.fused;
    const acc: WindowStore = fused ? uState.store! : yState.store!;
    const x = fused ? uState.ext! : uState.view!;
    // Fused: the producer wrote viewport + ring; otherwise the input is a settled viewport delta.
    const top = fused ? u.ring.top : 0;
    const left = fused ? u.ring.left : 0;
    const xw = x.shape[2];
    const bias = fused ? u.bias : undefined;
    const g = this.#geometryOf(y, ctx);
    const { i0, i1, j0, j1 } = g;
    const changed = g.changed;
    const ad = acc.data;
    const ed = emitted.data;
    const xv = x.values;
    const xm = x.mask;
    const stores = { accumulated: ad, emitted: ed };
    const slotsW = acc.slotsW;
    acc.address(g.cur.y - top, g.cur.x - left);
    const { rowBase, colSlot, windowRow, windowCol } = acc;

    // A still viewport whose stores line up with it (slot = viewport pixel): the input delta is
    // already in slot order, so the kernel reads and writes the step's own buffers.
    if (!fused && changed.length === 0 && rowBase[0] === 0 && colSlot[0] === 0) {
      if (x.count > 0) await this.#kernels.activation(x, step.step.activation, stores, step.step.threshold, out);
      else out.clear();
      return (step.step.denseMacs * out.count) / (h * w);
    }

    const din = state.dinOf(y.name);
    const sout = state.slotOutOf(y.name);
    din.clear();
    const dv = din.values;
    const leaving = ctx.pass === 'shrink' ? state.scratch.array(changed.length * c, LEAVING_SCRATCH) : undefined;
    if (leaving) {
      // Leaving pixels retract what they emitted; they keep only the partial sum (no bias).
      for (let k = 0; k < changed.length; k++) {
        const p = changed[k]!;
        const i = (p / w) | 0;
        const so = (rowBase[i + top]! + colSlot[p - i * w + left]!) * c;
        for (let ch = 0; ch < c; ch++) {
          leaving[k * c + ch] = -ed[so + ch]!;
          ed[so + ch] = 0;
        }
        if (bias) for (let ch = 0; ch < c; ch++) ad[so + ch]! -= bias[ch]!;
      }
    }
    // Staying pixels go to the kernel. Ring, leaving and entering pixels of a fused input only add
    // to the partial sum (entering ones are emitted below); a viewport input has nothing else.
    if (x.count * DENSE_FRACTION >= x.pixels) {
      const xh = x.shape[1];
      for (let qi = 0; qi < xh; qi++) {
        // The window columns of this row that stay, [sa, sb) (none on rows that do not stay).
        const stays = qi - top >= i0 && qi - top < i1;
        const sa = stays ? j0 + left : 0;
        const sb = stays ? j1 + left : 0;
        const row = qi * xw;
        for (let a = nextActive(xm, row, 0, xw), b = a; a < xw; a = nextActive(xm, row, b, xw)) {
          b = runEnd(xm, row, a, xw);
          // The staying part of the run; the rest (ring, leaving, entering) only adds to partial sums.
          const ka = Math.min(Math.max(a, sa), b);
          const kb = Math.max(Math.min(b, sb), ka);
          if (kb > ka) {
            copyRowToSlots(dv, rowBase, colSlot, slotsW, xv, xw, c, qi, ka, kb);
            for (let qj = ka; qj < kb; qj++) mark(din, rowBase[qi]! + colSlot[qj]!);
          }
          if (fused) {
            addRowToStore(ad, rowBase, colSlot, slotsW, xv, xw, c, qi, a, ka);
            addRowToStore(ad, rowBase, colSlot, slotsW, xv, xw, c, qi, kb, b);
          }
        }
      }
    } else {
      for (let k = 0; k < x.count; k++) {
        const q = x.active[k]!;
        const qi = (q / xw) | 0;
        const qj = q - qi * xw;
        const slot = rowBase[qi]! + colSlot[qj]!;
        const so = slot * c;
        if (qi - top >= i0 && qi - top < i1 && qj - left >= j0 && qj - left < j1) {
          mark(din, slot);
          copyChannels(dv, so, xv, q * c, c);
        } else if (fused) addRun(ad, so, xv, q * c, c);
      }
    }
    if (ctx.pass === 'grow') {
      // Entering pixels start from nothing accumulated or emitted, and take their full input.
      for (let k = 0; k < changed.length; k++) {
        const p = changed[k]!;
        const i = (p / w) | 0;
        const s = rowBase[i + top]! + colSlot[p - i * w + left]!;
        const so = s * c;
        mark(din, s);
        if (fused) {
          // The full pre-activation: what the ring gathered, plus the bias, added exactly once.
          if (bias) for (let ch = 0; ch < c; ch++) dv[so + ch] = ad[so + ch]! + bias[ch]!;
          else for (let ch = 0; ch < c; ch++) dv[so + ch] = ad[so + ch]!;
        } else if (xm[p] === 1) {
          for (let ch = 0; ch < c; ch++) dv[so + ch] = xv[p * c + ch]!;
        } else {
          dv.fill(0, so, so + c);
        }
        ad.fill(0, so, so + c);
        ed.fill(0, so, so + c);
      }
    }
    if (din.count > 0) await this.#kernels.activation(din, step.step.activation, stores, step.step.threshold, sout);
    else sout.clear();
    out.clear();
    const ov = out.values;
    const sv = sout.values;
    // Back to viewport order.
    if (sout.count * DENSE_FRACTION >= h * w) {
      const sm = sout.mask;
      for (let i = 0; i < h; i++) {
        const qi = i + top;
        const base = rowBase[qi]!;
        // Runs of active slots along the viewport row (window columns [left, left + w)).
        for (let a = left; a < left + w; a++) {
          if (sm[base + colSlot[a]!] === 0) continue;
          let b = a + 1;
          while (b < left + w && sm[base + colSlot[b]!] === 1) b++;
          copyRowFromSlots(ov, (i * w + a - left) * c, rowBase, colSlot, slotsW, sv, c, qi, a, b);
          for (let p = i * w + a - left, end = i * w + b - left; p < end; p++) mark(out, p);
          a = b;
        }
      }
    } else {
      for (let k = 0; k < sout.count; k++) {
        const s = sout.active[k]!;
        const r = (s / slotsW) | 0;
        const p = (windowRow[r]! - top) * w + windowCol[s - r * slotsW]! - left;
        mark(out, p);
        for (let ch = 0, so = s * c, o = p * c; ch < c; ch++) ov[o + ch] = sv[so + ch]!;
      }
    }
    if (leaving) {
      for (let k = 0; k < changed.length; k++) {
        const p = changed[k]!;
        mark(out, p);
        for (let ch = 0; ch < c; ch++) ov[p * c + ch] = leaving[k * c + ch]!;
      }
    }
    // Step temporaries share storage with every other step's (MotionState): leave their masks zero.
    din.clear();
    sout.clear();
    return (step.step.denseMacs * out.count) / (h * w);
  }
}

/**
 * Copies the viewport at `origin` between a ring-free store and a dense viewport array: per row at
 * most two runs (split where the row wraps), moved with `TypedArray.set`.
 */
function copyViewport(store: WindowStore, origin: WorldPoint, dense: Float32Array, direction: 'gather' | 'scatter'): void {
  const h = store.viewportHeight;
  const w = store.viewportWidth;
  const c = store.channels;
  const sd = store.data;
  const col0 = store.col(origin.x);
  const first = Math.min(w, store.slotsW - col0);
  for (let i = 0; i < h; i++) {
    const base = store.row(origin.y + i) * store.slotsW;
    const d = i * w * c;
    if (direction === 'gather') {
      dense.set(sd.subarray((base + col0) * c, (base + col0 + first) * c), d);
      if (first < w) dense.set(sd.subarray(base * c, (base + w - first) * c), d + first * c);
    } else {
      sd.set(dense.subarray(d, d + first * c), (base + col0) * c);
      if (first < w) sd.set(dense.subarray(d + first * c, d + w * c), base * c);
    }
  }
}

/**
 * A value with its own store: every active pixel of the producer's output (viewport + ring) goes
 * into the store; staying viewport pixels pass their delta on; leaving ones emit minus their full
 * value and drop the bias; entering ones take the bias once and emit their full value.
 */
function settleStore(st: ValueState, x: DeltaBuffer, g: ValueGeometry, pass: PassKind): void {
  const v = st.value;
  const store = st.store!;
  const out = st.view!;
  const [, , w, c] = v.shape;
  const xw = x.shape[2];
  const bias = v.bias;
  const sd = store.data;
  const ov = out.values;
  const xv = x.values;
  const { top, left } = store.ring;
  const { i0, i1, j0, j1 } = g;
  const changed = g.changed;
  // Window-local pixel (qi, qj) (the viewport starts at (top, left)) is at slot rowBase[qi] + colSlot[qj].
  store.address(g.cur.y - top, g.cur.x - left);
  const { rowBase, colSlot } = store;
  out.clear();
  if (pass === 'shrink') {
    for (let k = 0; k < changed.length; k++) {
      const p = changed[k]!;
      const i = (p / w) | 0;
      const off = (rowBase[i + top]! + colSlot[p - i * w + left]!) * c;
      mark(out, p);
      for (let ch = 0; ch < c; ch++) ov[p * c + ch] = -sd[off + ch]!;
      if (bias) for (let ch = 0; ch < c; ch++) sd[off + ch]! -= bias[ch]!;
    }
  }
  if (x.count * DENSE_FRACTION >= x.pixels) {
    // Many pixels are active: walk the mask row by row and move runs of active pixels as blocks.
    const xm = x.mask;
    const xh = x.shape[1];
    const slotsW = store.slotsW;
    for (let qi = 0; qi < xh; qi++) {
      const i = qi - top;
      // The window columns of this row that stay, [sa, sb) (none on rows that do not stay).
      const sa = i >= i0 && i < i1 ? j0 + left : 0;
      const sb = i >= i0 && i < i1 ? j1 + left : 0;
      const row = qi * xw;
      for (let a = nextActive(xm, row, 0, xw), b = a; a < xw; a = nextActive(xm, row, b, xw)) {
        b = runEnd(xm, row, a, xw);
        addRowToStore(sd, rowBase, colSlot, slotsW, xv, xw, c, qi, a, b);
        const ka = Math.max(a, sa);
        const kb = Math.min(b, sb);
        if (kb > ka) {
          ov.set(xv.subarray((row + ka) * c, (row + kb) * c), (i * w + ka - left) * c);
          markRange(out, i * w + ka - left, i * w + kb - left);
        }
      }
    }
  } else {
    for (let k = 0; k < x.count; k++) {
      const q = x.active[k]!;
      const qi = (q / xw) | 0;
      const qj = q - qi * xw;
      const i = qi - top;
      const j = qj - left;
      const p = i >= i0 && i < i1 && j >= j0 && j < j1 ? i * w + j : -1;
      settleStorePixel(sd, ov, out, xv, (rowBase[qi]! + colSlot[qj]!) * c, q, c, p);
    }
  }
  if (pass === 'grow') {
    for (let k = 0; k < changed.length; k++) {
      const p = changed[k]!;
      const i = (p / w) | 0;
      const off = (rowBase[i + top]! + colSlot[p - i * w + left]!) * c;
      mark(out, p);
      if (bias) for (let ch = 0; ch < c; ch++) sd[off + ch]! += bias[ch]!;
      for (let ch = 0; ch < c; ch++) ov[p * c + ch] = sd[off + ch]!;
    }
  }
}

/** One active pixel `q` of a store value's kernel output: into the store, and on to `out` at viewport pixel `p` if it stays (`p >= 0`). */
function settleStorePixel(
  sd: Float32Array,
  ov: Float32Array,
  out: DeltaBuffer,
  xv: Float32Array,
  off: number,
  q: number,
  c: number,
  p: number,
): void {
  const xo = q * c;
  for (let ch = 0; ch < c; ch++) sd[off + ch]! += xv[xo + ch]!;
  if (p >= 0) {
    mark(out, p);
    for (let ch = 0, o = p * c; ch < c; ch++) ov[o + ch] = xv[xo + ch]!;
  }
}

/**
 * A pointwise value keeps nothing: its inputs already carry minus / plus their full values at the
 * pixels that leave / enter (aligned grids), so only the op's constant offset is missing there.
 */
function settlePointwise(st: ValueState, g: ValueGeometry, pass: PassKind): void {
  const v = st.value;
  const out = st.view!;
  const c = v.shape[3];
  const bias = v.bias;
  const sign = pass === 'shrink' ? -1 : 1;
  const ov = out.values;
  const changed = g.changed;
  for (let k = 0; k < changed.length; k++) {
    const p = changed[k]!;
    // `activate` zeroes a pixel the kernel left inactive, so the offset lands on 0.
    out.activate(p);
    if (bias) for (let ch = 0; ch < c; ch++) ov[p * c + ch]! += sign * bias[ch]!;
  }
}

/** `dst[d + t] = src[s + t]` for `t < n`: a loop, cheaper than `set` for a pixel's few channels. */
function copyChannels(dst: Float32Array, d: number, src: Float32Array, s: number, n: number): void {
  for (let t = 0; t < n; t++) dst[d + t] = src[s + t]!;
}
