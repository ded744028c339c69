import { createRng, randomInt, uniform, type Backend, type DeltaKernels, type Tensor, type TensorMap } from '@motiondelta/core';
import type { Model } from '../../src/model.js';
import { ReferenceBackend } from '@motiondelta/reference-backend';
import type { Session } from '../../src/session/session.js';

export const MODES = ['dense', 'delta', 'motion'] as const;
export type Mode = (typeof MODES)[number];

/** A session of `mode` at threshold 0 (exact) on `backend`. */
export async function openSession(model: Model, mode: Mode, backend: Backend | string = 'reference'): Promise<Session> {
  return mode === 'dense' ? model.createSession({ mode, backend }) : model.createSession({ mode, backend, threshold: 0 });
}

/**
 * Frames of a still camera with sparse content changes, values in [0, 1): what delta and motion
 * modes are for. Seeded.
 */
export function sparseFrames(seed: number, h: number, w: number, count: number): Tensor[] {
  const rng = createRng(seed);
  const data = new Float32Array(h * w * 3).map(() => uniform(rng, 0, 1));
  const frames: Tensor[] = [];
  for (let f = 0; f < count; f++) {
    if (f > 0) {
      const rh = randomInt(rng, 1, Math.min(4, h));
      const rw = randomInt(rng, 1, Math.min(4, w));
      const y0 = randomInt(rng, 0, h - rh);
      const x0 = randomInt(rng, 0, w - rw);
      for (let y = y0; y < y0 + rh; y++)
        for (let x = x0; x < x0 + rw; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = uniform(rng, 0, 1);
    }
    frames.push({ data: new Float32Array(data), shape: [1, h, w, 3] });
  }
  return frames;
}

/** Runs `frames` one after another through a fresh session: what an undisturbed stream gives. */
export async function runFresh(model: Model, mode: Mode, frames: readonly Tensor[]): Promise<TensorMap[]> {
  const session = await openSession(model, mode);
  const out: TensorMap[] = [];
  for (const frame of frames) out.push(await session.run({ x: frame }));
  session.dispose();
  return out;
}

/** Bit-identical outputs (same backend, same frames, same order). */
export function sameOutputs(a: TensorMap, b: TensorMap): boolean {
  const names = Object.keys(b);
  if (Object.keys(a).length !== names.length) return false;
  return names.every((n) => {
    const x = a[n]!;
    const y = b[n]!;
    return x.shape.join() === y.shape.join() && x.data.length === y.data.length && x.data.every((v, i) => Object.is(v, y.data[i]));
  });
}

/**
 * The reference backend, with a gate that holds the next kernel call (dense or delta) until
 * `open()`: `held` resolves once a call is waiting, so a test can act while a frame is in flight.
 * Counts `dispose()` calls.
 */
export function gatedBackend(): { backend: Backend; arm: () => Promise<void>; open: () => void; disposed: () => number } {
  const ref = new ReferenceBackend();
  let gate: { entered: () => void; release: Promise<void> } | undefined;
  let open = (): void => undefined;
  let disposed = 0;
  const pass = async (): Promise<void> => {
    const g = gate;
    if (!g) return;
    gate = undefined;
    g.entered();
    await g.release;
  };
  const delta = new Proxy(ref.delta, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        await pass();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as DeltaKernels;
  const backend: Backend = {
    id: 'gated',
    supports: (call) => ref.supports(call),
    runDense: async (call) => {
      await pass();
      return ref.runDense(call);
    },
    delta,
    dispose: () => {
      disposed++;
    },
  };
  return {
    backend,
    arm: () =>
      new Promise<void>((entered) => {
        gate = { entered, release: new Promise<void>((r) => (open = r)) };
      }),
    open: () => open(),
    disposed: () => disposed,
  };
}
