import { OptionError, type Tensor } from '@motiondelta/core';

/**
 * Delta mode's bounded staleness (`SessionOptions.refresh`): how long an input pixel's change may
 * stay unsent below the input threshold.
 *
 * Below the threshold a pixel's change is kept as residue; on a still background with sensor noise
 * almost every pixel carries some, so the error starts from the exact keyframe and climbs over
 * hundreds of frames to the level that stale pixels everywhere give. A refresh sends, each frame,
 * one band of rows (1/`maxAge` of the frame) wherever it holds residue, so no pixel stays stale
 * for more than `maxAge` frames and the error settles within `maxAge` frames, at about 1/`maxAge`
 * of the input's pixels sent each frame instead of a keyframe's full cost.
 */
export interface RefreshOptions {
  /** Frames a pixel's residue may wait (an integer >= 1): the rows rotate through `maxAge` bands. */
  readonly maxAge: number;
  /**
   * A refreshed pixel is sent only where its residue (max over channels |x - last sent|) is over
   * this fraction of the input threshold, in [0, 1): so that the refresh leaves alone the pixels
   * whose staleness hardly shows. Default 0: every pixel holding any residue.
   */
  readonly minResidue?: number;
}

/**
 * Checks `refresh` and `keyframeInterval` of delta mode.
 *
 * @throws OptionError naming the option and what is accepted
 */
export function checkRefreshOptions(refresh: RefreshOptions | undefined, keyframeInterval: number | undefined): void {
  if (refresh !== undefined) {
    if (!Number.isInteger(refresh.maxAge) || refresh.maxAge < 1)
      throw new OptionError(`refresh.maxAge must be an integer >= 1 (frames), got ${refresh.maxAge}.`);
    const min = refresh.minResidue ?? 0;
    if (!(min >= 0 && min < 1)) throw new OptionError(`refresh.minResidue must be a number in [0, 1), got ${min}.`);
  }
  if (keyframeInterval !== undefined && (!Number.isInteger(keyframeInterval) || keyframeInterval < 1)) {
    throw new OptionError(`keyframeInterval must be an integer >= 1 (frames between keyframes), got ${keyframeInterval}.`);
  }
}

/** One image input's residue state: what the program holds as its last sent value. */
interface InputState {
  readonly threshold: number;
  readonly reference: Float32Array;
}

/**
 * Does the input's sparsify on the host, with refresh: the program then runs its own input
 * sparsify at threshold 0 on the frame this returns, where every pixel not sent holds its last
 * sent value, so it sends exactly the pixels chosen here and its reference stays equal to this
 * one. Being a host step before the program, it works the same on every backend (the native
 * programs included) without a kernel of its own. Inputs are NHWC (channels last).
 */
export class InputRefresh {
  readonly #options: Required<RefreshOptions>;
  readonly #thresholds: Readonly<Record<string, number>>;
  readonly #inputs = new Map<string, InputState>();
  /** Non-keyframe frames since the last keyframe: picks the band of rows to refresh. */
  #frame = 0;

  /** `thresholds`: the input threshold of each image input (4-D) by name. */
  constructor(options: RefreshOptions, thresholds: Readonly<Record<string, number>>) {
    this.#options = { minResidue: 0, ...options };
    this.#thresholds = thresholds;
  }

  /** A keyframe sends every pixel: the references become the frame's values. */
  keyframe(tensors: Readonly<Record<string, Tensor>>): void {
    this.#inputs.clear();
    this.#frame = 0;
    for (const [name, threshold] of Object.entries(this.#thresholds)) {
      const t = tensors[name];
      if (t) this.#inputs.set(name, { threshold, reference: Float32Array.from(t.data) });
    }
  }

  /** Forgets the references (reset, failed frame): the next frame must be a keyframe. */
  clear(): void {
    this.#inputs.clear();
  }

  /**
   * The frame the program should see (image inputs replaced, the others as given) and how many
   * pixels were sent only because of the refresh.
   */
  frame(tensors: Readonly<Record<string, Tensor>>): { readonly tensors: Record<string, Tensor>; readonly refreshed: number } {
    const out: Record<string, Tensor> = { ...tensors };
    const band = this.#frame % this.#options.maxAge;
    this.#frame++;
    let refreshed = 0;
    for (const [name, state] of this.#inputs) {
      const t = tensors[name]!;
      const data = new Float32Array(t.data.length);
      refreshed += this.#sparsify(t, state, band, data);
      out[name] = { data, shape: t.shape };
    }
    return { tensors: out, refreshed };
  }

  #sparsify(t: Tensor, state: InputState, band: number, out: Float32Array): number {
    const [n = 1, h = 1, w = 1, c = 1] = t.shape;
    const { maxAge, minResidue } = this.#options;
    const x = t.data;
    const ref = state.reference;
    const floor = minResidue * state.threshold;
    // Contiguous rows, not scattered pixels: a refreshed pixel's update spreads over each layer's
    // receptive field, and a band shares that spread between neighbours where scattered pixels
    // would each pay it.
    const rowStart = Math.floor((band * h) / maxAge);
    const rowEnd = Math.floor(((band + 1) * h) / maxAge);
    let refreshed = 0;
    for (let img = 0; img < n; img++) {
      for (let y = 0; y < h; y++) {
        const inBand = y >= rowStart && y < rowEnd;
        for (let xi = 0, base = (img * h + y) * w * c; xi < w; xi++, base += c) {
          let maxAbs = 0;
          for (let ch = 0; ch < c; ch++) {
            const d = Math.abs(x[base + ch]! - ref[base + ch]!);
            if (d > maxAbs) maxAbs = d;
          }
          const send = maxAbs > state.threshold;
          const refresh = !send && inBand && maxAbs > floor;
          if (send || refresh) {
            for (let ch = 0; ch < c; ch++) out[base + ch] = ref[base + ch] = x[base + ch]!;
            if (refresh) refreshed++;
          } else {
            for (let ch = 0; ch < c; ch++) out[base + ch] = ref[base + ch]!;
          }
        }
      }
    }
    return refreshed;
  }
}
