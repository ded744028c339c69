import type { Tensor, TensorMap } from '@motiondelta/core';
import type { Session } from '../../src/session/session.js';

/** 3x3 helpers, written here rather than imported so the simulator stays independent. */
function mul3(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) out.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  return out;
}
function inv3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const adj = [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d];
  return adj.map((v) => v / det);
}
function apply3(m: readonly number[], x: number, y: number): [number, number] {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  return [(m[0]! * x + m[1]! * y + m[2]!) / w, (m[3]! * x + m[4]! * y + m[5]!) / w];
}

/**
 * A plain dense simulator of the motion semantics of docs/architecture/motion.md, written from
 * the document and not from the executor: it keeps the viewport's canvas (what the network sees)
 * as one image and runs dense inference on it every frame.
 *
 * - The first frame anchors the world: its homography maps to the identity, the viewport sits at 0.
 * - Frame t's homography relative to the anchor is W = H_0^-1 H_t. The viewport origin is the
 *   multiple of the total stride S nearest to centring the frame: o = S * round((W(c) - c) / S)
 *   per axis, c the frame centre; the residual R = T(-o) W moves frame pixels to viewport pixels.
 * - A viewport pixel p whose source R^-1(p) lies in the frame (within 1e-6 of its last pixel
 *   centre) takes the frame's bilinear sample there. One it does not cover keeps the canvas value
 *   of its world position if that position was in the previous viewport, else 0: positions that
 *   leave the viewport are forgotten (exact viewport semantics).
 * - The outputs are dense inference on the canvas.
 */
export class MotionSimulator {
  readonly #dense: Session;
  readonly #input: string;
  readonly #stride: number;
  #canvas: Float32Array | undefined;
  #origin = { y: 0, x: 0 };
  #anchorInverse: number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

  constructor(dense: Session, input: string, totalStride: number) {
    this.#dense = dense;
    this.#input = input;
    this.#stride = totalStride;
  }

  get origin(): { y: number; x: number } {
    return this.#origin;
  }

  async step(frame: Tensor, homography: readonly number[]): Promise<TensorMap> {
    const [, h, w, c] = frame.shape as [number, number, number, number];
    if (this.#canvas === undefined) {
      this.#canvas = new Float32Array(frame.data);
      this.#anchorInverse = inv3(homography);
      this.#origin = { y: 0, x: 0 };
    } else {
      const W = mul3(this.#anchorInverse, homography);
      const [cx, cy] = apply3(W, (w - 1) / 2, (h - 1) / 2);
      const S = this.#stride;
      const o = { y: S * Math.round((cy - (h - 1) / 2) / S), x: S * Math.round((cx - (w - 1) / 2) / S) };
      const frameFromViewport = inv3(mul3([1, 0, -o.x, 0, 1, -o.y, 0, 0, 1], W));
      const next = new Float32Array(h * w * c);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const dst = (y * w + x) * c;
          const [sx, sy] = apply3(frameFromViewport, x, y);
          if (sx >= -1e-6 && sy >= -1e-6 && sx <= w - 1 + 1e-6 && sy <= h - 1 + 1e-6) {
            const x0 = Math.min(Math.floor(Math.max(sx, 0)), w - 1);
            const y0 = Math.min(Math.floor(Math.max(sy, 0)), h - 1);
            const x1 = Math.min(x0 + 1, w - 1);
            const y1 = Math.min(y0 + 1, h - 1);
            const fx = Math.min(Math.max(sx - x0, 0), 1);
            const fy = Math.min(Math.max(sy - y0, 0), 1);
            const at = (yy: number, xx: number, ch: number): number => frame.data[(yy * w + xx) * c + ch]!;
            for (let ch = 0; ch < c; ch++) {
              next[dst + ch] =
                (1 - fy) * ((1 - fx) * at(y0, x0, ch) + fx * at(y0, x1, ch)) + fy * ((1 - fx) * at(y1, x0, ch) + fx * at(y1, x1, ch));
            }
            continue;
          }
          // Not covered: the previous canvas at this world position, if it was in view.
          const py = o.y + y - this.#origin.y;
          const px = o.x + x - this.#origin.x;
          if (py >= 0 && py < h && px >= 0 && px < w) for (let ch = 0; ch < c; ch++) next[dst + ch] = this.#canvas[(py * w + px) * c + ch]!;
        }
      }
      this.#canvas = next;
      this.#origin = o;
    }
    return this.#dense.run({ [this.#input]: { data: new Float32Array(this.#canvas), shape: frame.shape } });
  }
}
